"""Fixtures for tests that drive headless Chromium (Debian's, at /usr/bin/chromium) with Playwright.

The built site is served the way a council would host it: under a sub-path and with the
Content-Security-Policy the server settings send (default-src 'self' and more). When
Chromium is missing these tests are skipped, except in CI (CI=true), where a missing
browser is a failure.
"""
from __future__ import annotations

import http.server
import os
import threading
import urllib.parse
from pathlib import Path

import pytest

from support import CHROMIUM, REPO
from toolkit.commands.build import build
from toolkit.stages.server_settings import CONTENT_SECURITY_POLICY

CSP = CONTENT_SECURITY_POLICY     # the policy the server settings send (stages/server_settings.py)
SUB_PATH = "/intranet/compact/toolkit"
GATE_REPORT = pytest.StashKey[list]()


# The sample editions shipped in areas/, named here so that an edition a coordinator adds
# there (with its own base_url, say) changes no test.
SAMPLES = ("eastmere", "harrowdale")


def edition_folders() -> dict[str, Path]:
    """The national edition and the sample editions."""
    return {"national": REPO, **{name: REPO / "areas" / name for name in SAMPLES}}


def pytest_generate_tests(metafunc):
    """A test that takes `edition` runs once per edition: national, then each sample."""
    if "edition" in metafunc.fixturenames:
        metafunc.parametrize("edition", list(edition_folders()), scope="module")


def pytest_configure(config):
    config.stash[GATE_REPORT] = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """What the accessibility gate checked and how long it took; best-practice findings (not failures)."""
    lines = config.stash.get(GATE_REPORT, [])
    if lines:
        terminalreporter.section("accessibility gate")
        for line in lines:
            terminalreporter.write_line(line)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            return          # let them fail loudly: CI must have a browser
        skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder under SUB_PATH with a strict Content-Security-Policy."""
    sites: dict[str, Path] = {}

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def translate_path(self, path):
        path = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0])
        for prefix, folder in self.sites.items():
            if path == prefix or path.startswith(prefix + "/"):
                root = folder.resolve()
                target = (root / path[len(prefix):].lstrip("/")).resolve()
                if target == root or root in target.parents:
                    return str(target)
        return "/nonexistent"


@pytest.fixture(scope="session")
def serve_sites():
    """serve_sites({url prefix: folder}) -> base URL 'http://127.0.0.1:PORT'."""
    servers = []

    def start(sites: dict[str, Path]) -> str:
        handler = type("Handler", (_Handler,), {"sites": {k.rstrip("/"): Path(v) for k, v in sites.items()}})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"
    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(national_site, serve_sites) -> str:
    """The national edition served under a sub-path, e.g. http://127.0.0.1:PORT/intranet/compact/toolkit/"""
    return serve_sites({SUB_PATH: national_site}) + SUB_PATH + "/"


@pytest.fixture(scope="session")
def edition_sites(national_site, serve_sites, tmp_path_factory) -> dict[str, tuple[str, Path]]:
    """Every edition built and served on one origin: {name: (base URL ending in /, output folder)}."""
    outputs = {}
    for name, folder in edition_folders().items():
        if name == "national":
            outputs[name] = national_site
        else:
            outputs[name] = tmp_path_factory.mktemp(name) / "_site"
            build(folder, outputs[name], use_cache=False)
    base = serve_sites({f"{SUB_PATH}/{name}": out for name, out in outputs.items()})
    return {name: (f"{base}{SUB_PATH}/{name}/", out) for name, out in outputs.items()}


@pytest.fixture(scope="session")
def gate_report(pytestconfig):
    """gate_report(line): a line for the summary printed at the end of the run."""
    return pytestconfig.stash[GATE_REPORT].append


# The `browser` and `page` fixtures live in tests/conftest.py: one browser for the whole run,
# shared with the preview server's browser test (two Playwright instances cannot coexist).
