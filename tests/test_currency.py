"""How current the guide says it is (issue 18): the edition's notice on every page, the
page on what has changed since 2014, historical glossary and further-reading entries,
a reviewed date on every national page, and a meta description on every page."""
from __future__ import annotations

import html
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from support import REPO, run_cli
from toolkit.formats import schema
from toolkit.model.problems import BuildFailed
from toolkit.commands.build import build

NATIONAL_NOTICE = ('<section class="site-notice" aria-label="About this guide">\n'
                   '  <p>This guide describes the law as it stood in March 2014, and some of it has changed since. '
                   '<a href="{root}what-has-changed.html">What has changed since 2014</a></p>\n'
                   '</section>')
CITATION = re.compile(r'href="https://www\.(legislation\.gov\.uk|gov\.uk)/[^"]+"')
STRINGS = yaml.safe_load((REPO / "themes/default/strings/en.yml").read_text(encoding="utf-8"))


def pages_of(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8") for path in sorted(site.rglob("*.html"))}


def built(root: Path) -> dict[str, str]:
    """Every page of an edition, built in memory."""
    outputs = build(root, write=False, use_cache=False).outputs
    return {path: data.decode("utf-8") for path, data in outputs.items() if path.endswith(".html")}


def problems_of(root: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False, use_cache=False)
    return [problem.format() for problem in failed.value.problems]


def main_of(page: str) -> str:
    return page.split('<main id="main" class="wrap" tabindex="-1">', 1)[1].split("</main>", 1)[0].lstrip()


# --- the notice ----------------------------------------------------------------------------

def test_the_national_notice_is_at_the_top_of_the_main_content_of_every_page(national_site):
    pages = pages_of(national_site)
    assert len(pages) >= 27
    guide = main_of(pages.pop("guide.html"))
    changes = main_of(pages.pop("what-has-changed.html"))
    for path, page in pages.items():
        root = "../" * path.count("/")
        main = main_of(page)
        assert main.startswith(NATIONAL_NOTICE.format(root=root)), path      # before the page's h1
        assert main.count('class="site-notice"') == 1, path
    # On the page it links to, it has no link to itself.
    assert changes.startswith(re.sub(r" <a .*</a>", "", NATIONAL_NOTICE)), changes[:300]
    # The one-page guide shows it under the guide's title, linking to the section on the same page.
    title = guide.index('<h1 class="guide-title">')
    notice = NATIONAL_NOTICE.format(root="").replace('href="what-has-changed.html"', 'href="#section-what-has-changed"')
    assert guide.count('class="site-notice"') == 1 and guide.index(notice) > title
    assert 'id="section-what-has-changed"' in guide


def test_an_edition_changes_the_notice_and_its_link(make_edition):
    root = make_edition({"toolkit.yml": _settings(
        "notice:\n"
        "  text: \"Testshire's guide: our Compact was renewed in 2025.\"\n"
        "  link: glossary.html#term-compact\n"
        "  link_text: What the Compact is\n")})
    pages = built(root)
    del pages["guide.html"]                         # there under the title: see the test above
    for path, page in pages.items():
        root_path = "../" * path.count("/")
        assert main_of(page).startswith(
            '<section class="site-notice" aria-label="About this guide">\n'
            "  <p>Testshire&#39;s guide: our Compact was renewed in 2025. "
            f'<a href="{root_path}glossary.html#term-compact">What the Compact is</a></p>\n</section>'), path
        assert "as it stood in March 2014" not in page


def test_a_notice_can_link_to_another_website_or_have_no_link(make_edition):
    root = make_edition({"toolkit.yml": _settings(
        "notice:\n  text: Read the national guidance too.\n"
        "  link: https://www.gov.uk/government/collections/transforming-public-procurement\n"
        "  link_text: Transforming Public Procurement\n")})
    page = built(root)["case-studies/knowsley.html"]
    assert ('<p>Read the national guidance too. <a href="https://www.gov.uk/government/collections/'
            'transforming-public-procurement">Transforming Public Procurement</a></p>') in page
    root = make_edition({"toolkit.yml": _settings("notice:\n  text: \"Draft: not yet agreed by partners.\"\n")})
    assert "  <p>Draft: not yet agreed by partners.</p>\n</section>" in built(root)["principles.html"]


@pytest.mark.parametrize("removed", ["false", '""'])
def test_an_edition_removes_the_notice(make_edition, removed):
    root = make_edition({"toolkit.yml": _settings(f"notice: {removed}\n")})
    pages = built(root)
    assert len(pages) >= 27
    assert not [path for path, page in pages.items() if "site-notice" in page]


def test_an_empty_notice_setting_keeps_the_notice_of_the_edition_extended(make_edition):
    root = make_edition({"toolkit.yml": _settings("notice:\n")})
    assert NATIONAL_NOTICE.format(root="") in built(root)["index.html"]


def test_a_local_edition_removing_the_notice_leaves_it_off_editions_that_extend_it(tmp_path, make_edition):
    county = make_edition({"toolkit.yml": _settings("notice: false\n")})
    district = make_edition({"toolkit.yml": f"name: District\nextends: {county}\n"}, base=None)
    assert "site-notice" not in built(district)["index.html"]


def test_the_notice_keeps_its_words_but_drops_a_link_to_a_hidden_page(make_edition):
    root = make_edition({"toolkit.yml": _settings("hide:\n  - content/what-has-changed.md\n")})
    pages = built(root)
    assert "what-has-changed.html" not in pages
    assert ('<section class="site-notice" aria-label="About this guide">\n'
            "  <p>This guide describes the law as it stood in March 2014, and some of it has changed since.</p>\n"
            "</section>") in pages["index.html"]


@pytest.mark.parametrize("notice, message", [
    ("notice:\n  link: what-has-changed.html\n  link_text: More\n",
     "toolkit.yml:11:3: error: 'text' is missing\n"
     "  hint: add 'text:' (What the notice says, e.g. This guide describes the law as it stood in March 2014.)"),
    ("notice:\n  text: Old law.\n  link: what-has-changed.html\n",
     "toolkit.yml:12: error: the notice has a link but no words for it\n"
     "  hint: add link_text: under notice:, e.g. link_text: What has changed since 2014"),
    ("notice:\n  text: Old law.\n  link: javascript:alert(1)\n  link_text: More\n",
     "toolkit.yml:12: error: the notice's link 'javascript:alert(1)' is neither a page of this site nor a web address\n"
     "  hint: write a page's address in the site, e.g. what-has-changed.html, or a full web address starting https://"),
    ("notice:\n  text: Old law.\n  link: ../../etc/passwd\n  link_text: More\n",
     "toolkit.yml:12: error: the notice's link '../../etc/passwd' is neither a page of this site nor a web address\n"
     "  hint: write a page's address in the site, e.g. what-has-changed.html, or a full web address starting https://"),
    ("notice:\n  text: Old law.\n  link_text: More\n",
     "toolkit.yml:12: error: the notice has words for a link but no link\n"
     "  hint: add link: under notice:, e.g. link: what-has-changed.html, or remove link_text:"),
    ("notice: true\n",
     "toolkit.yml:10:1: error: 'notice' should be a set of 'name: value' settings, not 'true'\n"
     "  hint: write each setting on its own line as name: value"),
    ("notice:\n  txet: Old law.\n",
     "toolkit.yml:11:3: error: unknown setting 'txet'\n  hint: did you mean 'text'?"),
])
def test_a_wrong_notice_is_reported_with_its_line_and_the_fix(make_edition, notice, message):
    root = make_edition({"toolkit.yml": _settings(notice)})
    assert problems_of(root) == [message]


def test_a_notice_linking_to_a_page_not_in_the_site_is_one_error_in_toolkit_yml(make_edition):
    root = make_edition({"toolkit.yml": _settings(
        "notice:\n  text: Old law.\n  link: what-changed.html\n  link_text: More\n")})
    assert problems_of(root) == [
        "toolkit.yml:12: error: the notice's link 'what-changed.html' names a page that is not in the site\n"
        "  hint: did you mean 'what-has-changed.html'? a guide page's address is its file name in content/ "
        "with .html, e.g. what-has-changed.html"]


@pytest.mark.parametrize("notice, valid", [
    ({"text": "Old law.", "link": "what-has-changed.html", "link_text": "More"}, True),
    (False, True), ("", True), (None, True),
    ({"link": "x.html"}, False), ("Old law.", False), (True, False), ({"text": "x", "colour": "red"}, False),
])
def test_the_editor_schema_and_the_build_agree_on_the_notice(notice, valid):
    settings = {"name": "Testshire", "notice": notice}
    validator = jsonschema.Draft7Validator(schema.all_json_schemas()["toolkit.schema.json"])
    assert (not list(validator.iter_errors(settings))) is valid
    assert (not schema.check(dict(settings), schema.TOOLKIT, "toolkit.yml")) is valid


def _settings(extra: str) -> str:
    """The test edition's toolkit.yml (MINIMAL_EDITION in conftest.py) with more settings after it."""
    return ("name: Testshire Compact toolkit\narea: Testshire\npublisher: Testshire CVS\n"
            'colours:\n  primary: "#0b5394"\n  accent: "#ffdd00"\n'
            "accessibility:\n  contact_email: compact@testshire.example\n  last_tested: 2026-11-01\n" + extra)


# --- what has changed since 2014 -----------------------------------------------------------

def test_every_fact_on_the_changes_page_cites_legislation_gov_uk_or_gov_uk(national_site):
    page = (national_site / "what-has-changed.html").read_text(encoding="utf-8")
    prose = page.split('<div class="prose">', 1)[1].split("</div>", 1)[0]
    sections = re.split(r"<h2[^>]*>", prose)[1:]
    headings = [re.sub(r"<[^>]+>", "", s.split("</h2>")[0]) for s in sections]
    assert headings == ["The 2006 regulations were replaced in 2015",
                        "The Procurement Act 2023 came into force in February 2025",
                        "Thresholds are now set in UK law, not by the EU",
                        "Clinical commissioning groups were replaced by integrated care boards in July 2022",
                        "Reading the rest of the guide"]
    facts = [p for section in sections[:-1] for p in re.findall(r"<p>(.*?)</p>", section, re.S)]
    assert len(facts) == 9
    for paragraph in facts:
        assert CITATION.search(paragraph), paragraph
        # Every link in a fact's paragraph is to the official record, never elsewhere.
        for href in re.findall(r'href="(https?://[^"]+)"', paragraph):
            assert CITATION.match(f'href="{href}"'), href
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", "", p) for p in facts))
    for fact in ["revoked on 26 February 2015", "Public Contracts Regulations 2015",
                 "came into force on 24 February 2025", "most advantageous tender",
                 "CCGs were abolished on 1 July 2022 and integrated care boards were established",
                 "Integrated care boards took on the commissioning that CCGs used to do",
                 "Schedule 1 to the Procurement Act 2023", "Minister for the Cabinet Office"]:
        assert fact in text, fact


def test_the_pages_that_speak_of_2014_law_link_to_the_changes_page(national_site):
    for slug, words in [("the-social-value-act", "Public Contracts Regulations 2006"),
                        ("joint-social-value-strategy", "Clinical Commissioning Groups"),
                        ("about-the-compact", "as they stood in March 2014")]:
        body = main_of((national_site / f"{slug}.html").read_text(encoding="utf-8"))
        body = body.split('<div class="prose">', 1)[1]             # the page's own text, not the notice
        assert words in body and 'href="what-has-changed.html">what has changed since 2014</a>' in body, slug


# --- historical entries --------------------------------------------------------------------

def test_national_historical_entries_show_what_replaced_them(national_site):
    glossary = (national_site / "glossary.html").read_text(encoding="utf-8")
    ccg = glossary.split('id="term-ccg"', 1)[1].split("</div>", 1)[0]
    assert ('<p class="historical"><strong class="historical__label">No longer current:</strong> Abolished on '
            "1 July 2022 under the Health and Care Act 2022. Integrated care boards took on their commissioning. "
            'What replaced it: <a href="#term-integrated-care-board">Integrated care board</a></p>') in ccg
    assert 'id="term-integrated-care-board"' in glossary
    for term, replaced in [("eu-procurement-thresholds", "procurement-act-2023"),
                           ("meat", "most-advantageous-tender")]:
        entry = glossary.split(f'id="term-{term}"', 1)[1].split("</div>", 1)[0]
        assert f'What replaced it: <a href="#term-{replaced}">' in entry, term
        assert f'id="term-{replaced}"' in glossary
    regulations = glossary.split('id="term-public-contracts-regulations-2006"', 1)[1].split("</div>", 1)[0]
    assert ("No longer current:</strong> Revoked on 26 February 2015, when the Public Contracts Regulations 2015 "
            "came into force in their place.</p>") in regulations
    reading = (national_site / "further-reading.html").read_text(encoding="utf-8")
    thresholds = reading.split("New_Threshold_Levels_for_2014.pdf", 1)[1].split("</li>", 1)[0]
    assert ('No longer current:</strong> The EU thresholds no longer apply in the UK. The threshold amounts are '
            'now set in Schedule 1 to the Procurement Act 2023. What replaced it: <a class="external" '
            'href="https://www.legislation.gov.uk/ukpga/2023/54">Procurement Act 2023</a></p>') in thresholds
    guide = (national_site / "guide.html").read_text(encoding="utf-8")
    assert 'What replaced it: <a href="#term-integrated-care-board">Integrated care board</a>' in guide
    assert 'href="https://www.legislation.gov.uk/ukpga/2023/54">Procurement Act 2023</a></p>' in guide


GLOSSARY = """
    - term: Widget board
      id: widget-board
      definition: The body that once ran widgets.
      historical: Wound up in 2020.
      replaced_by: gadget-trust
    - term: Gadget trust
      id: gadget-trust
      definition: The body that runs widgets now.
    - term: Old rule
      id: old-rule
      definition: A rule that has gone.
      historical: Repealed in 2019.
"""
READING = """
    - title: Widget guidance 2013
      description: How widgets were run.
      historical: Withdrawn when the trust took over.
      replaced_by: Gadget guidance
    - title: Gadget guidance
      url: https://www.example.org/gadgets
      description: How widgets are run now.
    - title: Sprocket note
      description: Notes on sprockets.
      historical: Out of date.
      replaced_by: Cog note
    - title: Cog note
      description: Notes on cogs, not online.
"""


def test_an_editions_historical_entries_render_with_their_replacement(make_edition):
    root = make_edition({"data/glossary.yml": GLOSSARY, "data/further_reading.yml": READING})
    pages = built(root)
    glossary = pages["glossary.html"]
    assert ('<dd><p>The body that once ran widgets.</p>\n<p class="historical"><strong class="historical__label">'
            'No longer current:</strong> Wound up in 2020. What replaced it: <a href="#term-gadget-trust">'
            "Gadget trust</a></p>\n</dd>") in glossary
    assert ('<strong class="historical__label">No longer current:</strong> Repealed in 2019.</p>') in glossary
    assert glossary.count('class="historical"') == 2
    reading = pages["further-reading.html"]
    assert ('<strong class="historical__label">No longer current:</strong> Withdrawn when the trust took over. '
            'What replaced it: <a class="external" href="https://www.example.org/gadgets">Gadget guidance</a></p>'
            ) in reading
    assert "Out of date. What replaced it: <cite>Cog note</cite></p>" in reading
    assert reading.count('class="historical"') == 2
    assert "Wound up in 2020." in pages["guide.html"] and "Withdrawn when the trust took over." in pages["guide.html"]


def test_a_replacement_that_is_not_in_the_list_is_an_error(make_edition):
    root = make_edition({
        "data/glossary.yml": GLOSSARY.replace("replaced_by: gadget-trust", "replaced_by: gadget-trusts"),
        "data/further_reading.yml": READING.replace("replaced_by: Cog note", "replaced_by: Sprocket note")})
    assert problems_of(root) == [
        "data/glossary.yml:5: error: 'replaced_by' names 'gadget-trusts', but no entry in this file has that id\n"
        "  hint: give the id of another entry in data/glossary.yml, or remove 'replaced_by'",
        "data/further_reading.yml:11: error: 'replaced_by' names itself\n"
        "  hint: give the title of another entry in data/further_reading.yml, or remove 'replaced_by'"]


# --- reviewed dates and descriptions -------------------------------------------------------

def test_every_national_page_has_a_reviewed_date_it_shows(national_site):
    sources = sorted((REPO / "content").glob("*.md"))
    assert len(sources) >= 13
    for source in sources:
        front = yaml.safe_load(source.read_text(encoding="utf-8").split("---\n")[1])
        reviewed = front.get("reviewed")
        assert reviewed is not None, source.name
        page = (national_site / f"{source.stem}.html").read_text(encoding="utf-8")
        shown = f"{reviewed.day} {reviewed:%B %Y}"
        assert (f'<p class="reviewed">Last reviewed: <time datetime="{reviewed.isoformat()}">{shown}</time></p>'
                in page), source.name


def test_every_page_has_a_meta_description(national_site):
    pages = pages_of(national_site)
    descriptions = {}
    for path, page in pages.items():
        found = re.findall(r'<meta name="description" content="([^"]*)">', page)
        assert len(found) == 1 and found[0].strip(), path
        descriptions[path] = html.unescape(found[0])
    for path, name in [("search.html", "search_description"), ("accessibility.html", "accessibility_description"),
                       ("glossary.html", "glossary_intro"), ("further-reading.html", "further_reading_intro"),
                       ("principles.html", "principles_intro"), ("case-studies/index.html", "case_studies_intro"),
                       ("actions.html", "actions_intro_all"), ("actions-vcs.html", "actions_intro_vcs"),
                       ("actions-commissioners.html", "actions_intro_commissioners"),
                       ("guide.html", "whole_guide_intro"), ("404.html", "not_found_text")]:
        expected = STRINGS[name].replace("{compact}", "the Compact").replace("{area}", "England")
        assert descriptions[path] == expected, path
    assert descriptions["what-has-changed.html"].startswith("The main changes to the law since")


def test_a_description_comes_from_the_editions_own_strings(make_edition):
    strings = (REPO / "themes/default/strings/en.yml").read_text(encoding="utf-8")
    root = make_edition({"themes/default/strings/en.yml": strings.replace(
        STRINGS["search_description"], "Find anything in the Testshire guide.")})
    assert '<meta name="description" content="Find anything in the Testshire guide.">' in built(root)["search.html"]


def test_the_new_settings_are_in_the_scaffold_and_the_readme(tmp_path):
    assert run_cli("new", str(tmp_path / "nb"), "--name", "Northbridge").returncode == 0
    text = (tmp_path / "nb/toolkit.yml").read_text(encoding="utf-8")
    assert "# notice:\n#   text: This guide describes the law as it stood in March 2014.\n" in text
    assert "`notice: false` shows none" in (REPO / "README.md").read_text(encoding="utf-8")
