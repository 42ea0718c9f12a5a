"""The default theme's pages, read from real builds: actions, case studies, the accessibility
statement, and the rules every page keeps (no inline code, everything readable without JavaScript)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from toolkit.commands.build import build
from toolkit.formats.schema import STAGES

REPO = Path(__file__).resolve().parent.parent
AREAS = sorted(path.parent for path in (REPO / "areas").glob("*/toolkit.yml"))


class Elements(HTMLParser):
    """Every element with its attributes, its text and the links inside it."""

    def __init__(self, html: str):
        super().__init__()
        self.all: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "links": [], "inside": list(self._open)}
        self.all.append(element)
        if tag == "a":
            for outer in self._open:
                outer["links"].append(element)
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def with_class(self, name: str) -> list[dict]:
        return [e for e in self.all if name in (e["attrs"].get("class") or "").split()]


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def text(element: dict) -> str:
    return " ".join(element["text"].split())


@pytest.fixture(scope="module")
def area_sites(tmp_path_factory) -> dict[str, Path]:
    sites = {}
    for folder in AREAS:
        sites[folder.name] = tmp_path_factory.mktemp(folder.name) / "_site"
        build(folder, sites[folder.name], use_cache=False)
    return sites


# The plan lists the actions stage by stage; within a stage, in the order of the file.
ACTIONS = sorted(yaml.safe_load((REPO / "data" / "actions.yml").read_text(encoding="utf-8")),
                 key=lambda a: STAGES.index(a["stage"]))
STRINGS = yaml.safe_load((REPO / "themes" / "default" / "strings" / "en.yml").read_text(encoding="utf-8"))


def test_every_action_is_listed_under_its_stage_with_audience_principles_and_sections(national_site):
    page = Elements(read(national_site, "actions.html"))
    items = [e for e in page.all if e["tag"] == "li" and "action" in (e["attrs"].get("class") or "").split()]
    assert [e["attrs"]["data-action"] for e in items] == [a["id"] for a in ACTIONS] and len(items) == 15
    titles = {p.stem: re.search(r"^title: (.+)$", p.read_text(encoding="utf-8"), re.M).group(1)
              for p in (REPO / "content").glob("*.md")}
    for item, action in zip(items, ACTIONS):
        assert item["attrs"]["data-audience"] == action["audience"]
        stage = next(e for e in item["inside"] if "plan-stage" in (e["attrs"].get("class") or "").split())
        assert stage["attrs"]["data-stage"] == action["stage"] in STAGES
        words = text(item)
        hrefs = [link["attrs"]["href"] for link in item["links"]]
        for pid in action.get("principles", []):
            assert f"principles.html#principle-{pid.replace('.', '-')}" in hrefs
        assert {f"{slug}.html" for slug in action["sections"]} <= set(hrefs)
        for slug in action["sections"]:
            assert titles[slug].strip('"') in words


def test_each_audience_page_lists_only_its_actions(national_site):
    for audience in ("commissioners", "vcs"):
        html = read(national_site, f"actions-{audience}.html")
        listed = re.findall(r'<li class="action" id="action-([^"]+)" data-audience="([^"]+)"', html)
        assert [i for i, _ in listed] == [a["id"] for a in ACTIONS if a["audience"] == audience]
        assert {a for _, a in listed} == {audience}
    assert len(re.findall(r'<li class="action"', read(national_site, "actions-commissioners.html"))) == 8
    assert len(re.findall(r'<li class="action"', read(national_site, "actions-vcs.html"))) == 7


def test_controls_that_need_javascript_are_hidden_without_it(national_site):
    """Without JavaScript the filters stay hidden and every action and study is listed. The action
    plan's controls are in the page from the start (so nothing moves when the script runs), each
    inside an element marked js-only, which the stylesheet hides when no script runs, or in one
    shown only when a button is pressed."""
    css = read(national_site, "assets/site.css")
    assert "@media (scripting: none) { .js-only { display: none !important; } }" in css
    for path in ("actions.html", "actions-commissioners.html", "actions-vcs.html"):
        page = Elements(read(national_site, path))
        controls = [e for e in page.all if e["tag"] in ("select", "input", "textarea", "button", "details")]
        assert len(controls) > 40, path
        for control in controls:
            assert any("js-only" in (e["attrs"].get("class") or "").split() or "hidden" in e["attrs"]
                       for e in control["inside"] + [control]), \
                (path, control["tag"], control["attrs"])
    assert re.search(r'<form class="filters panel" data-filter="case-studies" hidden',
                     read(national_site, "case-studies/index.html"))


def _related_on_guide_pages(site: Path) -> dict[str, set[str]]:
    """Case study page -> the guide pages that show it as related."""
    shown: dict[str, set[str]] = {}
    for page in site.glob("*.html"):
        for aside in Elements(read(site, page.name)).with_class("related"):
            for link in aside["links"]:
                shown.setdefault(link["attrs"]["href"], set()).add(page.name)
    return shown


def test_every_case_study_is_related_to_at_least_one_guide_page(national_site, area_sites):
    for site in [national_site, *area_sites.values()]:
        studies = {f"case-studies/{p.name}" for p in (site / "case-studies").glob("*.html") if p.name != "index.html"}
        shown = _related_on_guide_pages(site)
        assert studies and not studies - set(shown), f"{site}: never shown as related: {studies - set(shown)}"


def test_a_case_study_links_back_to_its_sections_principles_and_the_pages_that_show_it(national_site):
    shown = _related_on_guide_pages(national_site)
    for source in sorted((REPO / "case_studies").glob("*.yml")):
        study = yaml.safe_load(source.read_text(encoding="utf-8"))
        page = f"case-studies/{source.stem}.html"
        aside = Elements(read(national_site, page)).with_class("related")[0]
        hrefs = {link["attrs"]["href"] for link in aside["links"]}
        assert {f"../{slug}.html" for slug in study["sections"]} <= hrefs
        assert {f"../{name}" for name in shown[page]} <= hrefs
        for pid in study.get("principles", []):
            assert f"../principles.html#principle-{pid.replace('.', '-')}" in hrefs


def test_case_studies_index_shows_area_year_summary_and_themes(national_site, make_edition, tmp_path):
    root = make_edition({"case_studies/testshire-lunch-club.yml": """
        title: "Testshire: a lunch club run with its members"
        area: Testshire
        year: 2024
        summary: Members and the council planned the club's menu and its funding together.
        themes: [community, older-people]
        principles: ["2.3"]
        sections: [consultation]
        who: Members of the club and the council's adult services team.
        what_they_did: They met every month to plan the menu and the funding.
        what_it_led_to: More members came, and the club has a grant for three years.
    """})
    build(root, tmp_path / "site", use_cache=False)
    cards = Elements(read(tmp_path / "site", "case-studies/index.html")).with_class("card")
    card = next(c for c in cards if "Testshire" in text(c))
    assert "Testshire, 2024" in text(card)
    assert "Members and the council planned the club's menu and its funding together." in text(card)
    assert "Themes: Community, Older people" in text(card).replace(" ,", ",")
    assert card["attrs"]["data-themes"] == "community|older-people"
    bristol = next(c for c in cards if "Bristol" in text(c))
    assert "Bristol," not in text(bristol)                    # no year given, none shown


def test_no_page_has_inline_scripts_styles_or_handlers(national_site, area_sites):
    for site in [national_site, *area_sites.values()]:
        for page in site.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page
            assert not re.search(r"<style|\sstyle=|\son[a-z]+=|javascript:", html, re.I), page


def test_every_page_links_to_the_accessibility_statement(national_site):
    for page in national_site.rglob("*.html"):
        footer = Elements(page.read_text(encoding="utf-8")).with_class("site-footer")[0]
        assert any(link["attrs"]["href"].endswith("accessibility.html") for link in footer["links"]), page


MODEL_STATEMENT = ["How accessible this website is", "Feedback and contact information",
                   "Reporting accessibility problems with this website", "Enforcement procedure",
                   "Technical information about this website’s accessibility", "Compliance status",
                   "What we’re doing to improve accessibility", "Preparation of this accessibility statement"]


def test_accessibility_statement_has_each_editions_own_details_in_the_model_order(national_site, area_sites):
    for name, site in [("national", national_site), *area_sites.items()]:
        config = yaml.safe_load(((AREAS[[a.name for a in AREAS].index(name)] if name != "national" else REPO)
                                 / "toolkit.yml").read_text(encoding="utf-8"))
        a11y = config["accessibility"]
        page = Elements(read(site, "accessibility.html"))
        headings = [text(e) for e in page.all if e["tag"] in ("h2", "h3")]
        assert [h for h in headings if h in MODEL_STATEMENT] == MODEL_STATEMENT, name
        words = text(next(e for e in page.all if e["tag"] == "main"))
        assert f"mailto:{a11y['contact_email']}" in [l["attrs"]["href"] for l in page.all if l["tag"] == "a"]
        if a11y.get("contact_phone"):
            assert f"call {a11y['contact_phone']}" in words
        assert f"run by {config['publisher']}" in words
        tested = a11y["last_tested"]
        assert f"last tested on {tested.day} {tested:%B %Y}" in words
        status = {"full": "fully compliant", "partial": "partially compliant", "not": "not compliant"}
        assert status[a11y.get("status", "partial")] in words
        for issue in a11y.get("known_issues") or []:
            assert " ".join(issue.split()) in words
        assert ("Non-accessible content" in headings) == (a11y.get("status", "partial") != "full")


def test_glossary_page_has_an_anchor_and_a_definition_per_term(national_site):
    terms = yaml.safe_load((REPO / "data" / "glossary.yml").read_text(encoding="utf-8"))
    page = Elements(read(national_site, "glossary.html"))
    ids = {e["attrs"].get("id") for e in page.all}
    for term in terms:
        assert f"term-{term['id']}" in ids
    letters = page.with_class("letters")[0]
    for link in letters["links"]:                             # the letter index leads to real entries
        assert link["attrs"]["href"][1:] in ids
