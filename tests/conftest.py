"""Shared fixtures: build real sites, national or made from a dict of files."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.pipeline import build  # noqa: E402


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text} under root; text is dedented so tests can indent it."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
    return root


MINIMAL_EDITION = {
    "toolkit.yml": """
        name: Testshire Compact toolkit
        area: Testshire
        publisher: Testshire CVS
        colours:
          primary: "#0b5394"
          accent: "#ffdd00"
        accessibility:
          contact_email: compact@testshire.example
          last_tested: 2026-11-01
    """,
}


@pytest.fixture
def make_edition(tmp_path):
    """make_edition({path: text}) -> folder of a local edition extending the national one."""
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes] | None = None, base: dict | None = MINIMAL_EDITION) -> Path:
        root = tmp_path / f"edition{next(counter)}"
        write_files(root, {**(base or {}), **(files or {})})
        return root
    return make


@pytest.fixture(scope="session")
def national_site(tmp_path_factory) -> Path:
    """The national edition, built once per test session (no cache)."""
    out = tmp_path_factory.mktemp("national") / "_site"
    build(REPO, out, use_cache=False)
    return out


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` as a user would; returns the finished process."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
