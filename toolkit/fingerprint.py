"""Knowing, before doing any work, that a build would write what is already there.

A build's output is a function of its inputs: every file it reads (each edition's
toolkit.yml, content, case studies, data, strings, templates and static files), the
toolkit's own code, and a few settings of the run (the output folder, --strict, the
PDF's name, the date when the site shows it). The fingerprint is one hash of all of
them, made from the files' bytes, not their times, so touching a file or checking it
out again costs nothing.

After writing a site the build records the fingerprint and, for every file it wrote,
its size and modification time (the manifest, in the edition's cache folder). When the
next build's fingerprint is the same and the output folder still holds exactly those
files, unchanged, there is nothing to do. Anything else (an edit, a new or deleted file,
a file changed or added in the output folder, a deleted cache) means a real build.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import Problem

TOOLKIT_CODE = Path(__file__).resolve().parent
MANIFEST_PREFIX = "site-"


@dataclass(frozen=True)
class Unchanged:
    """What the last build of the same inputs reported, to report it again."""
    pages: int
    files: int
    warnings: tuple[Problem, ...]
    pdf_pages: int


def input_fingerprint(files: list[Path], run_settings: dict) -> str:
    """One hash of the toolkit's code and the libraries it runs on, the run's settings, and the
    path and bytes of each file."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{__version__}\0{json.dumps(run_settings, sort_keys=True, default=str)}\0".encode())
    digest.update(f"{sys.version}\0{_installed_packages()}\0".encode())
    for path in sorted(TOOLKIT_CODE.glob("*.py")):
        _add_file(digest, path)
    for path in files:
        _add_file(digest, path)
    return digest.hexdigest()


def _installed_packages() -> list[str]:
    """Name and version of each package installed beside Jinja2 (its .dist-info folder), so
    a build after any library is upgraded is never taken for unchanged. Found without
    importing them: importing is what a build with nothing to do saves."""
    spec = importlib.util.find_spec("jinja2")
    if spec is None or not spec.origin:
        return []
    folder = os.path.dirname(os.path.dirname(spec.origin))
    try:
        return sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")))
    except OSError:
        return []


def _add_file(digest, path: Path) -> None:
    digest.update(os.fsencode(path) + b"\0")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        data = b"\0missing\0"
    digest.update(len(data).to_bytes(8, "little"))
    digest.update(data)


def _manifest_path(cache_dir: Path, out: Path) -> Path:
    name = hashlib.blake2b(os.fsencode(out.resolve()), digest_size=8).hexdigest()
    return cache_dir / f"{MANIFEST_PREFIX}{name}.json"


def _output_state(out: Path) -> dict[str, list[int]] | None:
    """rel path -> [size, mtime in ns] of every file in the output folder."""
    if not out.is_dir():
        return None
    state = {}
    base = len(str(out)) + 1
    for dirpath, _, names in os.walk(out):
        for name in names:
            path = os.path.join(dirpath, name)
            stat = os.stat(path)
            state[path[base:].replace(os.sep, "/")] = [stat.st_size, stat.st_mtime_ns]
    return state


def unchanged_site(cache_dir: Path, out: Path, fingerprint: str) -> Unchanged | None:
    """The last build's report when `out` is exactly what a build with this fingerprint wrote."""
    try:
        manifest = json.loads(_manifest_path(cache_dir, out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("fingerprint") != fingerprint or manifest.get("files") != _output_state(out):
        return None
    report = manifest["report"]
    return Unchanged(report["pages"], report["files"], tuple(Problem(**p) for p in report["warnings"]),
                     report["pdf_pages"])


def record_site(cache_dir: Path, out: Path, fingerprint: str, pages: int, files: int,
                warnings: tuple[Problem, ...], pdf_pages: int) -> None:
    """Remember what was just written to `out`, for unchanged_site()."""
    manifest = {
        "fingerprint": fingerprint,
        "files": _output_state(out),
        "report": {"pages": pages, "files": files, "warnings": [vars(w) for w in warnings],
                   "pdf_pages": pdf_pages},
    }
    cache_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".site-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(manifest, stream)
    os.replace(temporary, _manifest_path(cache_dir, out))


def forget_site(cache_dir: Path, out: Path) -> None:
    """A build that did not record its output must not leave an older record behind."""
    try:
        _manifest_path(cache_dir, out).unlink()
    except OSError:
        pass
