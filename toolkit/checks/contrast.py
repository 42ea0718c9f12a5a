"""WCAG 2.2 contrast checks for the brand colours, in the ways the theme uses them.

The default theme puts white text on the primary colour (header, buttons), the
primary colour as link text on white, and near-black text on the accent colour
(the keyboard focus highlight): text, so each pair needs 4.5:1 (WCAG 1.4.3). The
focus highlight also sits on the primary colour in the header, where it must stand
out from it by 3:1 (WCAG 1.4.11, non-text contrast).

A failing pair is reported with both colours, the ratio found, the ratio needed
and a colour close to the edition's own (same hue and saturation, nearest
lightness) that passes every check on that setting.
"""
from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass

from toolkit.model.problems import Problem

WHITE = "#ffffff"
TEXT = "#0b0c0c"      # the theme's text colour on the focus highlight (--focus-text in site.css)


@dataclass(frozen=True)
class Use:
    setting: str          # "primary" or "accent": the colour the edition chose
    other: str            # the colour it is used with
    other_name: str       # that colour, as a person would call it
    needed: float
    how: str              # how the theme uses the pair
    against_primary: bool = False


def _uses(primary: str, accent: str) -> tuple[Use, ...]:
    return (
        Use("primary", WHITE, "white", 4.5,
            "the site puts white text on the primary colour (header, buttons) and primary links on white"),
        Use("accent", primary, "the primary colour", 3.0,
            "the keyboard focus highlight, in the accent colour, must stand out on the primary-coloured header",
            against_primary=True),
        Use("accent", TEXT, "dark text", 4.5,
            "the keyboard focus highlight puts dark text on the accent colour"),
    )


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def ratio(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _passes(found: float, needed: float) -> bool:
    # WCAG does not round: 4.49:1 fails 4.5:1. The tolerance only absorbs float error.
    return found + 1e-9 >= needed


def nearest_passing(colour: str, needs: list[tuple[str, float]]) -> str:
    """The colour nearest in lightness, same hue and saturation, meeting every (against, ratio)."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    for step in range(1, 201):
        for shifted in (light - step / 200, light + step / 200):     # darker first, then lighter
            if not 0.0 <= shifted <= 1.0:
                continue
            candidate = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, shifted, sat))
            if all(_passes(ratio(candidate, against), needed) for against, needed in needs):
                return candidate
    return ""


def check_colours(primary: str, accent: str, where: dict[str, tuple[str, int]]) -> list[Problem]:
    """`where` maps "primary" and "accent" to the (file, line) that set them. A colour given
    as "" (the edition wrote it wrongly) is not checked, nor the other against it."""
    colours = {"primary": primary.lower(), "accent": accent.lower()}
    problems = []
    for setting in ("primary", "accent"):
        mine = colours[setting]
        uses = [use for use in _uses(colours["primary"], colours["accent"]) if use.setting == setting and use.other]
        if not mine:
            continue
        if problems:
            # The primary colour is to change; the accent is checked against it once it passes.
            uses = [use for use in uses if not use.against_primary]
        failed = [(use, ratio(mine, use.other)) for use in uses if not _passes(ratio(mine, use.other), use.needed)]
        if not failed:
            continue
        suggestion = nearest_passing(mine, [(use.other, use.needed) for use in uses])
        path, line = where.get(setting, ("toolkit.yml", 0))
        for use, found in failed:
            problems.append(Problem(
                path, line,
                f"the {setting} colour {mine} and {use.other_name} ({use.other}) have a contrast ratio of "
                f"{math.floor(found * 100) / 100:.2f}:1, but {use.how}, which needs at least {use.needed:g}:1 "
                "(WCAG 2.2 AA)",   # rounded down, so a failing ratio never shows as the one needed
                f"choose another {setting} colour, for example \"{suggestion}\", the nearest shade of yours "
                "that passes" if suggestion else f"choose another {setting} colour with more contrast"))
    return problems
