"""The output URL of everything the site shows: stated here once, for every stage and check.

Each is a path relative to the site root, with '/' separators.
"""
from __future__ import annotations

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


def section(slug: str) -> str:
    """A guide section's page."""
    return f"{slug}.html"


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
