"""Where the national toolkit is, and which version it is: stated here once.

The national toolkit is an edition like any other (a folder with a toolkit.yml, and
content/, case_studies/, data/, themes/, static/ and schemas/ beside it), and every
edition builds on it in the end.

    a checkout of the repository   the repository's top folder, the one above this package
    an installed toolkit           toolkit/national/ inside the installed package: a copy of
                                   those folders that setup.py puts in the wheel
                                   (pip install, pipx install, uv tool install)

A checkout has no toolkit/national/ (the repository keeps its folders at the top), so
the copy is found only where a wheel put it. An installed national toolkit is never
written to: its site goes to the folder the command is run in, and its build cache to
the user's own cache folder.
"""
from __future__ import annotations

from pathlib import Path

from toolkit import __version__

CONFIG_FILE = "toolkit.yml"
PACKAGE = Path(__file__).resolve().parent
PACKAGED = PACKAGE / "national"        # made by setup.py in a wheel; never in a checkout

# The folders and files of the national toolkit that a wheel carries (setup.py copies them).
PARTS = (CONFIG_FILE, "content", "case_studies", "data", "themes", "static", "schemas")


def _national_root() -> Path:
    return PACKAGED if (PACKAGED / CONFIG_FILE).is_file() else PACKAGE.parent


NATIONAL_ROOT = _national_root()
INSTALLED = NATIONAL_ROOT == PACKAGED
VERSION = __version__                  # the national toolkit is released with the code that builds it


def is_installed_national(folder: Path) -> bool:
    """Whether `folder` is the national toolkit as installed (a folder not to write in)."""
    return INSTALLED and Path(folder).resolve() == NATIONAL_ROOT

