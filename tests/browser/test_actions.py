"""Suggested actions in a real browser: filters, ticks kept per edition, keyboard, no JavaScript, print.

What each test expects comes from data/actions.yml, not from the page under test.
"""
from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest
import yaml

from toolkit.commands.build import build

REPO = Path(__file__).resolve().parents[2]
ACTIONS = yaml.safe_load((REPO / "data" / "actions.yml").read_text(encoding="utf-8"))
SHOWN = "els => els.filter(el => el.checkVisibility()).map(el => el.dataset.action)"


def shown_actions(page) -> list[str]:
    return page.eval_on_selector_all("li.action", SHOWN)


def ids(audience=None, stage=None) -> list[str]:
    return [a["id"] for a in ACTIONS
            if (audience is None or a["audience"] == audience) and (stage is None or a["stage"] == stage)]


def title(action_id: str) -> str:
    return next(a["title"] for a in ACTIONS if a["id"] == action_id)


def test_fifteen_actions_are_listed_with_audience_stage_principles_and_section(page, site_url):
    page.goto(site_url + "actions.html")
    assert shown_actions(page) == ids() and len(ids()) == 15
    first = page.locator(f"#action-{ACTIONS[0]['id']}")
    assert "Commissioners" in first.locator(".tag--audience").inner_text()
    assert first.locator(".tag--stage").inner_text() == "Stage: Consultation"
    assert first.get_by_role("link", name="Principle 2.3: Involve the sector early and remove barriers").count() == 1
    assert first.get_by_role("link", name="Consultation: when and who").get_attribute("href") == "consultation.html"


def test_filter_by_audience_and_stage_shows_exactly_the_matching_actions(page, site_url):
    page.goto(site_url + "actions.html")
    status = page.get_by_role("status").first
    assert status.inner_text() == "Showing 15 of 15"

    page.get_by_label("Who it is for").select_option("vcs")
    assert shown_actions(page) == ids("vcs")
    assert not page.locator("#group-commissioners").is_visible()        # an empty group hides its heading

    page.get_by_label("Stage", exact=True).select_option("planning")
    expected = ids("vcs", "planning")
    assert len(expected) >= 2 and shown_actions(page) == expected
    assert status.inner_text() == f"Showing {len(expected)} of 15"
    assert "audience=vcs" in page.url and "stage=planning" in page.url

    page.reload()                                                       # the choice is kept in the address
    assert page.get_by_label("Stage", exact=True).input_value() == "planning"
    assert shown_actions(page) == expected

    page.get_by_label("Who it is for").select_option("")
    assert shown_actions(page) == ids(stage="planning")
    page.get_by_label("Stage", exact=True).select_option("")
    assert shown_actions(page) == ids()
    assert page.console_errors == []


def test_audience_page_lists_its_own_actions_and_filters_by_stage(page, site_url):
    page.goto(site_url + "actions-commissioners.html")
    assert shown_actions(page) == ids("commissioners")
    assert page.get_by_label("Who it is for").count() == 0
    stages = page.locator("#filter-stage option").evaluate_all("os => os.map(o => o.value)")
    assert stages == [""] + sorted({a["stage"] for a in ACTIONS if a["audience"] == "commissioners"},
                                   key=["planning", "consultation", "procurement", "contract", "review"].index)
    page.get_by_label("Stage", exact=True).select_option("review")
    assert shown_actions(page) == ids("commissioners", "review")


def _edition(make_edition, name: str) -> Path:
    root = make_edition({"toolkit.yml": f"""
        name: {name}
        area: {name.split()[0]}
        publisher: {name.split()[0]} CVS
        accessibility:
          contact_email: compact@{name.split()[0].lower()}.example
          last_tested: 2026-11-01
    """})
    build(root, root / "_site", use_cache=False)
    return root / "_site"


@pytest.fixture
def two_editions(make_edition, serve_sites) -> tuple[str, str]:
    """Two areas' sites on one origin, as a council hosting both would have them."""
    base = serve_sites({"/areas/northfold": _edition(make_edition, "Northfold Compact toolkit"),
                        "/areas/southmere": _edition(make_edition, "Southmere Compact toolkit")})
    return base + "/areas/northfold/", base + "/areas/southmere/"


def ticked(page) -> list[str]:
    return page.eval_on_selector_all(".action__box", "bs => bs.filter(b => b.checked).map(b => b.dataset.action)")


def test_ticks_survive_a_reload_and_stay_with_their_own_edition(page, two_editions):
    north, south = two_editions
    first, second = ids("commissioners")[1], ids("vcs")[2]
    page.goto(north + "actions.html")
    page.get_by_role("checkbox", name=f"Done: {title(first)}").check()
    page.get_by_role("checkbox", name=f"Done: {title(second)}").check()
    assert page.locator("[data-progress-count]").inner_text() == "2 done, 13 to do"
    assert page.locator(f"#action-{first} .action__state").inner_text() == "(done)"

    page.reload()
    assert ticked(page) == [first, second]
    assert page.locator("[data-progress-count]").inner_text() == "2 done, 13 to do"
    page.goto(north + "actions-vcs.html")                               # the same edition's other list
    assert ticked(page) == [second]

    page.goto(south + "actions.html")                                   # same origin, another edition
    assert ticked(page) == []
    assert page.locator("[data-progress-count]").inner_text() == "0 done, 15 to do"
    page.get_by_role("checkbox", name=f"Done: {title(first)}").uncheck()  # stays unticked; nothing leaks back
    page.get_by_role("checkbox", name=f"Done: {title(ids('vcs')[0])}").check()

    page.goto(north + "actions.html")
    assert ticked(page) == [first, second]
    page.get_by_role("button", name="Clear my ticks").click()
    assert ticked(page) == []
    page.reload()
    assert ticked(page) == []
    page.goto(south + "actions.html")
    assert ticked(page) == [ids("vcs")[0]]
    assert page.console_errors == []


def _tab_to(page, selector: str, limit: int = 80, key: str = "Tab") -> None:
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_filters_and_checkboxes_work_with_the_keyboard_alone(page, site_url):
    page.goto(site_url + "actions.html")
    _tab_to(page, "#filter-audience")
    page.keyboard.press("ArrowDown")                                    # All -> Commissioners
    assert shown_actions(page) == ids("commissioners")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filter-stage"
    page.keyboard.press("ArrowDown")                                    # All stages -> Planning
    expected = ids("commissioners", "planning")
    assert shown_actions(page) == expected
    assert page.get_by_role("status").first.inner_text() == f"Showing {len(expected)} of 15"

    _tab_to(page, ".action__box")                                       # the first action shown
    assert page.evaluate("document.activeElement.dataset.action") == expected[0]
    page.keyboard.press("Space")
    box = page.get_by_role("checkbox", name=f"Done: {title(expected[0])}")
    assert box.is_checked()
    assert page.locator("[data-progress-count]").inner_text() == "1 done, 14 to do"
    _tab_to(page, ".action__box")                                       # actions filtered out are skipped
    assert page.evaluate("document.activeElement.dataset.action") == expected[1]
    page.keyboard.press("Space")
    assert ticked(page) == expected[:2]

    _tab_to(page, "[data-clear-ticks]", key="Shift+Tab")
    page.keyboard.press("Enter")
    assert ticked(page) == []
    assert page.locator("[data-progress-count]").inner_text() == "0 done, 15 to do"


def test_without_javascript_every_action_and_no_control_that_needs_it(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + "actions.html")
        assert shown_actions(page) == ids()
        assert not page.get_by_label("Who it is for").is_visible()
        assert not page.get_by_role("button", name="Clear my ticks").is_visible()
        for audience in ("commissioners", "vcs"):
            page.goto(site_url + f"actions-{audience}.html")
            assert shown_actions(page) == ids(audience)
    finally:
        context.close()


def test_printed_action_plan_has_the_area_date_and_ticks_and_no_navigation(page, site_url, tmp_path):
    page.goto(site_url + "actions.html")
    done = ids("vcs")[:2]
    for action_id in done:
        page.get_by_role("checkbox", name=f"Done: {title(action_id)}").check()
    page.emulate_media(media="print")
    assert page.locator(".print-header").is_visible()
    assert not page.locator(".site-nav").is_visible() and not page.locator(".breadcrumbs").is_visible()
    pdf = tmp_path / "plan.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    today = datetime.date.today()
    assert "Social value and the Compact" in text
    assert f"Printed on {today.day} {today:%B %Y}" in text
    assert "2 done, 13 to do" in text
    for action in ACTIONS:
        state = "(done)" if action["id"] in done else "(to do)"
        assert f"{' '.join(action['title'].split())} {state}" in text
    for chrome in ("Skip to main content", "Filter actions", "Clear my ticks", "Print this action plan",
                   "Show the actions for", "Accessibility statement"):
        assert chrome not in text
