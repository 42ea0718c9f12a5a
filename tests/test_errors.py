"""Each kind of mistake gets the exact message the README promises, and exit status 1.

ROWS is the table in the README (and the README): every row is run as a person
would run it (`python build.py check EDITION`) on a small edition that makes that one
mistake, and the whole of what it prints is compared. `test_docs_table_is_these_rows`
keeps the published table and these rows the same.
"""
from __future__ import annotations

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest
import yaml

from support import REPO, run_cli, write_files
from toolkit.formats import schema
from toolkit.cli import main
from toolkit.national import VERSION

SETTINGS = """\
name: Testshire Compact toolkit
area: Testshire
colours:
  primary: "#0b5394"
  accent: "#ffdd00"
accessibility:
  contact_email: compact@testshire.example
  last_tested: 2026-11-01
"""


def page(front: str = "title: Local help\norder: 50\n", body: str = "## Getting help\n\nSome text.\n") -> str:
    return "---\n" + front + "---\n\n" + body


CASE_STUDY = """\
title: Northfield food network
area: Northfield
summary: Food banks and the council planned winter support together.
themes: [food]
who: The council and six food banks.
what_they_did: They met every month.
what_it_led_to: A shared plan for the winter.
"""


def _symlink_out(root: Path) -> None:
    outside = root.parent / "elsewhere"
    outside.mkdir(exist_ok=True)
    (outside / "secret.md").write_text(page(), encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    os.symlink(outside / "secret.md", root / "content" / "secret.md")


@dataclass(frozen=True)
class Row:
    key: str
    mistake: str                    # the first column of the table
    files: dict
    expected: str                   # every line printed for the problem, before the count
    args: tuple = ()                # more arguments for `check`
    setup: object = None            # makes what a dict of files cannot (a symbolic link)
    extra: dict = field(default_factory=dict)


ROWS = (
    Row("unknown-setting", "A misspelt setting",
        {"content/local-help.md": page("titel: Local help\norder: 50\n")},
        "content/local-help.md:2:1: error: unknown setting 'titel'\n"
        "  hint: did you mean 'title'?"),
    Row("missing-setting", "A required setting left out",
        {"content/local-help.md": page("title: Local help\n")},
        "content/local-help.md:2:1: error: 'order' is missing\n"
        "  hint: add 'order:' (Position in the guide: lower numbers come first)"),
    Row("wrong-type", "A setting of the wrong kind",
        {"content/local-help.md": page("title: Local help\norder: first\n")},
        "content/local-help.md:3:1: error: 'order' should be a whole number, not 'first'\n"
        "  hint: write it as order: 10"),
    Row("not-allowed", "A value that is not one of the choices",
        {"data/actions.yml": "- id: engage-early\n  audience: commisioners\n  stage: planning\n"
                             "  title: Talk to the sector early\n  detail: Before the plan is fixed.\n"
                             "  sections: [consultation]\n"},
        "data/actions.yml:2:3: error: 'audience' is 'commisioners', which is not allowed\n"
        "  hint: did you mean 'commissioners'? allowed values: commissioners, vcs"),
    Row("no-front-matter", "A page without front matter",
        {"content/local-help.md": "# Local help\n\nSome text.\n"},
        "content/local-help.md:1: error: this page has no front matter (the settings between --- lines "
        "at the top)\n"
        "  hint: start the file with:\n  ---\n  title: The page's title\n  order: 10\n  ---"),
    Row("unclosed-front-matter", "Front matter with no closing ---",
        {"content/local-help.md": "---\ntitle: Local help\norder: 50\n\nSome text.\n"},
        "content/local-help.md:1: error: the front matter that starts on line 1 has no closing '---' line\n"
        "  hint: add a line with just --- after the last front-matter setting"),
    Row("tab", "A tab used to indent YAML",
        {"content/local-help.md": page("title: Local help\norder: 50\nthemes:\n\t- employment\n")},
        "content/local-help.md:5:1: error: a tab character is used for indentation\n"
        "  hint: YAML needs spaces, not tabs: replace each tab at the start of the line with spaces"),
    Row("colon", "A colon in a value without quotes",
        {"content/local-help.md": page("title: Local help: what to do\norder: 50\n")},
        "content/local-help.md:2:18: error: this is not valid YAML: mapping values are not allowed "
        "in this context\n"
        "  hint: a value that contains ': ' must be in quotes, for example: title: \"Knowsley: what happened\""),
    Row("unclosed-quote", "A quote that is never closed",
        {"content/local-help.md": page("title: \"Local help\norder: 50\n")},
        "content/local-help.md:2:8: error: a quote is opened here but never closed\n"
        "  hint: add the closing quote at the end of the value"),
    Row("quote-read-on", "A quote closed only by the next value's quote",
        {"content/local-help.md": page("title: \"Local help\norder: 50\nsummary: \"Help for groups\"\n")},
        "content/local-help.md:2:8: error: a quote is opened here but not closed on its line, so YAML reads on "
        "to the next quote, on line 4\n"
        "  hint: add the closing quote at the end of the value"),
    Row("unclosed-list", "A list that is never closed",
        {"content/local-help.md": page("title: Local help\norder: 50\nthemes: [food, money\n")},
        "content/local-help.md:4:9: error: a list is opened here with [ but never closed\n"
        "  hint: add ] after the last item of the list"),
    Row("no-colon", "A line with no colon among the settings",
        {"content/local-help.md": page("title: Local help\nthis line has no colon\norder: 50\n")},
        "content/local-help.md:3:1: error: this line is not a setting: it has no ':' after a name\n"
        "  hint: write it as 'name: value', or start a note to yourself with #"),
    Row("duplicate-key", "The same setting twice",
        {"content/local-help.md": page("title: Local help\norder: 50\ntitle: Help\n")},
        "content/local-help.md:4:1: error: the key 'title' appears twice in this block\n"
        "  hint: remove one of them or merge what they say"),
    Row("impossible-date", "A date that does not exist",
        {"content/local-help.md": page("title: Local help\norder: 50\nreviewed: 2026-02-30\n")},
        "content/local-help.md:4:11: error: the value '2026-02-30' cannot be read (day is out of range "
        "for month)\n"
        "  hint: write a date as YYYY-MM-DD with a real month and day, e.g. 2026-11-25; put any other "
        "text in quotes"),
    Row("yaml-tag", "A YAML tag that would make a Python object",
        {"content/local-help.md": page("title: !!python/object/apply:os.system [ls]\norder: 50\n")},
        "content/local-help.md:2:8: error: the tag '!!python/object/apply:os.system' is not allowed\n"
        "  hint: remove it: settings are plain text, numbers, dates and lists"),
    Row("control-character", "An invisible control character pasted into YAML",
        {"content/local-help.md": page("title: Local\x07help\norder: 50\n")},
        "content/local-help.md:2:13: error: this file contains a control character (#x0007) that YAML "
        "does not allow\n"
        "  hint: remove it (it may have come from copying and pasting)"),
    Row("not-utf-8", "A file saved in another encoding",
        {"content/local-help.md": b"---\ntitle: Caf\xe9 culture\norder: 50\n---\n\nSome text.\n"},
        "content/local-help.md:2:11: error: this file is not UTF-8 text (byte 0xe9 at byte 14, probably "
        "'\u00e9' saved as Windows-1252)\n"
        "  hint: save the file as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8)"),
    Row("empty-case-study", "An empty case study file",
        {"case_studies/northfield.yml": ""},
        "case_studies/northfield.yml: error: this case study file is empty\n"
        "  hint: fill it in (see docs/content-format.md) or delete it"),
    Row("unknown-principle", "A case study naming a principle that does not exist",
        {"case_studies/northfield.yml": CASE_STUDY + "principles: [\"9.9\"]\n"},
        "case_studies/northfield.yml:8:14: error: names principle 9.9, which does not exist\n"
        "  hint: use an id from data/principles.yml or one the edition adds: 2, 2.1, 2.3, 2.4, 3.6, 3.17, 4"),
    Row("unknown-section", "A case study naming a page that does not exist",
        {"case_studies/northfield.yml": CASE_STUDY + "sections: [consultaton]\n"},
        "case_studies/northfield.yml:8:12: error: names the section 'consultaton', but there is no page "
        "content/consultaton.md\n"
        "  hint: did you mean 'consultation'?"),
    Row("duplicate-id", "Two entries with the same id",
        {"data/glossary.yml": "- term: CVS\n  id: cvs\n  definition: A council for voluntary service.\n"
                              "- term: Council for voluntary service\n  id: cvs\n  definition: The same.\n"},
        "data/glossary.yml:5:3: error: the id 'cvs' is used twice (first on line 2)\n"
        "  hint: give each entry its own id"),
    Row("duplicate-term", "Two glossary entries for one term",
        {"data/glossary.yml": "- term: CVS\n  id: cvs\n  definition: A council for voluntary service.\n"
                              "- term: cvs\n  id: cvs-2\n  definition: The same.\n"},
        "data/glossary.yml:4: error: the glossary term 'cvs' is also defined by 'CVS' (line 1)\n"
        "  hint: keep one entry for it, or remove it from the aliases of one of them"),
    Row("unknown-reference", "A reference to a principle that does not exist",
        {"content/local-help.md": page(body="## Help\n\nAs [[principle:9.9]] says.\n")},
        "content/local-help.md:8: error: refers to principle 9.9, which does not exist\n"
        "  hint: known principles: 2, 2.1, 2.3, 2.4, 3.6, 3.17, 4"),
    Row("unknown-parameter", "A parameter a principle does not have",
        {"content/local-help.md": page(body="## Help\n\nAllow [[param:2.4.consult_weeks]] weeks.\n")},
        "content/local-help.md:8: error: refers to parameter 'consult_weeks' of principle 2.4, which it "
        "does not have\n"
        "  hint: principle 2.4 has these parameters: consultation_weeks"),
    Row("broken-link", "A link to a page that does not exist",
        {"content/local-help.md": page(body="## Help\n\nRead [how to consult](consultaton.html) first.\n")},
        "content/local-help.md:8:23: error: the link 'consultaton.html' leads to a page that does not exist\n"
        "  hint: did you mean consultation.html?"),
    Row("link-to-md", "A link to a Markdown file that is not there",
        {"content/local-help.md": page(body="## Help\n\nRead\n[how to consult](consultaton.md) first.\n")},
        "content/local-help.md:9:18: error: the link 'consultaton.md' leads to content/consultaton.md, which does "
        "not exist\n"
        "  hint: did you mean consultation.md?"),
    Row("broken-anchor", "A link to a heading that is not there",
        {"content/local-help.md": page(body="## Help\n\nSee [below](#next-stepz).\n\n## Next steps\n")},
        "content/local-help.md:8:13: error: the link '#next-stepz' leads to #next-stepz, which is not on "
        "this page\n"
        "  hint: did you mean #next-steps?"),
    Row("broken-image", "An image that is not there",
        {"content/local-help.md": page(body="## Help\n\n![Our logo](static/logo.png)\n")},
        "content/local-help.md:8:13: error: the image 'static/logo.png' leads to a file that does not exist\n"
        "  hint: did you mean static/logo.svg?"),
    Row("script-link", "A javascript: (or vbscript:, data:) link",
        {"content/local-help.md": page(body="## Help\n\n[Click me](javascript:alert(1))\n")},
        "content/local-help.md:8:12: error: the link 'javascript:alert(1)' is refused: it could run code "
        "or load something unsafe in a reader's browser\n"
        "  hint: link to a web page (https://...) or a page of this site instead"),
    Row("outside-link", "A link out of the site with ../",
        {"content/local-help.md": page(body="## Help\n\n[Secrets](../../etc/passwd)\n")},
        "content/local-help.md:8:11: error: the link '../../etc/passwd' points outside the site\n"
        "  hint: link to a page of this site by its file name, e.g. consultation.html"),
    Row("same-output", "A page with the name of one the toolkit makes",
        {"content/principles.md": page("title: Our principles\norder: 50\n")},
        "content/principles.md: error: this would be written to principles.html, which the theme's own "
        "principles.html page uses\n"
        "  hint: rename the file: that name is taken"),
    Row("same-output-case", "Two pages whose names differ only in capitals",
        {"content/Help.md": page("title: Help\norder: 50\n"), "content/help.md": page("title: Help\norder: 51\n")},
        "content/help.md: error: this would be written to help.html, but content/Help.md is written to "
        "Help.html (Windows and macOS do not tell names apart by capital letters)\n"
        "  hint: rename one of content/help.md and content/Help.md"),
    Row("same-output-file", "A theme file the toolkit writes itself",
        {"themes/default/static/brand.css": ":root {}\n"},
        "themes/default/static/brand.css: error: this file would be copied to assets/brand.css, where the "
        "toolkit writes its own assets/brand.css\n"
        "  hint: rename themes/default/static/brand.css: that name is taken"),
    Row("linked-out", "A file that is a link to somewhere outside the edition",
        {}, "content/secret.md: error: this file is a link to a place outside the edition\n"
        "  hint: copy the file into the edition folder instead of linking to it", setup=_symlink_out),
    Row("setting-misspelt", "A misspelt setting in toolkit.yml",
        {"toolkit.yml": SETTINGS.replace("colours:", "colors:")},
        "toolkit.yml:3:1: error: unknown setting 'colors'\n"
        "  hint: did you mean 'colours'?"),
    Row("unsafe-contact", "A contact's web address that is not http(s)",
        {"toolkit.yml": SETTINGS + "contacts:\n  - name: Compact team\n    url: \"javascript:alert(1)\"\n"},
        "toolkit.yml:11:5: error: 'url' is 'javascript:alert(1)', which is not a web address\n"
        "  hint: write the full address, starting with https://"),
    Row("bad-email", "An email address that is not one",
        {"toolkit.yml": SETTINGS.replace("compact@testshire.example", "compact at testshire")},
        "toolkit.yml:7:3: error: 'contact_email' is 'compact at testshire', which is not an email address\n"
        "  hint: write just the address, e.g. compact@northbridge.gov.uk"),
    Row("bad-colour", "A colour that is not #rrggbb",
        {"toolkit.yml": SETTINGS.replace('"#0b5394"', "blue")},
        "toolkit.yml:4:3: error: 'primary' is 'blue', which is not a colour\n"
        "  hint: write it as six hex digits in quotes, e.g. primary: \"#1d4f91\""),
    Row("colour-comment", "A colour without quotes (YAML reads # as a comment)",
        {"toolkit.yml": SETTINGS.replace('"#0b5394"', "#5a2d82")},
        "toolkit.yml:4:3: error: 'primary' is empty: YAML took #5a2d82 for a comment, as a # after a space "
        "starts one\n"
        "  hint: put the colour in quotes: primary: \"#5a2d82\""),
    Row("empty-setting", "A setting left empty",
        {"toolkit.yml": SETTINGS.replace("area: Testshire", "area:")},
        "toolkit.yml:2:1: error: 'area' is empty\n"
        "  hint: write a value after 'area:' (the area the edition is for, e.g. Northbridge), or delete the line "
        "to keep the one this edition builds on"),
    Row("figure-with-unit", "A figure written with its unit",
        {"toolkit.yml": SETTINGS + "principles:\n  \"2.4\":\n    params:\n      consultation_weeks: 8 weeks\n"},
        "toolkit.yml:12:7: error: 'consultation_weeks' of principle 2.4 is a number of weeks, not '8 weeks'\n"
        "  hint: write the number alone: consultation_weeks: 8 (the site adds the unit: \"8 weeks\")"),
    Row("figure-in-words", "A figure written in words",
        {"toolkit.yml": SETTINGS + "principles:\n  \"2.4\":\n    params:\n      consultation_weeks: eight\n"},
        "toolkit.yml:12:7: error: 'consultation_weeks' of principle 2.4 is a number of weeks, not 'eight'\n"
        "  hint: write it in figures, e.g. consultation_weeks: 12 (the site adds the unit: \"12 weeks\")"),
    Row("principle-near-miss", "A principle's number mistyped in toolkit.yml",
        {"toolkit.yml": SETTINGS + "principles:\n  \"2,4\":\n    params:\n      consultation_weeks: 8\n"},
        "toolkit.yml:10:3: error: principle 2,4 is not a national principle, so it needs a title and a summary\n"
        "  hint: did you mean \"2.4\"?"),
    Row("reference-near-miss", "A principle's number mistyped in a page",
        {"content/local-help.md": page(body="## Help\n\nAs [[principle:2,4]] says.\n")},
        "content/local-help.md:8: error: refers to principle 2,4, which does not exist\n"
        "  hint: did you mean 2.4?"),
    Row("logo-outside", "A logo from outside the edition",
        {"toolkit.yml": SETTINGS + "logo:\n  file: ../../logo.svg\n  alt: Testshire\n"},
        "toolkit.yml:10: error: 'logo: file' is ../../logo.svg, which is outside the edition\n"
        "  hint: put the file in the edition's static/ folder and write static/<file name>"),
    Row("hide-missing", "Hiding a page that does not exist",
        {"toolkit.yml": SETTINGS + "hide:\n  - content/decommissioning.md\n"},
        "toolkit.yml:10: error: 'hide' names content/decommissioning.md, but there is no such page to hide\n"
        "  hint: write the path as it is in the national toolkit, e.g. content/decommissioning.md or "
        "case_studies/sutton.yml"),
    Row("notice-link", "A notice that links to a page not in the site",
        {"toolkit.yml": SETTINGS + "notice:\n  text: Old law.\n  link: what-changed.html\n  link_text: More\n"},
        "toolkit.yml:11: error: the notice's link 'what-changed.html' names a page that is not in the site\n"
        "  hint: did you mean 'what-has-changed.html'? a guide page's address is its file name in content/ "
        "with .html, e.g. what-has-changed.html"),
    Row("replaced-by", "A historical entry replaced by one that is not in the list",
        {"data/glossary.yml": "- term: Widget board\n  id: widget-board\n  definition: Ran widgets.\n"
                              "  historical: Wound up in 2020.\n  replaced_by: gadget-trusts\n"
                              "- term: Gadget trust\n  id: gadget-trust\n  definition: Runs widgets now.\n"},
        "data/glossary.yml:5: error: 'replaced_by' names 'gadget-trusts', but no entry in this file has that id\n"
        "  hint: give the id of another entry in data/glossary.yml, or remove 'replaced_by'"),
    Row("hidden-mention", "A link to a page the edition hides (a warning; an error with --strict)",
        {"toolkit.yml": SETTINGS + "hide:\n  - content/local-extra.md\n",
         "content/local-help.md": page(body="## Help\n\nSee [the extra page](local-extra.html) too.\n"),
         "content/local-extra.md": page("title: Extra\norder: 51\n")},
        "content/local-help.md:8:22: error: the link 'local-extra.html' leads to a page this edition hides, so it "
        "is shown as plain text\n"
        "  hint: reword it so it does not send readers to that page, or stop hiding the page (hide: in toolkit.yml)",
        args=("--strict",)),
    Row("stale", "A page not reviewed within review_every (with --strict)",
        {"toolkit.yml": SETTINGS + "review_every: 12\n",
         "content/local-help.md": page("title: Local help\norder: 50\nreviewed: 2020-01-01\n")},
        "content/local-help.md:1: error: last reviewed on 2020-01-01, more than 12 months ago\n"
        "  hint: check the text is still right, then set 'reviewed:' to today's date",
        args=("--strict",)),
)


def _edition(tmp_path: Path, row: Row) -> Path:
    root = write_files(tmp_path / "edition", {"toolkit.yml": SETTINGS, **row.files})
    if row.setup:
        row.setup(root)
    return root


@pytest.fixture(scope="module")
def row_results(tmp_path_factory):
    """Every row's `check`, run as separate processes a few at a time (each takes most of a second)."""
    def run(row):
        return run_cli("check", str(_edition(tmp_path_factory.mktemp(row.key), row)), *row.args)
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        return dict(zip((row.key for row in ROWS), pool.map(run, ROWS)))


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_each_mistake_gets_its_message_and_exit_status_1(row_results, row):
    result = row_results[row.key]
    assert result.returncode == 1
    assert result.stderr == row.expected + "\n\n1 error found.\n"
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_build_refuses_the_same_mistakes_and_says_nothing_was_written(tmp_path):
    root = _edition(tmp_path, ROWS[0])
    result = run_cli("build", str(root))
    assert result.returncode == 1
    assert result.stderr == (ROWS[0].expected + "\n\n1 error found.\n\n"
                             "Nothing was written: the last good site is unchanged.\n")
    assert not (root / "_site").exists()


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    root = write_files(tmp_path / "edition", {
        "toolkit.yml": SETTINGS,
        "content/a.md": page("titel: A\norder: 1\n"),
        "content/b.md": page("title: B\norder: two\n"),
        "case_studies/c.yml": CASE_STUDY + "themes: [food]\n",
        "data/glossary.yml": "- term: CVS\n  id: cvs\n  definitoin: x\n",
    })
    result = run_cli("check", str(root))
    assert result.returncode == 1
    assert result.stderr == (
        "case_studies/c.yml:8:1: error: the key 'themes' appears twice in this block\n"
        "  hint: remove one of them or merge what they say\n\n"
        "content/a.md:2:1: error: unknown setting 'titel'\n"
        "  hint: did you mean 'title'?\n\n"
        "content/b.md:3:1: error: 'order' should be a whole number, not 'two'\n"
        "  hint: write it as order: 10\n\n"
        "data/glossary.yml:3:3: error: unknown setting 'definitoin'\n"
        "  hint: did you mean 'definition'?\n\n"
        "4 errors found.\n")


def _where(rel: str, text: str) -> tuple[int, int]:
    """(line, column) of the first `text` in the national toolkit's file `rel`."""
    lines = (REPO / rel).read_text(encoding="utf-8").splitlines()
    return next((number, line.index(text) + 1) for number, line in enumerate(lines, 1) if text in line)


def test_every_problem_of_an_edition_is_reported_in_one_run(tmp_path):
    """Leaving out principle 3.17 once reported a faint colour first, then the national actions
    that name the principle, and only after that the national pages that refer to it: now all of
    them come at once, with a mistyped principle, a broken link and a figure that is not one.
    National files are named relative to the national toolkit, at the line of the mention."""
    root = write_files(tmp_path / "edition", {
        "toolkit.yml": SETTINGS.replace('"#0b5394"', '"#77aadd"') + (
            "principles:\n"
            "  \"3.17\":\n"
            "    adopted: false\n"
            "  \"2.4\":\n"
            "    params:\n"
            "      consultation_weeks: 8 weeks\n"),
        "content/local-help.md": page(body="## Help\n\nRead [how to consult](consultaton.html).\n")})
    result = run_cli("check", str(root))
    assert result.returncode == 1
    blocks = result.stderr.split("\n\n")
    # The colour's message is the contrast check's (tests/test_theme.py); here, that it comes too.
    assert [block for block in blocks if block.startswith("toolkit.yml:4: error: the primary colour #77aadd")]
    actions, column = _where("data/actions.yml", '"3.17"')
    pages = {name: _where(f"content/{name}.md", "[[principle:3.17]]")[0]
             for name in ("social-value-and-the-compact", "the-voluntary-sector-and-the-act")}
    adopt = "adopt principle 3.17 (remove 'adopted: false' from toolkit.yml)"
    assert [block for block in blocks if "#77aadd" not in block] == [
        *(f"(national) content/{name}.md:{line}: error: refers to principle 3.17, which this edition has not "
          f"adopted\n  hint: this file is the national toolkit's: copy content/{name}.md into your edition and "
          f"reword it without [[principle:3.17]], or {adopt}" for name, line in pages.items()),
        f"(national) data/actions.yml:{actions}:{column}: error: names principle 3.17, which this edition has not "
        f"adopted\n  hint: this file is the national toolkit's: copy data/actions.yml into your edition without "
        f"principle 3.17, or {adopt}",
        "content/local-help.md:8:23: error: the link 'consultaton.html' leads to a page that does not exist\n"
        "  hint: did you mean consultation.html?",
        "toolkit.yml:14:7: error: 'consultation_weeks' of principle 2.4 is a number of weeks, not '8 weeks'\n"
        "  hint: write the number alone: consultation_weeks: 8 (the site adds the unit: \"8 weeks\")",
        "6 errors found.\n"]


def test_a_colour_lost_to_a_comment_is_not_replaced_by_the_national_one_in_messages(tmp_path):
    """With the primary unquoted, the accent is not compared with the national primary, a
    colour this edition never wrote (the accent here is close to it)."""
    root = write_files(tmp_path / "edition", {"toolkit.yml": SETTINGS.replace('"#0b5394"', "#5a2d82")
                                              .replace('"#ffdd00"', '"#1d4f92"')})
    result = run_cli("check", str(root))
    assert result.returncode == 1
    assert result.stderr.startswith(
        "toolkit.yml:4:3: error: 'primary' is empty: YAML took #5a2d82 for a comment, as a # after a space "
        "starts one\n  hint: put the colour in quotes: primary: \"#5a2d82\"\n\n")
    assert "#1d4f91" not in result.stderr and "the primary colour" not in result.stderr


def test_a_good_edition_checks_clean_and_check_writes_nothing(tmp_path):
    root = write_files(tmp_path / "edition", {"toolkit.yml": SETTINGS, "content/local-help.md": page()})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = run_cli("check", str(root))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"Checked \d+ pages of Testshire Compact toolkit \(national toolkit {re.escape(VERSION)}\): "
                        r"no problems found.\n", result.stdout)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before      # no _site, no cache


def test_warnings_are_shown_but_fail_only_with_strict(tmp_path):
    root = _edition(tmp_path, ROWS[-1])
    result = run_cli("check", str(root))
    assert result.returncode == 0
    assert result.stderr == ("content/local-help.md:1: warning: last reviewed on 2020-01-01, more than "
                             "12 months ago\n  hint: check the text is still right, then set 'reviewed:' "
                             "to today's date\n\n1 warning found.\n")
    assert re.fullmatch(rf"Checked \d+ pages of Testshire Compact toolkit \(national toolkit {re.escape(VERSION)}\): "
                        r"no errors.\n", result.stdout)


def test_not_an_edition_is_exit_1_and_usage_mistakes_are_exit_2(tmp_path):
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tmp_path}: error: this folder has no toolkit.yml, so it is not an edition\n")
    for args in (("check", "--no-such-option"), ("frobnicate",), ("build", "--out")):
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert "usage: build.py" in result.stderr
        assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    result = run_cli("--debug", "check", str(_edition(tmp_path, ROWS[0])))
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "BuildFailed" in result.stderr


def test_main_in_process_matches_the_table(tmp_path, capsys):
    """The same messages without a subprocess, so a failure here shows a readable diff."""
    for row in ROWS[:6]:
        assert main(["check", str(_edition(tmp_path / row.key, row)), *row.args]) == 1
        assert capsys.readouterr().err == row.expected + "\n\n1 error found.\n"


# --- the table in the README ----------------------------------------------------------

def table() -> str:
    lines = ["| Mistake | What `check` and `build` print |", "| --- | --- |"]
    for row in ROWS:
        message, _, hint = row.expected.partition("\n  hint: ")
        hint = hint.replace("\n  ", " ")
        cell = f"`{message}`<br>`hint: {hint}`".replace("|", "\\|")
        lines.append(f"| {row.mistake} | {cell} |")
    return "\n".join(lines) + "\n"


def test_readme_table_is_these_rows():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert table() in readme, "the README's table is out of date: paste tests/test_errors.py:table() into it"


# --- the JSON Schemas published for editors --------------------------------------------------

def test_published_schemas_are_what_the_code_says():
    folder = REPO / "schemas"
    expected = schema.all_json_schemas()
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(expected)
    for name, body in expected.items():
        assert (folder / name).read_text(encoding="utf-8") == schema.json_schema_text(body), \
            f"schemas/{name} is out of date: run python -m toolkit.formats.schema"


def test_vscode_settings_map_every_yaml_format_to_its_schema():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert {Path(p).name for p in mapping} == set(schema.all_json_schemas()) - {"front-matter.schema.json"}
    for path in mapping:
        assert (REPO / path).is_file()
    covered = {name: [str(f.relative_to(REPO)) for f in REPO.glob(pattern) if "_site" not in f.parts]
               for name, patterns in mapping.items() for pattern in patterns}
    assert "toolkit.yml" in covered["./schemas/toolkit.schema.json"]
    assert "case_studies/knowsley.yml" in covered["./schemas/case-study.schema.json"]
    assert "data/actions.yml" in covered["./schemas/actions.schema.json"]


def _as_editor_sees(value):
    """YAML as an editor's language server reads it: dates are text."""
    if isinstance(value, dict):
        return {str(k): _as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


FILE_SCHEMAS = {"toolkit.yml": "toolkit.schema.json", "case_studies/*.yml": "case-study.schema.json",
                "data/principles.yml": "principles.schema.json", "data/actions.yml": "actions.schema.json",
                "data/glossary.yml": "glossary.schema.json",
                "data/further_reading.yml": "further-reading.schema.json"}


@pytest.mark.parametrize("pattern", sorted(FILE_SCHEMAS))
def test_every_shipped_file_passes_its_published_schema(pattern):
    validator = jsonschema.Draft7Validator(schema.all_json_schemas()[FILE_SCHEMAS[pattern]])
    files = list(REPO.glob(pattern)) + list((REPO / "areas").glob("*/" + pattern))
    assert files
    for path in files:
        errors = [e.message for e in validator.iter_errors(_as_editor_sees(yaml.safe_load(path.read_text())))]
        assert errors == [], path


def test_front_matter_of_every_page_passes_its_published_schema():
    validator = jsonschema.Draft7Validator(schema.all_json_schemas()["front-matter.schema.json"])
    for path in REPO.glob("content/*.md"):
        front = re.match(r"---\n(.*?)\n---\n", path.read_text(), re.S).group(1)
        assert list(validator.iter_errors(_as_editor_sees(yaml.safe_load(front)))) == [], path


@pytest.mark.parametrize("front", [
    {"title": "x", "order": 1, "titel": "x"},          # unknown key
    {"title": "x"},                                    # missing key
    {"title": "x", "order": "first"},                  # wrong type
    {"title": "  ", "order": 1},                       # empty
    {"title": "x", "order": 1, "themes": "food"},      # not a list
    {"title": "x", "order": True},                     # a boolean is not a number
])
def test_editor_schema_and_build_refuse_the_same_front_matter(front):
    validator = jsonschema.Draft7Validator(schema.all_json_schemas()["front-matter.schema.json"])
    assert list(validator.iter_errors(front))
    assert schema.check(front, schema.FRONT_MATTER, "page.md")


@pytest.mark.parametrize("url, good", [
    ("https://example.org/a?b=c#d", True), ("http://example.org", True),
    ("javascript:alert(1)", False), ("data:text/html,<script>", False), ("//example.org", False),
    ("https://example.org/\"onmouseover=x", False), ("ftp://example.org", False),
])
def test_editor_schema_and_build_agree_on_web_addresses(url, good):
    reading = [{"title": "A report", "description": "Why.", "url": url}]
    validator = jsonschema.Draft7Validator(schema.all_json_schemas()["further-reading.schema.json"])
    assert (not list(validator.iter_errors(reading))) is good
    assert (not schema.check(reading[0], schema.READING, "data/further_reading.yml")) is good


def test_a_problem_in_reworded_text_names_the_file_it_is_written_in(tmp_path):
    """The wording of a principle or a further-reading entry that an edition gives is its own:
    a broken link in it is reported at its line there, not at the national data file."""
    root = write_files(tmp_path / "edition", {"toolkit.yml": SETTINGS + (
        "principles:\n"
        "  \"2.4\":\n"
        "    title: Consult early\n"
        "    summary: >\n"
        "      Give groups time, and see [the page](nope.html)\n"
        "      for more.\n"), "data/further_reading.yml": (
        "- title: A local guide\n"
        "  publisher: Testshire CVS\n"
        "  description: >\n"
        "    Read [it here](gone.html).\n")})
    done = run_cli("check", str(root))
    assert done.returncode == 1
    assert done.stderr.splitlines()[:5] == [
        "data/further_reading.yml:4:20: error: the link 'gone.html' leads to a page that does not exist",
        "  hint: did you mean index.html?",
        "",
        "toolkit.yml:13:44: error: the link 'nope.html' leads to a page that does not exist",
        "  hint: did you mean index.html?"]
