"""The only module that writes the site to disk.

A full build writes everything into a staging folder beside the output, then swaps
it in, so a failed or interrupted build leaves the last good site as it was, and
files of removed pages do not linger. Single files (the preview server's partial
rebuilds) are written to a temporary file and moved into place with os.replace
(as Lektor's artifacts), so a reader never sees half a page.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import BuildFailed, Problem

MARKER = ".compact-toolkit-site"     # marks a folder as ours, so we may replace it


def check_output_folder(out: Path) -> None:
    """Refuse to replace a folder that is not a site this tool wrote."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise BuildFailed([Problem(
            str(out), 0, "the output folder already exists and was not made by Compact Toolkit",
            "choose another folder with --out, or empty this one first; it is never overwritten")])


def output_collisions(files: dict[str, bytes], copies: dict[str, Path], display) -> list[Problem]:
    """Two things that would be written to one output path (ignoring case, as Windows and macOS do)."""
    problems = []
    made = {rel.lower(): rel for rel in files}
    copied: dict[str, tuple[str, str]] = {}
    for rel, source in sorted(copies.items()):
        shown = display(source)
        if rel.lower() in made:
            problems.append(Problem(shown, 0, f"this file would be copied to {rel}, where the toolkit "
                                    f"writes its own {made[rel.lower()]}", f"rename {shown}: that name is taken"))
        elif rel.lower() in copied:
            other, other_rel = copied[rel.lower()]
            problems.append(Problem(shown, 0, f"this file would be copied to {rel}, and {other} to {other_rel}: "
                                    "Windows and macOS do not tell names apart by capital letters",
                                    f"rename one of {shown} and {other}"))
        else:
            copied[rel.lower()] = (shown, rel)
    return problems


def write_site(out: Path, files: dict[str, bytes], copies: dict[str, Path]) -> None:
    """Write `files` (path -> bytes) and copy `copies` (path -> source file) as the whole site."""
    check_output_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        os.chmod(staging, 0o755)        # mkdtemp makes it private; a web server must read it
        made: set[Path] = {staging}
        for rel, data in files.items():
            target = staging / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            with open(target, "wb") as handle:
                handle.write(data)
        for rel, source in copies.items():
            target = staging / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            shutil.copyfile(source, target)
        (staging / MARKER).write_bytes(b"")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(retired)
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(retired, out)       # put the last good site back
        raise
    shutil.rmtree(retired, ignore_errors=True)


def write_files(out: Path, files: dict[str, bytes], removed: tuple[str, ...] = ()) -> None:
    """Replace some files of an existing site in place, each atomically."""
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)      # mkstemp makes it private; a web server must read it
        os.replace(temporary, target)
    for rel in removed:
        try:
            (out / rel).unlink()
        except FileNotFoundError:
            pass
