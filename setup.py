"""Packaging: the national toolkit travels inside the wheel.

The repository keeps the national toolkit at its top (content/, case_studies/, data/,
themes/, static/, schemas/, toolkit.yml: toolkit/national.py PARTS). A wheel copies them
into the package as toolkit/national/, where an installed toolkit finds them; the sdist
carries them at the top, as the repository does, so a wheel built from it is the same.
Everything else is in pyproject.toml.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from toolkit.national import PARTS  # noqa: E402  (imports nothing but the standard library)


def national_files() -> list[str]:
    """Every file of the national toolkit, relative to the repository, '/'-separated, sorted;
    caches, editor files and built sites ('.' and '_' names at the top of a part) left out."""
    found = []
    for part in PARTS:
        if (HERE / part).is_file():
            found.append(part)
            continue
        for folder, dirs, files in os.walk(HERE / part):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            found += [(Path(folder) / name).relative_to(HERE).as_posix() for name in sorted(files)
                      if not name.startswith(".")]
    return found


class BuildWithNational(build_py):
    """build_py that also copies the national toolkit into the package (not for an editable
    install, which runs from the repository and finds the national toolkit at its top)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "toolkit" / "national"
        if target.exists():
            shutil.rmtree(target)            # nothing left from an earlier build of other files
        for rel in national_files():
            destination = target / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(HERE / rel, destination)

    def get_source_files(self):
        """The sdist's files: the package's, and the national toolkit's."""
        return [*super().get_source_files(), *national_files()]


setup(cmdclass={"build_py": BuildWithNational})
