"""The action plan in a real browser (issue 17): each action's status, owner, due date and
notes kept per edition; the plan downloaded as a CSV file and read back; shared as a link;
filtered by audience with the count, the progress and the printout agreeing; cleared only
after asking, and undone; used with the keyboard alone; read without JavaScript; and the
page not shifting as the script fills it in (CLS, at 390 and 1280 px).

The site is served under a sub-path with `Content-Security-Policy: default-src 'self'`
(conftest.py). What each test expects comes from data/actions.yml and the theme's
strings, not from the page under test.
"""
from __future__ import annotations

import csv
import datetime
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from toolkit.commands.build import build
from toolkit.formats.schema import STAGES

REPO = Path(__file__).resolve().parents[2]
# The plan lists the actions stage by stage; within a stage, in the order of the file.
ACTIONS = sorted(yaml.safe_load((REPO / "data" / "actions.yml").read_text(encoding="utf-8")),
                 key=lambda a: STAGES.index(a["stage"]))
STRINGS = yaml.safe_load((REPO / "themes" / "default" / "strings" / "en.yml").read_text(encoding="utf-8"))
STATUS_WORDS = {"": "Not started", "in-progress": "In progress", "done": "Done"}
STORE_KEY = "compact-toolkit:social-value-and-the-compact:plan"

# Three actions from three stages and both audiences, with what a Compact group might write.
PLAN = {
    "commissioners-agree-a-definition": {
        "status": "done", "owner": "Priya Shah (council)", "due": "2026-03-31",
        "notes": 'Agreed at the March meeting, "subject to" the board; see minutes, item 4'},
    "vcs-collect-good-information": {
        "status": "in-progress", "owner": "Zoë Okafor, Northfold CVS", "due": "",
        "notes": "Two surveys so far.\nA third in the autumn."},
    "commissioners-review-regularly": {
        "status": "in-progress", "owner": '=HYPERLINK("https://evil.example","Click")', "due": "2026-11-30",
        "notes": "+ ask finance for last year's figures"},
}


def ids(audience: str | None = None) -> list[str]:
    return [a["id"] for a in ACTIONS if audience is None or a["audience"] == audience]


def title(action_id: str) -> str:
    return next(a["title"] for a in ACTIONS if a["id"] == action_id)


def fill(page, action_id: str, status: str = "", owner: str = "", due: str = "", notes: str = "") -> None:
    name = title(action_id)
    page.get_by_label(f"Status: {name}").select_option(status)
    if owner or due or notes:
        if not page.locator(f"#action-{action_id} details").evaluate("d => d.open"):
            page.locator(f"#action-{action_id} summary").click()
        page.get_by_label(f"Owner: {name}").fill(owner)
        page.get_by_label(f"Due date: {name}").fill(due)
        page.get_by_label(f"Notes: {name}").fill(notes)


def fill_plan(page, plan: dict = PLAN) -> None:
    for action_id, entry in plan.items():
        fill(page, action_id, **entry)


def shown_plan(page) -> dict:
    """Action id -> what its fields show, for every action whose fields are not empty."""
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('li.action'))
        .map(li => [li.dataset.action, Object.fromEntries(Array.from(li.querySelectorAll('[data-plan-field]'))
            .map(f => [f.dataset.planField, f.value]))])
        .filter(([, entry]) => Object.values(entry).some(Boolean)))""")


def listed(page) -> list[str]:
    return page.eval_on_selector_all("li.action", "items => items.map(li => li.dataset.action)")


def progress(page) -> str:
    return page.locator("[data-plan-progress]").inner_text()


def stage_progress(page) -> dict[str, str]:
    return dict(page.eval_on_selector_all(
        "[data-stage-progress]", "ps => ps.map(p => [p.closest('[data-stage]').dataset.stage, p.textContent])"))


def printed_rows(page) -> list[list[str]]:
    return page.eval_on_selector_all("table.plan-table tbody tr",
                                     "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")


def expected_progress(plan: dict, audience: str | None = None) -> str:
    chosen = [plan.get(i, {}).get("status", "") for i in ids(audience)]
    return f"{chosen.count('done')} of {len(chosen)} done, {chosen.count('in-progress')} in progress"


def long_date(iso: str) -> str:
    if not iso:
        return ""
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def new_page(browser, **options):
    """A page in a fresh browser profile whose console errors are collected (page.console_errors)."""
    context = browser.new_context(**options)
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    tab.on("dialog", lambda d: tab.console_errors.append(f"a {d.type} dialog: {d.message}"))
    return tab


def test_status_owner_due_date_and_notes_of_three_actions_survive_a_reload(page, site_url):
    page.goto(site_url + "actions.html")
    assert progress(page) == "0 of 15 done, 0 in progress"
    fill_plan(page)
    assert progress(page) == expected_progress(PLAN) == "1 of 15 done, 2 in progress"

    page.reload()
    assert shown_plan(page) == PLAN
    assert progress(page) == "1 of 15 done, 2 in progress"
    assert stage_progress(page) == {"planning": "1 of 8 done", "consultation": "0 of 1 done",
                                    "procurement": "0 of 2 done", "contract": "0 of 2 done", "review": "0 of 2 done"}
    assert page.locator("#action-commissioners-agree-a-definition").get_attribute("data-status") == "done"

    page.goto(site_url + "actions-vcs.html")                     # the same edition's page for one audience
    assert shown_plan(page) == {"vcs-collect-good-information": PLAN["vcs-collect-good-information"]}
    assert page.console_errors == []


def _edition(make_edition, name: str) -> Path:
    area = name.split()[0]
    root = make_edition({"toolkit.yml": f"""
        name: {name}
        area: {area}
        publisher: {area} CVS
        accessibility:
          contact_email: compact@{area.lower()}.example
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


def test_each_edition_keeps_its_own_plan(page, two_editions):
    north, south = two_editions
    page.goto(north + "actions.html")
    fill_plan(page)
    page.goto(south + "actions.html")                            # same origin, another edition
    assert shown_plan(page) == {}
    fill(page, "vcs-train-commissioners", "done")
    page.goto(north + "actions.html")
    assert shown_plan(page) == PLAN
    page.goto(south + "actions.html")
    assert shown_plan(page) == {"vcs-train-commissioners": {"status": "done", "owner": "", "due": "", "notes": ""}}
    assert page.console_errors == []


def test_the_ticks_of_the_old_checklist_become_done(page, site_url):
    page.goto(site_url + "actions.html")
    page.evaluate("""() => { localStorage.setItem('compact-toolkit:social-value-and-the-compact:done-actions',
                                                  JSON.stringify(['vcs-train-commissioners'])); }""")
    page.reload()
    assert shown_plan(page) == {"vcs-train-commissioners": {"status": "done", "owner": "", "due": "", "notes": ""}}
    assert progress(page) == "1 of 15 done, 0 in progress"


def download(page, tmp_path: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("button", name="Download (CSV)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_the_plan_downloads_as_a_csv_file_for_excel_and_imports_again(page, browser, site_url, tmp_path):
    page.goto(site_url + "actions.html")
    fill_plan(page)
    path = download(page, tmp_path)
    assert path.name == f"social-value-and-the-compact-action-plan-{datetime.date.today().isoformat()}.csv"

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")                       # UTF-8 with a BOM, as Excel needs
    text = data[3:].decode("utf-8")
    records = text.split("\r\n")
    assert records[-1] == "" and len(records) == 1 + 15 + 1       # CRLF after every record
    quoted = re.compile(r'"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*', re.S)
    assert all(quoted.fullmatch(record) for record in records[:-1]), "every field is quoted"

    def cell(value: str) -> str:                                  # what a spreadsheet must not run as a formula
        return "'" + value if value[:1] in ("=", "+", "-", "@") else value

    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["Action ID", "Action", "Who it is for", "Stage", "Status", "Owner", "Due date", "Notes"]
    assert rows[1:] == [
        [a["id"], a["title"], STRINGS["audience_" + a["audience"]], STRINGS["stage_" + a["stage"]],
         STATUS_WORDS[PLAN.get(a["id"], {}).get("status", "")], cell(PLAN.get(a["id"], {}).get("owner", "")),
         PLAN.get(a["id"], {}).get("due", ""), cell(PLAN.get(a["id"], {}).get("notes", ""))]
        for a in ACTIONS]
    assert rows[1 + ids().index("commissioners-review-regularly")][5] == \
        '\'=HYPERLINK("https://evil.example","Click")'
    assert page.console_errors == []

    # Someone else, in another browser, imports the file: the same plan, formulas and all as typed.
    other = new_page(browser)
    other.goto(site_url + "actions.html")
    with other.expect_file_chooser() as chooser:
        other.get_by_role("button", name="Import a CSV file").click()
    chooser.value.set_files(str(path))
    expect(other.locator("[data-notice-text]")).to_have_text(f"Imported the plan in {path.name}: 15 actions.")
    assert shown_plan(other) == PLAN
    assert progress(other) == "1 of 15 done, 2 in progress"
    other.get_by_role("button", name="Undo").click()               # an import can be undone
    assert shown_plan(other) == {}
    other.reload()
    assert shown_plan(other) == {}
    assert other.console_errors == []
    other.context.close()


def test_a_csv_file_saved_again_by_a_spreadsheet_imports_and_a_wrong_one_says_why(page, site_url):
    page.goto(site_url + "actions-vcs.html")
    # As Excel in another language may save it: semicolons, no BOM, LF, dates day first, columns moved,
    # an action of the other audience (not on this page) and a row the spreadsheet left empty.
    resaved = ("Status;Action ID;Notes;Owner;Due date\n"
               "In progress;vcs-train-commissioners;Dates agreed;'@Sam;1/4/2026\n"
               "done;vcs-collect-good-information;;;\n"
               "Done;commissioners-review-regularly;;;\n"
               ";;;;\n")
    page.locator("[data-plan-file]").set_input_files(
        {"name": "plan (2).csv", "mimeType": "text/csv", "buffer": resaved.encode("utf-8")})
    expect(page.locator("[data-notice-text]")).to_have_text(    # files are read while the page goes on
        "Imported the plan in plan (2).csv: 2 actions. 1 rows were left out: they are not actions on this page.")
    assert shown_plan(page) == {
        "vcs-train-commissioners": {"status": "in-progress", "owner": "@Sam", "due": "2026-04-01", "notes": "Dates agreed"},
        "vcs-collect-good-information": {"status": "done", "owner": "", "due": "", "notes": ""}}

    for body, reason in [
        ("Action ID,Status\nvcs-train-commissioners,Finished\n",
         "on row 2, the status 'Finished' is not one of: Not started, In progress, Done"),
        ("Action ID,Due date\nvcs-train-commissioners,31/02/2026\n",
         "on row 2, the due date '31/02/2026' is not a date such as 2026-03-31"),
        ("Title,Owner\nSomething,Me\n",
         "it has no 'Action ID' column, so it is not a plan downloaded from this page"),
        ("Action ID,Owner\nsomething-else,Me\n", "none of its rows is an action on this page"),
    ]:
        page.locator("[data-plan-file]").set_input_files(
            {"name": "wrong.csv", "mimeType": "text/csv", "buffer": body.encode("utf-8")})
        expect(page.locator("[data-notice-text]")).to_have_text(f"wrong.csv was not imported: {reason}.")
    assert shown_plan(page)["vcs-train-commissioners"]["owner"] == "@Sam"     # nothing changed by a wrong file
    assert page.console_errors == []


def test_a_link_carries_the_plan_to_another_browser_which_may_keep_it(page, browser, site_url):
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url)))
    page.goto(site_url + "actions.html")
    fill_plan(page)
    page.get_by_role("button", name="Copy a link to the plan").click()
    link = page.get_by_label("Link to the plan").input_value()
    assert link.startswith(site_url + "actions.html#plan=")
    assert page.evaluate("document.activeElement.id") == "plan-link"     # selected, ready to copy

    other = new_page(browser)
    other.on("request", lambda r: requests.append((r.method, r.url)))
    other.goto(link)
    assert other.get_by_role("heading", name="A plan shared with you").is_visible()
    assert not other.get_by_role("button", name="Clear the plan").is_visible()   # the banner stands in for the tools
    assert shown_plan(other) == PLAN
    assert progress(other) == "1 of 15 done, 2 in progress"
    assert other.get_by_label(f"Status: {title('vcs-collect-good-information')}").is_disabled()
    assert other.evaluate(f"localStorage.getItem('{STORE_KEY}')") is None        # seen, not kept

    other.get_by_role("button", name="Back to my own plan").click()
    assert shown_plan(other) == {} and "#" not in other.url
    other.goto(link)
    other.get_by_role("button", name="Keep this plan in this browser").click()
    assert other.locator("[data-notice-text]").inner_text() == "The shared plan is now your plan in this browser."
    assert "#" not in other.url
    other.reload()
    assert shown_plan(other) == PLAN
    assert not other.get_by_label(f"Status: {title('vcs-collect-good-information')}").is_disabled()

    # Nothing left either browser but requests for the site's own pages and files.
    assert {method for method, _ in requests} == {"GET"}
    assert all(url.startswith(site_url) and "plan=" not in url for _, url in requests), requests

    other.goto(site_url + "actions.html#plan=not-a-plan")              # a link cut short
    assert other.locator("[data-plan-shared-text]").inner_text() == STRINGS["plan_shared_unreadable"]
    assert not other.get_by_role("button", name="Keep this plan in this browser").is_visible()
    assert shown_plan(other) == PLAN                                   # your own plan, untouched
    assert page.console_errors == [] and other.console_errors == []
    other.context.close()


def test_one_audience_the_count_the_progress_and_the_printout_agree(page, site_url, tmp_path):
    page.goto(site_url + "actions.html")
    fill_plan(page)
    page.get_by_role("link", name="Voluntary and community organisations (7)").click()
    page.wait_for_url(site_url + "actions-vcs.html")
    chosen = page.locator(".plan-filter a[aria-current='page']")
    assert chosen.count() == 1 and chosen.inner_text() == "Voluntary and community organisations (7)"
    assert listed(page) == ids("vcs") and len(ids("vcs")) == 7
    assert progress(page) == expected_progress(PLAN, "vcs") == "0 of 7 done, 1 in progress"
    stages = stage_progress(page)
    assert stages == {"planning": "0 of 5 done", "contract": "0 of 2 done"}
    assert sum(int(text.split(" of ")[1].split()[0]) for text in stages.values()) == 7

    page.emulate_media(media="print")
    assert page.locator("table.plan-table").is_visible()
    for chrome in (".plan-stages", ".plan-tools", ".plan-filter", ".site-nav", ".breadcrumbs", ".site-footer"):
        assert not page.locator(chrome).is_visible(), chrome
    assert page.locator("[data-plan-progress]").is_visible()
    expected_rows = [[title(i), STRINGS["stage_" + a["stage"]], STATUS_WORDS[PLAN.get(i, {}).get("status", "")],
                      PLAN.get(i, {}).get("owner", ""), long_date(PLAN.get(i, {}).get("due", "")),
                      PLAN.get(i, {}).get("notes", "")]
                     for a in ACTIONS if (i := a["id"]) in ids("vcs")]
    assert printed_rows(page) == expected_rows
    headings = page.eval_on_selector_all("table.plan-table thead th", "ths => ths.map(th => th.innerText)")
    assert headings == ["Action", "Stage", "Status", "Owner", "Due date", "Notes"]

    pdf = tmp_path / "plan.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())      # in reading order, cell by cell
    today = datetime.date.today()
    assert "Social value and the Compact" in text
    assert f"Printed on {today.day} {today:%B %Y}" in text
    assert "0 of 7 done, 1 in progress" in text
    assert "Zoë Okafor, Northfold CVS" in text and "Two surveys so far. A third in the autumn." in text
    for action_id in ids("vcs"):
        assert title(action_id) in text
    for action_id in ids("commissioners"):
        assert title(action_id) not in text
    for chrome in ("Skip to main content", "Show the actions for", "Clear the plan", "Print the plan",
                   "Accessibility statement"):
        assert chrome not in text
    assert page.console_errors == []


def test_the_whole_plan_prints_from_the_first_page_with_its_headings_on_every_page(page, site_url, tmp_path):
    page.goto(site_url + "actions.html")
    fill_plan(page)
    page.emulate_media(media="print")
    pdf = tmp_path / "plan.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = [" ".join(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                                     text=True, check=True).stdout.split()) for n in (1, 2)]
    assert title(ids()[0]) in pages[0]                                 # a table too long for a page still starts here
    assert title(ids()[-1]) in pages[1]
    assert all(text.startswith("Action Stage Status Owner") for text in pages[1:])   # the header row again
    assert "Review and decommissioning" in pages[1]                    # no word broken in a narrow column


def test_clearing_asks_first_in_the_page_and_can_be_undone(page, site_url):
    page.goto(site_url + "actions.html")
    buttons = page.locator(".plan-tools__bar button").all_inner_texts()
    assert buttons[0] == "Print the plan" and buttons[-1] == "Clear the plan"    # clearing is never the first
    fill_plan(page)

    page.get_by_role("button", name="Clear the plan").click()
    notice = page.locator("[data-plan-notice]")
    assert notice.get_by_role("paragraph").first.inner_text() == \
        "Clear the status, owner, due date and notes of all 15 actions on this page?"
    assert page.evaluate("document.activeElement.matches('[data-plan-notice]')")
    assert shown_plan(page) == PLAN                                   # nothing yet
    page.get_by_role("button", name="Cancel").click()
    assert not notice.is_visible() and shown_plan(page) == PLAN
    assert page.evaluate("document.activeElement.matches('[data-plan-clear]')")

    page.get_by_role("button", name="Clear the plan").click()
    page.get_by_role("button", name="Yes, clear the plan").click()
    assert shown_plan(page) == {}
    assert progress(page) == "0 of 15 done, 0 in progress"
    assert notice.locator("[data-notice-text]").inner_text() == "The plan is cleared."
    page.reload()
    assert shown_plan(page) == {}                                     # cleared for good, until undone...

    page.goto(site_url + "actions-commissioners.html")                # ...and a clear here clears only these
    fill(page, "commissioners-review-regularly", "done")
    page.goto(site_url + "actions.html")
    fill(page, "vcs-train-commissioners", "in-progress")
    page.goto(site_url + "actions-commissioners.html")
    page.get_by_role("button", name="Clear the plan").click()
    assert page.locator("[data-notice-text]").inner_text() == \
        "Clear the status, owner, due date and notes of all 8 actions on this page?"
    page.get_by_role("button", name="Yes, clear the plan").click()
    page.get_by_role("button", name="Undo").click()
    assert page.locator("[data-notice-text]").inner_text() == "The plan is back as it was."
    assert shown_plan(page) == {"commissioners-review-regularly": {"status": "done", "owner": "", "due": "", "notes": ""}}
    page.get_by_role("button", name="Clear the plan").click()
    page.get_by_role("button", name="Yes, clear the plan").click()
    page.goto(site_url + "actions.html")
    assert shown_plan(page) == {"vcs-train-commissioners": {"status": "in-progress", "owner": "", "due": "", "notes": ""}}
    assert page.console_errors == []                                  # and no window.confirm (a dialog fails)


def test_undo_brings_back_a_cleared_plan_for_good(page, site_url):
    page.goto(site_url + "actions.html")
    fill_plan(page)
    page.get_by_role("button", name="Clear the plan").click()
    page.get_by_role("button", name="Yes, clear the plan").click()
    page.get_by_role("button", name="Undo").click()
    assert shown_plan(page) == PLAN
    page.reload()
    assert shown_plan(page) == PLAN
    assert page.console_errors == []


def _tab_to(page, selector: str, limit: int = 120, key: str = "Tab") -> None:
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{key} never reached {selector}")


def test_the_plan_works_with_the_keyboard_alone(browser, site_url):
    page = new_page(browser)
    page.goto(site_url + "actions.html")
    first = ids()[0]
    _tab_to(page, f"#status-{first}")
    page.keyboard.press("ArrowDown")                                   # Not started -> In progress
    assert progress(page) == "0 of 15 done, 1 in progress"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")                                       # opens owner, due date and notes
    page.keyboard.press("Tab")
    page.keyboard.type("Sam Lee")
    page.keyboard.press("Tab")
    page.keyboard.type("03032026")                                     # 3 March, typed day or month first
    _tab_to(page, f"#notes-{first}", limit=3)                          # past the date picker's button
    page.keyboard.type("Ask at the next meeting")
    mine = {first: {"status": "in-progress", "owner": "Sam Lee", "due": "2026-03-03", "notes": "Ask at the next meeting"}}
    assert shown_plan(page) == mine

    _tab_to(page, "[data-plan-clear]", key="Shift+Tab")
    page.keyboard.press("Enter")                                       # asks, and takes focus to the question
    assert page.evaluate("document.activeElement.matches('[data-plan-notice]')")
    page.keyboard.press("Escape")                                      # no
    assert page.evaluate("document.activeElement.matches('[data-plan-clear]')") and shown_plan(page) == mine
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Yes, clear the plan"
    page.keyboard.press("Enter")
    assert shown_plan(page) == {}
    assert page.evaluate("document.activeElement.matches('[data-plan-notice]')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Undo"
    page.keyboard.press("Enter")
    assert shown_plan(page) == mine

    _tab_to(page, "[data-plan-share]", key="Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "plan-link"
    assert "#plan=" in page.evaluate("document.activeElement.value")
    assert page.console_errors == []
    page.context.close()


def test_without_javascript_every_action_is_listed_by_stage_and_no_control_needs_it(browser, site_url):
    page = new_page(browser, java_script_enabled=False)
    for path, audience in (("actions.html", None), ("actions-commissioners.html", "commissioners"),
                           ("actions-vcs.html", "vcs")):
        page.goto(site_url + path)
        stages = [s for s in STAGES if any(a["stage"] == s for a in ACTIONS if a["id"] in ids(audience))]
        headings = page.eval_on_selector_all(".plan-stage h2", "hs => hs.map(h => h.textContent.trim())")
        assert headings == [f"{n}Stage {n}: {STRINGS['stage_' + s]}" for n, s in enumerate(stages, 1)]
        assert listed(page) == ids(audience)
        assert all(page.locator(f"#action-{i} .action__title").is_visible() for i in ids(audience))
        for control in ("select", ".plan-tools", "[data-plan-progress]", "[data-stage-progress]", "details"):
            assert not page.locator(control).first.is_visible(), control
        assert page.locator(".plan-filter").is_visible()
    page.get_by_role("link", name="Commissioners (8)").click()         # the filter is a link: it needs no script
    page.wait_for_url(site_url + "actions-commissioners.html")
    assert listed(page) == ids("commissioners")
    page.emulate_media(media="print")                                 # a blank plan to fill in by hand
    assert [row[2:] for row in printed_rows(page)] == [["", "", "", ""]] * 8
    page.context.close()


LAYOUT_SHIFT = """() => new Promise(resolve => {
  const shifts = [];
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) shifts.push(e); })
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve({total: shifts.reduce((sum, e) => sum + e.value, 0),
    moved: shifts.flatMap(e => e.sources.map(s => s.node ? (s.node.className || s.node.nodeName) : '?'))}), 300);
})"""


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
def test_the_actions_pages_do_not_shift_as_the_plan_fills_in(browser, site_url, width, height):
    """CLS (the sum of every layout shift not caused by the reader) under 0.05: with no plan,
    with a plan kept in the browser, and with a plan opened from a link."""
    page = new_page(browser, viewport={"width": width, "height": height})
    page.goto(site_url + "actions.html")
    fill_plan(page)
    page.get_by_role("button", name="Copy a link to the plan").click()
    link = page.get_by_label("Link to the plan").input_value()
    page.context.close()

    for state in ("no plan", "a kept plan", "a shared link"):
        page = new_page(browser, viewport={"width": width, "height": height})
        if state == "a kept plan":
            page.goto(site_url + "actions.html")
            page.evaluate(f"plan => localStorage.setItem('{STORE_KEY}', JSON.stringify(plan))", PLAN)
        for path in ("actions.html", "actions-commissioners.html", "actions-vcs.html"):
            page.goto(link if state == "a shared link" and path == "actions.html" else site_url + path,
                      wait_until="load")
            page.wait_for_timeout(400)
            found = page.evaluate(LAYOUT_SHIFT)
            assert found["total"] < 0.05, f"{path} at {width}px with {state}: CLS {found['total']:.3f}, {found['moved']}"
        assert page.console_errors == []
        page.context.close()


def test_the_plan_works_opened_from_disk(browser, national_site, tmp_path):
    page = new_page(browser)
    address = (national_site / "actions.html").as_uri()
    page.goto(address)
    fill(page, "vcs-train-commissioners", "done", owner="Ali")
    page.reload()
    assert shown_plan(page) == {"vcs-train-commissioners": {"status": "done", "owner": "Ali", "due": "", "notes": ""}}
    rows = list(csv.reader(io.StringIO(download(page, tmp_path).read_bytes().decode("utf-8-sig"), newline="")))
    assert ["vcs-train-commissioners", "Done", "Ali"] == [rows[1 + ids().index("vcs-train-commissioners")][i]
                                                          for i in (0, 4, 5)]
    page.get_by_role("button", name="Copy a link to the plan").click()
    link = page.get_by_label("Link to the plan").input_value()
    assert link.startswith(address + "#plan=")
    other = new_page(browser)
    other.goto(link)
    assert shown_plan(other)["vcs-train-commissioners"]["owner"] == "Ali"
    assert page.console_errors == [] and other.console_errors == []
    page.context.close()
    other.context.close()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_the_plan_in_each_of_its_states_meets_wcag_22_aa(browser, site_url):
    """The accessibility gate checks each page as it loads; here, the states a reader brings about."""
    context = browser.new_context()
    context.add_init_script(script=Axe().axe_script)
    page = context.new_page()

    def violations() -> list[str]:
        results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        return [f"{v['id']}: {n['html'][:120]}" for v in results["violations"] for n in v["nodes"]]

    page.goto(site_url + "actions.html")
    fill_plan(page)                                                    # details open, statuses coloured
    assert violations() == []
    page.get_by_role("button", name="Copy a link to the plan").click()
    link = page.get_by_label("Link to the plan").input_value()
    assert violations() == []
    page.get_by_role("button", name="Clear the plan").click()
    assert violations() == []
    page.get_by_role("button", name="Yes, clear the plan").click()
    assert violations() == []
    page.goto(link)
    assert violations() == []
    context.close()
