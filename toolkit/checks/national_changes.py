"""Which national files an edition replaces, and which of those changed nationally since it last built.

An edition that replaces a national file with its own copy (a page, a case study, a data
list, a template, a theme file) stops receiving national updates to it. So that a
coordinator never misses one, each build of the edition records, in the edition's folder:

    national-baseline.yml   the national toolkit's version, and a hash of each national
                            file the edition replaces, as they were at that build

`build` and `check` compare it with the national toolkit as it is now and warn about each
replaced file that changed nationally since (or was removed), naming the national file to
compare the edition's copy with. The next build records the national files anew.

The record lives beside toolkit.yml, not in .toolkit-cache: it cannot be made again once the
national toolkit has changed, so deleting the cache, or a fresh copy of an edition kept in
a repository (where the cache is not kept), must not lose it. It is plain text to keep with
the edition; what it says only decides which warnings are shown. Not compared: theme
strings (an edition's strings file gives only the words it changes, the rest still come
from the national one) and static/ (an edition's own logo, favicon and images, which are
meant to differ from the national ones).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from toolkit.invocation import quoted
from toolkit.model.problems import Problem
from toolkit.national import NATIONAL_ROOT, VERSION
from toolkit.stages.discover import THEME, discover
from toolkit.stages.edition import Edition

RECORD_FILE = "national-baseline.yml"

_HEADER = """\
# Written by Compact Toolkit at each build of this edition: keep it with the edition (in
# its repository, if it has one) and leave it as it is. It records the national toolkit
# this edition was last built on, and each national file the edition replaces with its
# own copy, as it was then, so that 'check' and 'build' can tell you when one of those
# files changes nationally.
"""


@dataclass(frozen=True)
class Baseline:
    """The national toolkit as an edition saw it: its version, and (path, hash) of each
    national file the edition replaces, sorted by path."""
    version: str
    files: tuple[tuple[str, str], ...]

    def text(self) -> str:
        lines = [_HEADER, f"national_toolkit: {self.version}\n", "replaces:" + ("\n" if self.files else " {}\n")]
        lines += [f"  {path}: {digest}\n" for path, digest in self.files]
        return "".join(lines)


def baseline_now(edition: Edition) -> Baseline | None:
    """The national files `edition` replaces with a file of its own folder, hashed as they are
    now; None for the national toolkit itself."""
    if edition.root == NATIONAL_ROOT:
        return None
    sources = discover(edition)
    own = [source.rel for group in (sources.pages, sources.case_studies, sources.data, sources.assets)
           for source in group if source.edition == edition.root and not source.rel.startswith("static/")]
    templates = edition.root / THEME / "templates"
    for folder, dirs, names in os.walk(templates):
        dirs.sort()
        own += [(Path(folder) / name).relative_to(edition.root).as_posix() for name in names]
    return Baseline(VERSION, tuple(sorted((rel, _digest(NATIONAL_ROOT / rel)) for rel in own
                                          if (NATIONAL_ROOT / rel).is_file())))


def read_baseline(edition_root: Path) -> Baseline | None:
    """The record the last build left, or None when there is none (or it cannot be read)."""
    try:
        text = (Path(edition_root) / RECORD_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    version, files = "", []
    for line in text.splitlines():
        if line.startswith("national_toolkit:"):
            version = line.partition(":")[2].strip()
        elif line.startswith("  ") and ": " in line:
            path, _, digest = line.strip().rpartition(": ")
            files.append((path, digest.strip()))
    return Baseline(version, tuple(sorted(files))) if version else None


def save_baseline(edition_root: Path, baseline: Baseline) -> None:
    """Write the record (only when it says something new, so an unchanged one keeps its date)."""
    path = Path(edition_root) / RECORD_FILE
    text = baseline.text()
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    path.write_text(text, encoding="utf-8", newline="\n")


def changed_since(last: Baseline | None, now: Baseline | None) -> list[Problem]:
    """A warning for each national file the edition replaces that changed, or went, since `last`."""
    if last is None or now is None:
        return []
    current = dict(now.files)
    problems = []
    for rel, digest in last.files:
        national = NATIONAL_ROOT / rel
        if rel not in current and not national.is_file():
            problems.append(Problem(rel, 0, f"the national toolkit no longer has {rel}, which this edition "
                                    "replaced with its own copy: the copy is now a file of this edition's own",
                                    "keep it if you still want it; otherwise delete it", warning=True))
        elif rel in current and current[rel] != digest:
            since = (f" (national toolkit {last.version} then, {now.version} now)"
                     if last.version != now.version else "")
            problems.append(Problem(rel, 0, f"{rel} changed nationally since this edition last built{since}, "
                                    "and this edition replaces it with its own copy",
                                    f"compare your copy with the national one and bring in what you need: "
                                    f"{_compare(rel, national)}", warning=True))
    return problems


def _compare(rel: str, national: Path) -> str:
    """A command that shows the differences, typed in the edition's folder (fc on Windows)."""
    return f"{'fc' if os.name == 'nt' else 'diff'} {quoted(rel.replace('/', os.sep))} {quoted(str(national))}"


def _digest(path: Path) -> str:
    """The file's content, its line endings aside (a copy checked out on Windows is the same file)."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()[:16]
