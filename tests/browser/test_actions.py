"""Suggested actions in a real browser: every action listed under its stage, in the order of
commissioning, with its audience, principles and sections; one page per audience.
The action plan itself (status, owner, sharing, printing) is tested in test_action_plan.py.

What each test expects comes from data/actions.yml, not from the page under test.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from toolkit.formats.schema import STAGES

REPO = Path(__file__).resolve().parents[2]
ACTIONS = sorted(yaml.safe_load((REPO / "data" / "actions.yml").read_text(encoding="utf-8")),
                 key=lambda a: STAGES.index(a["stage"]))
STRINGS = yaml.safe_load((REPO / "themes" / "default" / "strings" / "en.yml").read_text(encoding="utf-8"))


def stages_shown(page) -> list[tuple[str, list[str]]]:
    """(stage, the actions listed under it) for each stage on the page, in order."""
    return page.eval_on_selector_all(".plan-stage", """stages => stages.map(s => [s.dataset.stage,
        Array.from(s.querySelectorAll('li.action')).filter(li => li.checkVisibility()).map(li => li.dataset.action)])""")


def expected(audience=None) -> list[list]:
    chosen = [a for a in ACTIONS if audience is None or a["audience"] == audience]
    return [[stage, [a["id"] for a in chosen if a["stage"] == stage]]
            for stage in STAGES if any(a["stage"] == stage for a in chosen)]


def test_fifteen_actions_are_listed_by_stage_with_audience_principles_and_sections(page, site_url):
    page.goto(site_url + "actions.html")
    assert stages_shown(page) == expected() and sum(len(ids) for _, ids in expected()) == 15
    for number, (stage, _) in enumerate(expected(), 1):                # the number shown, and said
        heading = page.get_by_role("heading", level=2, name=f"Stage {number}: {STRINGS['stage_' + stage]}", exact=True)
        assert heading.locator(".plan-stage__number").inner_text() == str(number)
    first = page.locator("#action-commissioners-agree-a-definition")
    assert first.locator(".tag--audience").text_content() == "Who it is for: Commissioners"
    assert first.get_by_role("link", name="Principle 2.1: Make social value a standard part of the work").count() == 1
    assert first.get_by_role("link", name="What is social value?").get_attribute("href") == "what-is-social-value.html"
    assert page.console_errors == []


def test_each_audience_page_lists_only_its_own_actions_by_stage(page, site_url):
    for audience in ("commissioners", "vcs"):
        page.goto(site_url + f"actions-{audience}.html")
        assert stages_shown(page) == expected(audience)
        assert page.locator(".tag--audience").count() == 0                 # the page says whose they are
        assert page.get_by_role("heading", level=1).inner_text() == STRINGS[f"actions_{audience}"]
    assert page.console_errors == []
