"""What still names a page the edition hides (`hide:` in toolkit.yml).

A link to a hidden page is shown as plain text (resolve.py), and its address written as
text stays as it is: either way the words still send readers to a page that is not
there ("Read the Sutton case study in full."). Each is a warning at the file, line and
column where it is written, in every text of the site (model.content.texts), so the
coordinator can reword it, or replace a file of the national toolkit in the edition.
"""
from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from toolkit.checks.source_lines import SourceLocator
from toolkit.model import urls
from toolkit.model.content import Content, texts
from toolkit.model.problems import Problem, national_file
from toolkit.stages.markdown import is_source_link


def hidden_mentions(content: Content, hidden_paths: frozenset[str], locator: SourceLocator) -> list[Problem]:
    """A warning for each link to, and each address written of, a page in `hidden_paths`."""
    if not hidden_paths:
        return []
    warnings: dict[tuple, Problem] = {}
    for text in texts(content):
        linked = set()
        for link in text.markdown.links:
            target = _target(link.url, text.folder)
            if target in hidden_paths:
                line, column, _ = locator.find(text.source, link.line, link.url)
                linked.add((line, column))
                page = "a page this edition hides" + (f" ({target})" if target != link.url else "")
                warnings.setdefault((text.source, line, column), Problem(
                    text.source, line, f"the link '{link.url}' leads to {page}, so it is shown as plain text",
                    _hint(text.source), column, warning=True))
        for path in sorted(hidden_paths):
            times = text.markdown.text.count(path)
            if not times:
                continue
            places = [place for place in locator.occurrences(text.source, text.line, path) if place not in linked]
            for line, column in places[:times]:
                warnings.setdefault((text.source, line, column), Problem(
                    text.source, line, f"names {path}, a page this edition hides", _hint(text.source), column,
                    warning=True))
    return list(warnings.values())


def _target(url: str, folder: str) -> str | None:
    """The page a link in content leads to, as the link check reads it."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if is_source_link(url):
        return urls.page_of_source(path, folder)
    return posixpath.normpath(path.lstrip("/"))


def _hint(source: str) -> str:
    inherited = national_file(source)
    if inherited:
        return (f"this file is the national toolkit's: copy {inherited} into your edition and reword it there, "
                "or stop hiding the page (hide: in toolkit.yml)")
    return "reword it so it does not send readers to that page, or stop hiding the page (hide: in toolkit.yml)"
