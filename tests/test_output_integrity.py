"""The output can be trusted: nothing lost, nothing stale, the same bytes every time,
every link in it works, and files as real editors save them build correctly."""
from __future__ import annotations

import datetime
import functools
import http.server
import os
import re
import shutil
import threading
import unicodedata
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest

from support import REPO, write_files
from toolkit.stages import write as write_module
from toolkit.commands.check import check_external, run_check
from toolkit.model.problems import BuildFailed
from toolkit.commands.build import build
from toolkit.national import VERSION

SETTINGS = """\
name: Testshire Compact toolkit
area: Testshire
accessibility:
  contact_email: compact@testshire.example
  last_tested: 2026-11-01
"""


def page(title: str, order: int, body: str = "Some text.\n", extra: str = "") -> str:
    return f"---\ntitle: {title}\norder: {order}\n{extra}---\n\n{body}"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edition(tmp_path: Path, files: dict, settings: str = SETTINGS) -> Path:
    return write_files(tmp_path / "edition", {"toolkit.yml": settings, **files})


# --- nothing lost ------------------------------------------------------------------------------------------

def test_a_failed_build_leaves_the_previous_site_byte_identical(tmp_path):
    root = _edition(tmp_path, {"content/local.md": page("Local help", 50)})
    out = tmp_path / "site"
    build(root, out, use_cache=False)
    before = snapshot(out)
    assert "local.html" in before
    (root / "content" / "local.md").write_text(page("Local help", 50, "[broken](nowhere.html)\n"))
    (root / "content" / "new.md").write_text(page("New", 51))
    with pytest.raises(BuildFailed):
        build(root, out, use_cache=False)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition", "site"]      # no staging folder left


def test_a_build_that_fails_while_writing_leaves_the_previous_site(tmp_path, monkeypatch):
    root = _edition(tmp_path, {"content/local.md": page("Local help", 50)})
    out = tmp_path / "site"
    build(root, out, use_cache=False)
    before = snapshot(out)
    (root / "content" / "local.md").write_text(page("Local help, changed", 50))
    written = []

    def open_then_fail(target, mode="r", *args, **kwargs):     # the disk fills up half way through
        if "w" in mode and len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(target)
        return open(target, mode, *args, **kwargs)
    monkeypatch.setattr(write_module, "open", open_then_fail, raising=False)
    with pytest.raises(OSError):
        build(root, out, use_cache=False)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition", "site"]


def test_a_failed_swap_puts_the_previous_site_back(tmp_path, monkeypatch):
    root = _edition(tmp_path, {"content/local.md": page("Local help", 50)})
    out = tmp_path / "site"
    build(root, out, use_cache=False)
    before = snapshot(out)
    real_replace = os.replace

    def replace(source, target):                  # the staging folder cannot be moved into place
        if Path(source).name.startswith(".site.new-"):
            raise PermissionError(13, "Permission denied")
        return real_replace(source, target)
    monkeypatch.setattr(write_module.os, "replace", replace)
    with pytest.raises(PermissionError):
        build(root, out, use_cache=False)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition", "site"]


def test_a_successful_build_leaves_no_file_of_a_removed_page(tmp_path):
    root = _edition(tmp_path, {"content/local.md": page("Local help", 50), "case_studies/here.yml": """\
title: Here
area: Testshire
summary: Something happened here.
themes: [local]
who: People.
what_they_did: Things.
what_it_led_to: More things.
""", "static/photo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    out = tmp_path / "site"
    build(root, out, use_cache=False)
    assert {"local.html", "case-studies/here.html", "static/photo.svg"} <= set(snapshot(out))
    for rel in ("content/local.md", "case_studies/here.yml", "static/photo.svg"):
        (root / rel).unlink()
    build(root, out, use_cache=False)
    after = snapshot(out)
    assert not {"local.html", "case-studies/here.html", "static/photo.svg"} & set(after)
    assert not any("local.html" in data.decode("utf-8", "replace") for name, data in after.items()
                   if name.endswith((".html", ".js")))


def test_a_folder_the_toolkit_did_not_make_is_never_replaced(tmp_path):
    root = _edition(tmp_path, {})
    out = write_files(tmp_path / "documents", {"report.docx": "mine"})
    with pytest.raises(BuildFailed) as failed:
        build(root, out, use_cache=False)
    assert failed.value.problems[0].message == ("the output folder already exists and was not made by "
                                                "Compact Toolkit")
    assert snapshot(out) == {"report.docx": b"mine"}


def test_a_case_study_cannot_take_the_name_of_the_index(tmp_path):
    root = _edition(tmp_path, {"case_studies/index.yml": "title: I\narea: A\nsummary: S.\nthemes: [t]\n"
                                                         "who: W.\nwhat_they_did: D.\nwhat_it_led_to: L.\n"})
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False, use_cache=False)
    assert [p.format() for p in failed.value.problems] == [
        "case_studies/index.yml: error: this would be written to case-studies/index.html, which the theme's "
        "own case-studies/index.html page uses\n  hint: rename the file: that name is taken"]


# --- the same bytes every time -----------------------------------------------------------------------------

def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    first, second, cached = tmp_path / "one", tmp_path / "two", tmp_path / "three"
    build(REPO, first, use_cache=False)
    build(REPO, second, use_cache=False)
    assert snapshot(first) == snapshot(second)
    assert len(snapshot(first)) > 25
    root = _edition(tmp_path, {"content/local.md": page("Local help", 50)})
    build(root, cached)                            # fills the cache
    again = tmp_path / "four"
    build(root, again)                             # everything from the cache
    assert snapshot(cached) == snapshot(again)


def test_a_build_date_comes_from_source_date_epoch(tmp_path, monkeypatch):
    root = _edition(tmp_path, {}, SETTINGS + "show_build_date: true\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")          # 14 November 2023
    build(root, tmp_path / "one", use_cache=False)
    build(root, tmp_path / "two", use_cache=False)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert "2023-11-14" in (tmp_path / "one" / "index.html").read_text()
    root_without = write_files(tmp_path / "plain", {"toolkit.yml": SETTINGS})
    build(root_without, tmp_path / "three", use_cache=False)
    assert "2023-11-14" not in (tmp_path / "three" / "index.html").read_text()


# --- every link in the output works ------------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.urls.append(value)
            if name == "id":
                self.ids.add(value)

    handle_startendtag = handle_starttag


def broken_links(out: Path) -> list[str]:
    """Every internal link of the site, followed as a browser would (urljoin, then percent-decoding)."""
    parsed = {}
    for path in out.rglob("*.html"):
        links = _Links()
        links.feed(path.read_text(encoding="utf-8"))
        parsed[path.relative_to(out).as_posix()] = links
    broken = []
    base = "http://example.org/site/"
    for rel, links in parsed.items():
        for url in links.urls:
            absolute = urljoin(base + rel, url)
            if not absolute.startswith(base) and urlsplit(absolute).scheme in ("http", "https") \
                    and urlsplit(absolute).netloc == "example.org":
                broken.append(f"{rel}: {url} leaves the site")
                continue
            if not absolute.startswith(base):
                continue                            # another website, mailto:, tel:
            parts = urlsplit(absolute)
            target = unquote(parts.path[len("/site/"):]) or "index.html"
            if not (out / target).is_file():
                broken.append(f"{rel}: {url} -> {target} is missing")
            elif parts.fragment and target in parsed and unquote(parts.fragment) not in parsed[target].ids \
                    and parts.fragment != "top":
                broken.append(f"{rel}: {url} -> #{parts.fragment} is missing")
    return broken


def test_every_link_image_and_anchor_of_the_national_site_resolves(national_site):
    assert broken_links(national_site) == []


def test_a_broken_link_made_by_a_template_is_an_error_naming_the_page_and_template(tmp_path):
    template = (REPO / "themes/default/templates/404.html").read_text(encoding="utf-8")
    broken = template.replace("{% endblock %}", '<a href="{{ \'nowhere.html\'|url }}#x">x</a>{% endblock %}', 1)
    assert broken != template
    root = _edition(tmp_path, {"themes/default/templates/404.html": broken})
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False, use_cache=False)
    [problem] = failed.value.problems
    assert problem.path == "(output) 404.html" and problem.line > 1 and problem.column > 1
    assert problem.message == "the link 'nowhere.html#x' leads to nowhere.html, which is not in the site"
    assert problem.hint == "this comes from the theme template 404.html or a setting it shows; fix the link there"



def test_a_broken_link_on_the_404_page_is_found_with_base_url_set_too(tmp_path):
    # With base_url, the 404 page links from the site's own path (/intranet/...), and
    # those links are checked from the site's root.
    template = (REPO / "themes/default/templates/404.html").read_text(encoding="utf-8")
    broken = template.replace("{% endblock %}", '<a href="{{ \'nowhere.html\'|url }}">x</a>{% endblock %}', 1)
    settings = SETTINGS + "base_url: https://council.example/intranet/compact\n"
    root = _edition(tmp_path, {"themes/default/templates/404.html": broken}, settings)
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False, use_cache=False)
    [problem] = failed.value.problems
    assert problem.path == "(output) 404.html"
    assert problem.message == ("the link '/intranet/compact/nowhere.html' leads to nowhere.html, "
                               "which is not in the site")
    root = _edition(tmp_path, {"themes/default/templates/404.html": template}, settings)
    assert build(root, write=False, use_cache=False).outputs["404.html"].count(b'href="/intranet/compact/') > 5

# --- files as real editors save them -------------------------------------------------------------------------

def test_bom_and_windows_line_endings_are_read_as_plain_utf_8(tmp_path):
    crlf = "\ufeff" + page("Caf\u00e9 \u2013 local", 50, "## First part\r\n\r\nLine one\r\nline two.\r\n",
                           "summary: Windows\r\n").replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    root = _edition(tmp_path, {"content/windows.md": crlf.encode("utf-8"),
                               "case_studies/here.yml": ("\ufefftitle: Here\r\narea: Testshire\r\nsummary: S.\r\n"
                                                         "themes: [t]\r\nwho: W.\r\nwhat_they_did: D.\r\n"
                                                         "what_it_led_to: L.\r\n").encode("utf-8")},
                    "\ufeff" + SETTINGS.replace("\n", "\r\n"))
    out = tmp_path / "out"
    build(root, out, use_cache=False)
    html = (out / "windows.html").read_text(encoding="utf-8")
    assert "<h1>Caf\u00e9 \u2013 local</h1>" in html and '<h2 id="first-part">First part</h2>' in html
    assert "\r" not in html and "\ufeff" not in html
    assert "<h1>Here</h1>" in (out / "case-studies" / "here.html").read_text(encoding="utf-8")
    assert "\ufeff" not in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("rel, data, expected", [
    ("content/empty.md", b"", "content/empty.md:1: error: this page has no front matter"),
    ("content/blank.md", b"---\n---\n\nText.\n", "content/blank.md:1: error: this page has no front matter"),
    ("content/comment.md", b"---\n# nothing yet\n---\n\nText.\n",
     "content/comment.md:2: error: the front matter should be a set of 'name: value' settings, not empty"),
    ("toolkit.yml", b"", "toolkit.yml:1: error: 'name' is missing"),
    ("case_studies/empty.yml", b"\n\n", "case_studies/empty.yml: error: this case study file is empty"),
])
def test_empty_files_are_clear_errors(tmp_path, rel, data, expected):
    root = _edition(tmp_path, {rel: data})
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False, use_cache=False)
    assert [p.format().split("\n")[0] for p in failed.value.problems][0].startswith(expected)


def test_an_empty_data_file_empties_that_list(tmp_path):
    root = _edition(tmp_path, {"data/further_reading.yml": ""})
    result = build(root, write=False, use_cache=False)
    assert result.site.content.reading == ()


def test_a_five_megabyte_page_builds(tmp_path):
    sentence = ("Commissioners and local groups agree outcomes together, and the council explains how "
                "social value is weighed in each decision. ")
    part = ("## Part {n}\n\n" + sentence * 3 + "\n\n- see [[principle:2.4]] and "
            "[the consultation page](consultation.html#top)\n\n")
    body = "".join(part.replace("{n}", str(n)) for n in range(5_000_000 // len(part) + 1))
    assert len(body.encode()) >= 5_000_000
    root = _edition(tmp_path, {"content/big.md": page("A very long page", 50, body)})
    out = tmp_path / "out"
    result = build(root, out, use_cache=False)
    html = (out / "big.html").read_text(encoding="utf-8")
    assert html.count("<h2 id=\"part-") == body.count("## Part ")
    assert result.seconds < 60


NAMES = {
    "content/Help for groups.md": "Help-for-groups.html",
    "content/caf\u00e9.md": "caf\u00e9.html",
    "content/" + unicodedata.normalize("NFD", "r\u00e9sum\u00e9") + ".md": "r\u00e9sum\u00e9.html",  # as a Mac saves it
    "content/Planning & review #2?.md": "Planning-review-2.html",
    "case_studies/S\u00e3o Paulo links.yml": "case-studies/S\u00e3o-Paulo-links.html",
}


@pytest.fixture
def named_site(tmp_path):
    files = {rel: page(f"Page {n}", 50 + n, "Text.\n") for n, rel in enumerate(NAMES) if rel.startswith("content/")}
    files["content/links.md"] = page("Links", 60, "[one](caf\u00e9.html), [two](<Help-for-groups.html>), "
                                     "[three](r%C3%A9sum%C3%A9.html#top), [four](Planning-review-2.html)\n")
    files["case_studies/S\u00e3o Paulo links.yml"] = ("title: Far away\narea: S\u00e3o Paulo\nsummary: S.\n"
                                                     "themes: [t]\nsections: [Help for groups, caf\u00e9]\n"
                                                     "who: W.\nwhat_they_did: D.\nwhat_it_led_to: L.\n")
    root = _edition(tmp_path, files)
    out = tmp_path / "out"
    build(root, out, use_cache=False)
    return out


def test_file_names_with_spaces_and_accents_get_working_output_names(named_site):
    made = set(snapshot(named_site))
    for output in NAMES.values():
        assert output in made, output
    assert broken_links(named_site) == []
    study = (named_site / "case-studies" / "S\u00e3o-Paulo-links.html").read_text(encoding="utf-8")
    assert 'href="../Help-for-groups.html"' in study and 'href="../caf\u00e9.html"' in study
    links = (named_site / "links.html").read_text(encoding="utf-8")
    assert 'href="caf%C3%A9.html"' in links           # the Markdown link, percent-encoded


def test_file_names_with_accents_are_served_by_a_web_server(named_site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(named_site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        links = _Links()
        links.feed((named_site / "links.html").read_text(encoding="utf-8"))
        nav = _Links()
        nav.feed((named_site / "case-studies" / "S\u00e3o-Paulo-links.html").read_text(encoding="utf-8"))
        urls = [urljoin(base + "links.html", u) for u in links.urls if not u.startswith(("#", "mailto:"))]
        urls += [urljoin(base + "case-studies/S%C3%A3o-Paulo-links.html", u) for u in nav.urls
                 if not u.startswith(("#", "mailto:", "http"))]
        for url in urls:
            quoted = quote(url, safe=":/%#?=&")        # what a browser sends for é
            with urllib.request.urlopen(quoted.split("#")[0], timeout=10) as response:
                assert response.status == 200, url
    finally:
        server.shutdown()


def test_two_file_names_that_make_one_output_name_are_an_error_naming_both(tmp_path):
    root = _edition(tmp_path, {"content/Help for groups.md": page("One", 50),
                               "content/Help-for-groups.md": page("Two", 51)})
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False, use_cache=False)
    assert [p.format() for p in failed.value.problems] == [
        "content/Help-for-groups.md: error: this would be written to Help-for-groups.html, but "
        "content/Help for groups.md is written to Help-for-groups.html\n"
        "  hint: rename one of content/Help-for-groups.md and content/Help for groups.md"]


def test_a_sitemap_percent_encodes_names(tmp_path):
    root = _edition(tmp_path, {"content/caf\u00e9.md": page("Caf\u00e9", 50)},
                    SETTINGS + "base_url: https://compact.example.org/toolkit\n")
    out = tmp_path / "out"
    build(root, out, use_cache=False)
    assert "<loc>https://compact.example.org/toolkit/caf%C3%A9.html</loc>" in (out / "sitemap.xml").read_text()


# --- stale content -------------------------------------------------------------------------------------------

STALE = {
    "content/old.md": page("Old", 50, extra="reviewed: 2024-05-01\n"),
    "content/fresh.md": page("Fresh", 51, extra="reviewed: 2026-10-01\n"),
    "case_studies/old.yml": "title: Old\narea: A\nsummary: S.\nthemes: [t]\nwho: W.\nwhat_they_did: D.\n"
                            "what_it_led_to: L.\nreviewed: 2023-01-31\n",
}


def test_stale_pages_are_warned_about_failed_with_strict_and_show_last_reviewed(tmp_path, capsys):
    root = _edition(tmp_path, STALE, SETTINGS + "review_every: 24\n")
    today = datetime.date(2026, 11, 25)
    result = build(root, tmp_path / "out", use_cache=False, today=today)
    assert [p.format() for p in result.warnings] == [
        "content/old.md:1: warning: last reviewed on 2024-05-01, more than 24 months ago\n"
        "  hint: check the text is still right, then set 'reviewed:' to today's date",
        "case_studies/old.yml:8: warning: last reviewed on 2023-01-31, more than 24 months ago\n"
        "  hint: check the text is still right, then set 'reviewed:' to today's date"]
    assert ('<p class="reviewed">Last reviewed: <time datetime="2026-10-01">1 October 2026</time></p>'
            in (tmp_path / "out" / "fresh.html").read_text())
    with pytest.raises(BuildFailed) as failed:
        build(root, write=False, use_cache=False, today=today, strict=True)
    assert [p.warning for p in failed.value.problems] == [False, False]
    assert run_check(root, today=today) == 0
    assert capsys.readouterr().err.endswith("2 warnings found.\n")
    with pytest.raises(BuildFailed):
        run_check(root, today=today, strict=True)
    assert build(root, write=False, use_cache=False, today=datetime.date(2025, 1, 1)).warnings == ()


# --- check --external, offline ----------------------------------------------------------------------------

def _without_national_links() -> str:
    """hide: every national page that links to another website, so a test asks no real one."""
    linking = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "content").glob("*.md")
                     if "http" in p.read_text(encoding="utf-8"))
    return "hide:\n" + "".join(f"  - {rel}\n" for rel in linking)


def test_external_links_fail_gracefully_when_nothing_can_be_reached(tmp_path, capsys):
    closed = _closed_port()
    root = _edition(tmp_path, {
        "content/away.md": page("Away", 50, f"See [the report](http://127.0.0.1:{closed}/report) and\n"
                                            f"[another](http://127.0.0.1:{closed}/b).\n"),
        "data/further_reading.yml": f"- title: A report\n  url: http://127.0.0.1:{closed}/reading\n"
                                    "  description: Why to read it.\n"}, SETTINGS + _without_national_links())
    assert run_check(root, external=True, timeout=2) == 0
    captured = capsys.readouterr()
    # (The other warnings are of links to the pages hidden here.)
    assert [block for block in captured.err.split("\n\n") if block.startswith("check --external")] == [
        f"check --external: warning: could not reach any of the 3 links to other websites "
        f"(for example http://127.0.0.1:{closed}/b: the connection was refused)\n"
        "  hint: check the computer is online, then run 'check --external' again; nothing else was affected"]
    assert re.fullmatch(rf"Checked \d+ pages of Testshire Compact toolkit \(national toolkit {re.escape(VERSION)}\) "
                        r"and 3 links to other websites: "
                        r"no errors.\n", captured.out)
    with pytest.raises(BuildFailed) as failed:             # --strict: a warning fails the check
        run_check(root, external=True, strict=True, timeout=2)
    assert failed.value.problems and not any(p.warning for p in failed.value.problems)


def test_external_links_that_are_gone_are_errors_at_their_line(tmp_path):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):
            self.send_response(200 if self.path == "/here" else 404)
            self.end_headers()
        do_GET = do_HEAD

        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        problems = check_external([(f"{base}/here", "content/a.md", 3, 7), (f"{base}/gone", "content/a.md", 9, 2),
                                   (f"http://127.0.0.1:{_closed_port()}/x", "content/b.md", 4, 1)], timeout=2)
    finally:
        server.shutdown()
    assert [p.format() for p in problems] == [
        f"content/a.md:9:2: error: the link {base}/gone leads to a page that is not there (HTTP 404)\n"
        "  hint: find where the page has moved to and link there, or remove the link",
        f"content/b.md:4:1: warning: the link http://127.0.0.1:{_closed_port.last}/x could not be checked "
        "(the connection was refused)\n"
        "  hint: open it in a browser; if it works there, the site may refuse automatic checks"]


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once, with no network."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _closed_port.last = port
    return port
