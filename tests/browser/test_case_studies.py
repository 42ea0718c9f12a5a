"""The case studies index in a real browser: filter by theme, principle and area when there
are more than six; a theme tag's link filters the index; all listed without JavaScript.

What each test expects comes from the case_studies/*.yml files (and the extra ones below),
not from the page under test.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from support import write_files
from toolkit.commands.build import build

REPO = Path(__file__).resolve().parents[2]
NATIONAL = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((REPO / "case_studies").glob("*.yml"))}
# An edition's own four, so that its index (seven case studies) has all three filters.
EXTRA = {name: {"title": f"{area}: a local study", "area": area, "summary": "A local study.",
                "themes": themes, "principles": [], "who": "Someone.", "what_they_did": "Something.",
                "what_it_led_to": "A result."}
         for name, area, themes in (("ash", "Ashby", ["allotments"]), ("bay", "Baywick", ["allotments", "outcomes"]),
                                    ("cole", "Coleford", ["lunch-clubs"]), ("dun", "Dunmore", ["transport"]))}
STUDIES = {**NATIONAL, **EXTRA}
SHOWN = "els => els.filter(el => el.checkVisibility()).map(el => el.querySelector('a').textContent.trim())"


def shown(page) -> list[str]:
    return sorted(page.eval_on_selector_all(".cards > li", SHOWN))


def titles(keep, studies=STUDIES) -> list[str]:
    return sorted(study["title"] for study in studies.values() if keep(study))


@pytest.fixture(scope="module")
def many_url(serve_sites, tmp_path_factory) -> str:
    """An edition with seven case studies, built and served."""
    edition = write_files(tmp_path_factory.mktemp("many"), {
        "toolkit.yml": "name: Many Compact toolkit\narea: Manyshire\npublisher: Manyshire CVS\n"
                       "accessibility:\n  contact_email: compact@manyshire.example\n  last_tested: 2026-11-01\n",
        **{f"case_studies/{name}.yml": yaml.safe_dump(study) for name, study in EXTRA.items()}})
    build(edition, edition / "_site", use_cache=False)
    return serve_sites({"/many": edition / "_site"}) + "/many/"


def test_filter_case_studies_by_theme_principle_and_area(page, many_url):
    page.goto(many_url + "case-studies/index.html")
    assert shown(page) == titles(lambda s: True) and len(STUDIES) >= 3
    status = page.get_by_role("status")
    assert status.inner_text() == f"Showing {len(STUDIES)} of {len(STUDIES)}"

    every_theme = sorted({theme for s in STUDIES.values() for theme in s["themes"]})
    options = page.locator("#filter-theme option").evaluate_all("os => os.map(o => o.value)")
    assert options == [""] + every_theme
    narrowing = [t for t in every_theme if 0 < len(titles(lambda s: t in s["themes"])) < len(STUDIES)]
    for theme in narrowing:
        page.get_by_label("Theme").select_option(theme)
        assert shown(page) == titles(lambda s: theme in s["themes"]), theme
    assert narrowing, "no theme narrows the list, so the filter is not tested"

    page.get_by_label("Theme").select_option("")
    page.get_by_label("Principle").select_option("3.6")
    expected = titles(lambda s: "3.6" in s.get("principles", []))
    assert 0 < len(expected) < len(STUDIES) and shown(page) == expected
    assert status.inner_text() == f"Showing {len(expected)} of {len(STUDIES)}"

    page.get_by_label("Principle").select_option("")
    page.get_by_label("Area").select_option("Sutton")
    assert shown(page) == titles(lambda s: s["area"] == "Sutton")
    assert "area=Sutton" in page.url
    assert page.console_errors == []


def test_theme_filter_works_with_the_keyboard(page, many_url):
    page.goto(many_url + "case-studies/index.html")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "filter-theme":
            break
    page.keyboard.press("ArrowDown")                          # All themes -> the first theme
    first = sorted({theme for s in STUDIES.values() for theme in s["themes"]})[0]
    assert shown(page) == titles(lambda s: first in s["themes"])


def test_a_few_case_studies_have_no_filters_until_a_theme_tag_is_followed(page, site_url):
    page.goto(site_url + "case-studies/index.html")
    assert shown(page) == titles(lambda s: True, NATIONAL) and len(NATIONAL) <= 6
    assert not page.get_by_label("Theme").is_visible()
    assert page.get_by_label("Principle").count() == 0 and page.get_by_label("Area").count() == 0
    page.goto(site_url + "case-studies/bristol.html")
    with page.expect_navigation():
        page.locator(".facts a.tag", has_text="Consultation").click()
    page.wait_for_load_state("load")                          # the index's script has filtered it
    assert page.url == site_url + "case-studies/index.html?theme=consultation"
    assert shown(page) == titles(lambda s: "consultation" in s["themes"], NATIONAL)
    assert 0 < len(shown(page)) < len(NATIONAL)
    assert page.get_by_label("Theme").input_value() == "consultation"
    page.get_by_label("Theme").select_option("")                # the way back to all of them
    assert shown(page) == titles(lambda s: True, NATIONAL) and page.get_by_label("Theme").is_visible()
    assert page.console_errors == []


def test_without_javascript_every_case_study_is_listed_and_no_filter(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + "case-studies/index.html?theme=consultation")   # as a tag's link leads
        assert shown(page) == titles(lambda s: True, NATIONAL)
        assert not page.get_by_label("Theme").is_visible()
    finally:
        context.close()
