"""The plain, immutable objects that pass between the stages of a build."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from .markdown import RenderedMarkdown


@dataclass(frozen=True)
class Page:
    slug: str
    source: str                 # source file, as shown in messages
    title: str
    nav_title: str
    order: int
    summary: str
    themes: tuple[str, ...]
    reviewed: datetime.date | None
    body: RenderedMarkdown


@dataclass(frozen=True)
class CaseStudy:
    slug: str
    source: str
    line_of: tuple[tuple[str, int], ...]     # field -> line, for messages about references
    title: str
    area: str
    year: int | None
    summary: str
    organisations: tuple[str, ...]
    themes: tuple[str, ...]
    principles: tuple[str, ...]
    sections: tuple[str, ...]
    who: RenderedMarkdown
    what_they_did: RenderedMarkdown
    what_it_led_to: RenderedMarkdown
    outcomes: tuple[str, ...]
    reviewed: datetime.date | None

    def line(self, field: str) -> int:
        return dict(self.line_of).get(field, 1)


@dataclass(frozen=True)
class Principle:
    id: str
    title: str
    summary: RenderedMarkdown
    params: tuple[tuple[str, object], ...]
    source: str
    line: int


@dataclass(frozen=True)
class AdoptedPrinciple:
    """A principle as the edition has adopted it, with the national one where they differ."""
    id: str
    title: str
    summary: RenderedMarkdown
    params: tuple[tuple[str, object], ...]
    local: bool                              # added by the edition, not in the national Compact
    national: Principle | None               # set when wording or a parameter differs
    changed_params: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return "principle-" + self.id.replace(".", "-")


@dataclass(frozen=True)
class Action:
    id: str
    audience: str
    stage: str
    title: str
    detail: RenderedMarkdown
    principles: tuple[str, ...]
    sections: tuple[str, ...]
    source: str
    line: int


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: str
    expansion: str
    definition: RenderedMarkdown
    aliases: tuple[str, ...]
    source: str
    line: int
    historical: str = ""                     # what happened to it, when it no longer applies
    replaced_by: str = ""                    # id of the entry for what replaced it


@dataclass(frozen=True)
class Reading:
    title: str
    url: str
    publisher: str
    year: int | None
    description: RenderedMarkdown
    historical: str = ""                     # what changed, when it no longer applies
    replaced_by: str = ""                    # title of the entry that took its place


@dataclass(frozen=True)
class Content:
    """Everything an edition's sources say, parsed and checked, before any URL exists."""
    home: Page | None
    pages: tuple[Page, ...]
    case_studies: tuple[CaseStudy, ...]
    principles: tuple[AdoptedPrinciple, ...]
    not_adopted: tuple[str, ...]             # ids of national principles the edition left out
    actions: tuple[Action, ...]
    glossary: tuple[GlossaryTerm, ...]
    reading: tuple[Reading, ...]
    strings: tuple[tuple[str, str], ...]     # theme text for the edition's language
