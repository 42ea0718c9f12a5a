"""A Markdown text as the parser leaves it: HTML with markers, and what the later stages
need to know about it (headings, references, links). See stages/markdown.py."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    kind: str      # "principle" or "param"
    target: str    # "2.4" or "2.4.consultation_weeks"
    line: int      # line in the source file


@dataclass(frozen=True)
class Link:
    url: str       # as written, relative to the site root
    line: int
    is_image: bool


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str                        # with markers; see resolve.py
    headings: tuple[Heading, ...]    # h2 and h3, for "On this page"
    references: tuple[Reference, ...]
    links: tuple[Link, ...]          # internal links and images, for the link check
    refused: tuple[tuple[str, int], ...]   # (url, line) of links refused as unsafe
    level_one: tuple[int, ...]       # lines of '#' headings (the title is the only h1)
    text: str                        # plain text, for search
