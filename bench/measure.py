"""Timing one whole process, its peak memory, and describing the machine.

Wall time is taken around the whole child process, start-up included. Peak memory
is the child's `ru_maxrss` from `os.wait4`, which is per child (unlike
`getrusage(RUSAGE_CHILDREN)`, a high-water mark over every child so far). On Linux
it is the largest resident set of the child or of any process it waited for, so
for a build that forks worker processes it is the biggest single process, not the
sum: forked workers share most of their pages with the parent.

A run given a time limit is started in its own process group, and the whole group
is killed when the limit passes (the run then reports timed_out).
"""
from __future__ import annotations

import datetime
import os
import platform
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    ok: bool
    output: str               # stdout and stderr, for the page count and for failures
    timed_out: bool = False


@dataclass(frozen=True)
class Summary:
    median: float
    low: float
    high: float
    peak_mib: float           # the highest over the runs
    runs: int

    @classmethod
    def of(cls, seconds: list[float], peaks: list[float]) -> "Summary":
        return cls(statistics.median(seconds), min(seconds), max(seconds), max(peaks or [0.0]), len(seconds))


def child_environment() -> dict[str, str]:
    """This environment, but letting Python keep compiled modules (__pycache__) as it does for users.

    Some shells here set PYTHONDONTWRITEBYTECODE, which would make every timed process
    compile the toolkit from source again: a cost no user pays.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_process(command: list[str], cwd: Path | None = None, env: dict | None = None,
                timeout: float | None = None) -> Run:
    """Run a command to its end, or until `timeout` seconds have passed; its wall time and peak memory."""
    env = child_environment() if env is None else env
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=timeout is not None)
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            _kill_group(process.pid)
        timer = threading.Timer(timeout, stop) if timeout is not None else None
        if timer:
            timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:          # interrupted: leave no build running behind
            if timeout is not None:
                _kill_group(process.pid)
            else:
                process.kill()
            raise
        finally:
            if timer:
                timer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)    # reaped here, so Popen must not wait
        if timeout is not None:
            _kill_group(process.pid)   # anything the command left running in its group
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode == 0 and not expired.is_set(), text,
               expired.is_set())


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    memory = ""
    try:
        kib = int(next(l for l in Path("/proc/meminfo").read_text().splitlines()
                       if l.startswith("MemTotal")).split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return {
        "CPU": model or "unknown",
        "cores": str(os.cpu_count()),
        "memory": memory or "unknown",
        "system": platform.platform(terse=True),
        "Python": platform.python_version(),
        "load": "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg()),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def git_revision(repo: Path) -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + (" with uncommitted changes" if dirty else "")
