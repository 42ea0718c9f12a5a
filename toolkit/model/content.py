"""The plain, immutable objects that pass between the stages of a build."""
from __future__ import annotations

import datetime
import posixpath
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

    @property
    def path(self) -> str:
        """Its output page."""
        return urls.section(self.slug)

    @property
    def folder(self) -> str:
        """The folder under content/ it is written in ("" at the top), which it is published in too."""
        return posixpath.dirname(self.slug)


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
    named_at: tuple[tuple[str, str, int, int], ...] = ()   # see mention()
    local: bool = False        # from the edition's own folders, not the national toolkit's
    figures: tuple[tuple[str, str], ...] = ()       # (value, label)
    quote: tuple[str, str] | None = None             # (text, who said it)
    differently: RenderedMarkdown | None = None      # what they would do differently
    contact: str = ""
    documents: tuple[tuple[str, str], ...] = ()     # (title, url)

    def line(self, field: str) -> int:
        return dict(self.line_of).get(field, 1)

    def mention(self, field: str, name: str) -> tuple[int, int]:
        """(line, column) where the list `field` names `name` (a principle's id, a section's slug)."""
        return _mention(self.named_at, field, name, (self.line(field), 0))


@dataclass(frozen=True)
class Param:
    """A value a principle's text refers to ([[param:2.4.consultation_weeks]]), of its declared
    type, with the unit the site writes after it: a coordinator gives the number alone."""
    value: object                            # int or float for a number, str for text
    type: str = "number"                     # "number" or "text"
    unit: str = ""                           # "weeks"
    unit_one: str = ""                       # after the value 1: "week"

    def shown(self) -> str:
        """As pages show it: "8 weeks", "1 week"."""
        value = f"{self.value:g}" if isinstance(self.value, float) else str(self.value)
        unit = self.unit_one if self.value == 1 and self.unit_one else self.unit
        return f"{value} {unit}" if unit else value


@dataclass(frozen=True)
class Principle:
    id: str
    title: str
    summary: RenderedMarkdown
    params: tuple[tuple[str, Param], ...]
    source: str
    line: int


@dataclass(frozen=True)
class AdoptedPrinciple:
    """A principle as the edition has adopted it, with the national one where they differ."""
    id: str
    title: str
    summary: RenderedMarkdown
    params: tuple[tuple[str, Param], ...]
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
    named_at: tuple[tuple[str, str, int, int], ...] = ()   # see mention()

    def mention(self, field: str, name: str) -> tuple[int, int]:
        """(line, column) where the list `field` names `name` (a principle's id, a section's slug)."""
        return _mention(self.named_at, field, name, (self.line, 0))


def _mention(named_at, field: str, name: str, otherwise: tuple[int, int]) -> tuple[int, int]:
    """From (field, name, line, column) of each item of the lists an entry names things in."""
    return next(((line, column) for at_field, at_name, line, column in named_at
                 if at_field == field and at_name == name), otherwise)


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
class Text:
    """A Markdown text of the site: the file it is written in, and the page that shows it
    (the one its links are resolved from, and the one a problem in it is reported for)."""
    source: str
    page: str
    markdown: RenderedMarkdown
    folder: str = ""        # the folder under content/ a link to a .md file is read from
    line: int = 1           # where in its file it (or its entry) starts, to look for its words from


@dataclass(frozen=True)
class Content:
    """Everything an edition's sources say, parsed and checked, before any URL exists."""
    home: Page | None
    pages: tuple[Page, ...]                  # in the guide's order, each folder's pages together
    case_studies: tuple[CaseStudy, ...]
    principles: tuple[AdoptedPrinciple, ...]
    not_adopted: tuple[tuple[str, str], ...]  # (id, title) of the principles the edition left out
    actions: tuple[Action, ...]
    glossary: tuple[GlossaryTerm, ...]
    reading: tuple[Reading, ...]
    strings: tuple[tuple[str, str], ...]     # theme text for the edition's language
    about: Text | None = None                # "About this edition" (home: about: in toolkit.yml)
    groups: tuple[tuple[str, str], ...] = ()  # folder under content/ -> the title its pages are listed under


def texts(content: Content) -> tuple[Text, ...]:
    """Every Markdown text of an edition, with its source: the one list of them, for every
    stage and check that goes through them all."""
    found = []
    if content.home:
        found.append(Text(content.home.source, urls.HOME, content.home.body))
    if content.about:
        found.append(content.about)
    found += [Text(page.source, page.path, page.body, page.folder) for page in content.pages]
    for study in content.case_studies:
        found += [Text(study.source, urls.case_study(study.slug), getattr(study, field), line=study.line(field))
                  for field in ("who", "what_they_did", "what_it_led_to")]
    found += [Text(action.source, urls.ACTIONS, action.detail, line=action.line) for action in content.actions]
    found += [Text(term.source, urls.GLOSSARY, term.definition, line=term.line) for term in content.glossary]
    for principle in content.principles:
        found.append(Text(principle.source, urls.PRINCIPLES, principle.summary, line=principle.line))
        if principle.national is not None and principle.national.summary is not principle.summary:
            found.append(Text(principle.national.source, urls.PRINCIPLES, principle.national.summary,
                              line=principle.national.line))
    found += [Text(reading.source, urls.FURTHER_READING, reading.description, line=reading.line)
              for reading in content.reading]
    return tuple(found)
