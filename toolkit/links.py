"""Checking that every link written in content leads somewhere in the built site.

Links are taken from the Markdown (markdown.py records each with its line), so a
broken one is reported against the source file and line a person can fix, not
against an output page. Targets are checked against the rendered pages, their ids,
and the files copied into the site.
"""
from __future__ import annotations

import difflib
import posixpath
import re
from urllib.parse import unquote, urlsplit

from .errors import Problem
from .markdown import RenderedMarkdown
from .structure import Site

_ID = re.compile(r'\sid="([^"]+)"')


def page_ids(pages: dict[str, str]) -> dict[str, set[str]]:
    return {path: set(_ID.findall(html)) for path, html in pages.items() if path.endswith(".html")}


def markdown_in_site(site: Site):
    """(source file, output path, rendered Markdown) for every Markdown text in the site."""
    content = site.content
    if content.home:
        yield content.home.source, "index.html", content.home.body
    for page in content.pages:
        yield page.source, f"{page.slug}.html", page.body
    for study in content.case_studies:
        for field in (study.who, study.what_they_did, study.what_it_led_to):
            yield study.source, f"case-studies/{study.slug}.html", field
    for action in content.actions:
        yield action.source, "actions.html", action.detail
    for term in content.glossary:
        yield term.source, "glossary.html", term.definition
    for principle in content.principles:
        yield "data/principles.yml", "principles.html", principle.summary
    for reading in content.reading:
        yield "data/further_reading.yml", "further-reading.html", reading.description


def check_links(site: Site, pages: dict[str, str], files: set[str]) -> list[Problem]:
    ids = page_ids(pages)
    known = set(pages) | files
    problems = []
    for source, output, rendered in markdown_in_site(site):
        problems += _check(source, output, rendered, ids, known, site.hidden_paths)
    return problems


def _check(source: str, output: str, rendered: RenderedMarkdown, ids, known, hidden) -> list[Problem]:
    problems = []
    for url, line in rendered.refused:
        problems.append(Problem(source, line, f"the link '{url[:60]}' is refused: it could run code "
                                "or load something unsafe in a reader's browser",
                                "link to a web page (https://...) or a page of this site instead"))
    for link in rendered.links:
        parts = urlsplit(link.url)
        path = unquote(parts.path)
        if not path:
            target = output
        else:
            target = posixpath.normpath(path.lstrip("/"))
            if target.startswith("..") or "\\" in path:
                problems.append(Problem(source, link.line, f"the link '{link.url}' points outside the site",
                                        "link to a page of this site by its file name, e.g. consultation.html"))
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
            what = "image" if link.is_image else "link"
            problems.append(Problem(source, link.line, f"the {what} '{link.url}' leads to a page that does not exist",
                                    hint))
            continue
        fragment = unquote(parts.fragment)
        if fragment and fragment != "top" and target in ids and fragment not in ids[target]:
            close = difflib.get_close_matches(fragment, sorted(ids[target]), n=1, cutoff=0.6)
            problems.append(Problem(source, link.line,
                                    f"the link '{link.url}' leads to #{fragment}, which is not on {target}",
                                    f"did you mean #{close[0]}?" if close else
                                    "link to a heading's id: its text in lower case, with hyphens for spaces"))
    return problems
