"""The case studies index in a real browser: filter by theme, principle and area; all listed without JavaScript.

What each test expects comes from the case_studies/*.yml files, not from the page under test.
"""
from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
STUDIES = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
           for path in sorted((REPO / "case_studies").glob("*.yml"))}
SHOWN = "els => els.filter(el => el.checkVisibility()).map(el => el.querySelector('a').textContent.trim())"


def shown(page) -> list[str]:
    return sorted(page.eval_on_selector_all(".cards > li", SHOWN))


def titles(keep) -> list[str]:
    return sorted(study["title"] for study in STUDIES.values() if keep(study))


def test_filter_case_studies_by_theme_principle_and_area(page, site_url):
    page.goto(site_url + "case-studies/index.html")
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


def test_theme_filter_works_with_the_keyboard(page, site_url):
    page.goto(site_url + "case-studies/index.html")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "filter-theme":
            break
    page.keyboard.press("ArrowDown")                          # All themes -> the first theme
    first = sorted({theme for s in STUDIES.values() for theme in s["themes"]})[0]
    assert shown(page) == titles(lambda s: first in s["themes"])


def test_without_javascript_every_case_study_is_listed_and_no_filter(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + "case-studies/index.html")
        assert shown(page) == titles(lambda s: True)
        assert not page.get_by_label("Theme").is_visible()
    finally:
        context.close()
