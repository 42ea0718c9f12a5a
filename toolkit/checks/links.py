"""Checking that every link in the built site leads somewhere.

Two passes. First the links written in content: markdown.py records each with the
line of its paragraph, so a broken one is reported against the source file a person
can fix (and the exact line and column, found again in that file), never against an
output page. A link to a page is written from the site's root (guides/grants.html), and
a link to its Markdown file from the folder of the file it is in (grants.md,
../guides/grants.md#part), as an editor's preview reads it; both are checked. Then, when content is clean, every href and src of every output page:
what is broken there was made by a template or a setting, and is reported against
the page and the template that made it. Both passes also refuse links that would
run code (javascript:, vbscript:, data: other than images).

`external_links` lists the links to other websites with where they were written,
for `check --external` (commands/check.py), which is the only part that uses a network.
"""
from __future__ import annotations

import difflib
import html as html_lib
import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from toolkit.model import urls
from toolkit.model.problems import Problem
from toolkit.model.content import texts
from toolkit.model.markdown import RenderedMarkdown
from toolkit.checks.scan import scan_page, url_attributes
from toolkit.checks.source_lines import SourceLocator
from toolkit.stages.markdown import is_source_link
from toolkit.stages.structure import NOT_FOUND_PAGE, Site

if TYPE_CHECKING:
    from toolkit.reuse.link_memo import LinkMemo

_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.I)
_WEB = re.compile(r'\shref="(https?://[^"]+)"', re.I)
# What a browser ignores before a URL's scheme (C0 controls and spaces) and inside it (tabs, newlines).
_IGNORED_LEADING = re.compile(r"^[\x00-\x20]+")
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_CODE_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Lookups:
    """What checking one page or text looked at, for LinkMemo: the files its links lead
    to, and the ids of those whose fragments were looked for."""
    __slots__ = ("_targets", "_fragment_targets", "_all_ids", "names", "ids")

    def __init__(self, all_ids: dict[str, set[str]]):
        self._targets: set[str] = set()
        self._fragment_targets: set[str] = set()
        self._all_ids = all_ids

    def target(self, target: str, fragment: str) -> None:
        self._targets.add(target)
        if fragment and fragment != "top":
            self._fragment_targets.add(target)

    def kept(self) -> _Lookups:
        """What to keep: every name looked for in the site's files, and the ids looked up."""
        self.names = {name for target in self._targets
                      for name in (target, target + "/index.html", target + ".html", "index.html")}
        self.ids = {target: self._all_ids.get(target) for target in self._fragment_targets}
        return self


def runs_code(url: str, is_image: bool = False) -> bool:
    """Would a browser run (or load as a document) this URL? Decoded the way a browser decodes it."""
    url = _IGNORED_INSIDE.sub("", _IGNORED_LEADING.sub("", html_lib.unescape(url))).lower()
    if is_image and url.startswith("data:image/"):
        return False
    return url.startswith(_CODE_SCHEMES)


def check_links(site: Site, pages: dict[str, str], files: set[str],
                locator: SourceLocator | None = None, memo: LinkMemo | None = None,
                scans: dict | None = None, site_path: str = "", output: bool = True) -> list[Problem]:
    """Every broken or unsafe link: those written in content first, then (with `output`, when
    the build found nothing else wrong, whose mistakes may show here again) any other in the output.
    `memo` (the preview server's) skips what an earlier build found clean and nothing changed for;
    `scans` has pages already scanned (scan_page) by the processes that rendered them.
    A page is its HTML, or its UTF-8 bytes (render_site(as_bytes=True))."""
    locator = locator or SourceLocator()
    known = set(pages) | set(files)
    if memo is not None:
        memo.start(known, site.hidden_paths)
        scanned = {path: memo.scanned(html) for path, html in pages.items() if path.endswith(".html")}
    else:
        scans = scans or {}
        scanned = {path: scans.get(path) or scan_page(html if isinstance(html, str) else html.decode("utf-8"))
                   for path, html in pages.items() if path.endswith(".html")}
    ids = {path: found[0] for path, found in scanned.items()}
    problems = []
    checked = set()
    markdown_files = [page.slug + ".md" for page in site.content.pages] + ["index.md"]
    for text in texts(site.content):
        key = (text.source, text.page, id(text.markdown))   # the entry keeps the text, so its id stays its own
        checked.add(key)
        if memo is not None and memo.clean(key, text.markdown, ids):
            continue
        looked_up = _Lookups(ids) if memo is not None else None
        found = _check(text.source, text.page, text.markdown, ids, known, site.hidden_paths, locator, looked_up,
                       text.folder, markdown_files)
        if memo is not None and not found:
            memo.found_clean(key, text.markdown, looked_up)
        problems += found
    if not problems and output:
        templates = {page.path: page.template for page in site.pages}
        problems += check_output(pages, known, ids, templates, memo, scanned, checked, site_path)
    if memo is not None:
        memo.keep(checked)
    return problems


def _check(source: str, output: str, rendered: RenderedMarkdown, ids, known, hidden,
           locator: SourceLocator, looked_up: _Lookups | None, folder: str = "",
           markdown_files: list[str] = ()) -> list[Problem]:
    """The problems of the links in one text; notes in `looked_up` what it looked at. `folder`:
    the folder under content/ its links to Markdown files are read from; `markdown_files`:
    the pages' files, relative to content/."""
    problems = []
    after: dict[tuple[str, int], int] = {}      # (pass, paragraph's line) -> just after its last link found

    def problem(url, line, message, hint, kind="link"):
        found_line, column, at = locator.find(source, line, url, after.get((kind, line), -1))
        if at >= 0:
            after[(kind, line)] = at + 1
        problems.append(Problem(source, found_line, message, hint, column))

    for url, line in rendered.refused:
        problem(url, line, f"the link '{url[:60]}' is refused: it could run code "
                "or load something unsafe in a reader's browser",
                "link to a web page (https://...) or a page of this site instead", "refused")
    for link in rendered.links:
        parts = urlsplit(link.url)
        path = unquote(parts.path)
        if not path:
            target = output
        elif is_source_link(link.url):
            target = urls.page_of_source(path, folder)
            written = posixpath.normpath(posixpath.join(folder, path))
            if target is None:
                problem(link.url, link.line, f"the link '{link.url}' leads out of content/",
                        "link to a page's file from the folder of this one, e.g. consultation.md")
                continue
            if target not in known and target not in hidden:
                close = difflib.get_close_matches(written, markdown_files, n=1, cutoff=0.75)
                problem(link.url, link.line, f"the link '{link.url}' leads to content/{written}, which does not exist",
                        f"did you mean {posixpath.relpath(close[0], folder or '.')}?" if close else
                        "link to a page's file from the folder of this one, e.g. consultation.md")
                continue
        else:
            target = posixpath.normpath(path.lstrip("/"))
            if target.startswith("..") or "\\" in path:
                problem(link.url, link.line, f"the link '{link.url}' points outside the site",
                        "link to a page of this site by its file name, e.g. consultation.html")
                continue
        if target in hidden:
            continue
        if target not in known:
            if target + ".html" in known or target.endswith(".md"):
                guess = target[:-3] + ".html" if target.endswith(".md") else target + ".html"
                hint = f"write it as {guess}"
            else:
                close = difflib.get_close_matches(target, sorted(known), n=1, cutoff=0.6)
                hint = (f"did you mean {close[0]}?" if close else
                        "pages are <file name>.html, case studies case-studies/<file name>.html, "
                        "images static/<file name>")
            what = "the image '{}' leads to a file" if link.is_image else "the link '{}' leads to a page"
            problem(link.url, link.line, what.format(link.url) + " that does not exist", hint)
            continue
        fragment = unquote(parts.fragment)
        if looked_up is not None:
            looked_up.target(target, fragment)
        if fragment and fragment != "top" and target in ids and fragment not in ids[target]:
            close = difflib.get_close_matches(fragment, sorted(ids[target]), n=1, cutoff=0.6)
            where = "this page" if not parts.path else target
            problem(link.url, link.line, f"the link '{link.url}' leads to #{fragment}, which is not on {where}",
                    f"did you mean #{close[0]}?" if close else
                    "link to a heading's id: its text in lower case, with hyphens for spaces")
    return problems


def check_output(pages: dict[str, str], known: set[str], ids: dict[str, set[str]],
                 templates: dict[str, str], memo: LinkMemo | None = None, scanned: dict | None = None,
                 checked: set | None = None, site_path: str = "") -> list[Problem]:
    """Every href, src and action of every output page resolves, and none runs code.
    On the 404 page, a URL that starts with `site_path` (structure.site_path) is looked
    for from the site's root.
    With `memo`: `scanned` is each page's (ids, url attributes), and `checked` gets the
    key of each page checked."""
    problems = []
    # The same nav links recur on every page, so each is resolved once per folder: a URL
    # that starts with a character of a path has one. Any other ("#x", "?q", an entity)
    # may lead to the page itself, so is resolved once per page.
    resolved: dict[tuple[str, str, str], tuple[str | None, str | None, str]] = {}
    for path, html in pages.items():
        if not path.endswith(".html"):
            continue
        key = ("page", path)
        if memo is not None:
            checked.add(key)
            if memo.clean(key, html, ids):
                continue
        folder = posixpath.dirname(path)
        looked_up = _Lookups(ids) if memo is not None else None
        broken = []
        for attribute, url in scanned[path][1] if scanned is not None else url_attributes(html):
            where = (attribute, folder if url[:1].isalnum() or url[:1] in "./_%-" else path, url)
            if where not in resolved:
                resolved[where] = _output_problem(path, folder, attribute, url, known, ids,
                                                  site_path if path == NOT_FOUND_PAGE else "")
            message, target, fragment = resolved[where]
            if looked_up is not None and target is not None:
                looked_up.target(target, fragment)
            if message:
                broken.append((attribute, url, message))
        if broken and isinstance(html, bytes):      # a build that keeps pages as bytes (see render_site)
            html = html.decode("utf-8")
        for attribute, url, message in sorted(broken):
            at = html.find(f'{attribute}="{url}"') + len(attribute) + 2
            line = html.count("\n", 0, at) + 1
            column = at - html.rfind("\n", 0, at)
            template = templates.get(path, "a template")
            problems.append(Problem(f"(output) {path}", line, message,
                                    f"this comes from the theme template {template} or a setting "
                                    "it shows; fix the link there", column))
        if memo is not None and not broken:
            memo.found_clean(key, html, looked_up)
    return problems


def _output_problem(page: str, folder: str, attribute: str, url: str, known,
                    ids, site_path: str = "") -> tuple[str | None, str | None, str]:
    """(what is wrong with the link or None, the file it leads to when it was looked for, its fragment).
    A URL that starts with `site_path` is looked for from the site's root."""
    if runs_code(url, is_image=attribute == "src"):
        return f"the link '{url[:60]}' could run code in a reader's browser", None, ""
    url = html_lib.unescape(url)
    if _EXTERNAL.match(url):
        return None, None, ""
    parts = urlsplit(url)
    if site_path and url.startswith(site_path):
        folder, parts = "", urlsplit(url[len(site_path):] or "index.html")
    target = posixpath.normpath(posixpath.join(folder, unquote(parts.path))) if parts.path else page
    if target.startswith("../") or target == "..":
        return f"the link '{url}' points outside the site", None, ""
    if target not in known:
        if target + "/index.html" in known or (target == "." and "index.html" in known):
            return None, target, ""          # a folder link, which a web server answers with its index.html
        return f"the link '{url}' leads to {target}, which is not in the site", target, ""
    fragment = unquote(parts.fragment)
    if fragment and fragment != "top" and target in ids and fragment not in ids[target]:
        return f"the link '{url}' leads to #{fragment}, which is not on {target}", target, fragment
    return None, target, fragment


def external_links(site: Site, locator: SourceLocator) -> list[tuple[str, str, int, int]]:
    """(url, source file, line, column) of every link to another website written in content."""
    found = []
    for source, rendered in ((t.source, t.markdown) for t in texts(site.content)):
        for url in dict.fromkeys(html_lib.unescape(u) for u in _WEB.findall(rendered.html)):
            line, column, _ = locator.find(source, 1, url)
            found.append((url, source, line, column))
    for reading in site.content.reading:
        if reading.url:
            line, column, _ = locator.find(reading.source, reading.line, reading.url)
            found.append((reading.url, reading.source, line, column))
    return found
