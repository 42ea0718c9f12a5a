"""Case studies worth reading: related sections that mean something (issue 17)."""
from __future__ import annotations

import re

import pytest

from conftest import MINIMAL_EDITION
from toolkit.commands.build import build
from toolkit.model.problems import BuildFailed

HIDE_NATIONAL = """
        hide:
          - case_studies/bristol.yml
          - case_studies/knowsley.yml
          - case_studies/sutton.yml
"""


def _page(order: int, title: str, themes: str, body: str = "Text.") -> str:
    return f"---\ntitle: {title}\norder: {order}\nthemes: [{themes}]\n---\n{body}\n"


def _study(title: str, themes: str, sections: str, principles: str = "") -> str:
    return (f"title: {title}\narea: Testshire\nsummary: A study.\nthemes: [{themes}]\n"
            f"principles: [{principles}]\nsections: [{sections}]\n"
            "who: Someone.\nwhat_they_did: Something.\nwhat_it_led_to: A result.\n")


def _related_studies(html: str) -> list[str]:
    aside = re.search(r'<aside class="related" aria-labelledby="related-heading">(.*?)</aside>', html, re.S)
    return re.findall(r'class="card__title"><a [^>]*>([^<]+)</a>', aside.group(1)) if aside else []


def _study_sections(html: str) -> list[str]:
    block = re.search(r"<h3>Read more in the guide</h3>\s*<ul>(.*?)</ul>", html, re.S)
    return re.findall(r"<a [^>]*>([^<]+)</a>", block.group(1)) if block else []


def test_a_case_study_lists_its_sections_and_the_two_closest_and_a_section_only_those(make_edition):
    edition = make_edition({
        "toolkit.yml": MINIMAL_EDITION["toolkit.yml"] + HIDE_NATIONAL,
        "content/plots.md": _page(200, "Plots", "allotments"),
        "content/sheds.md": _page(201, "Sheds", "allotments, growing"),
        "content/seeds.md": _page(202, "Seeds", "allotments, growing"),
        "content/water.md": _page(203, "Water", "allotments, growing, water"),
        "content/compost.md": _page(204, "Compost", "compost"),
        "case_studies/greenfield.yml": _study("Greenfield growers", "allotments, growing", "compost"),
        "case_studies/ashby.yml": _study("Ashby plots", "bees", "plots"),
    })
    site = build(edition, use_cache=False).out
    read = lambda path: (site / path).read_text(encoding="utf-8")     # noqa: E731
    # Declared first, then the two closest (two shared themes each; a tie goes to the guide's
    # order), not Plots (one shared theme): not every section that shares something.
    assert _study_sections(read("case-studies/greenfield.html")) == ["Compost", "Sheds", "Seeds"]
    assert _study_sections(read("case-studies/ashby.html")) == ["Plots"]
    assert _related_studies(read("compost.html")) == ["Greenfield growers"]
    assert _related_studies(read("sheds.html")) == ["Greenfield growers"]
    assert _related_studies(read("seeds.html")) == ["Greenfield growers"]
    assert _related_studies(read("water.html")) == []          # shares two themes, but comes third
    assert _related_studies(read("plots.html")) == ["Ashby plots"]
    assert _related_studies(read("consultation.html")) == []   # a national section sharing nothing


def test_a_shared_principle_counts_as_two_shared_themes(make_edition):
    edition = make_edition({
        "toolkit.yml": MINIMAL_EDITION["toolkit.yml"] + HIDE_NATIONAL,
        "content/plots.md": _page(200, "Plots", "allotments, growing"),
        "content/sheds.md": _page(201, "Sheds", "allotments", "See [[principle:3.17]]."),
        "content/seeds.md": _page(202, "Seeds", "allotments, growing, bees"),
        "case_studies/greenfield.yml": _study("Greenfield growers", "allotments, growing, bees", "", '"3.17"'),
    })
    site = build(edition, use_cache=False).out
    read = lambda path: (site / path).read_text(encoding="utf-8")     # noqa: E731
    assert _study_sections(read("case-studies/greenfield.html")) == ["Sheds", "Seeds"]
    assert _related_studies(read("plots.html")) == []


def test_one_list_of_outcomes_under_what_it_led_to(make_edition):
    study = _study("Greenfield growers", "allotments", "") + "outcomes:\n  - Ten new plots\n  - A waiting list halved\n"
    site = build(make_edition({"case_studies/greenfield.yml": study}), use_cache=False).out
    html = (site / "case-studies/greenfield.html").read_text(encoding="utf-8")
    assert re.findall(r"<h2 [^>]*>([^<]+)</h2>", html)[:3] == ["Who was involved and the setting", "What they did", "What it led to"]
    assert ('<h2 id="what-it-led-to">What it led to</h2>\n    <p>A result.</p>\n\n'
            '    <ul class="outcomes"><li>Ten new plots</li><li>A waiting list halved</li></ul>\n  </div>') in html
    assert ">Outcomes<" not in html
    guide = (site / "guide.html").read_text(encoding="utf-8")
    assert ">Outcomes<" not in guide and '<ul class="outcomes"><li>Ten new plots</li>' in guide


def test_an_editions_own_case_studies_are_marked_local_and_listed_first(make_edition):
    site = build(make_edition({"case_studies/zed.yml": _study("Zed Valley growers", "allotments", "")
                               .replace("area: Testshire", "area: Zed Valley")}), use_cache=False).out
    index = (site / "case-studies/index.html").read_text(encoding="utf-8")
    assert re.findall(r'class="card__title"><a [^>]*>([^<]+)</a>', index) == [
        "Zed Valley growers",
        "Bristol: commissioning community transport around outcomes",
        "Knowsley: building a social value strategy in partnership",
        "Sutton: bringing commissioners into the local Compact group"]
    assert re.findall(r'<p class="card__meta">(.*?)</p>', index) == [
        '<strong class="local-mark">Local case study</strong> Zed Valley', "Bristol", "Knowsley", "Sutton"]
    assert '<p class="local-mark">Local case study</p>' in (site / "case-studies/zed.html").read_text(encoding="utf-8")
    assert "local-mark" not in (site / "case-studies/bristol.html").read_text(encoding="utf-8")


def _filters(html: str) -> list[str]:
    return re.findall(r'<label for="(filter-[a-z]+)">', html)


def test_tags_link_to_the_index_filtered_by_that_theme(make_edition):
    site = build(make_edition({"case_studies/zed.yml": _study("Zed Valley growers", "allotments, older-people", "")}),
                 use_cache=False).out
    study = (site / "case-studies/zed.html").read_text(encoding="utf-8")
    assert ('<dd class="tags"><a class="tag" href="../case-studies/index.html?theme=allotments">Allotments</a>'
            '<span class="visually-hidden">, </span> '
            '<a class="tag" href="../case-studies/index.html?theme=older-people">Older people</a> </dd>') in study
    assert '<a class="tag" href="case-studies/index.html?theme=allotments">Allotments</a>' in \
        (site / "index.html").read_text(encoding="utf-8")


def test_the_index_has_filters_only_for_more_than_six_case_studies(make_edition):
    few = build(make_edition({"case_studies/zed.yml": _study("Zed", "allotments", "")}), use_cache=False).out
    index = (few / "case-studies/index.html").read_text(encoding="utf-8")
    assert _filters(index) == ["filter-theme"]             # shown only when a tag's link chose a theme
    assert '<form class="filters panel" data-filter="case-studies" hidden data-only-when-chosen ' in index
    many = build(make_edition({f"case_studies/{name}.yml": _study(name.title(), "allotments", "").replace(
        "area: Testshire", f"area: {name.title()}") for name in ("ash", "bay", "cole", "dun")}), use_cache=False).out
    index = (many / "case-studies/index.html").read_text(encoding="utf-8")
    assert _filters(index) == ["filter-theme", "filter-principle", "filter-area"]
    assert '<form class="filters panel" data-filter="case-studies" hidden aria-labelledby=' in index


RICH = """
year: 2025
figures:
  - {value: "9", label: clubs consulted}
  - {value: "£20,000", label: saved in the first year}
quote:
  text: We knew what the clubs needed because we asked them.
  by: Commissioning manager, Testshire Council
differently: We would have *started* sooner.
contact: Commissioning team, commissioning@testshire.example
documents:
  - title: The meals contract specification
    url: https://testshire.example/meals.pdf
"""


def test_a_rich_case_study_shows_its_year_figures_quote_lessons_documents_and_contact(make_edition):
    site = build(make_edition({"case_studies/zed.yml": _study("Zed", "allotments", "") + RICH}), use_cache=False).out
    html = (site / "case-studies/zed.html").read_text(encoding="utf-8")
    assert "<div><dt>Year</dt><dd>2025</dd></div>" in html
    assert ('<div class="figures" role="group" aria-label="Key figures">\n'
            '<p class="figure"><strong class="figure__value">9</strong> <span class="figure__label">clubs consulted'
            '</span></p><p class="figure"><strong class="figure__value">£20,000</strong> '
            '<span class="figure__label">saved in the first year</span></p>') in html
    assert ('<figure class="quote"><blockquote><p>We knew what the clubs needed because we asked them.</p>'
            '</blockquote><figcaption>Commissioning manager, Testshire Council</figcaption></figure>') in html
    assert ('<h2 id="differently">What they would do differently</h2>\n    '
            '<p>We would have <em>started</em> sooner.</p>') in html
    assert ('<h2 id="documents">Documents</h2>\n    <ul><li><a href="https://testshire.example/meals.pdf">'
            'The meals contract specification</a></li></ul>') in html
    assert ('<h2 id="contact">Contact</h2>\n    <p>Commissioning team, commissioning@testshire.example</p>') in html
    guide = (site / "guide.html").read_text(encoding="utf-8")     # the one-page guide and its PDF too
    assert ('<h4>Key figures</h4><ul><li><strong>9</strong> clubs consulted</li>'
            '<li><strong>£20,000</strong> saved in the first year</li></ul>') in guide
    assert '<figcaption>Commissioning manager, Testshire Council</figcaption>' in guide
    assert '<h4>What they would do differently</h4><p>We would have <em>started</em> sooner.</p>' in guide
    assert '<li><a href="https://testshire.example/meals.pdf">The meals contract specification</a></li>' in guide
    assert '<h4>Contact</h4><p>Commissioning team, commissioning@testshire.example</p>' in guide


def test_a_figure_without_its_label_is_a_clear_error(make_edition):
    edition = make_edition({"case_studies/zed.yml": _study("Zed", "allotments", "") + "figures:\n  - {value: \"9\"}\n"})
    with pytest.raises(BuildFailed) as failed:
        build(edition, use_cache=False)
    assert [(p.path, p.line, p.column, p.message, p.hint) for p in failed.value.problems] == [
        ("case_studies/zed.yml", 11, 5, "'label' is missing", "add 'label:' (What it counts)")]
