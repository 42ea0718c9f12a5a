"""Save-to-output times of the live preview, `python build.py serve EDITION --port P`.

The server is started as a user would, then a source file is changed and the new
text is waited for in the output. Where the server offers the reload events a
browser listens to (server-sent events at /__preview__/events), the bench listens
too and, at each event, fetches the page once: the output is there from the moment
of the event. Otherwise it polls the file the server writes (when it writes its site
to the edition's _site folder) or the page it serves. The time from the end of the
save to the new text being there is what an editor feels; it includes the watcher's
own delay in noticing the save.

If the server prints a line per rebuild with its own timing (for example
"content/x.md changed: updated 2 of 1100 files (...) in 23 ms"), the last time on
that line is reported beside ours. A time the line labels as when the change was
seen ("seen 40 ms after the save") is reported as the watcher's delay; otherwise the
delay is derived as our save-to-output time less the server's rebuild time (the
watcher's polling and gathering of a burst, plus the moment to fetch the page).
"""
from __future__ import annotations

import queue
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from bench.measure import child_environment

READY_TIMEOUT = 300.0        # the first build of a large edition
EDIT_TIMEOUT = 120.0
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
    derived_delay: list[float] = field(default_factory=list)  # save -> output, less the server's rebuild time
    example_line: str = ""
    failure: str = ""


@dataclass(frozen=True)
class ServeResult:
    available: bool
    note: str
    mode: str = ""                             # "events", "file" or "http": how the change was looked for
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
    if not any((repo / "toolkit" / rel).exists() for rel in ("serve.py", "commands/serve.py")):
        return ServeResult(False, "not available: this toolkit has no serve command")
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
        events = _listen(base)
        mode = ("events" if events else
                "file" if written.exists() and written.stat().st_mtime >= started_wall - 1 else "http")
        results = []
        for edit in edits:
            timing = EditTiming(edit.label)
            for run in range(1, runs + 1):
                _one_edit(edit, run, originals[edit.source], timing, mode, edition, base, log.name, process,
                          events)
                if timing.failure:
                    break
            results.append(timing)
            edit.source.write_text(originals[edit.source], encoding="utf-8")
            _wait_until_gone(edit.marker(runs), edit, mode, edition, base)   # so the next edit starts idle
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


def _listen(base: str) -> "queue.Queue[float] | None":
    """The moments the server announces a rebuild, as a browser hears them; None if it does not."""
    try:
        stream = urllib.request.urlopen(base + "__preview__/events", timeout=60)
    except (urllib.error.URLError, OSError, ValueError):
        return None
    if "text/event-stream" not in stream.headers.get("Content-Type", ""):
        stream.close()
        return None
    moments: queue.Queue[float] = queue.Queue()

    def read() -> None:
        try:
            for line in stream:
                if line.startswith(b"data:"):
                    moments.put(time.perf_counter())
        except (OSError, ValueError):
            pass
    threading.Thread(target=read, daemon=True).start()
    return moments


def _page_text(edit: Edit, mode: str, edition: Path, base: str) -> str:
    if mode == "file":
        try:
            return (edition / "_site" / edit.output).read_text(encoding="utf-8")
        except OSError:
            return ""
    return _get(base + edit.output) or ""


def _wait_until_gone(marker: str, edit: Edit, mode: str, edition: Path, base: str) -> None:
    waited = time.perf_counter()
    while marker in _page_text(edit, mode, edition, base) and time.perf_counter() - waited < EDIT_TIMEOUT:
        time.sleep(0.01)
    time.sleep(SETTLE)


def _one_edit(edit: Edit, run: int, original: str, timing: EditTiming, mode: str, edition: Path,
              base: str, log_name: str, process: subprocess.Popen, events: "queue.Queue[float] | None") -> None:
    marker = edit.marker(run)
    log_before = Path(log_name).stat().st_size
    new_text = edit.change(original, run)
    while events is not None and not events.empty():       # announcements of earlier rebuilds
        events.get_nowait()
    edit.source.write_text(new_text, encoding="utf-8")
    saved = time.perf_counter()
    while True:
        if events is not None:
            try:
                moment = events.get(timeout=0.5)
            except queue.Empty:
                moment = None
            if moment is not None and marker in _page_text(edit, mode, edition, base):
                timing.seconds.append(moment - saved)
                break
        elif marker in _page_text(edit, mode, edition, base):
            timing.seconds.append(time.perf_counter() - saved)
            break
        if process.poll() is not None:
            timing.failure = "serve exited: " + _tail(log_name)
            return
        if time.perf_counter() - saved > EDIT_TIMEOUT:
            timing.failure = f"the change did not show within {EDIT_TIMEOUT:.0f} s"
            return
        if events is None:
            time.sleep(0.001 if mode == "file" else 0.004)
    time.sleep(SETTLE)
    with open(log_name, "rb") as handle:
        handle.seek(log_before)
        lines = handle.read().decode("utf-8", "replace").splitlines()
    for line in reversed(lines):        # the server's line about this change: it names the file
        times = _TIME.findall(line)
        if times and edit.source.name in line:
            line = line.strip()
            timing.example_line = timing.example_line or (
                line if len(line) <= 200 else line[:120] + " ... " + line[-75:])
            seen = _SEEN.search(line)
            if seen:
                timing.seen.append(_seconds(seen.group(1), seen.group(2)))
            own = [t for t in _TIME.finditer(line) if not seen or t.start() != seen.start(1)]
            if own:         # the last time on the line: "... updated 2 files in 23 ms"
                timing.reported.append(_seconds(own[-1].group(1), own[-1].group(2)))
                if not seen:
                    timing.derived_delay.append(timing.seconds[-1] - timing.reported[-1])
            break


def _tail(log_name: str) -> str:
    try:
        text = Path(log_name).read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-3:])[:300]
