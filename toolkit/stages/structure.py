"""From content to the shape of the site: every output page, its URL, its place.

Each output file has exactly one source; two sources that would write the same
path are an error naming both (as Zola's find_path_collisions). Previous/next and
breadcrumbs follow the guide's order; related case studies are chosen here. A page in
a folder under content/ is listed under its folder's title in the side navigation, and
its breadcrumbs go through the folder's index.md when there is one.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit
from functools import cached_property

from toolkit.model import urls
from toolkit.model.problems import BuildFailed, Problem
from toolkit.model.content import CaseStudy, Content, Page


@dataclass(frozen=True)
class Crumb:
    title: str
    path: str          # output path, relative to the site root


@dataclass(frozen=True)
class NavEntry:
    """One line of a guide page's side navigation."""
    title: str
    path: str
    current: bool = False
    group: str = ""                   # the title of its folder under content/ ("" at the top)


# A guide with more sections than this shows, on each section page, only the sections
# around the current one (and a link to the full list): the full list on every page
# would make the site grow with the square of its size (see docs/performance-notes).
SIDE_NAV_ALL_UP_TO = 40
SIDE_NAV_AROUND = 7


@dataclass(frozen=True)
class OutputPage:
    path: str                         # e.g. "case-studies/knowsley.html"
    kind: str                         # home, section, case_study, case_studies, principles, ...
    template: str
    title: str
    source: str                       # what it is made from, for messages
    item: object = None               # the Page or CaseStudy it shows, if any
    breadcrumbs: tuple[Crumb, ...] = ()
    previous: Crumb | None = None
    next: Crumb | None = None
    audience: str = ""                # for the per-audience actions pages
    section_nav: tuple[NavEntry, ...] = ()   # a section page's side navigation
    section_nav_start: int = 1        # number of its first entry in the guide's order
    section_nav_all: bool = True      # False when it shows only the sections around this one

    @property
    def depth(self) -> int:
        return self.path.count("/")

    @property
    def root(self) -> str:
        """The relative path from this page to the site root."""
        return "../" * self.depth


NOT_FOUND_PAGE = urls.NOT_FOUND


def site_path(base_url: str) -> str:
    """The path of the site on its server ("/compact/" for https://example.org/compact), or ""
    when no base_url is set. The 404 page links by it: a server shows that page for a
    missing address in any folder, where links relative to the site's root would break."""
    return urlsplit(base_url).path.rstrip("/") + "/" if base_url else ""


@dataclass(frozen=True)
class Site:
    content: Content
    pages: tuple[OutputPage, ...]
    related_case_studies: tuple[tuple[str, tuple[CaseStudy, ...]], ...]   # section slug -> case studies
    illustrated_sections: tuple[tuple[str, tuple[Page, ...]], ...]        # case study slug -> pages
    hidden_paths: frozenset[str]      # output paths of hidden pages (links to them become text)

    def related(self, slug: str) -> tuple[CaseStudy, ...]:
        return self._related_by_slug.get(slug, ())

    def illustrates(self, slug: str) -> tuple[Page, ...]:
        return self._illustrated_by_slug.get(slug, ())

    def sections(self, slugs) -> tuple[Page, ...]:
        """The guide's pages with these slugs, in the guide's order (unknown slugs are left out)."""
        found = [self._section_by_slug[slug] for slug in dict.fromkeys(slugs) if slug in self._section_by_slug]
        return tuple(page for _, page in sorted(found, key=lambda pair: pair[0]))

    def case_study_sections(self, slug: str) -> tuple[Page, ...]:
        """The sections a case study declares, then the (at most CLOSEST) others it is related to."""
        return self._sections_of_study.get(slug, ())

    # Looked up once per page: dicts made once, so a big guide does not cost N² lookups.
    @cached_property
    def _sections_of_study(self) -> dict:
        relating: dict[str, list[Page]] = {}
        for page in self.content.pages:
            for study in self.related(page.slug):
                relating.setdefault(study.slug, []).append(page)
        # Pages are told apart by identity: each is one object of content.pages (a value
        # comparison of pages, bodies and all, would cost more than the rest).
        return {slug: named + tuple(page for page in relating.get(slug, ()) if all(page is not n for n in named))
                for slug, named in self.illustrated_sections}

    @cached_property
    def _section_by_slug(self) -> dict:
        return {page.slug: (index, page) for index, page in enumerate(self.content.pages)}

    @cached_property
    def _related_by_slug(self) -> dict:
        return dict(self.related_case_studies)

    @cached_property
    def _illustrated_by_slug(self) -> dict:
        return dict(self.illustrated_sections)

    def page_at(self, path: str) -> OutputPage | None:
        return next((p for p in self.pages if p.path == path), None)


# Pages every edition has, made from data and templates: (path, kind, template, strings key)
FIXED_PAGES = (
    (urls.CASE_STUDIES, "case_studies", "case_studies.html", "case_studies"),
    (urls.PRINCIPLES, "principles", "principles.html", "principles_title"),
    (urls.ACTIONS, "actions", "actions.html", "actions_all"),
    (urls.actions_for("commissioners"), "actions", "actions.html", "actions_commissioners"),
    (urls.actions_for("vcs"), "actions", "actions.html", "actions_vcs"),
    (urls.GLOSSARY, "glossary", "glossary.html", "glossary"),
    (urls.FURTHER_READING, "further_reading", "further_reading.html", "further_reading"),
    (urls.SEARCH, "search", "search.html", "search"),
    (urls.GUIDE, "whole_guide", "whole_guide.html", "whole_guide"),
    (urls.ACCESSIBILITY, "accessibility", "accessibility.html", "accessibility"),
    (NOT_FOUND_PAGE, "not_found", "404.html", "not_found"),
)


def build_structure(content: Content, strings: dict[str, str], hidden: tuple[str, ...] = ()) -> Site:
    home_title = content.home.title if content.home else strings["home"]
    home = Crumb(strings["home"], urls.HOME)
    pages: list[OutputPage] = [OutputPage(urls.HOME, "home", "home.html", home_title,
                                          content.home.source if content.home else "the theme",
                                          content.home)]
    sections = content.pages
    groups = dict(content.groups)
    folder_index = {page.folder: Crumb(page.title, page.path) for page in sections
                    if page.folder and page.slug == page.folder + "/index"}
    for index, page in enumerate(sections):
        previous = sections[index - 1] if index > 0 else None
        following = sections[index + 1] if index + 1 < len(sections) else None
        first, last = _nav_window(index, len(sections))
        above = folder_index.get(page.folder)
        pages.append(OutputPage(
            page.path, "section", "page.html", page.title, page.source, page,
            breadcrumbs=(home, above) if above is not None and above.path != page.path else (home,),
            previous=Crumb(previous.title, previous.path) if previous else None,
            next=Crumb(following.title, following.path) if following else None,
            section_nav=tuple(NavEntry(other.nav_title, other.path, other is page, groups.get(other.folder, ""))
                              for other in sections[first:last]),
            section_nav_start=first + 1,
            section_nav_all=last - first == len(sections)))
    studies = Crumb(strings["case_studies"], urls.CASE_STUDIES)
    for study in content.case_studies:
        pages.append(OutputPage(urls.case_study(study.slug), "case_study", "case_study.html",
                                study.title, study.source, study, breadcrumbs=(home, studies)))
    actions = Crumb(strings["actions_all"], urls.ACTIONS)
    for path, kind, template, key in FIXED_PAGES:
        audience = path[len("actions-"):-len(".html")] if path.startswith("actions-") else ""
        crumbs = (home, actions) if audience else (home,) if kind != "not_found" else ()
        pages.append(OutputPage(path, kind, template, strings[key], "the theme",
                                breadcrumbs=crumbs, audience=audience))
    _check_collisions(pages)
    return Site(
        content=content,
        pages=tuple(pages),
        related_case_studies=_related_all(content),
        illustrated_sections=tuple((study.slug, _illustrates(study, content)) for study in content.case_studies),
        hidden_paths=frozenset(_hidden_output(path) for path in hidden),
    )


def with_page_replaced(site: Site, old: Page, new: Page) -> Site:
    """The Site build_structure() makes when `new` takes the place of `old` in the content,
    made without redoing the rest: for the preview's quick rebuild of a body edit
    (body_edit.py), where the two differ only in their body. Titles, slugs and order are
    the same, so the URLs, breadcrumbs, previous/next and side navigation are too; what
    follows the page object or its body is redone: the output page that shows it, the
    sections' related case studies (the principles its body names can change which
    sections are closest to a case study), and the sections a case study illustrates.
    tests/test_incremental.py compares the result with build_structure()'s."""
    assert replace(new, body=old.body) == old, "only a page's body may differ"
    home = site.content.home is old
    content = (replace(site.content, home=new) if home else
               replace(site.content, pages=tuple(new if page is old else page for page in site.content.pages)))
    return Site(
        content=content,
        pages=tuple(replace(page, item=new) if page.item is old else page for page in site.pages),
        related_case_studies=site.related_case_studies if home else _related_all(content),
        illustrated_sections=tuple((slug, tuple(new if page is old else page for page in pages))
                                   if any(page is old for page in pages) else (slug, pages)
                                   for slug, pages in site.illustrated_sections),
        hidden_paths=site.hidden_paths,
    )


def _nav_window(index: int, count: int) -> tuple[int, int]:
    """(first, end) of the sections a section page's side navigation lists."""
    if count <= SIDE_NAV_ALL_UP_TO:
        return 0, count
    width = 2 * SIDE_NAV_AROUND + 1
    first = min(max(0, index - SIDE_NAV_AROUND), count - width)
    return first, first + width


def _hidden_output(source_path: str) -> str:
    if source_path.startswith("content/"):
        return urls.section(urls.slug_of(source_path[len("content/"):-len(".md")]))
    if source_path.startswith("case_studies/"):
        return urls.case_study(urls.slug_of(source_path[len("case_studies/"):-len(".yml")]))
    return source_path


def _check_collisions(pages: list[OutputPage]) -> None:
    seen: dict[str, OutputPage] = {}
    problems = []
    for page in pages:
        earlier = seen.get(page.path.lower())       # Windows and macOS ignore case
        if earlier is not None:
            if page.source == "the theme":          # name the file a person can rename
                page, earlier = earlier, page
            same_case = "" if page.path == earlier.path else \
                " (Windows and macOS do not tell names apart by capital letters)"
            problems.append(Problem(
                page.source, 0,
                f"this would be written to {page.path}, which the theme's own {earlier.path} page uses"
                if earlier.source == "the theme" else
                f"this would be written to {page.path}, but {earlier.source} is written to "
                f"{earlier.path}{same_case}",
                "rename the file: that name is taken" if earlier.source == "the theme"
                else f"rename one of {page.source} and {earlier.source}"))
        else:
            seen[page.path.lower()] = page
    if problems:
        raise BuildFailed(problems)


CLOSEST = 2   # undeclared sections a case study is related to, at most


def _related_all(content: Content) -> tuple[tuple[str, tuple[CaseStudy, ...]], ...]:
    """Section slug -> its case studies: those that declare the section, and those for which
    it is one of the CLOSEST sections (by shared principles and themes) among the rest."""
    scores = {study.slug: {page.slug: _closeness(page, study) for page in content.pages}
              for study in content.case_studies}
    listing = {study.slug: set(study.sections).union(_closest(study, content, scores[study.slug]))
               for study in content.case_studies}
    return tuple((page.slug, tuple(sorted(
        (study for study in content.case_studies if page.slug in listing[study.slug]),
        key=lambda study: (page.slug not in study.sections, -scores[study.slug][page.slug], study.title))))
        for page in content.pages)


def _closeness(page: Page, study: CaseStudy) -> int:
    """Two for each principle the page's body names that the study names, one for each shared theme."""
    principles = {ref.target for ref in page.body.references if ref.kind == "principle"}
    return 2 * len(principles.intersection(study.principles)) + len(set(page.themes).intersection(study.themes))


def _closest(study: CaseStudy, content: Content, scores: dict[str, int]) -> tuple[str, ...]:
    """The slugs of the CLOSEST sections the study does not declare that share something with it,
    closest first, ties in the guide's order."""
    order = {page.slug: index for index, page in enumerate(content.pages)}
    candidates = [slug for slug, score in scores.items() if score > 0 and slug not in study.sections]
    return tuple(sorted(candidates, key=lambda slug: (-scores[slug], order[slug]))[:CLOSEST])


def _illustrates(study: CaseStudy, content: Content) -> tuple[Page, ...]:
    return tuple(page for page in content.pages if page.slug in study.sections)
