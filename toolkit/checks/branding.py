"""The edition's logos and favicon: files of its own, that exist, of a kind a browser shows,
and logos of proportions the header can draw large enough to read.

The header draws a logo 44 px high (36 px on a phone) and as wide as its proportions
make it, up to 240 px; a logo wider than that is shrunk, keeping its proportions. The
words of a logo drawn less than 24 px high or wide cannot be read, so a logo more than
10 times as wide as it is high (240 / 24), or less than 2 wide for 3 high (24 / 36), gets
a warning, as does one whose proportions cannot be read from the file.
"""
from __future__ import annotations

import re
from pathlib import Path

from toolkit.formats.image_size import UnknownSize, image_size
from toolkit.model.problems import Problem
from toolkit.stages.edition import Edition, Logo

HEIGHT_ON_A_PHONE = 36        # px: .site-header__logo in site.css, under 40em
MAX_WIDTH = 240               # px: its max-width, 15rem
READABLE = 24                 # px: the least height or width at which a logo's words can be read


def check_branding(edition: Edition, copies: dict[str, Path]) -> list[Problem]:
    """Problems with the files toolkit.yml names for its logos and favicon; `copies` are the
    site's copied files, by output path."""
    problems = []
    settings = edition.settings
    config = edition.display(edition.config_files[0])
    named = [(f"{logo.setting}: file", logo.file, logo.source, logo.line)
             for logo in (settings.logo, settings.partner_logo) if logo]
    named += [("favicon", settings.favicon, config, 0)] if settings.favicon else []
    for setting, path, source, line in named:
        normal = _normal(path)
        if ".." in path.replace("\\", "/").split("/") or Path(path).is_absolute() or re.match(r"[A-Za-z]:[/\\]", path):
            problems.append(Problem(source, line, f"'{setting}' is {path}, which is outside the edition",
                                    "put the file in the edition's static/ folder and write static/<file name>"))
        elif normal not in copies:
            problems.append(Problem(source, line, f"'{setting}' is {path}, but there is no such file",
                                    "put the file in the edition's static/ folder and write static/<file name>"))
        elif not normal.lower().endswith((".svg", ".png", ".ico")):
            problems.append(Problem(source, line, f"'{setting}' is {path}, which is not an SVG, PNG or ICO file",
                                    "use an .svg or .png file"))
    return problems


def logo_warnings(edition: Edition, copies: dict[str, Path]) -> list[Problem]:
    """A warning for each logo too small to read in the header, or of proportions unknown.
    Run after check_branding has found every logo's file."""
    warnings = []
    for logo in (edition.settings.logo, edition.settings.partner_logo):
        if logo is None or not logo.file.lower().endswith((".svg", ".png")):
            continue
        try:
            width, height = image_size(Path(copies[_normal(logo.file)]).read_bytes(), logo.file)
        except UnknownSize as unknown:
            warnings.append(_warn(logo, f"{_name(logo)} {unknown}",
                                  'add viewBox="0 0 W H" to its <svg> tag, with its width for W and its height for H'
                                  if logo.file.lower().endswith(".svg") else
                                  "save it again as a PNG or SVG file from the program that made it"))
            continue
        shape = f"{width:g} by {height:g}"
        if width / height > MAX_WIDTH / READABLE:
            warnings.append(_warn(
                logo, f"{_name(logo)} is {shape}, {width / height:.1f} times as wide as it is high, so the header, "
                f"which draws a logo at most {MAX_WIDTH} px wide, shrinks it to {MAX_WIDTH * height / width:.0f} px "
                "high: too small to read",
                f"use a version at most {MAX_WIDTH // READABLE} times as wide as it is high, e.g. with its words "
                "on two lines"))
        elif width / height < READABLE / HEIGHT_ON_A_PHONE:
            warnings.append(_warn(
                logo, f"{_name(logo)} is {shape}, so the header, which draws a logo {HEIGHT_ON_A_PHONE} px high "
                f"on a phone, makes it {HEIGHT_ON_A_PHONE * width / height:.0f} px wide: too small to read",
                "use a landscape or square version of the logo, at least 2 wide for every 3 high"))
    return warnings


def _normal(path: str) -> str:
    return path.replace("\\", "/").lstrip("./")


def _name(logo: Logo) -> str:
    return f"the {'partner logo' if logo.setting == 'partner_logo' else 'logo'} {logo.file}"


def _warn(logo: Logo, message: str, hint: str) -> Problem:
    return Problem(logo.source, logo.line, message, hint, warning=True)
