"""An edition in the area's own voice (issue 16): its area and Compact on the site without a
copied page, pages in folders, links to Markdown files, mentions of hidden pages, and
figures with their units. Each builds a small edition from a dict of files."""
from __future__ import annotations

import re

import pytest

from support import REPO
from toolkit.commands.build import build
from toolkit.model.problems import BuildFailed

SETTINGS = """
    name: Testshire social value toolkit
    area: Testshire
    compact_name: The Testshire Compact
    publisher: Testshire CVS
    accessibility:
      contact_email: compact@testshire.example
      last_tested: 2026-11-01
"""


def page(title: str, order: int, body: str) -> str:
    return f"---\ntitle: {title}\norder: {order}\n---\n\n{body}"


def built(root) -> dict[str, str]:
    out = build(root, use_cache=False).out
    return {path.relative_to(out).as_posix(): path.read_text(encoding="utf-8")
            for path in out.rglob("*") if path.suffix in (".html", ".js")}


def messages(excinfo) -> list[str]:
    return [problem.format() for problem in excinfo.value.problems]


# --- the area and its Compact -----------------------------------------------------------------

def test_an_editions_home_page_shows_its_area_and_compact_without_a_copied_page(make_edition):
    root = make_edition({"toolkit.yml": SETTINGS}, base=None)
    assert not (root / "content").exists()
    site = built(root)
    home = site["index.html"]
    assert '<p class="hero__edition">For Testshire, under the Testshire Compact</p>' in home
    assert "<h1>Testshire social value toolkit</h1>" in home            # not the national heading
    assert "<h1>Social value and the Compact</h1>" not in home
    assert "This toolkit explains what that duty means" in home          # the national introduction
    for path in ("index.html", "consultation.html", "case-studies/knowsley.html"):
        assert "Published by Testshire CVS. For Testshire, under the Testshire Compact.</p>" in site[path], path
    assert ("<p class=\"lead\">This accessibility statement applies to Testshire social value toolkit, the guide "
            "for Testshire, under the Testshire Compact.</p>") in site["accessibility.html"]
    assert "<title>Principles of the Testshire Compact &ndash; Testshire social value toolkit</title>" \
        in site["principles.html"]
    assert "as adopted in Testshire." in site["principles.html"]
    assert '<p class="guide-edition">For Testshire, under the Testshire Compact</p>' in site["guide.html"]
    assert "For Testshire, under the Testshire Compact" in "".join(
        text for path, text in site.items() if path.startswith("search"))         # and found by the search


def test_home_introduction_and_about_come_from_toolkit_yml(make_edition):
    root = make_edition({"toolkit.yml": SETTINGS + """
    home:
      title: Social value and the Testshire Compact
      introduction: >
        How Testshire's councils and voluntary groups work together. Start with
        [consultation](consultation.md#policy-development).
      about: |
        Made by the Testshire Compact partnership.

        Tell us what you think at [our page](about-the-compact.html).
    """}, base=None)
    site = built(root)
    home = site["index.html"]
    assert "<h1>Social value and the Testshire Compact</h1>" in home
    assert ('How Testshire’s councils and voluntary groups work together. Start with\n<a '
            'href="consultation.html#policy-development">consultation</a>.') in home \
        or 'href="consultation.html#policy-development">consultation</a>' in home
    assert "This toolkit explains what that duty means" not in home       # the national introduction
    assert '<h2 id="about-edition">About this edition</h2>' in home
    assert "Made by the Testshire" in home and 'href="about-the-compact.html">our page</a>' in home
    assert "Made by the Testshire" in "".join(text for path, text in site.items() if path.startswith("search"))


def test_a_broken_link_in_the_home_introduction_is_reported_at_its_line_in_toolkit_yml(make_edition):
    root = make_edition({"toolkit.yml": SETTINGS + """
    home:
      introduction: >
        Start with
        [consultation](consultaton.md).
    """}, base=None)
    with pytest.raises(BuildFailed) as excinfo:
        build(root, write=False)
    assert messages(excinfo) == [
        "toolkit.yml:12:20: error: the link 'consultaton.md' leads to content/consultaton.md, which does not exist"
        "\n  hint: did you mean consultation.md?"]


# --- pages in folders, and links to Markdown files ------------------------------------------------

FOLDERS = {
    "content/guides/index.md": page("Local guides", 150, "The local guides: [grants](grants.md).\n"),
    "content/guides/grants.md": page("Grants and the Compact", 151, (
        "## How to apply\n\n"
        "See [consultation](../consultation.md#policy-development), [all local guides](index.md),\n"
        "the [page as published](guides/index.html) and [the top](#how-to-apply).\n")),
    "content/local.md": page("Local page", 160, "Read [the grants guide](guides/grants.md#how-to-apply).\n"),
}


def test_a_page_in_a_folder_is_built_in_that_folder_and_listed_under_it(make_edition):
    site = built(make_edition({"toolkit.yml": SETTINGS, **FOLDERS}, base=None))
    grants = site["guides/grants.html"]
    assert "<h1>Grants and the Compact</h1>" in grants
    assert 'href="../assets/site.css"' in grants                     # links from one folder down
    assert '<li><a href="../guides/index.html">Local guides</a></li>' in grants    # breadcrumbs through its folder
    # Links to Markdown files lead to their pages, from wherever the page is.
    assert '<a href="../consultation.html#policy-development">consultation</a>' in grants
    assert '<a href="../guides/index.html">all local guides</a>' in grants
    assert '<a href="../guides/index.html">page as published</a>' in grants
    assert '<a href="guides/grants.html#how-to-apply">the grants guide</a>' in site["local.html"]
    assert '<a href="guides/grants.html">grants</a>' not in site["guides/index.html"]
    assert '<a href="../guides/grants.html">grants</a>' in site["guides/index.html"]
    # The home page and the side navigation group the folder's pages under its title.
    home = site["index.html"]
    group = re.search(r'<li class="section-group"><h3 class="section-group__title">Local guides</h3>\s*'
                      r'<ol class="section-list section-list--group">(.*?)</ol>', home, re.S)
    assert group and re.findall(r'href="([^"]+)"', group.group(1)) == ["guides/index.html", "guides/grants.html"]
    assert home.index('href="guides/grants.html"') < home.index('href="local.html"')       # in the guide's order
    nav = re.search(r'<li class="section-nav__group"><span class="section-nav__group-title">Local guides</span>'
                    r'\s*<ol>(.*?)</ol>', grants, re.S)
    assert nav and 'href="../guides/grants.html" aria-current="page"' in nav.group(1)
    # The one-page guide holds it, its links made local.
    assert '<a href="#section-guides/grants">grants</a>' in site["guide.html"]


def test_links_to_markdown_files_that_are_not_there_are_reported(make_edition):
    files = {"toolkit.yml": SETTINGS, **FOLDERS, "content/guides/grants.md": page("Grants", 151, (
        "See [consultation](../consultaton.md), [a guide](grant.md) and\n[outside](../../README.md).\n\n"
        "## How to apply\n"))}
    with pytest.raises(BuildFailed) as excinfo:
        build(make_edition(files, base=None), write=False)
    assert messages(excinfo) == [
        "content/guides/grants.md:6:20: error: the link '../consultaton.md' leads to content/consultaton.md, which "
        "does not exist\n  hint: did you mean ../consultation.md?",
        "content/guides/grants.md:6:50: error: the link 'grant.md' leads to content/guides/grant.md, which does "
        "not exist\n  hint: did you mean grants.md?",
        "content/guides/grants.md:7:11: error: the link '../../README.md' leads out of content/\n"
        "  hint: link to a page's file from the folder of this one, e.g. consultation.md"]


def test_a_page_in_a_folder_can_be_hidden_and_sections_can_name_it(make_edition):
    study = (REPO / "case_studies/knowsley.yml").read_text(encoding="utf-8").replace(
        "sections: [", "sections: [guides/grants, ")
    site = built(make_edition({"toolkit.yml": SETTINGS, **FOLDERS, "case_studies/knowsley.yml": study}, base=None))
    assert 'href="../guides/grants.html">Grants and the Compact</a>' in site["case-studies/knowsley.html"]


# --- mentions of hidden pages -------------------------------------------------------------------

def test_every_mention_of_a_hidden_page_is_a_warning_and_plain_text(make_edition):
    root = make_edition({"toolkit.yml": SETTINGS + """
    hide:
      - case_studies/sutton.yml
      - content/local-extra.md
    """, "content/local.md": page("Local page", 160, (
        "See [the extra page](local-extra.md) and\n"
        "the address local-extra.html, which is gone.\n")),
        "content/local-extra.md": page("Extra", 161, "Extra.\n")}, base=None)
    result = build(root, use_cache=False)
    shown = sorted(warning.format() for warning in result.warnings)
    sutton = {name: _line(f"content/{name}.md", "case-studies/sutton.html")
              for name in ("about-the-compact", "joint-social-value-strategy")}
    hint = ("reword it so it does not send readers to that page, or stop hiding the page (hide: in toolkit.yml)")
    assert shown == sorted([
        *(f"(national) content/{name}.md:{line}:{column}: warning: the link 'case-studies/sutton.html' leads to a "
          "page this edition hides, so it is shown as plain text\n  hint: this file is the national toolkit's: copy "
          f"content/{name}.md into your edition and reword it there, or stop hiding the page (hide: in toolkit.yml)"
          for name, (line, column) in sutton.items()),
        "content/local.md:6:22: warning: the link 'local-extra.md' leads to a page this edition hides "
        f"(local-extra.html), so it is shown as plain text\n  hint: {hint}",
        f"content/local.md:7:13: warning: names local-extra.html, a page this edition hides\n  hint: {hint}"])
    html = (result.out / "local.html").read_text(encoding="utf-8")
    assert "See the extra page and" in html and "local-extra.html" in html and 'href="local-extra' not in html
    joint = (result.out / "joint-social-value-strategy.html").read_text(encoding="utf-8")
    assert "Sutton case study" in joint and "case-studies/sutton.html" not in joint


def _line(rel: str, text: str) -> tuple[int, int]:
    lines = (REPO / rel).read_text(encoding="utf-8").splitlines()
    return next((number, line.index(text) + 1) for number, line in enumerate(lines, 1) if text in line)


# --- figures and their units ---------------------------------------------------------------------

def test_a_local_principle_declares_its_figure_with_a_unit(make_edition):
    root = make_edition({"toolkit.yml": SETTINGS + """
    principles:
      "2.4":
        params:
          consultation_weeks: 1
      L1:
        title: Share what we learn
        summary: >
          A note of what was learned, within [[param:L1.report_weeks]], and
          consultations of [[param:2.4.consultation_weeks]].
        params:
          report_weeks:
            value: 6
            unit: weeks
            unit_one: week
    """}, base=None)
    principles = built(root)["principles.html"]
    assert ('within <span class="param">6 weeks</span>, and consultations of <span class="param">1 week</span>.'
            in principles)
    assert "consultation weeks: 1 week here; 12 weeks in the national Compact" in principles


@pytest.mark.parametrize("declaration, message", [
    ("report_weeks:\n            value: six\n            type: number\n            unit: weeks",
     "toolkit.yml:14:7: error: 'report_weeks' of principle L1 is a number of weeks, not 'six'\n"
     "  hint: write it in figures, e.g. report_weeks: 12 (the site adds the unit: \"12 weeks\")"),
    ("report_weeks:\n            value: 6\n            type: amount",
     "toolkit.yml:16:9: error: 'type' is 'amount', which is not allowed\n"
     "  hint: allowed values: number, text"),
])
def test_a_wrong_declaration_of_a_figure_is_an_error(make_edition, declaration, message):
    root = make_edition({"toolkit.yml": SETTINGS + f"""
    principles:
      L1:
        title: Share what we learn
        summary: Within [[param:L1.report_weeks]].
        params:
          {declaration}
    """}, base=None)
    with pytest.raises(BuildFailed) as excinfo:
        build(root, write=False)
    assert messages(excinfo) == [message]


def test_a_declared_figure_takes_only_its_value_in_an_edition(make_edition):
    root = make_edition({"toolkit.yml": SETTINGS + """
    principles:
      "2.4":
        params:
          consultation_weeks:
            value: 8
            unit: days
    """}, base=None)
    with pytest.raises(BuildFailed) as excinfo:
        build(root, write=False)
    assert messages(excinfo) == [
        "toolkit.yml:12:7: error: 'consultation_weeks' of principle 2.4 already has its type and unit\n"
        "  hint: give the value alone, e.g. consultation_weeks: 12"]
