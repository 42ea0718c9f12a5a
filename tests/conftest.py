"""Shared fixtures: build real sites, national or made from a dict of files.
Plain helpers (REPO, run_cli, write_files) live in support.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from support import CHROMIUM, CHROMIUM_ARGS, REPO, run_cli, write_files  # noqa: F401
from toolkit.commands.build import build

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


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for the whole run, driven by Playwright."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser profile (fresh localStorage) whose console errors fail the test."""
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.console_errors = errors
    yield tab
    context.close()
