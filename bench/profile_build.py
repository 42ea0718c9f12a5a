"""Where a cold build's time goes: cProfile of `build.py build` on the generated edition.

    python bench/profile_build.py [--pages 1000] [--output bench/profile-1000.txt]

Two profiles of the same cold build (fresh edition folder, no cache, no output):
  1. as the command runs it, with Markdown and pages rendered in worker processes
     when there are enough of them; cProfile sees only the main process, so the
     workers' work shows as time spent waiting for the pool;
  2. the same build kept in one process, so the parsing is in the profile too.
Each lists what pipeline.build() spends its time in, then the top functions by
cumulative time and by own time. In the first, the toolkit is imported inside the
profile, as a command's start-up imports it; the second reuses those imports.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import make_corpus  # noqa: E402
from bench.generate import write_edition  # noqa: E402
from bench.measure import git_revision, machine  # noqa: E402
from bench.toolkit_internals import run_command_line  # noqa: E402

TOP = 15
_PREFIXES = ((sysconfig.get_paths()["purelib"] + "/", "site-packages/"),
             (sysconfig.get_paths()["stdlib"] + "/", "stdlib/"), (str(REPO) + "/", ""))


def _where(function: tuple[str, int, str]) -> str:
    file, line, name = function
    for prefix, shown in _PREFIXES:
        if file.startswith(prefix):
            file = shown + file[len(prefix):]
            break
    return f"{name} ({file}:{line})" if line else name


def _table(stats: pstats.Stats, key: str) -> list[str]:
    rows = sorted(stats.stats.items(), key=lambda item: item[1][3 if key == "cumulative" else 2], reverse=True)
    lines = [f"{'calls':>9} {'own s':>8} {'cumul. s':>9}  function", ""]
    for function, (_, calls, own, cumulative, _) in rows[:TOP]:
        lines.append(f"{calls:>9} {own:>8.3f} {cumulative:>9.3f}  {_where(function)}")
    return lines


def _stages(stats: pstats.Stats) -> list[str]:
    """What pipeline.build() itself calls, with the time spent in each (its stages)."""
    build = next((f for f in stats.stats if f[0].endswith("toolkit/pipeline.py") and f[2] == "build"), None)
    if build is None:
        return ["(toolkit/pipeline.py build() not found in the profile)"]
    total = stats.stats[build][3]
    calls = sorted(((callers[build][3], function) for function, (*_, callers) in stats.stats.items()
                    if build in callers), reverse=True)
    lines = [f"{'cumul. s':>9} {'share':>6}  called from pipeline.build()", ""]
    for seconds, function in calls[:TOP]:
        lines.append(f"{seconds:>9.3f} {seconds / total:>6.0%}  {_where(function)}")
    return lines


def profile_once(edition: Path, out: Path, single_process: bool) -> tuple[pstats.Stats, float, str]:
    note = ""
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    cpu_count = os.cpu_count
    if single_process:          # the toolkit sizes its worker pools by the cores it sees
        os.cpu_count = lambda: 1
        note = "os.cpu_count() made to say 1, as on a one-core machine, so no worker pool starts"
    try:
        status = run_command_line(["build", str(edition), "--out", str(out)])
    finally:
        os.cpu_count = cpu_count
    profiler.disable()
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"the build failed with status {status}")
    return pstats.Stats(profiler), seconds, note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, help="default: bench/profile-<pages>.txt")
    args = parser.parse_args(argv)
    output = args.output or REPO / "bench" / f"profile-{args.pages}.txt"
    facts = machine()
    text = [f"cProfile of a cold build of the generated {args.pages}-page edition (seed {args.seed})",
            f"{facts['CPU']}, {facts['cores']} cores, load {facts['load']}; Python {facts['Python']}; "
            f"toolkit at {git_revision(REPO)}; {facts['date']}",
            "Times under the profiler are longer than without it; the shares are what matter.", ""]
    with tempfile.TemporaryDirectory(prefix="compact-profile-") as work:
        corpus = make_corpus(args.pages, args.seed)
        for number, single in ((1, False), (2, True)):
            edition = write_edition(corpus, Path(work) / f"edition-{number}")
            stats, seconds, note = profile_once(edition, Path(work) / f"out-{number}", single)
            title = ("1. As the command runs it (work done in worker processes is not in this profile: "
                     "it shows as waiting for the pool)" if not single else f"2. All in one process ({note})")
            text += ["=" * 100, title, f"wall time under the profiler: {seconds:.2f} s", "",
                     "The build's stages:"] + _stages(stats)
            text += ["", f"Top {TOP} by cumulative time:"] + _table(stats, "cumulative")
            text += ["", f"Top {TOP} by own time:"] + _table(stats, "own") + [""]
    report = "\n".join(text) + "\n"
    print(report)
    output.write_text(report, encoding="utf-8")
    print(f"Wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
