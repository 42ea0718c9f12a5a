"""Save-to-output times of the live preview, `python build.py serve EDITION --port P`.

The server is started as a user would, then a source file is changed and the new
text is waited for in the output: in the file the server writes when it writes its
site to the edition's _site folder, otherwise in the page it serves over HTTP. The
time from the end of the save to the new text being there is what an editor feels;
it includes the watcher's own delay in noticing the save.

If the server prints a line per rebuild with its own timing (for example
"rebuilt 1 page in 23 ms"), the first time on that line is reported beside ours,
and a time it labels as when the change was seen ("seen 40 ms after the save") is
reported as the watcher's delay. Without such a line the watcher's delay cannot be
told apart, and only the end-to-end time is reported.
"""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from bench.measure import child_environment

READY_TIMEOUT = 300.0        # the first build of a large edition
EDIT_TIMEOUT = 30.0
SETTLE = 0.6                 # between edits, so each is its own rebuild and not one coalesced burst

_TIME = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s)\b")
_SEEN = re.compile(r"(?:seen|noticed|detected|watcher)\D{0,40}?(\d+(?:\.\d+)?)\s*(ms|s)\b", re.I)


@dataclass(frozen=True)
class Edit:
    label: str
    source: Path                               # the file to change
    change: Callable[[str, int], str]          # (original text, run number) -> new text
    output: str                                # output path that must show the change
    marker: Callable[[int], str]               # run number -> text that shows in the output


@dataclass
class EditTiming:
    label: str
    seconds: list[float] = field(default_factory=list)        # save -> output, measured here
    reported: list[float] = field(default_factory=list)       # the server's own rebuild time
    seen: list[float] = field(default_factory=list)           # the server's own "seen after" time
    example_line: str = ""
    failure: str = ""


@dataclass(frozen=True)
class ServeResult:
    available: bool
    note: str
    mode: str = ""                             # "file" or "http": where the change was looked for
    startup: float = 0.0                       # start to first page served
    edits: tuple[EditTiming, ...] = ()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def _seconds(value: str, unit: str) -> float:
    return float(value) / (1000 if unit == "ms" else 1)


def time_serve(repo: Path, edition: Path, edits: list[Edit], runs: int, python: str = sys.executable) -> ServeResult:
    if not (repo / "toolkit" / "serve.py").exists():
        return ServeResult(False, "not available: toolkit/serve.py does not exist yet")
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="serve-", suffix=".log", delete=False)
    started = time.perf_counter()
    started_wall = time.time()
    process = subprocess.Popen([python, "build.py", "serve", str(edition), "--port", str(port)], cwd=repo,
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               env=child_environment())
    base = f"http://127.0.0.1:{port}/"
    originals = {edit.source: edit.source.read_text(encoding="utf-8") for edit in edits}
    try:
        while _get(base + "index.html") is None:
            if process.poll() is not None:
                return ServeResult(False, "serve exited at start: " + _tail(log.name))
            if time.perf_counter() - started > READY_TIMEOUT:
                return ServeResult(False, f"serve did not answer within {READY_TIMEOUT:.0f} s")
            time.sleep(0.02)
        startup = time.perf_counter() - started
        written = edition / "_site" / "index.html"
        mode = "file" if written.exists() and written.stat().st_mtime >= started_wall - 1 else "http"
        results = []
        for edit in edits:
            timing = EditTiming(edit.label)
            for run in range(1, runs + 1):
                _one_edit(edit, run, originals[edit.source], timing, mode, edition, base, log.name, process)
                if timing.failure:
                    break
            results.append(timing)
            edit.source.write_text(originals[edit.source], encoding="utf-8")
            time.sleep(SETTLE * 2)
        return ServeResult(True, "", mode, startup, tuple(results))
    finally:
        for source, text in originals.items():
            source.write_text(text, encoding="utf-8")
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _one_edit(edit: Edit, run: int, original: str, timing: EditTiming, mode: str, edition: Path,
              base: str, log_name: str, process: subprocess.Popen) -> None:
    marker = edit.marker(run)
    log_before = Path(log_name).stat().st_size
    new_text = edit.change(original, run)
    edit.source.write_text(new_text, encoding="utf-8")
    saved = time.perf_counter()
    target = edition / "_site" / edit.output
    while True:
        if mode == "file":
            try:
                found = marker in target.read_text(encoding="utf-8")
            except OSError:
                found = False
        else:
            found = marker in (_get(base + edit.output) or "")
        if found:
            timing.seconds.append(time.perf_counter() - saved)
            break
        if process.poll() is not None:
            timing.failure = "serve exited: " + _tail(log_name)
            return
        if time.perf_counter() - saved > EDIT_TIMEOUT:
            timing.failure = f"the change did not show within {EDIT_TIMEOUT:.0f} s"
            return
        time.sleep(0.001 if mode == "file" else 0.004)
    time.sleep(SETTLE)
    with open(log_name, "rb") as handle:
        handle.seek(log_before)
        lines = handle.read().decode("utf-8", "replace").splitlines()
    for line in lines:
        times = _TIME.findall(line)
        if times and re.search(r"rebuil|built|render", line, re.I):
            timing.example_line = timing.example_line or line.strip()[:160]
            seen = _SEEN.search(line)
            if seen:
                timing.seen.append(_seconds(seen.group(1), seen.group(2)))
            own = [t for t in _TIME.finditer(line) if not seen or t.start() != seen.start(1)]
            if own:
                timing.reported.append(_seconds(own[0].group(1), own[0].group(2)))
            break


def _tail(log_name: str) -> str:
    try:
        text = Path(log_name).read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-3:])[:300]
