"""What a red team found in the preview server and in discovery (issue 13), each case as
a person would meet it: links that loop or lead elsewhere, named pipes, links to
nothing, requests that are not the preview's own, dropped connections, odd ports.

The server is started as in tests/test_serve.py (a real `build.py serve` on a free port).
"""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time

import pytest
from support import REPO, write_files
from test_serve import PAGE, Served, free_port

from toolkit.stages.edition import load_edition
from toolkit.stages.discover import discover
from toolkit.model.problems import BuildFailed
from toolkit.commands.build import build
from toolkit.preview.watcher import snapshot

SKIPPED = ("{}: warning: this is a named pipe (FIFO), not a file, so it was skipped\n"
           "  hint: remove it from the edition: only ordinary files are read")
OUTSIDE = ("{}: error: this {} is a link to a place outside the edition\n"
           "  hint: copy the {} into the edition folder instead of linking to it")
NOT_WRITTEN = "\n\nNothing was written: the last good site is unchanged.\n"


def _problems(root) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False, use_cache=False)
    return [problem.format() for problem in failed.value.problems]


def _cli(*args, timeout: float = 60) -> subprocess.CompletedProcess:
    """run_cli with a shorter limit: a build that waits on a named pipe never ends."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


# ----------------------------------------------------------------------------- one walk

def test_serve_starts_within_5_seconds_over_two_links_to_the_content_folder_itself(make_edition):
    edition = make_edition({"content/local.md": PAGE.format(body="Served despite the loops.")})
    os.symlink(".", edition / "content" / "a")
    os.symlink(".", edition / "content" / "b")
    started = time.monotonic()
    server = Served(edition, start_within=5)
    try:
        assert server.get("index.html")[0] == 200
        assert time.monotonic() - started < 5
        status, page = server.get("local.html")
        assert status == 200 and "Served despite the loops." in page
    finally:
        server.stop()


def test_the_watcher_looks_at_what_discovery_reads_and_at_the_links_it_refuses(make_edition):
    edition = make_edition({"content/local.md": PAGE.format(body="x"), "static/real.svg": "<svg/>"})
    os.symlink(".", edition / "content" / "again")
    os.symlink("missing.svg", edition / "static" / "gone.svg")
    watched = snapshot([edition.resolve()])
    assert sorted(os.path.relpath(path, edition.resolve()) for path in watched) == [
        "content/local.md", "static/gone.svg", "static/real.svg", "toolkit.yml"]


# ----------------------------------------------------------------------------- special files

def test_a_named_pipe_is_skipped_with_a_warning_by_build_and_check(make_edition, tmp_path):
    from conftest import MINIMAL_EDITION
    settings = MINIMAL_EDITION["toolkit.yml"].replace("area: Testshire", "area: Testshire\n        base_url: "
                                                      "https://example.org/compact/")
    edition = make_edition({"toolkit.yml": settings, "content/local.md": PAGE.format(body="Words."),
                            "static/real.svg": "<svg/>"})
    os.mkfifo(edition / "content" / "pipe.md")
    os.mkfifo(edition / "static" / "pipe.svg")
    warnings = "\n\n".join([SKIPPED.format("content/pipe.md"), SKIPPED.format("static/pipe.svg"),
                            "2 warnings found.\n"])
    out = tmp_path / "out"
    for _ in range(2):                    # the second time nothing changed, and it still says so
        result = _cli("build", str(edition), "--out", str(out))
        assert (result.returncode, result.stderr) == (0, warnings)
        assert result.stdout.startswith(("Built ", "Checked "))
    assert (out / "local.html").is_file() and (out / "static" / "real.svg").is_file()
    assert not (out / "static" / "pipe.svg").exists() and not (out / "pipe.html").exists()

    result = _cli("check", str(edition))
    assert (result.returncode, result.stderr) == (0, warnings)
    assert re.fullmatch(r"Checked \d+ pages of Testshire Compact toolkit \(national toolkit [^)]*\): no errors\.\n",
                        result.stdout)

    result = _cli("check", str(edition), "--strict")
    assert result.returncode == 1
    assert result.stderr == "\n\n".join([SKIPPED.format("content/pipe.md").replace("warning:", "error:"),
                                         SKIPPED.format("static/pipe.svg").replace("warning:", "error:"),
                                         "2 errors found.\n"])


def test_a_link_to_nothing_in_static_is_an_error_naming_it(make_edition, tmp_path):
    edition = make_edition({"content/local.md": PAGE.format(body="Words.")})
    (edition / "static").mkdir()
    os.symlink("logo-2024.svg", edition / "static" / "logo.svg")
    result = _cli("build", str(edition), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr == (
        "static/logo.svg: error: this is a link that points nowhere: it leads to logo-2024.svg, "
        "which does not exist\n"
        "  hint: remove the link, or put back the file or folder it points to\n\n"
        "1 error found." + NOT_WRITTEN)
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- where links may lead

def test_a_link_may_lead_only_into_the_source_folders_of_the_editions_it_builds_from(tmp_path):
    write_files(tmp_path, {
        "base/toolkit.yml": "name: Base\n",
        "base/static/shared/mark.svg": "<svg/>",
        "base/static/.private/key.svg": "<svg/>",
        "base/notes/plan.txt": "not a source folder",
        "other/toolkit.yml": "name: Other\n",
        "other/static/theirs.svg": "<svg/>",
        "mine/toolkit.yml": "name: Mine\nextends: ../base\n",
        "mine/static/own.svg": "<svg/>",
    })
    static = tmp_path / "mine" / "static"
    os.symlink(tmp_path / "base" / "static" / "shared", static / "shared")          # allowed
    os.symlink(REPO / "content" / "index.md", static / "national-home.md")            # allowed
    os.symlink(tmp_path / "base" / "static" / ".private" / "key.svg", static / "key.svg")
    os.symlink(tmp_path / "base" / "notes", static / "notes")
    os.symlink(tmp_path / "other" / "static", static / "other")
    os.symlink(REPO / "areas" / "eastmere", static / "eastmere")
    os.symlink(REPO / "pyproject.toml", static / "pyproject.toml")
    os.symlink(REPO / ".git", static / "git")
    git = "folder" if (REPO / ".git").is_dir() else "file"
    assert _problems(tmp_path / "mine") == [
        OUTSIDE.format("static/eastmere", "folder", "folder"),
        OUTSIDE.format("static/git", git, git),
        OUTSIDE.format("static/key.svg", "file", "file"),
        OUTSIDE.format("static/notes", "folder", "folder"),
        OUTSIDE.format("static/other", "folder", "folder"),
        OUTSIDE.format("static/pyproject.toml", "file", "file"),
    ]
    for name in ("key.svg", "notes", "other", "eastmere", "pyproject.toml", "git"):
        (static / name).unlink()
    assets = {source.rel for source in discover(load_edition(tmp_path / "mine")).assets}
    assert {"static/own.svg", "static/shared/mark.svg", "static/national-home.md"} <= assets


# ----------------------------------------------------------------------------- the server

@pytest.fixture
def served(make_edition):
    server = Served(make_edition({"content/local.md": PAGE.format(body="Hello.")}))
    yield server
    server.stop()


def _raw(server: Served, request: str) -> bytes:
    """The server's whole answer to one request, as bytes on the wire."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(request.encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_head_gives_the_headers_of_get_and_no_body(served):
    status, page = served.get("index.html")
    answer = _raw(served, f"HEAD /index.html HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200 OK\r\n") and body == b""
    assert b"\r\nContent-Type: text/html; charset=utf-8" in head
    assert f"\r\nContent-Length: {len(page.encode())}".encode() in head
    answer = _raw(served, f"HEAD /no-such-page.html HTTP/1.1\r\nHost: localhost:{served.port}\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 404 Not Found\r\n") and answer.endswith(b"\r\n\r\n")


def test_a_request_for_another_host_is_refused_and_the_preview_s_own_names_work(served):
    def ask(host: str | None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        connection.putrequest("GET", "/local.html", skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        answer = response.status, response.read()
        connection.close()
        return answer

    refused = (421, f"421 Misdirected Request: this preview answers only at http://127.0.0.1:{served.port}/ "
                    f"or http://localhost:{served.port}/\n".encode())
    for host in ("attacker.example", f"attacker.example:{served.port}", f"127.0.0.1:{served.port + 1}",
                 "127.0.0.1", f"127.0.0.1.attacker.example:{served.port}", None):
        assert ask(host) == refused, host
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}", f"LocalHost:{served.port}",
                 f"[::1]:{served.port}"):
        status, body = ask(host)
        assert status == 200 and b"Hello." in body, host


def test_300_dropped_connections_print_no_traceback(served):
    for n in range(300):
        connection = socket.create_connection(("127.0.0.1", served.port), timeout=10)
        if n % 2:
            connection.sendall(f"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))   # reset, not close
        connection.close()
    assert served.get("local.html")[0] == 200          # still serving, after the last of them
    time.sleep(0.5)
    output = "\n".join(served.drain())
    assert "Traceback" not in output and "Error" not in output, output[-3000:]


@pytest.mark.skipif(not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"),
                    reason="needs Linux's /proc to see the build's worker processes")
def test_ctrl_c_during_a_big_first_build_exits_130_quietly(tmp_path):
    from bench.corpus import make_corpus
    from bench.generate import write_edition
    edition = write_edition(make_corpus(400, seed=5), tmp_path / "big")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", str(edition), "--port", str(free_port())],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                               start_new_session=True)
    try:
        children = f"/proc/{process.pid}/task/{process.pid}/children"
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            with open(children) as listed:
                if len(listed.read().split()) >= 2:   # the build's worker processes are at work
                    break
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGINT)          # as Ctrl+C in a terminal: every process of the command
        out, err = process.communicate(timeout=60)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)     # anything left of it
        except ProcessLookupError:
            pass
    assert (process.returncode, out, err) == (130, "", "")


# ----------------------------------------------------------------------------- the port

@pytest.mark.parametrize("port", ["70000", "65536", "0", "-1", "eighty", "8000.5"])
def test_a_port_that_is_no_port_is_a_usage_error(make_edition, port):
    result = _cli("serve", str(make_edition()), f"--port={port}")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("usage: build.py serve [-h] [--port PORT] [--open] [edition]\n"
                             f"build.py serve: error: argument --port: invalid port value: '{port}' "
                             "(use a number from 1 to 65535, e.g. 8000)\n")


def test_a_port_in_use_is_a_clear_error_with_another_port_to_try(make_edition):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _cli("serve", str(make_edition()), "--port", str(port))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"error: cannot serve on 127.0.0.1:{port} (Address already in use)\n"
                             f"  hint: another program (or another preview) is using that port; try --port {port + 1}\n")
