"""How the person ran the toolkit, so that a message saying what to type next shows a
command that works where they are.

    compact-toolkit ...       the installed command (pip install, pipx install, uv tool install)
    python -m toolkit ...     the package, run by a Python that has it
    python build.py ...       the script at the top of a checkout

A Python is called `python` (or `python3`) only when that name, looked up on PATH, is the
very Python running now. Otherwise it is named by its path (relative to the current folder
when it is inside it, e.g. .venv/bin/python), so a command shown never runs another Python,
one without the toolkit's libraries.
"""
from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

COMMAND = "compact-toolkit"


def command(argv0: str | None = None, executable: str | None = None) -> str:
    """The words a command of the toolkit starts with, as the person ran it: `compact-toolkit`,
    `python -m toolkit`, `python build.py`, or the same with the paths they need."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    kind = _kind(argv0)
    if kind == "command":
        found = shutil.which(COMMAND)
        return COMMAND if found and _same(found, argv0) else _shown(argv0, program=True)
    if kind == "script":
        return f"{python(executable)} {_shown(argv0)}"
    return f"{python(executable)} -m toolkit"


def program_name(argv0: str | None = None) -> str:
    """The command's short name, for its usage line: compact-toolkit, build.py or python -m toolkit."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    kind = _kind(argv0)
    return COMMAND if kind == "command" else Path(argv0).name if kind == "script" else "python -m toolkit"


def _kind(argv0: str) -> str:
    """"command" (compact-toolkit), "script" (build.py) or "module" (python -m toolkit, or the
    toolkit called from other Python code, which `python -m toolkit` stands for)."""
    name = Path(argv0).name.lower()
    for suffix in (".exe", "-script.py"):          # Windows launchers of an installed command
        name = name[:-len(suffix)] if name.endswith(suffix) else name
    if name == COMMAND:
        return "command"
    if name.endswith(".py") and name != "__main__.py" and Path(argv0).is_file():
        return "script"
    return "module"


def python(executable: str | None = None) -> str:
    """How to call this Python: `python` or `python3` when PATH leads there, else its path."""
    executable = sys.executable if executable is None else executable
    for name in ("python", "python3"):
        found = shutil.which(name)
        if found and _same(found, executable):
            return name
    return _shown(executable, program=True)


def _same(a: str, b: str) -> bool:
    """The same file by its path, links not followed: a virtual environment's python is a link
    to the system's, but run by that path it sees only the system's libraries."""
    def normal(path: str) -> str:
        path = os.path.normcase(os.path.abspath(path))
        return path[:-4] if path.endswith(".exe") else path
    return normal(a) == normal(b)


def _shown(path: str, program: bool = False) -> str:
    """A path to type: relative to the current folder when inside it, quoted when it has spaces.
    A `program` in the current folder itself is written ./name, as a shell needs it to run it."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(Path.cwd())
        shown = os.path.join(".", str(relative)) if program and relative.parent == Path(".") else str(relative)
    except ValueError:
        shown = str(absolute)
    return quoted(shown)


def quoted(text: str) -> str:
    """A word of a command (a path, a name) as it must be typed: in quotes when it has spaces."""
    if text and not any(c in text for c in " '\"&;()$`"):
        return text
    return f'"{text}"' if os.name == "nt" else shlex.quote(text)
