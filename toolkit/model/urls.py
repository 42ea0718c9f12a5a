"""The output URL of everything the site shows: stated here once, for every stage and check.

Each is a path relative to the site root, with '/' separators. A page keeps the folders it
is written in under content/: content/guides/grants.md is published as guides/grants.html.
"""
from __future__ import annotations

import posixpath
import re
import unicodedata

HOME = "index.html"
PRINCIPLES = "principles.html"
ACTIONS = "actions.html"
GLOSSARY = "glossary.html"
FURTHER_READING = "further-reading.html"
SEARCH = "search.html"
GUIDE = "guide.html"                     # the whole guide on one page
ACCESSIBILITY = "accessibility.html"
NOT_FOUND = "404.html"
CASE_STUDIES = "case-studies/index.html"


def slug_of(name: str) -> str:
    """The name a page or case study is published under, made from its path without its
    extension ("guides/Help me" -> "guides/Help-me"): each folder and the file keep their names.

    Letters in any alphabet are kept (a browser asks for "café.html" as caf%C3%A9.html,
    and the server finds the file), but spaces and characters that mean something in a
    web address (# ? % & and the like) become hyphens, so every link to the page works
    unchanged in any browser, from any server or from disk. Composed (NFC) form, so a
    file saved on a Mac and the link to it spell the name with the same bytes.
    """
    parts = [re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFC", part)).strip("-") or "page"
             for part in name.split("/")]
    return "/".join(parts)


def section(slug: str) -> str:
    """A guide section's page."""
    return f"{slug}.html"


def page_of_source(link: str, folder: str) -> str | None:
    """The page a link to a Markdown file leads to ("consultation.md", "../guides/y.md"), read
    as an editor reads it: from `folder`, the folder under content/ the link is written in.
    None when it leads out of content/."""
    path = posixpath.normpath(posixpath.join(folder, link))
    if path == ".." or path.startswith("../") or not path.endswith(".md"):
        return None
    return section(slug_of(path[:-len(".md")]))


def case_study(slug: str) -> str:
    return f"case-studies/{slug}.html"


def actions_for(audience: str) -> str:
    """The actions page of one audience (commissioners, vcs)."""
    return f"actions-{audience}.html"


def asset(rel: str, theme: str) -> str:
    """A static file's output path, from its path in an edition folder: the theme's files
    (`theme`/static/...) go under assets/, an edition's own static/ files keep their path."""
    prefix = f"{theme}/static/"
    return "assets/" + rel[len(prefix):] if rel.startswith(prefix) else rel
