"""WCAG 2.2 contrast checks for the brand colours, in the ways the theme uses them.

The default theme puts white text on the primary colour (header, buttons) and the
primary colour as link text on white: each needs 4.5:1 (WCAG 1.4.3).

The accent colour may be light or dark. The theme puts text on it (the keyboard focus
highlight, the skip link) in whichever of dark text and white reads better on it
(`text_on`, which also writes --accent-text in brand.css), so that pair needs 4.5:1.
The focus highlight is the accent with a bar under it in that text colour; it must
stand out wherever it sits (WCAG 1.4.11, non-text contrast, 3:1):
- a light accent, with its dark bar, stands out on the white page by the bar; in the
  primary-coloured header only the accent itself can, so it needs 3:1 against the primary;
- a dark accent, with its white bar, stands out in the header by the bar (white on the
  primary passes 4.5:1 already), and on the white page by the accent itself, which has
  4.5:1 with white once white text passes on it. Nothing more to check.

A failing pair is reported with both colours, the ratio found, the ratio needed
and a colour close to the edition's own (same hue and saturation, nearest
lightness) that passes every check on that setting, as the theme would use it.
"""
from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass
from typing import Callable

from toolkit.model.problems import Problem

WHITE = "#ffffff"
TEXT = "#0b0c0c"      # the theme's dark text colour (--text and --focus-text in site.css)


@dataclass(frozen=True)
class Use:
    setting: str          # "primary" or "accent": the colour the edition chose
    other: str            # the colour it is used with
    other_name: str       # that colour, as a person would call it
    needed: float
    how: str              # how the theme uses the pair
    against_primary: bool = False


def text_on(colour: str) -> str:
    """The text colour the theme puts on `colour`: dark text or white, whichever has more contrast."""
    return WHITE if ratio(colour, WHITE) > ratio(colour, TEXT) else TEXT


def _uses(primary: str, accent: str) -> tuple[Use, ...]:
    primary_use = Use("primary", WHITE, "white", 4.5,
                      "the site puts white text on the primary colour (header, buttons) and primary links on white")
    if not accent:                  # written wrongly: nothing is checked against it
        return (primary_use,)
    if text_on(accent) == WHITE:
        return (primary_use,
                Use("accent", WHITE, "white", 4.5, "the site puts white text on an accent colour this dark "
                    "(the keyboard focus highlight, the skip link)"))
    return (primary_use,
            Use("accent", primary, "the primary colour", 3.0,
                "the keyboard focus highlight, in the accent colour, must stand out on the primary-coloured header",
                against_primary=True),
            Use("accent", TEXT, "dark text", 4.5, "the site puts dark text on an accent colour this light "
                "(the keyboard focus highlight, the skip link)"))


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


def nearest_passing(colour: str, passes: Callable[[str], bool]) -> str:
    """The colour nearest in lightness, same hue and saturation, for which `passes` is true."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    for step in range(1, 201):
        for shifted in (light - step / 200, light + step / 200):     # darker first, then lighter
            if not 0.0 <= shifted <= 1.0:
                continue
            candidate = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, shifted, sat))
            if passes(candidate):
                return candidate
    return ""


def _failures(setting: str, colours: dict[str, str], skip_primary: bool) -> list[tuple[Use, float]]:
    """The theme's uses of colours[setting] that fail, with the ratio found."""
    mine = colours[setting]
    uses = [use for use in _uses(colours["primary"], colours["accent"])
            if use.setting == setting and use.other and not (skip_primary and use.against_primary)]
    return [(use, ratio(mine, use.other)) for use in uses if not _passes(ratio(mine, use.other), use.needed)]


def check_colours(primary: str, accent: str, where: dict[str, tuple[str, int]]) -> list[Problem]:
    """`where` maps "primary" and "accent" to the (file, line) that set them. A colour given
    as "" (the edition wrote it wrongly) is not checked, nor the other against it."""
    colours = {"primary": primary.lower(), "accent": accent.lower()}
    problems = []
    for setting in ("primary", "accent"):
        mine = colours[setting]
        if not mine:
            continue
        # The primary colour is to change; the accent is checked against it once it passes.
        skip_primary = bool(problems)
        failed = _failures(setting, colours, skip_primary)
        if not failed:
            continue
        suggestion = nearest_passing(mine, lambda candidate: not _failures(
            setting, {**colours, setting: candidate}, skip_primary))
        flips = suggestion and setting == "accent" and text_on(suggestion) != text_on(mine)
        path, line = where.get(setting, ("toolkit.yml", 0))
        for use, found in failed:
            problems.append(Problem(
                path, line,
                f"the {setting} colour {mine} and {use.other_name} ({use.other}) have a contrast ratio of "
                f"{math.floor(found * 100) / 100:.2f}:1, but {use.how}, which needs at least {use.needed:g}:1 "
                "(WCAG 2.2 AA)",   # rounded down, so a failing ratio never shows as the one needed
                f"choose another {setting} colour, for example \"{suggestion}\", the nearest shade of yours "
                "that passes" + (f" (the site puts {'white' if text_on(suggestion) == WHITE else 'dark'} text on it)"
                                 if flips else "")
                if suggestion else f"choose another {setting} colour with more contrast"))
    return problems
