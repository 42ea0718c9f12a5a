"""The edition's logo and favicon: files of its own, that exist, of a kind a browser shows."""
from __future__ import annotations

import re
from pathlib import Path

from toolkit.model.problems import Problem
from toolkit.stages.edition import Edition


def check_branding(edition: Edition, copies: dict[str, Path]) -> list[Problem]:
    """Problems with the files toolkit.yml names for its logo and favicon; `copies` are the
    site's copied files, by output path."""
    problems = []
    settings = edition.settings
    config = edition.display(edition.config_files[0])
    for setting, path in (("logo: file", settings.logo_file), ("favicon", settings.favicon)):
        if not path:
            continue
        normal = path.lstrip("./")              # written with '/' (schema.py: a path)
        if ".." in path.split("/") or Path(path).is_absolute() or re.match(r"[A-Za-z]:/", path):
            problems.append(Problem(config, 0, f"'{setting}' is {path}, which is outside the edition",
                                    "put the file in the edition's static/ folder and write static/<file name>"))
        elif normal not in copies:
            problems.append(Problem(config, 0, f"'{setting}' is {path}, but there is no such file",
                                    "put the file in the edition's static/ folder and write static/<file name>"))
        elif not normal.lower().endswith((".svg", ".png", ".ico")):
            problems.append(Problem(config, 0, f"'{setting}' is {path}, which is not an SVG, PNG or ICO file",
                                    "use an .svg or .png file"))
    return problems
