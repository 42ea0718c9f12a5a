"""The toolkit's measured scenarios, and the timing every scenario shares.

Each scenario runs whole processes and returns a row for the table. Everything runs
in a work folder, against a snapshot of the repository (the toolkit, its theme and
the national edition), so a benchmark never touches the working tree's caches or
_site, and a template edit changes only the snapshot's theme. The other generators'
scenarios are in bench/peer_bench.py.
"""
from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from bench.measure import Run, Summary, run_process

CACHE = ".toolkit-cache"
LONG_RUN = 30.0        # seconds: a figure whose warm-up run took longer is timed once, not `runs` times
NOT_ERRORS = ("not available", "not run", "did not finish")    # rows left empty, but no failure
SNAPSHOT_SKIP = {".git", ".venv", "venv", "_site", CACHE, "tests", "bench", "areas", "node_modules",
                 "__pycache__", ".pytest_cache", "compact_toolkit.egg-info", "build", "dist"}


@dataclass(frozen=True)
class Row:
    scenario: str          # what was timed
    size: str              # "100 pages", "national", "100 editions"
    tool: str
    summary: Summary | None
    html_files: int = 0    # HTML files in the output after the last run
    failure: str = ""      # why there is no summary: a failed run's last lines, or one of NOT_ERRORS
    note: str = ""         # shown beside the tool: what the figure leaves out, or how it was taken


def snapshot_repository(repo: Path, into: Path) -> Path:
    shutil.copytree(repo, into, ignore=lambda folder, names: [
        n for n in names if n in SNAPSHOT_SKIP or n.endswith(".pyc")])
    return into


def clear(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def count_html(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html")) if out.is_dir() else 0


def timed(runs: int, command: list[str], cwd: Path, before: Callable[[int], None] = lambda run: None,
          warmups: int = 1, timeout: float | None = None) -> tuple[Summary | None, str]:
    """Run `before(run)` then the command, `warmups` times untimed and `runs` times timed.

    A run that takes longer than `timeout` seconds is stopped, and the figure is left
    empty; after a warm-up run longer than LONG_RUN seconds, only one run is timed.
    """
    seconds, peaks = [], []
    run = -warmups
    while run < runs:
        before(run)
        result: Run = run_process(command, cwd=cwd, timeout=timeout)
        if result.timed_out:
            return None, f"did not finish within {limit_text(timeout)} (stopped)"
        if not result.ok:
            return None, _last_lines(result.output)
        if run >= 0:
            seconds.append(result.seconds)
            peaks.append(result.peak_mib)
        elif result.seconds > LONG_RUN:
            runs = 1
        run += 1
    return Summary.of(seconds, peaks), ""


def limit_text(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


def _last_lines(text: str, count: int = 4) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-count:])[:400]


def replace_word(text: str, run: int) -> str:
    """One word of the body changed: the first word of the first paragraph after the front matter."""
    head, _, body = text.partition("\n---\n")
    match = re.search(r"(?m)^([A-Z][a-z]+)\b", body)
    if not match:
        raise ValueError("no paragraph starting with a word")
    return head + "\n---\n" + body[:match.start()] + f"Edited{run:02d}" + body[match.end():]


def retitle_marker(run: int) -> str:
    return f"(revision {run})"


def retitle(text: str, run: int) -> str:
    """The page's title changed: ' (revision N)' added, written as a quoted YAML string."""
    def title(match: re.Match) -> str:
        return "title: " + json.dumps(f"{yaml.safe_load(match.group(1))} {retitle_marker(run)}")
    return re.sub(r"(?m)^title: (.*)$", title, text, count=1)


def template_marker(run: int) -> str:
    return f"<!-- bench template edit {run} -->"


def edit_template(text: str, run: int) -> str:
    """A real change to the guide page template: a comment at the start of its main block."""
    return text.replace("{% block main %}\n", "{% block main %}\n" + template_marker(run) + "\n", 1)


class ToolkitBench:
    """Whole-process builds of the toolkit in a snapshot of the repository."""

    def __init__(self, snapshot: Path, work: Path, runs: int, python: str = sys.executable,
                 timeout: float | None = None):
        self.snapshot, self.work, self.runs, self.python, self.timeout = snapshot, work, runs, python, timeout
        self.template = snapshot / "themes/default/templates/page.html"

    def _build(self, edition: Path, out: Path) -> list[str]:
        return [self.python, "build.py", "build", str(edition), "--out", str(out)]

    def cold(self, edition: Path, size: str) -> Row:
        out = self.work / f"out-{edition.name}"
        summary, failure = timed(self.runs, self._build(edition, out), self.snapshot,
                                 before=lambda run: clear(edition / CACHE, out), timeout=self.timeout)
        return Row("cold build (no cache, no output)", size, "toolkit", summary, count_html(out), failure)

    def unchanged(self, edition: Path, size: str) -> Row:
        out = self.work / f"out-{edition.name}"
        summary, failure = timed(self.runs, self._build(edition, out), self.snapshot)
        return Row("rebuild, nothing changed", size, "toolkit", summary, count_html(out), failure)

    def edited(self, edition: Path, page: Path, size: str, what: str) -> Row:
        """One page's body word or title changed before each build (a new change every run)."""
        out = self.work / f"out-{edition.name}"
        original = page.read_text(encoding="utf-8")
        change = replace_word if what == "body" else retitle
        scenario = "one page's body edited (one word)" if what == "body" else "one page's title edited"
        try:
            summary, failure = timed(self.runs, self._build(edition, out), self.snapshot,
                                     before=lambda run: page.write_text(change(original, run + 10),
                                                                        encoding="utf-8"))
        finally:
            page.write_text(original, encoding="utf-8")
        return Row(scenario, size, "toolkit", summary, count_html(out), failure)

    def template_edited(self, edition: Path, size: str) -> Row:
        out = self.work / f"out-{edition.name}"
        original = self.template.read_text(encoding="utf-8")
        try:
            summary, failure = timed(self.runs, self._build(edition, out), self.snapshot,
                                     before=lambda run: self.template.write_text(
                                         edit_template(original, run + 10), encoding="utf-8"))
        finally:
            self.template.write_text(original, encoding="utf-8")
        return Row("template edited (page.html)", size, "toolkit", summary, count_html(out), failure)

    def build_all(self, folder: Path, count: int, cold: bool) -> Row:
        size = f"{count} editions + national"
        if not any((self.snapshot / "toolkit" / rel).exists() for rel in ("many.py", "commands/build_all.py")):
            return Row("build --all", size, "toolkit", None, 0, "not available: this toolkit has no build --all")
        out = self.work / "out-all"
        command = [self.python, "build.py", "build", "--all", str(folder), "--out", str(out)]

        def clean(run: int) -> None:
            clear(out, self.snapshot / CACHE, *folder.glob(f"*/{CACHE}"), *folder.glob("*/_site"))
        summary, failure = timed(self.runs, command, self.snapshot, before=clean if cold else lambda run: None)
        scenario = "build --all, cold" if cold else "build --all, nothing changed"
        return Row(scenario, size, "toolkit", summary, count_html(out), failure)
