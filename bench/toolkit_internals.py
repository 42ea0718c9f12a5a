"""The one place the benchmark reaches into the toolkit's own modules.

Everything else runs `python build.py ...` as a user does. When the toolkit's modules
move, the imports below are the only ones in bench/ to change; they are made when
called, so the rest of the benchmark loads whatever the toolkit's layout.
"""
from __future__ import annotations

from typing import Callable


def contrast_checks() -> tuple[Callable[[str, str], float], str, str]:
    """(the WCAG contrast ratio of two colours, white, the theme's text colour), as the toolkit checks them."""
    from toolkit.checks.contrast import TEXT, WHITE, ratio
    return ratio, WHITE, TEXT


def run_command_line(argv: list[str]) -> int:
    """The toolkit's command line, run in this process (for a profile of it)."""
    from toolkit.cli import main
    return main(argv)
