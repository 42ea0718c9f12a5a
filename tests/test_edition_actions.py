"""An edition's own suggested actions (issue 17): a few lines under `actions:` in toolkit.yml
add an action, hide or reorder national ones, without copying data/actions.yml; and every
mistake there is named with its file, line and a fix.

Each test builds a small edition in tmp_path and reads what was written, as a reader would.
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from support import REPO
from toolkit.model.problems import BuildFailed
from toolkit.commands.build import build
from toolkit.formats.schema import STAGES

NATIONAL = yaml.safe_load((REPO / "data" / "actions.yml").read_text(encoding="utf-8"))
NATIONAL_FILE = "(national) data/actions.yml"
SETTINGS = """\
name: Testshire toolkit
accessibility:
  contact_email: compact@testshire.example
  last_tested: 2026-11-01
"""
MEET_THE_BUYER = """\
    - id: testshire-meet-the-buyer
      audience: vcs
      stage: procurement
      title: Come to the council's meet-the-buyer day
      detail: >
        Each spring the council sets out what it means to buy that year.
        Come along, ask questions and meet the officers who write the tenders.
      sections: [consultation]
"""


def listed(site: Path, page: str = "actions.html") -> list[str]:
    return re.findall(r'<li class="action" id="action-([^"]+)"', (site / page).read_text(encoding="utf-8"))


def in_plan_order(actions) -> list[str]:
    return [a["id"] for a in sorted(actions, key=lambda a: STAGES.index(a["stage"]))]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    return [number for number, line in enumerate(text.splitlines(), 1) if needle in line][nth - 1]


def failures(make_edition, toolkit_yml: str) -> list[str]:
    with pytest.raises(BuildFailed) as excinfo:
        build(make_edition({"toolkit.yml": toolkit_yml}, base=None), write=False)
    return [problem.format() for problem in excinfo.value.problems]


def test_an_edition_adds_one_action_and_hides_one_with_a_few_lines_of_yaml(make_edition):
    edition = make_edition({"toolkit.yml": SETTINGS + "actions:\n  add:\n" + MEET_THE_BUYER +
                            "  hide: [commissioners-review-regularly]\n"}, base=None)
    site = build(edition, use_cache=False).out

    national = [a for a in NATIONAL if a["id"] != "commissioners-review-regularly"]
    added = {"id": "testshire-meet-the-buyer", "audience": "vcs", "stage": "procurement"}
    assert listed(site) == in_plan_order(national + [added])      # last of its stage, procurement
    assert listed(site, "actions-vcs.html") == in_plan_order([a for a in national + [added] if a["audience"] == "vcs"])
    assert "testshire-meet-the-buyer" not in listed(site, "actions-commissioners.html")

    page = (site / "actions.html").read_text(encoding="utf-8")
    assert "<h3 class=\"action__title\">Come to the council&#39;s meet-the-buyer day</h3>" in page
    assert "<p>Each spring the council sets out what it means to buy that year. Come along" in page
    assert '<a href="consultation.html">Consultation: when and who</a>' in page
    assert "Everyone <span class=\"plan-filter__count\">(15)</span>" in page
    assert "Commissioners <span class=\"plan-filter__count\">(7)</span>" in page
    for path in ("actions.html", "actions-commissioners.html", "guide.html", "search-index.js"):
        text = (site / path).read_text(encoding="utf-8")
        assert "commissioners-review-regularly" not in text and "Review your social value strategy" not in text, path
    assert "Come to the council" in (site / "guide.html").read_text(encoding="utf-8")
    assert "Come to the council" in (site / "search-index.js").read_text(encoding="utf-8")


def test_order_puts_actions_first_in_their_stage_and_the_nearest_edition_has_the_last_word(make_edition):
    county = make_edition({"toolkit.yml": SETTINGS + "actions:\n  add:\n" + MEET_THE_BUYER +
                           "  order: [testshire-meet-the-buyer]\n  hide: [vcs-train-commissioners]\n"}, base=None)
    district = make_edition({"toolkit.yml": SETTINGS.replace("Testshire", "Lowbridge") + f"extends: {county}\n" +
                             "actions:\n  order: [vcs-extend-to-all-procurement, commissioners-agree-a-definition]\n"},
                            base=None)
    site = build(district, use_cache=False).out
    planning = [a["id"] for a in NATIONAL if a["stage"] == "planning" and a["id"] != "vcs-train-commissioners"]
    first = ["vcs-extend-to-all-procurement", "commissioners-agree-a-definition"]
    procurement = [a["id"] for a in NATIONAL if a["stage"] == "procurement"]
    assert listed(site) == (first + [i for i in planning if i not in first]
                            + [a["id"] for a in NATIONAL if a["stage"] == "consultation"]
                            + ["testshire-meet-the-buyer"] + procurement
                            + [a["id"] for a in NATIONAL if a["stage"] == "contract"]
                            + [a["id"] for a in NATIONAL if a["stage"] == "review"])


def test_an_unknown_id_under_hide_or_order_is_named_with_a_did_you_mean(make_edition):
    toolkit_yml = SETTINGS + textwrap.dedent("""\
        actions:
          hide:
            - commissioners-review-regulary
            - vcs-train-commissioners
          order:
            - vcs-train-commissioners
            - nothing-like-any-action
        """)
    assert failures(make_edition, toolkit_yml) == [
        f"toolkit.yml:{line_of(toolkit_yml, 'regulary')}:7: error: 'hide' under 'actions:' names the action "
        "'commissioners-review-regulary', but there is no such action\n"
        "  hint: did you mean 'commissioners-review-regularly'?",
        f"toolkit.yml:{line_of(toolkit_yml, '    - vcs-train', 2)}:7: error: 'order' under 'actions:' names the action "
        f"'vcs-train-commissioners', which is hidden (line {line_of(toolkit_yml, '    - vcs-train')})\n"
        "  hint: take it out of one of the two lists",
        f"toolkit.yml:{line_of(toolkit_yml, 'nothing-like')}:7: error: 'order' under 'actions:' names the action "
        "'nothing-like-any-action', but there is no such action\n"
        "  hint: use the id of an action in data/actions.yml, or of one added under 'add:'",
    ]


def test_an_added_action_is_checked_like_one_in_data_actions_yml(make_edition):
    toolkit_yml = SETTINGS + textwrap.dedent("""\
        actions:
          add:
            - id: vcs-train-commissioners
              audience: vcs
              stage: planning
              title: Train them our way
              detail: Our own training.
              sections: [consultation]
            - id: testshire-bad
              audience: vsc
              stage: planning
              title: A mistyped audience
              detail: Text.
              sections: [consultation]
            - id: testshire-no-page
              audience: vcs
              stage: review
              title: Names a page that is not there
              detail: Text.
              sections: [consultaton]
          hidden: [vcs-train-commissioners]
        """)
    national_line = line_of((REPO / "data" / "actions.yml").read_text(encoding="utf-8"), "id: vcs-train-commissioners")
    assert failures(make_edition, toolkit_yml) == [
        f"toolkit.yml:{line_of(toolkit_yml, 'hidden:')}:3: error: unknown setting 'hidden'\n"
        "  hint: did you mean 'hide'?",
        f"toolkit.yml:{line_of(toolkit_yml, 'audience: vsc')}:7: error: 'audience' is 'vsc', which is not allowed\n"
        "  hint: did you mean 'vcs'? allowed values: commissioners, vcs",
    ]
    toolkit_yml = toolkit_yml.replace("vsc", "vcs").replace("  hidden: [vcs-train-commissioners]\n", "")
    assert failures(make_edition, toolkit_yml) == [
        f"toolkit.yml:{line_of(toolkit_yml, '- id: vcs-train-commissioners')}:7: error: the action "
        f"'vcs-train-commissioners' is already in the list ({NATIONAL_FILE}, line {national_line})\n"
        "  hint: give your action an id of its own; to replace that action, list its id under 'hide:' "
        "and add yours with a new id",
    ]
    toolkit_yml = toolkit_yml.replace("- id: vcs-train-commissioners", "- id: testshire-train-commissioners")
    assert failures(make_edition, toolkit_yml) == [
        f"toolkit.yml:{line_of(toolkit_yml, 'sections: [consultaton]')}:18: error: names the section 'consultaton', "
        "but there is no page content/consultaton.md\n"
        "  hint: did you mean 'consultation'?",
    ]


def test_a_page_for_an_audience_with_no_actions_says_so_and_links_to_all_of_them(make_edition):
    vcs = [a["id"] for a in NATIONAL if a["audience"] == "vcs"]
    edition = make_edition({"toolkit.yml": SETTINGS + "actions:\n  hide: [" + ", ".join(vcs) + "]\n"}, base=None)
    site = build(edition, use_cache=False).out
    page = (site / "actions-vcs.html").read_text(encoding="utf-8")
    assert listed(site, "actions-vcs.html") == []
    assert ('<div class="plan-empty">\n  <p>This edition has no suggested actions here.</p>\n'
            '  <p><a href="actions.html">See all the suggested actions</a></p>\n</div>') in page
    assert "data-plan" not in page                                   # no tools for an empty plan
    assert "Voluntary and community organisations <span class=\"plan-filter__count\">(0)</span>" in page
    assert len(listed(site)) == 8
