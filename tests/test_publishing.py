"""Publishing (issue 15): the site as one zip, and ready server settings written beside the site.

The nginx settings are served by a real nginx (Debian's package: .ci/run installs it; without it
the test is skipped here, and fails in CI), with the site under a sub-folder as a council hosts it.
"""
from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import time
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import pytest

from support import run_cli, write_files
from toolkit.stages.server_settings import CONTENT_SECURITY_POLICY, FILES
from toolkit.stages.write import MANIFEST

SETTINGS = """
    name: Testshire Compact toolkit
    accessibility:
      contact_email: compact@testshire.example
      last_tested: 2026-11-01
"""
SUB_FOLDER = "/intranet/compact/"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


def _edition(root: Path, base_url: bool = True) -> Path:
    text = SETTINGS + ("    base_url: https://intranet.testshire.example/intranet/compact\n" if base_url else "")
    return write_files(root, {"toolkit.yml": text})


def test_build_zip_holds_exactly_the_site_and_is_the_same_bytes_every_time(tmp_path):
    edition = _edition(tmp_path / "testshire")
    first = run_cli("build", str(edition), "--zip")
    assert first.returncode == 0, first.stderr
    site, made = edition / "_site", edition / "_site.zip"
    assert f"Wrote the site as one zip file: {made}.\n" in first.stdout
    (site / "downloads.txt").write_text("a web team's own file\n")        # kept in the folder, not in the zip
    before = made.read_bytes()
    time.sleep(1.1)                                       # later file times: they must not reach the zip
    again = run_cli("build", str(edition), "--zip", "--no-cache")
    assert again.returncode == 0, again.stderr
    assert made.read_bytes() == before
    with zipfile.ZipFile(made) as archive:
        entries = archive.infolist()
        names = [entry.filename for entry in entries]
        assert names == sorted(names)
        assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
        expected = sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                          if p.is_file() and p.name not in (MANIFEST, "downloads.txt"))
        assert names == expected and "index.html" in names and "assets/site.css" in names
        assert all(archive.read(name) == (site / name).read_bytes() for name in names)


def test_server_settings_are_written_beside_the_site_with_the_404_page_at_base_url(tmp_path):
    edition = _edition(tmp_path / "testshire")
    built = run_cli("build", str(edition))
    assert built.returncode == 0 and built.stderr == "", built.stderr
    folder = edition / "_site-server-settings"
    assert f"Wrote server settings for IIS, Apache and nginx to {folder} (see README.txt there).\n" in built.stdout
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    assert not [name for name in FILES if (edition / "_site" / name).exists()]      # beside the site, not in it

    config = ElementTree.fromstring((folder / "web.config").read_bytes())
    error, = config.iter("error")
    assert (error.get("statusCode"), error.get("path")) == ("404", "/intranet/compact/404.html")
    headers = {add.get("name"): add.get("value") for add in config.find("system.webServer/httpProtocol/"
                                                                          "customHeaders").iter("add")}
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    types = {m.get("fileExtension"): m.get("mimeType") for m in config.iter("mimeMap")}
    assert types[".svg"] == "image/svg+xml; charset=utf-8" and types[".js"] == "text/javascript; charset=utf-8"

    htaccess = (folder / ".htaccess").read_text(encoding="utf-8").splitlines()
    assert f'  Header always set Content-Security-Policy "{CONTENT_SECURITY_POLICY}"' in htaccess
    assert "ErrorDocument 404 /intranet/compact/404.html" in htaccess
    assert "AddType image/svg+xml .svg" in htaccess
    nginx = (folder / "nginx.conf").read_text(encoding="utf-8")
    assert "location /intranet/compact/ {\n" in nginx and "    error_page 404 /intranet/compact/404.html;\n" in nginx


def test_without_base_url_the_build_says_once_that_the_404_page_works_only_at_the_top(tmp_path):
    edition = _edition(tmp_path / "testshire", base_url=False)
    first = run_cli("build", str(edition))
    assert first.returncode == 0
    assert first.stderr == ("toolkit.yml: warning: there is no base_url, so the 404 page works only for a missing "
                            "page in the site's top folder, and the server settings beside the site leave it out\n"
                            "  hint: set base_url: to the address the site will live at, e.g. "
                            "base_url: https://www.example.org/compact, then build again\n\n1 warning found.\n")
    settings = edition / "_site-server-settings"
    for name in ("web.config", ".htaccess", "nginx.conf", "README.txt"):
        text = (settings / name).read_text(encoding="utf-8")
        assert "This site has no base_url in its toolkit.yml" in text and "404.html" not in text, name
    (edition / "content").mkdir()
    (edition / "content/local.md").write_text("---\ntitle: Local\norder: 90\n---\n\nOurs.\n", encoding="utf-8")
    second = run_cli("build", str(edition))                # a real rebuild: said once, not again
    assert (second.returncode, second.stderr) == (0, "")
    assert "Wrote server settings" not in second.stdout


def test_nginx_serves_the_site_in_a_sub_folder_with_the_settings_made_for_it(tmp_path):
    if NGINX is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: CI installs it (.ci/run: apt-get install nginx)")
        pytest.skip("no nginx here (apt-get install nginx)")
    edition = _edition(tmp_path / "testshire")
    built = run_cli("build", str(edition))
    assert built.returncode == 0, built.stderr
    www = tmp_path / "www"
    shutil.copytree(edition / "_site", www / SUB_FOLDER.strip("/"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    temp = tmp_path / "nginx"
    temp.mkdir()
    conf = temp / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\ndaemon off;\npid {temp}/nginx.pid;\nerror_log {temp}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n  access_log off;\n  default_type application/octet-stream;\n"
        + "".join(f"  {kind}_temp_path {temp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                      "scgi"))
        + f"  server {{\n    listen 127.0.0.1:{port};\n    root {www};\n"
        f"    include {edition / '_site-server-settings/nginx.conf'};\n  }}\n}}\n")
    server = subprocess.Popen([NGINX, "-p", str(temp), "-e", str(temp / "error.log"), "-c", str(conf)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(port, server, temp / "error.log")
        status, headers, body = _get(port, SUB_FOLDER + "index.html")
        assert status == 200
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert body == (edition / "_site/index.html").read_bytes()
        status, headers, _ = _get(port, SUB_FOLDER + "assets/site.js")
        assert (status, headers["content-type"]) == (200, "text/javascript; charset=utf-8")
        status, headers, _ = _get(port, SUB_FOLDER + "static/logo.svg")
        assert headers["content-type"].startswith("image/svg+xml")
        status, headers, _ = _get(port, SUB_FOLDER)
        assert status == 200                                     # the folder's index.html
        # A missing page in a sub-folder of the site: the site's own 404 page, with its headers.
        status, headers, body = _get(port, SUB_FOLDER + "case-studies/no-such-study.html")
        assert status == 404
        assert body == (edition / "_site/404.html").read_bytes()
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert f'href="{SUB_FOLDER}assets/site.css"' in body.decode("utf-8")   # links that work from anywhere
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"nginx stopped: {server.stdout.read()}\n{log.read_text() if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("nginx did not start listening")


def _get(port: int, path: str) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()
