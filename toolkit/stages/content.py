"""Reading an edition's sources into checked content objects.

Every file is decoded, split, loaded and checked against its schema (schema.py);
every problem found is collected; the Markdown of every page and field is rendered
in one batch (reuse/markdown_cache.py), so it can use both cores and the cache. References
between things (a case study naming a principle, an action naming a section) are
checked here too, since only here is everything known (checks/references.py).

The home page is the edition's: `home:` in toolkit.yml gives its heading, introduction
and "about this edition" text, and an edition without a content/index.md of its own is
headed with its name. Pages in folders under content/ are listed folder by folder, under
the title of the folder's index.md (or its name), and the theme's words may name the
area and the Compact ({area}, {compact}), filled in here for the edition.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace

from toolkit.stages import actions as actions_stage
from toolkit.checks.references import check_references
from toolkit.stages import principles as principles_stage
from toolkit.formats import schema
from toolkit.stages.edition import Edition
from toolkit.stages.discover import SourceFile, Sources
from toolkit.model import urls
from toolkit.model.problems import BuildFailed, Problem
from toolkit.model.markdown import RenderedMarkdown
from toolkit.model.content import Action, CaseStudy, Content, GlossaryTerm, Page, Principle, Reading, Text
from toolkit.reuse.markdown_cache import Batch, MarkdownRenderer
from toolkit.formats.yaml_files import SourceError, YamlList, YamlMap, decode, load_yaml, split_front_matter

HOME_PAGE = "content/index.md"


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


def load_content(edition: Edition, sources: Sources, renderer: MarkdownRenderer, yaml_memo=None,
                 carried: list[Problem] | None = None) -> Content:
    """Raises BuildFailed when a file cannot be read. Problems with what one thing names of
    another (a principle that is not there, a figure that is not a number) are added to
    `carried` when it is given, for the build to report with everything else, else raised."""
    settings = edition.settings
    with renderer.batch() as batch:             # Markdown is parsed on the other cores as files are read
        reader = _Reader(edition, batch, yaml_memo)
        pages = [_read_page(reader, source) for source in sources.pages]
        case_studies = [_read_case_study(reader, source) for source in sources.case_studies]
        data = {source.rel: _read_list(reader, source) for source in sources.data}
        data["data/actions.yml"], found = actions_stage.adapt(data.get("data/actions.yml", []),
                                                              edition.settings.action_changes, reader.markdown)
        reader.problems += found
        strings = _read_strings(reader, sources)
        written = {name: reader.markdown(text.text, text.line)
                   for name, text in (("introduction", settings.introduction), ("about", settings.about)) if text}
        if reader.problems:
            raise BuildFailed(reader.problems)
        rendered = batch.results()

    def md(index: int) -> RenderedMarkdown:
        return rendered[index]

    page_objects = [_page(item, md) for item in pages if item]
    home = next((p for p in page_objects if p.slug == "index"), None)
    own_home = any(source.rel == HOME_PAGE and source.edition == edition.root for source in sources.pages)
    home = _home(settings, home, own_home, md(written["introduction"]) if "introduction" in written else None)
    page_objects, groups = _in_folders([p for p in page_objects if p.slug != "index"])
    later: list[Problem] = []           # problems that need not stop the build
    national = tuple(
        Principle(str(item["id"]), str(item["title"]), md(item["_summary"]),
                  principles_stage.declared(item.get("params"), item["_source"], later, str(item["id"])),
                  item["_source"], item["_line"])
        for item in data.get("data/principles.yml", ()))
    # A section the edition hides is dropped from the lists that name it, as links
    # to it become plain text: hiding a page should not mean overriding every file that names it.
    hidden = _hidden_sections(edition)
    adopted, not_adopted = principles_stage.adopt(national, settings.principle_changes, renderer, later)
    content = Content(
        home=home,
        pages=page_objects,
        case_studies=tuple(sorted((_case_study(item, md, hidden) for item in case_studies if item),
                                  key=lambda c: (not c.local, c.area.lower(), c.slug))),   # the edition's own first
        principles=adopted,
        not_adopted=not_adopted,
        actions=tuple(Action(str(i["id"]), i["audience"], i["stage"], i["title"], md(i["_detail"]),
                             _strs(i.get("principles")), _slugs(i.get("sections"), hidden), i["_source"], i["_line"],
                             _named_at(i))
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
        about=(Text(settings.about.source, urls.HOME, md(written["about"]), line=settings.about.line)
               if "about" in written else None),
        groups=groups,
    )
    later += check_references(content, data)
    if carried is not None:
        carried += later
    elif [p for p in later if not p.warning]:
        raise BuildFailed(later)
    return content


def _home(settings, home: Page | None, own: bool, introduction: RenderedMarkdown | None) -> Page | None:
    """The home page in the edition's words: `home:` in toolkit.yml may give its heading and
    introduction; one that shows the content/index.md of the edition it builds on is headed
    with its own name."""
    title = settings.home_title or (home.title if home is not None and own else settings.name)
    if introduction is not None:
        return Page("index", settings.introduction.source, title, title, 0, home.summary if home else "",
                    (), None, introduction)
    if home is None or title == home.title:
        return home
    return replace(home, title=title, nav_title=title)


def _in_folders(pages: list[Page]) -> tuple[tuple[Page, ...], tuple[tuple[str, str], ...]]:
    """The guide's pages in order, each folder's together, placed where its first page comes;
    and the title each folder is listed under: its index.md's, or its name made readable."""
    first: dict[str, int] = {}
    for page in pages:
        if page.folder:
            first[page.folder] = min(first.get(page.folder, page.order), page.order)
    ordered = tuple(sorted(pages, key=lambda p: (first[p.folder] if p.folder else p.order, p.folder, p.order, p.slug)))
    titles = {page.folder: page.title for page in pages if page.folder and posixpath.basename(page.slug) == "index"}
    return ordered, tuple((folder, titles.get(folder) or _readable(folder)) for folder in sorted(first))


def _readable(folder: str) -> str:
    """A folder's name as a title: "working-with-councils" -> "Working with councils"."""
    words = re.sub(r"[-_]+", " ", posixpath.basename(folder)).strip()
    return words[:1].upper() + words[1:]


def _named_at(entry) -> tuple[tuple[str, str, int, int], ...]:
    """(field, name, line, column) of each item of an entry's principles: and sections: lists."""
    found = []
    for field in ("principles", "sections"):
        items = entry.get(field)
        if isinstance(items, YamlList):
            found += [(field, urls.slug_of(str(value)) if field == "sections" else str(value),
                       items.line_of(index), items.column_of(index)) for index, value in enumerate(items)]
    return tuple(found)


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
    return tuple(slug for slug in (urls.slug_of(_page_name(str(v))) for v in values or ()) if slug not in leave_out)


def _page_name(section: str) -> str:
    """A page named by its path in an edition (content/consultation.md) is named by its file name."""
    if section.startswith(("content/", "./content/")) and section.endswith(".md"):
        return section.rsplit("/", 1)[1][:-len(".md")]
    return section


def _hidden_sections(edition: Edition) -> frozenset[str]:
    paths = (rel.lstrip("./") for rel, _, _ in edition.settings.hide)
    return frozenset(urls.slug_of(p[len("content/"):-len(".md")])
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
    slug = urls.slug_of(source.rel[len("content/"):-len(".md")])
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
    item["_slug"] = urls.slug_of(source.rel[len("case_studies/"):-len(".yml")])
    item["_source"] = shown
    item["_local"] = source.edition != reader.edition.search_path[-1]     # not from the national toolkit
    item["_lines"] = tuple(data.key_lines.items()) if isinstance(data, YamlMap) else ()
    for name in ("who", "what_they_did", "what_it_led_to", "differently"):
        if data.get(name):
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
        outcomes=_strs(item.get("outcomes")), reviewed=item.get("reviewed"), named_at=_named_at(item),
        local=item.get("_local", False),
        figures=tuple((str(f["value"]), str(f["label"])) for f in item.get("figures") or ()),
        quote=(str(item["quote"]["text"]), str(item["quote"]["by"])) if item.get("quote") else None,
        differently=md(item["_differently"]) if "_differently" in item else None,
        contact=str(item.get("contact") or ""),
        documents=tuple((str(d["title"]), str(d["url"])) for d in item.get("documents") or ()))


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
    return tuple((name, _for_edition(text, reader.edition.settings)) for name, text in words.items())


_PLACEHOLDER = re.compile(r"\{(?!area\}|compact\})\w*\}")


def _for_edition(text: str, settings) -> str:
    """Theme words with the edition's area and Compact in place of {area} and {compact}. In
    words that still have a {name} for the template to fill, a brace in those is doubled."""
    if "{area}" not in text and "{compact}" not in text:
        return text
    values = {"{area}": settings.area, "{compact}": settings.compact_in_sentence}
    if _PLACEHOLDER.search(text):
        values = {key: value.replace("{", "{{").replace("}", "}}") for key, value in values.items()}
    for key, value in values.items():
        text = text.replace(key, value)
    return text
