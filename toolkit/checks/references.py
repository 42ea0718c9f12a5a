"""Ids that one thing names and another must define: a case study or an action naming a
principle or a section, a glossary term linked to one entry, a historical entry replaced by
another. Each problem is reported where the name is written (the list item, not the start
of its entry), with a "did you mean" for a near miss, and, in a file the edition inherits
from the national toolkit, what the coordinator can do about it.
"""
from __future__ import annotations

import difflib

from toolkit.model.content import Content
from toolkit.model.problems import Problem, national_file
from toolkit.stages.principles import closest_id


def check_references(content: Content, data: dict) -> list[Problem]:
    """Every problem with what `content` names; `data` is each data file's entries as read."""
    return [*_named(content), *_glossary_forms(content), *_replacements(data)]


def _named(content: Content) -> list[Problem]:
    problems = []
    slugs = {page.slug for page in content.pages}
    principle_ids = {p.id for p in content.principles}
    left_out = dict(content.not_adopted)

    def principle_problem(pid, source, where):
        line, column = where
        if pid in left_out:
            return Problem(source, line, f"names principle {pid}, which this edition has not adopted",
                           _left_out_hint(source, pid), column)
        close = closest_id(pid, (p.id for p in content.principles))
        return Problem(source, line, f"names principle {pid}, which does not exist",
                       f"did you mean {close}?" if close else
                       "use an id from data/principles.yml or one the edition adds: "
                       + ", ".join(p.id for p in content.principles), column)      # already in Compact order

    for item in (*content.case_studies, *content.actions):
        for pid in item.principles:
            if pid not in principle_ids:
                problems.append(principle_problem(pid, item.source, item.mention("principles", pid)))
        for slug in item.sections:
            if slug not in slugs:
                problems.append(_section_problem(slug, item.source, item.mention("sections", slug), slugs))
    return problems


def _left_out_hint(source: str, pid: str) -> str:
    adopt = f"adopt principle {pid} (remove 'adopted: false' from toolkit.yml)"
    inherited = national_file(source)
    if inherited:
        return (f"this file is the national toolkit's: copy {inherited} into your edition without "
                f"principle {pid}, or {adopt}")
    return f"remove it from the list, or {adopt}"


def _section_problem(slug, source, where, slugs) -> Problem:
    line, column = where
    close = difflib.get_close_matches(slug, sorted(slugs), n=1)
    hint = f"did you mean '{close[0]}'?" if close else "use the file name of a page in content/, without .md"
    return Problem(source, line, f"names the section '{slug}', but there is no page content/{slug}.md", hint, column)


def _glossary_forms(content: Content) -> list[Problem]:
    """Each word the glossary links must lead to one entry, or the link would be a guess."""
    problems = []
    owner: dict[str, object] = {}
    for term in sorted(content.glossary, key=lambda t: (t.source, t.line)):
        for form in dict.fromkeys((term.term, *term.aliases)):
            first = owner.setdefault(form.lower(), term)
            if first is not term:
                problems.append(Problem(
                    term.source, term.line,
                    f"the glossary term '{form}' is also defined by '{first.term}' (line {first.line})",
                    "keep one entry for it, or remove it from the aliases of one of them"))
    return problems


def _replacements(data: dict) -> list[Problem]:
    """A historical entry's 'replaced_by' names another entry of its own list."""
    problems = []
    for rel, key, what in (("data/glossary.yml", "id", "id"), ("data/further_reading.yml", "title", "title")):
        entries = data.get(rel, ())
        known = {str(entry[key]) for entry in entries}
        for entry in entries:
            named = entry.get("replaced_by")
            if named and (str(named) == str(entry[key]) or str(named) not in known):
                line = entry.get("_replaced_by_line", entry["_line"])
                problem = ("names itself" if str(named) == str(entry[key])
                           else f"names '{named}', but no entry in this file has that {what}")
                problems.append(Problem(entry["_source"], line, f"'replaced_by' {problem}",
                                        f"give the {what} of another entry in {rel}, or remove 'replaced_by'"))
    return problems
