"""Reading an edition's sources into checked content objects.

Every file is decoded, split, loaded and checked against its schema (schema.py);
every problem found is collected; the Markdown of every page and field is rendered
in one batch (reuse/markdown_cache.py), so it can use both cores and the cache. References
between things (a case study naming a principle, an action naming a section) are
checked here too, since only here is everything known.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from toolkit.stages import actions as actions_stage
from toolkit.stages import principles as principles_stage
from toolkit.formats import schema
from toolkit.stages.edition import Edition
from toolkit.stages.discover import SourceFile, Sources
from toolkit.model.problems import BuildFailed, Problem
from toolkit.model.markdown import RenderedMarkdown
from toolkit.model.content import Action, CaseStudy, Content, GlossaryTerm, Page, Principle, Reading
from toolkit.reuse.markdown_cache import Batch, MarkdownRenderer
from toolkit.formats.yaml_files import SourceError, YamlList, YamlMap, decode, load_yaml, split_front_matter

HOME_PAGE = "content/index.md"


def slug_of(name: str) -> str:
    """The name a page or case study is published under, made from its file name.

    Letters in any alphabet are kept (a browser asks for "café.html" as caf%C3%A9.html,
    and the server finds the file), but spaces and characters that mean something in a
    web address (# ? % & and the like) become hyphens, so every link to the page works
    unchanged in any browser, from any server or from disk. Composed (NFC) form, so a
    file saved on a Mac and the link to it spell the name with the same bytes.
    """
    slug = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFC", name)).strip("-")
    return slug or "page"


@dataclass(frozen=True)
class _Pending:
    """A Markdown text waiting to be rendered with the rest of the batch."""
    text: str
    line: int


class _Reader:
    """Collects problems while files are read, and hands their Markdown to the batch."""

    def __init__(self, edition: Edition, batch: Batch, yaml_memo=None):
        self.edition = edition
        self.batch = batch
        self.yaml_memo = yaml_memo      # the preview server's: YAML already loaded by an earlier build
        self.problems: list[Problem] = []

    def markdown(self, text, line: int) -> int:
        return self.batch.add(str(text or ""), line)

    def text(self, source: SourceFile) -> str | None:
        shown = self.edition.display(source.path)
        try:
            return decode(source.path.read_bytes(), shown)
        except SourceError as exc:
            self.problems.append(exc.problem)
        except OSError as exc:
            self.problems.append(Problem(shown, 0, f"this file cannot be read ({exc.strerror})",
                                         "check that the file exists and is not open in another program"))
        return None

    def yaml(self, source: SourceFile, text: str, first_line: int = 1):
        key = (text, first_line, source.path)
        if self.yaml_memo is not None and (found := self.yaml_memo.get(key)) is not None:
            return found[0]
        try:
            data = load_yaml(text, self.edition.display(source.path), first_line)
        except SourceError as exc:
            self.problems.append(exc.problem)
            return None
        if self.yaml_memo is not None:
            self.yaml_memo.put(key, (data,))
        return data

    def check(self, value, fields, shown: str, line: int, what: str) -> list[Problem]:
        """schema.check(), whose result for YAML kept from an earlier build is kept too
        (the same loaded value against the same fields always gives the same problems)."""
        if self.yaml_memo is None:
            return schema.check(value, fields, shown, line, what)
        key = ("checked", id(value), id(fields), shown, line, what)      # the entry keeps `value`, so its id
        found = self.yaml_memo.get(key)
        if found is None:
            found = (value, fields, schema.check(value, fields, shown, line, what))
            self.yaml_memo.put(key, found)
        return list(found[2])


def load_content(edition: Edition, sources: Sources, renderer: MarkdownRenderer, yaml_memo=None) -> Content:
    with renderer.batch() as batch:             # Markdown is parsed on the other cores as files are read
        reader = _Reader(edition, batch, yaml_memo)
        pages = [_read_page(reader, source) for source in sources.pages]
        case_studies = [_read_case_study(reader, source) for source in sources.case_studies]
        data = {source.rel: _read_list(reader, source) for source in sources.data}
        data["data/actions.yml"], found = actions_stage.adapt(data.get("data/actions.yml", []),
                                                              edition.settings.action_changes, reader.markdown)
        reader.problems += found
        strings = _read_strings(reader, sources)
        if reader.problems:
            raise BuildFailed(reader.problems)
        rendered = batch.results()

    def md(index: int) -> RenderedMarkdown:
        return rendered[index]

    page_objects = [_page(item, md) for item in pages if item]
    home = next((p for p in page_objects if p.slug == "index"), None)
    page_objects = sorted((p for p in page_objects if p.slug != "index"), key=lambda p: (p.order, p.slug))
    national = tuple(
        Principle(str(item["id"]), str(item["title"]), md(item["_summary"]),
                  tuple((str(k), v) for k, v in (item.get("params") or {}).items()),
                  item["_source"], item["_line"])
        for item in data.get("data/principles.yml", ()))
    # A section the edition hides is dropped from the lists that name it, as links
    # to it become plain text: hiding a page should not mean overriding every file that names it.
    hidden = _hidden_sections(edition)
    adopted, not_adopted = principles_stage.adopt(national, edition.settings.principle_changes,
                                                  renderer, reader.problems)
    content = Content(
        home=home,
        pages=tuple(page_objects),
        case_studies=tuple(sorted((_case_study(item, md, hidden) for item in case_studies if item),
                                  key=lambda c: (c.area.lower(), c.slug))),
        principles=adopted,
        not_adopted=not_adopted,
        actions=tuple(Action(str(i["id"]), i["audience"], i["stage"], i["title"], md(i["_detail"]),
                             _strs(i.get("principles")), _slugs(i.get("sections"), hidden), i["_source"], i["_line"])
                      for i in data.get("data/actions.yml", ())),
        glossary=tuple(sorted((GlossaryTerm(str(i["id"]), i["term"], i.get("expansion") or "",
                                            md(i["_definition"]), _strs(i.get("aliases")),
                                            i["_source"], i["_line"], i.get("historical") or "",
                                            i.get("replaced_by") or "")
                               for i in data.get("data/glossary.yml", ())), key=lambda t: t.term.lower())),
        reading=tuple(Reading(i["title"], i.get("url") or "", i.get("publisher") or "", i.get("year"),
                              md(i["_description"]), i["_source"], i["_line"],
                              i.get("historical") or "", i.get("replaced_by") or "")
                      for i in data.get("data/further_reading.yml", ())),
        strings=strings,
    )
    reader.problems += _check_references(content, data)
    reader.problems += _check_glossary_forms(content)
    reader.problems += _check_replacements(data)
    if [p for p in reader.problems if not p.warning]:
        raise BuildFailed(reader.problems)
    return content


def read_one_page(edition: Edition, source: SourceFile, renderer: MarkdownRenderer, yaml_memo=None) -> Page | None:
    """One page read on its own, exactly as load_content() reads it (for the preview's quick
    rebuild of a body edit); None when it has any problem, which a full build then reports."""
    with renderer.batch() as batch:
        reader = _Reader(edition, batch, yaml_memo)
        item = _read_page(reader, source)
        if item is None or reader.problems:
            return None
        rendered = batch.results()
    return _page(item, lambda index: rendered[index])


def _strs(values, leave_out=frozenset()) -> tuple[str, ...]:
    return tuple(str(v) for v in values or () if str(v) not in leave_out)


def _slugs(values, leave_out=frozenset()) -> tuple[str, ...]:
    """Pages named in 'sections:', by file name or by published name, or by path (content/consultation.md)."""
    return tuple(slug for slug in (slug_of(_page_name(str(v))) for v in values or ()) if slug not in leave_out)


def _page_name(section: str) -> str:
    """A page named by its path in an edition (content/consultation.md) is named by its file name."""
    if section.startswith(("content/", "./content/")) and section.endswith(".md"):
        return section.rsplit("/", 1)[1][:-len(".md")]
    return section


def _hidden_sections(edition: Edition) -> frozenset[str]:
    paths = (rel.lstrip("./") for rel, _, _ in edition.settings.hide)
    return frozenset(slug_of(p[len("content/"):-len(".md")])
                     for p in paths if p.startswith("content/") and p.endswith(".md"))


def _read_page(reader: _Reader, source: SourceFile):
    text = reader.text(source)
    if text is None:
        return None
    shown = reader.edition.display(source.path)
    try:
        split = split_front_matter(text, shown)
    except SourceError as exc:
        reader.problems.append(exc.problem)
        return None
    if not split.front_matter.strip():
        reader.problems.append(Problem(
            shown, 1, "this page has no front matter (the settings between --- lines at the top)",
            "start the file with:\n  ---\n  title: The page's title\n  order: 10\n  ---"))
        return None
    before = len(reader.problems)
    front = reader.yaml(source, split.front_matter, split.front_line)
    if len(reader.problems) > before:
        return None
    found = reader.check(front, schema.FRONT_MATTER, shown, split.front_line, "the front matter")
    if found:
        reader.problems += found
        return None
    slug = slug_of(source.rel[len("content/"):-len(".md")])
    return {"slug": slug, "source": shown, "front": front,
            "_body": reader.markdown(split.body, split.body_line)}


def _page(item, md) -> Page:
    front = item["front"]
    return Page(
        slug=item["slug"], source=item["source"], title=str(front["title"]),
        nav_title=str(front.get("nav_title") or front["title"]), order=front["order"],
        summary=str(front.get("summary") or ""), themes=_strs(front.get("themes")),
        reviewed=front.get("reviewed"), body=md(item["_body"]))


def _read_case_study(reader: _Reader, source: SourceFile):
    text = reader.text(source)
    if text is None:
        return None
    shown = reader.edition.display(source.path)
    if not text.strip():
        reader.problems.append(Problem(shown, 0, "this case study file is empty",
                                       "fill it in (see docs/content-format.md) or delete it"))
        return None
    before = len(reader.problems)
    data = reader.yaml(source, text)
    if len(reader.problems) > before:
        return None
    found = reader.check(data, schema.CASE_STUDY, shown, 1, "a case study")
    if found or data is None:
        reader.problems += found
        return None
    item = dict(data)
    item["_slug"] = slug_of(source.rel[len("case_studies/"):-len(".yml")])
    item["_source"] = shown
    item["_lines"] = tuple(data.key_lines.items()) if isinstance(data, YamlMap) else ()
    for name in ("who", "what_they_did", "what_it_led_to"):
        item["_" + name] = reader.markdown(data[name], data.line_of(name) + 1)
    return item


def _case_study(item, md, hidden_sections=frozenset()) -> CaseStudy:
    return CaseStudy(
        slug=item["_slug"], source=item["_source"], line_of=item["_lines"],
        title=str(item["title"]), area=str(item["area"]), year=item.get("year"),
        summary=str(item["summary"]), organisations=_strs(item.get("organisations")),
        themes=_strs(item.get("themes")), principles=_strs(item.get("principles")),
        sections=_slugs(item.get("sections"), hidden_sections), who=md(item["_who"]),
        what_they_did=md(item["_what_they_did"]), what_it_led_to=md(item["_what_it_led_to"]),
        outcomes=_strs(item.get("outcomes")), reviewed=item.get("reviewed"))


_MARKDOWN_FIELDS = {"data/principles.yml": "summary", "data/actions.yml": "detail",
                    "data/glossary.yml": "definition", "data/further_reading.yml": "description"}


def _read_list(reader: _Reader, source: SourceFile) -> list[dict]:
    fields = schema.DATA_FILES.get(source.rel)
    if fields is None:
        return []          # other data files are the edition's own business
    text = reader.text(source)
    if text is None:
        return []
    shown = reader.edition.display(source.path)
    data = reader.yaml(source, text)
    if data is None:
        return []
    if not isinstance(data, list):
        reader.problems.append(Problem(shown, getattr(data, "line", 1),
                                       "this file should be a list, with each entry starting with '- '",
                                       "see docs/content-format.md for an example"))
        return []
    items = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data):
        line = data.line_of(index) if isinstance(data, YamlList) else 1
        found = reader.check(entry, fields, shown, line, f"entry {index + 1}")
        if found:
            reader.problems += found
            continue
        key_name = "id" if "id" in entry else "title"
        key, key_line = str(entry[key_name]), entry.line_of(key_name) if isinstance(entry, YamlMap) else line
        if key in seen:
            reader.problems.append(Problem(shown, key_line, f"the {key_name} '{key}' is used twice "
                                           f"(first on line {seen[key]})", f"give each entry its own {key_name}",
                                           entry.column_of(key_name) if isinstance(entry, YamlMap) else 0))
            continue
        seen[key] = key_line
        item = dict(entry)
        item["_source"], item["_line"] = shown, line
        if isinstance(entry, YamlMap) and "replaced_by" in entry:
            item["_replaced_by_line"] = entry.line_of("replaced_by")
        name = _MARKDOWN_FIELDS[source.rel]
        item["_" + name] = reader.markdown(entry[name], entry.line_of(name) + 1
                                           if isinstance(entry, YamlMap) else line)
        items.append(item)
    return items


def _read_strings(reader: _Reader, sources: Sources) -> tuple[tuple[str, str], ...]:
    """The theme's words for the edition's language: the national file's, with the words each
    edition's own file gives in their place. Names the national file does not have are
    problems (with "did you mean"), so a misspelt name is never silently ignored."""
    if not sources.strings:
        reader.problems.append(Problem("themes/default/strings", 0,
                                       "there is no strings file for the edition's language",
                                       "add themes/default/strings/<language>.yml"))
        return ()
    words: dict[str, str] = {}
    for index, source in enumerate(sources.strings):
        text = reader.text(source)
        if text is None:
            return ()
        before = len(reader.problems)
        data = reader.yaml(source, text)
        if len(reader.problems) > before:
            return ()
        fields = schema.strings_fields(words or data, required=index == 0)
        found = schema.check(data, fields, reader.edition.display(source.path), 1, "the strings file",
                             unknown_hint=schema.STRINGS_UNKNOWN)
        if found:
            reader.problems += found
            return ()
        words.update((str(name), value) for name, value in data.items())
    return tuple(words.items())


def _check_references(content: Content, data) -> list[Problem]:
    """Ids that one thing uses and another must define."""
    problems = []
    slugs = {page.slug for page in content.pages}
    principle_ids = {p.id for p in content.principles}
    not_adopted = set(content.not_adopted)

    def principle_problem(pid, source, line, what):
        if pid in not_adopted:
            return Problem(source, line, f"{what} principle {pid}, which this edition has not adopted",
                           f"remove it, or override this file in the edition")
        return Problem(source, line, f"{what} principle {pid}, which does not exist",
                       "use an id from data/principles.yml or one the edition adds: "
                       + ", ".join(p.id for p in content.principles))      # already in Compact order

    for study in content.case_studies:
        for pid in study.principles:
            if pid not in principle_ids:
                problems.append(principle_problem(pid, study.source, study.line("principles"), "names"))
        for slug in study.sections:
            if slug not in slugs:
                problems.append(_section_problem(slug, study.source, study.line("sections"), slugs))
    for action in content.actions:
        for pid in action.principles:
            if pid not in principle_ids:
                problems.append(principle_problem(pid, action.source, action.line, "names"))
        for slug in action.sections:
            if slug not in slugs:
                problems.append(_section_problem(slug, action.source, action.line, slugs))
    return problems


def _check_glossary_forms(content: Content) -> list[Problem]:
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


def _check_replacements(data) -> list[Problem]:
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


def _section_problem(slug, source, line, slugs) -> Problem:
    import difflib
    close = difflib.get_close_matches(slug, sorted(slugs), n=1)
    hint = f"did you mean '{close[0]}'?" if close else "use the file name of a page in content/, without .md"
    return Problem(source, line, f"names the section '{slug}', but there is no page content/{slug}.md", hint)

