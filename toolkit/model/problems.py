"""Problems found in an edition, and how they are shown to a person.

Every stage reports what is wrong as a `Problem`: the file, the line and column,
what is wrong and how to fix it. Stages collect problems rather than stopping at
the first, so one `check` run lists everything (as MkDocs does for its config).
`BuildFailed` carries them all to the command line, which prints them without a
traceback.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    path: str            # the source file, as the user knows it (relative when possible)
    line: int            # 1-based; 0 when the problem is about the whole file
    message: str         # what is wrong
    hint: str = ""       # how to fix it
    column: int = 0      # 1-based; 0 when unknown
    warning: bool = False

    def location(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def format(self) -> str:
        kind = "warning" if self.warning else "error"
        text = f"{self.location()}: {kind}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class BuildFailed(Exception):
    """The edition has problems; nothing was written."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__(format_report(self.problems))


def format_report(problems) -> str:
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    blocks = [p.format() for p in sorted(problems, key=_order)]
    counts = []
    if errors:
        counts.append(f"{len(errors)} error{'s' if len(errors) != 1 else ''}")
    if warnings:
        counts.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
    if counts:
        blocks.append(", ".join(counts) + " found.")
    return "\n\n".join(blocks)


def _order(problem: Problem):
    return (problem.warning, problem.path, problem.line, problem.column, problem.message)


# A file of the national toolkit that a local edition inherits is named relative to the
# national toolkit, after this: "(national) data/actions.yml".
NATIONAL_PREFIX = "(national) "


def national_file(shown: str) -> str:
    """The path in the national toolkit of a file named as above, or "" for any other."""
    return shown[len(NATIONAL_PREFIX):] if shown.startswith(NATIONAL_PREFIX) else ""


def display_path(path: Path, base: Path) -> str:
    """A path as the person running the build would write it."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
