"""`python build.py serve`: rebuilds on save, reloads the browser, and shows problems in the page.

Each test starts the real command on a free port in a subprocess, as a coordinator would,
and talks to it over HTTP.
"""
from __future__ import annotations

import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from support import REPO, write_files
from toolkit import invocation

from toolkit.commands.build import build
from toolkit.preview.rebuild import SiteState
from toolkit.preview.server import PREVIEW_PATH, decorate
from toolkit.preview.watcher import changed_paths

WAIT = 20.0          # seconds; a rebuild of a small edition takes well under one


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    def __init__(self, edition, start_within: float = WAIT * 3):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", str(edition), "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self.wait_for_line("Previewing", start_within)
        except BaseException:
            self.stop()                 # not left running when it does not start in time
            raise

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, text: str, within: float = WAIT * 3) -> str:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.process.poll() is None, "serve exited:\n" + "\n".join(self.output)
                continue
            self.output.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} in:\n" + "\n".join(self.output))

    def drain(self) -> list[str]:
        while True:
            try:
                self.output.append(self.lines.get_nowait())
            except queue.Empty:
                return self.output

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def wait_until(self, path: str, check) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            status, body = self.get(path)
            if check(body):
                return body
            time.sleep(0.05)
        raise AssertionError(f"{path} never passed the check; it is now:\n{body[:2000]}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


PAGE = "---\ntitle: Local consultation\norder: 5\nsummary: How we consult here.\n---\n\n{body}\n"


@pytest.fixture
def served(make_edition):
    edition = make_edition({"content/local.md": PAGE.format(body="The first words of the page.")})
    server = Served(edition)
    yield edition, server
    server.stop()


def test_an_edit_is_served_after_saving(served):
    edition, server = served
    status, page = server.get("local.html")
    assert status == 200 and "The first words of the page." in page
    write_files(edition, {"content/local.md": PAGE.format(body="Freshly saved words.")})
    server.wait_until("local.html", lambda body: "Freshly saved words." in body)
    line = server.wait_for_line("content/local.md changed")
    assert re.search(r"content/local\.md changed \(seen \d+ ms after the save\): "
                     r"updated \d+ of \d+ files \(.*local\.html.*\).* in \d+ ms$", line), line


def test_a_yaml_error_shows_on_every_page_over_the_last_good_site_until_fixed(served):
    edition, server = served
    write_files(edition, {"content/local.md": "---\ntitle: [Local consultation\norder: 5\n---\n\nBroken.\n"})
    pages = ("index.html", "local.html", "case-studies/knowsley.html", "principles.html", "no-such-page.html")
    for path in pages:
        body = server.wait_until(path, lambda body: "preview-problems" in body)
        panel = body[body.index('<section class="preview-problems"'):body.index("</section>") + 10]
        assert "content/local.md:2" in panel, panel            # the file and the line the list opens on
        assert "a list is opened here with [ but never closed" in panel and "How to fix it:" in panel
    assert "The first words of the page." in server.get("local.html")[1]    # the last good site is still served
    assert server.process.poll() is None
    server.wait_for_line("the build failed")

    write_files(edition, {"content/local.md": PAGE.format(body="Mended words.")})
    for path in pages[:4]:
        body = server.wait_until(path, lambda body: "preview-problems" not in body)
    assert "Mended words." in server.get("local.html")[1]


def test_a_burst_of_saves_gives_one_rebuild(served):
    edition, server = served
    assert any("first build" in line for line in server.drain())
    for n in range(6):
        write_files(edition, {f"content/burst-{n}.md": PAGE.format(body=f"Burst page {n}.")
                              .replace("order: 5", f"order: {10 + n}")})
        time.sleep(0.01)
    server.wait_until("burst-5.html", lambda body: "Burst page 5." in body)
    time.sleep(1.0)
    rebuilds = [line for line in server.drain() if " changed" in line and "updated" in line]
    assert len(rebuilds) == 1, rebuilds
    assert "content/burst-0.md and 5 other files changed (seen " in rebuilds[0]


def test_pages_are_the_built_pages_plus_the_reload_script(served):
    edition, server = served
    built = build(edition, write=False, use_cache=False).outputs
    status, page = server.get("local.html")
    script = re.search(r'<link rel="stylesheet" href="/__preview__/overlay.css">'
                       r'<script src="/__preview__/reload.js" data-generation="\d+" defer></script>', page)
    assert script is not None
    assert page.replace(script.group(0), "") == built["local.html"].decode("utf-8")
    for path in ("search-index.js", "assets/brand.css", "robots.txt"):
        with urllib.request.urlopen(server.base + path, timeout=10) as response:
            assert response.read() == built[path]
    status, script_text = server.get(PREVIEW_PATH.lstrip("/") + "reload.js")
    assert status == 200 and "EventSource" in script_text
    status, missing = server.get("nowhere.html")
    assert status == 404 and "preview-problems" not in missing


def test_the_event_stream_announces_each_rebuild(served):
    edition, server = served
    generation = int(re.search(r'data-generation="(\d+)"', server.get("index.html")[1]).group(1))
    stream = urllib.request.urlopen(server.base + "__preview__/events", timeout=WAIT)
    assert stream.readline().decode().strip() == f"data: {generation}"
    write_files(edition, {"content/local.md": PAGE.format(body="Another save.")})
    line = ""
    while not line.startswith("data:"):
        line = stream.readline().decode().strip()
    assert line == f"data: {generation + 1}"
    stream.close()


def test_changed_paths_and_decorate_are_plain_functions():
    assert changed_paths({"a": (1, 1), "b": (1, 1)}, {"b": (2, 1), "c": (1, 1)}) == ["a", "b", "c"]
    page = b'<!DOCTYPE html><html><head><title>x</title></head><body class="x"><p>Hi</p></body></html>'
    from toolkit.model.problems import Problem
    shown = decorate(page, SiteState({}, {}, (Problem("content/a.md", 4, "bad <thing>", "fix it"),), 7)).decode()
    assert shown.index("</head>") > shown.index('data-generation="7"')
    assert '<body class="x"><section class="preview-problems"' in shown
    assert "content/a.md:4</code>: bad &lt;thing&gt;" in shown


def test_a_folder_that_is_not_an_edition_is_a_clear_error(tmp_path):
    """A port in use: tests/test_hostile_serve.py."""
    from support import run_cli
    result = run_cli("serve", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stderr == (f"{tmp_path / 'nowhere'}: error: this folder has no toolkit.yml, so it is not an edition\n"
                             "  hint: give the folder of an edition, or make one with: "
                             f"{invocation.python()} build.py new FOLDER --name \"Area\"\n")   # run_cli's cwd is REPO


def test_the_browser_reloads_by_itself_and_shows_then_drops_the_problems(served, request):
    """In a real browser: no manual reload, no console errors, the panel comes and goes."""
    import os
    from support import CHROMIUM
    if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    page = request.getfixturevalue("page")          # the run's one browser (tests/conftest.py)
    edition, server = served
    page.goto(server.base + "local.html")
    assert page.locator(".preview-problems").count() == 0
    write_files(edition, {"content/local.md": "---\ntitle: [Local consultation\norder: 5\n---\n\nBroken.\n"})
    page.wait_for_selector(".preview-problems", timeout=WAIT * 1000)
    assert "content/local.md:2" in page.locator(".preview-problems").inner_text()
    assert page.get_by_text("The first words of the page.").is_visible()
    write_files(edition, {"content/local.md": PAGE.format(body="Words after the fix.")})
    page.wait_for_selector("text=Words after the fix.", timeout=WAIT * 1000)
    assert page.locator(".preview-problems").count() == 0
    assert page.console_errors == []
