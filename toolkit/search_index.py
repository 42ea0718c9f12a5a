"""The search index: one script file the search page loads, so search works from
file:// and under a strict Content-Security-Policy with no server behind it.

Each entry is [title, kind, url, text]. The text is the plain words of the entry;
the browser (themes/default/static/search.js) ranks title matches first, matches
word prefixes as you type, and cuts a snippet around the first match.
"""
from __future__ import annotations

import json
import re

from .structure import Site

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _plain(html: str) -> str:
    text = _TAGS.sub(" ", str(html))
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#x27;", "'")
    return _SPACE.sub(" ", text).strip()


def entries(site: Site) -> list[list[str]]:
    content = site.content
    out: list[list[str]] = []
    for page in content.pages:
        out.append([page.title, "section", f"{page.slug}.html", page.summary + " " + page.body.text])
    for study in content.case_studies:
        text = " ".join([study.area, study.summary, " ".join(study.themes), study.who.text,
                         study.what_they_did.text, study.what_it_led_to.text, " ".join(study.outcomes)])
        out.append([study.title, "case_study", f"case-studies/{study.slug}.html", text])
    for principle in content.principles:
        out.append([f"Principle {principle.id}: {principle.title}", "principle",
                    f"principles.html#{principle.anchor}", principle.summary.text])
    for action in content.actions:
        out.append([action.title, "action", f"actions.html#action-{action.id}", action.detail.text])
    for term in content.glossary:
        title = f"{term.term} ({term.expansion})" if term.expansion else term.term
        out.append([title, "glossary", f"glossary.html#term-{term.id}", term.definition.text])
    for reading in content.reading:
        out.append([reading.title, "reading", "further-reading.html", reading.description.text])
    return [[title, kind, url, _SPACE.sub(" ", text).strip()] for title, kind, url, text in out]


def search_index_js(site: Site, pages: dict[str, str]) -> str:
    data = json.dumps(entries(site), ensure_ascii=False, separators=(",", ":"))
    return f"window.COMPACT_SEARCH_INDEX={data};\n"
