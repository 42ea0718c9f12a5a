"""The plain, immutable objects that pass between the stages of a build."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from toolkit.model import urls
from toolkit.model.markdown import RenderedMarkdown


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
    source: str                              # the file its summary is written in (toolkit.yml when reworded)
    line: int

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
    source: str
    line: int
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


@dataclass(frozen=True)
class Text:
    """A Markdown text of the site: the file it is written in, and the page that shows it
    (the one its links are resolved from, and the one a problem in it is reported for)."""
    source: str
    page: str
    markdown: RenderedMarkdown


def texts(content: Content) -> tuple[Text, ...]:
    """Every Markdown text of an edition, with its source: the one list of them, for every
    stage and check that goes through them all."""
    found = []
    if content.home:
        found.append(Text(content.home.source, urls.HOME, content.home.body))
    found += [Text(page.source, urls.section(page.slug), page.body) for page in content.pages]
    for study in content.case_studies:
        found += [Text(study.source, urls.case_study(study.slug), field)
                  for field in (study.who, study.what_they_did, study.what_it_led_to)]
    found += [Text(action.source, urls.ACTIONS, action.detail) for action in content.actions]
    found += [Text(term.source, urls.GLOSSARY, term.definition) for term in content.glossary]
    for principle in content.principles:
        found.append(Text(principle.source, urls.PRINCIPLES, principle.summary))
        if principle.national is not None and principle.national.summary is not principle.summary:
            found.append(Text(principle.national.source, urls.PRINCIPLES, principle.national.summary))
    found += [Text(reading.source, urls.FURTHER_READING, reading.description) for reading in content.reading]
    return tuple(found)
