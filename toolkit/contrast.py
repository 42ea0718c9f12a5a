"""WCAG 2.2 contrast checks for the brand colours, in the ways the theme uses them.

The default theme puts white text on the primary colour (header, buttons), the
primary colour as link text on white, and near-black text on the accent colour
(the focus highlight). Each pair must reach 4.5:1 (text, WCAG 1.4.3).
"""
from __future__ import annotations

import colorsys

from .errors import Problem

WHITE = "#ffffff"
TEXT = "#0b0c0c"      # the theme's body text colour

# (foreground, background, required ratio, how the theme uses the pair)
def _uses(primary: str, accent: str):
    return (
        (WHITE, primary, 4.5, "white text on the primary colour (header and buttons)", "primary"),
        (primary, WHITE, 4.5, "the primary colour as link text on white", "primary"),
        (TEXT, accent, 4.5, "dark text on the accent colour (keyboard focus highlight)", "accent"),
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


def nearest_passing(colour: str, against: str, needed: float) -> str:
    """The closest colour of the same hue that reaches the ratio against `against`."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    darker = luminance(against) > 0.18     # move away from the other colour
    for step in range(1, 101):
        shifted = max(0.0, light - step / 100) if darker else min(1.0, light + step / 100)
        candidate = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, shifted, sat))
        if ratio(candidate, against) >= needed:
            return candidate
    return "#000000" if darker else "#ffffff"


def check_colours(primary: str, accent: str, where: tuple[str, int]) -> list[Problem]:
    problems = []
    path, line = where
    for foreground, background, needed, use, setting in _uses(primary.lower(), accent.lower()):
        found = ratio(foreground, background)
        if found + 1e-9 >= needed:
            continue
        changing = primary.lower() if setting == "primary" else accent.lower()
        other = background if changing == foreground else foreground
        suggestion = nearest_passing(changing, other, needed)
        problems.append(Problem(
            path, line,
            f"colours {foreground} and {background} have a contrast ratio of {found:.2f}:1, "
            f"but {use} needs at least {needed:g}:1 (WCAG 2.2 AA)",
            f"change {setting} to a colour with more contrast, for example \"{suggestion}\""))
    return problems
