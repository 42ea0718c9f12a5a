"""The benchmark's results as Markdown: bench/results.md (bench/README.md explains each figure).

    the machine and the run        CPU, cores, Python, load average, how long it took
    every figure                   one row per scenario, size and tool, with the toolkit's
                                   targets and its time divided by each other tool's
    cold builds side by side       one row per size: the toolkit, then each other tool as
                                   toolkit ÷ tool, with the time a page so growth shows;
                                   and issue 19's targets against those ratios
    the live preview               save-to-output times of `build.py serve`
"""
from __future__ import annotations

from bench.measure import git_revision, machine
from bench.scenarios import Row
from bench.serve_timing import ServeResult

COLD = "cold build (no cache, no output)"
EDITED = "one page's body edited (one word)"
# The toolkit's own targets on the 2-core machine: (scenario, size) -> (seconds, MiB or None, issue)
TARGETS = {
    (COLD, "national"): (0.6, None, 9),
    (COLD, "1000 pages"): (1.5, 150, 9),
    ("rebuild, nothing changed", "1000 pages"): (0.3, None, 9),
    (EDITED, "1000 pages"): (0.5, None, 19),
    ("build --all, cold", "100 editions + national"): (6.0, None, 9),
}
ORDER = (COLD, "rebuild, nothing changed", EDITED, "one page's title edited", "template edited (page.html)",
         "build --all, cold", "build --all, nothing changed")
SERVE_TARGET = ("1000 pages", EDITED, 0.050)
# Issue 19's targets for a cold build against another tool in the same run:
# (size, which tool, the most the toolkit's time may be as a multiple of the tool's, and peak memory below it)
PEER_TARGETS = (
    ("national", "MkDocs", 0.8, False),
    ("1000 pages", "Hugo", 1.5, False),
    ("5000 pages", "Hugo", 1.5, True),
)


def seconds_text(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def is_tool(label: str, name: str) -> bool:
    """Whether a row's tool is `name`: "MkDocs" is MkDocs with its own theme, not with Material."""
    return label.split()[0] == name and "Material" not in label and "--dirty" not in label


def _target(row: Row) -> str:
    target = TARGETS.get((row.scenario, row.size))
    if row.tool != "toolkit" or target is None or row.summary is None:
        return ""
    seconds, mib, issue = target
    met = row.summary.median < seconds and (mib is None or row.summary.peak_mib < mib)
    wanted = f"< {seconds_text(seconds)}" + (f", < {mib} MiB" if mib else "")
    return f"{wanted} (issue {issue}): {'met' if met else 'NOT met'}"


def _toolkit_row(row: Row, rows: list[Row]) -> Row | None:
    return next((r for r in rows if r.tool == "toolkit" and r.scenario == row.scenario and r.size == row.size
                 and r.summary), None)


def _ratio(row: Row, rows: list[Row]) -> str:
    if row.tool == "toolkit" or row.summary is None:
        return ""
    ours = _toolkit_row(row, rows)
    return f"{ours.summary.median / row.summary.median:.2f}" if ours else ""


def _size_key(size: str) -> tuple[int, int]:
    return (size != "national", int(size.split()[0]) if size[0].isdigit() else 0)


def _per_page(row: Row) -> str:
    if not row.size[0].isdigit() or not row.size.endswith(" pages"):
        return ""
    return f", {row.summary.median * 1000 / int(row.size.split()[0]):.2f} ms a page"


def header(runs: int, sizes: list[int], editions: int, seed: int, elapsed: float, load_start: str,
           repo) -> list[str]:
    facts = machine()
    load_end = facts["load"].split()[0]
    busy = max(float(load_start), float(load_end)) > int(facts["cores"])
    return ["# Benchmark results", "",
            "Made by `python bench/run.py` (bench/README.md says what each figure means).", "",
            f"- Machine: {facts['CPU']}, {facts['cores']} cores, {facts['memory']} memory, {facts['system']}",
            f"- Python {facts['Python']}; toolkit at {git_revision(repo)}; {facts['date']}",
            f"- Corpus: seed {seed}, {', '.join(map(str, sizes))} guide pages of 6-8 KB "
            f"(the national pages hidden), one case study per 20 pages, one action per 5; "
            f"{editions} branded editions for build --all; \"national\" is the national edition, and its "
            "content as a project for each other tool",
            f"- Each figure: median of {runs} whole-process run{'s' if runs > 1 else ''} (min-max), after one untimed warm-up run "
            "(one timed run where the warm-up took over 30 s); peak memory is the largest resident set of "
            "any one process, the highest over the runs",
            f"- The whole benchmark took {elapsed / 60:.1f} minutes; load average (1 min) "
            f"{load_start} at the start, {load_end} at the end"
            + (f" (above {facts['cores']}: other work was competing for the cores)" if busy else ""), ""]


def figures(rows: list[Row]) -> list[str]:
    lines = ["| scenario | size | tool | median | min-max | peak memory | HTML files | target | toolkit ÷ tool |",
             "|---|---|---|---|---|---|---|---|---|"]
    order = {name: index for index, name in enumerate(dict.fromkeys([*ORDER, *(row.scenario for row in rows)]))}
    for row in sorted(rows, key=lambda r: (order[r.scenario], _size_key(r.size), r.tool != "toolkit")):
        tool = row.tool + (f" ({row.note})" if row.note else "")
        if row.summary is None:
            lines.append(f"| {row.scenario} | {row.size} | {tool} | {row.failure or 'failed'} | | | | | |")
            continue
        s = row.summary
        spread = "1 run" if s.runs == 1 else f"{seconds_text(s.low)}-{seconds_text(s.high)}"
        lines.append(f"| {row.scenario} | {row.size} | {tool} | **{seconds_text(s.median)}** | {spread} "
                     f"| {s.peak_mib:.0f} MiB | {row.html_files} | {_target(row)} | {_ratio(row, rows)} |")
    return lines


def side_by_side(rows: list[Row]) -> list[str]:
    """Cold builds: a row per size, the toolkit's time and each other tool's as toolkit ÷ tool."""
    cold = [row for row in rows if row.scenario == COLD]
    tools = list(dict.fromkeys(row.tool for row in cold if row.tool != "toolkit"))
    if not tools:
        return []
    lines = ["", "## Cold builds side by side", "",
             "Each cell: the toolkit's time divided by the tool's (below 1, the toolkit is faster), then the "
             "tool's own time and time a page. Compare the time a page at 1000 and 5000 pages to see how "
             "each tool grows.", "",
             "| size | toolkit | " + " | ".join(tools) + " |", "|---|---|" + "---|" * len(tools)]
    for size in sorted(dict.fromkeys(row.size for row in cold), key=_size_key):
        toolkit = next((r for r in cold if r.tool == "toolkit" and r.size == size), None)
        ours = toolkit if toolkit and toolkit.summary else None
        cells = [f"{seconds_text(ours.summary.median)}{_per_page(ours)}" if ours else
                 toolkit.failure or "failed" if toolkit else "not measured"]
        for tool in tools:
            row = next((r for r in cold if r.tool == tool and r.size == size), None)
            if row is None:
                cells.append("")
            elif row.summary is None:
                cells.append(row.failure or "failed")
            else:
                ratio = f"**{ours.summary.median / row.summary.median:.2f}** (" if ours else "("
                cells.append(f"{ratio}{seconds_text(row.summary.median)}{_per_page(row)})")
        lines.append(f"| {size} | " + " | ".join(cells) + " |")
    lines += ["", "Issue 19's targets, in this run:", ""]
    for size, name, most, memory in PEER_TARGETS:
        lines.append(f"- {size}, cold: toolkit at most {most} × {name}"
                     + (" and peak memory below it" if memory else "") + ": " + _judge(cold, size, name, most, memory))
    return lines


def _judge(cold: list[Row], size: str, name: str, most: float, memory: bool) -> str:
    ours = next((r for r in cold if r.tool == "toolkit" and r.size == size and r.summary), None)
    peer = next((r for r in cold if is_tool(r.tool, name) and r.size == size and r.summary), None)
    if ours is None or peer is None:
        return "not measured in this run"
    ratio = ours.summary.median / peer.summary.median
    met = ratio <= most and (not memory or ours.summary.peak_mib < peer.summary.peak_mib)
    mib = f", {ours.summary.peak_mib:.0f} MiB against {peer.summary.peak_mib:.0f} MiB" if memory else ""
    return f"{ratio:.2f}{mib}: {'met' if met else 'NOT met'}"


def live_preview(serve: list[tuple[str, ServeResult]]) -> list[str]:
    if not serve:
        return []
    lines = ["", "## Live preview (`build.py serve`): from the save to the output written", "",
             "| edition | change | save → output, median (min-max) | server's own rebuild time | "
             "watcher's delay | runs | target |",
             "|---|---|---|---|---|---|---|"]
    notes = []
    for label, result in serve:
        if not result.available:
            lines.append(f"| {label} | all | {result.note} | | | | |")
            continue
        for edit in result.edits:
            target = ""
            if (label, edit.label) == SERVE_TARGET[:2] and (edit.reported or edit.seconds):
                judged = edit.reported or edit.seconds
                met = sorted(judged)[len(judged) // 2] < SERVE_TARGET[2]
                what = "server's rebuild" if edit.reported else "save → output"
                target = f"< {seconds_text(SERVE_TARGET[2])} ({what}): {'met' if met else 'NOT met'}"
            if not edit.seconds:
                lines.append(f"| {label} | {edit.label} | {edit.failure} | | | | |")
                continue
            delay = (_spread(edit.seen) + " (server's report)" if edit.seen else
                     _spread(edit.derived_delay) + " (derived)" if edit.derived_delay else "not reported")
            lines.append(f"| {label} | {edit.label} | {_spread(edit.seconds)} | {_spread(edit.reported)} "
                         f"| {delay} | {len(edit.seconds)} | {target} |")
            if edit.example_line:
                notes.append(f"- {label}, {edit.label}: the server printed `{edit.example_line}`")
        if any(edit.derived_delay for edit in result.edits):
            notes.append(f"- {label}: \"derived\" watcher's delay = save → output less the server's own "
                         "rebuild time: the watcher's polling and gathering of a burst of saves, and telling "
                         "the browser")
        how = {"events": "at the server's reload event (as a browser hears it), checked in the page served",
               "file": "in the file the server wrote", "http": "by fetching the page it served every 4 ms"}
        notes.append(f"- {label}: the change was looked for {how.get(result.mode, result.mode)};"
                     f" the server answered {seconds_text(result.startup)} after it was started")
    return lines + [""] + notes


def _spread(values: list[float]) -> str:
    if not values:
        return "not reported"
    ordered = sorted(values)
    return f"{seconds_text(ordered[len(ordered) // 2])} ({seconds_text(ordered[0])}-{seconds_text(ordered[-1])})"


def report(rows: list[Row], serve: list[tuple[str, ServeResult]], runs: int, sizes: list[int],
           editions: int, seed: int, elapsed: float, load_start: str, repo) -> str:
    lines = header(runs, sizes, editions, seed, elapsed, load_start, repo)
    lines += figures(rows) + side_by_side(rows) + live_preview(serve)
    return "\n".join(lines) + "\n"
