"""The whole build, top to bottom, in one function: an edition's folder in, its site out.

    load_edition     toolkit.yml and the editions it extends        stages/edition.py
    discover         the source files, along the search path        stages/discover.py
    load_content     parse and check pages, case studies and data   stages/content.py
    build_structure  URLs, navigation, related case studies         stages/structure.py
    check_branding   the logo and favicon files exist and fit;      checks/branding.py
                     logos too small to read get a warning
    render_site      the Jinja2 theme                               stages/render.py
    generated files  brand.css, robots.txt, sitemap.xml             stages/generated.py
    check_links      every link written in content resolves         checks/links.py
    search files     the index the search page reads                stages/search_index.py
    output_collisions  no two files written to one path             stages/write.py
    stale_warnings   pages past their review date                   stages/generated.py
    hidden_mentions  what still names a page the edition hides      checks/hidden.py

Every problem is reported in one run. A stage gathers what it finds into `problems` and
the build goes on, so a wrong colour, an action naming a principle the edition left out
and a page referring to it are all reported together; a stage raises BuildFailed only
when it cannot go on (a file it cannot read), and then with every problem found so far. The site is returned in memory: writing it,
the no-change fingerprint, the PDF and the caches belong to the build command
(commands/build.py), checking to `check` and serving to `serve`.
"""
from __future__ import annotations

import datetime
import functools
import gc
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import national
from toolkit.checks.branding import check_branding, logo_warnings
from toolkit.checks.hidden import hidden_mentions
from toolkit.checks.links import check_links
from toolkit.checks.source_lines import SourceLocator
from toolkit.model import urls
from toolkit.model.problems import BuildFailed, Problem
from toolkit.reuse.body_edit import LastBuild
from toolkit.reuse.markdown_cache import MarkdownRenderer
from toolkit.stages.content import load_content
from toolkit.stages.discover import THEME, discover
from toolkit.stages.edition import Edition, load_edition
from toolkit.stages.generated import brand_css, build_date, robots_txt, sitemap_xml, stale_warnings
from toolkit.stages.render import render_page, render_site
from toolkit.stages.search_index import INDEX_FILE, SearchFiles
from toolkit.stages.structure import Site, build_structure, site_path
from toolkit.stages.write import output_collisions

if TYPE_CHECKING:
    from toolkit.reuse.memory import BuildMemory


@dataclass(frozen=True)
class Built:
    """An edition's site, made in memory."""
    edition: Edition
    site: Site
    files: dict                       # output path -> bytes
    copies: dict                      # output path -> source file copied as it is
    warnings: tuple[Problem, ...]
    markdown_rendered: int            # texts not found in the renderer's cache


def _fewer_cycle_collections(function):
    """Run `function` with Python's cycle collector passing over young objects less often.

    A build makes hundreds of thousands of objects that live until it ends (content,
    pages, index), so the collector's frequent passes find almost nothing to free and
    cost about a twentieth of a big build (in its worker processes too, which inherit
    the setting). Cycles are still collected, every 50,000 allocations rather than 700;
    the usual setting comes back when the build ends.
    """
    @functools.wraps(function)
    def run(*args, **kwargs):
        usual = gc.get_threshold()
        gc.set_threshold(50_000, 20, 100)
        try:
            return function(*args, **kwargs)
        finally:
            gc.set_threshold(*usual)
    return run


@_fewer_cycle_collections
def build_site(edition_root: Path, *, renderer: MarkdownRenderer | None = None, strict: bool = False,
               pdf_name: str = "", today: datetime.date | None = None, memory: BuildMemory | None = None,
               changed: list[str] | None = None) -> Built:
    """Make an edition's site in memory, or raise BuildFailed with every problem found.

    `renderer`: the Markdown renderer (with its cache) to use; `pdf_name`: the PDF the pages
    link to, made afterwards by the build command. `memory` (the preview server's) carries
    work over from the last build; `changed` (its watcher's) names the files changed since."""
    # One page's body edited since the last build: its content and structure, with that page
    # read again (body_edit.py); None for any other change, which is read in full.
    quick = _body_edit(memory, None if strict or pdf_name else changed)
    edition = quick.edition if quick else load_edition(Path(edition_root))
    sources = quick.sources if quick else discover(edition)
    problems = [*edition.problems, *sources.problems]       # found so far; the build goes on
    if memory is not None:
        memory.next_build(quick=bool(quick))
        renderer = memory.renderer(edition.settings.allow_raw_html)
    if renderer is None:
        renderer = MarkdownRenderer(edition.settings.allow_raw_html)
    content = quick.content if quick else _going_on(problems, load_content, edition, sources, renderer,
                                                    memory.yaml if memory is not None else None, problems)
    strings = dict(content.strings)
    site = quick.site if quick else _going_on(problems, build_structure, content, strings,
                                              tuple(path for path, _, _ in edition.settings.hide))

    copies = {urls.asset(source.rel, THEME): source.path for source in sources.assets}
    branding = check_branding(edition, copies)
    problems += branding
    if edition.settings.notice:
        problems += edition.settings.notice.link_problems({page.path for page in site.pages} | set(copies)
                                                          | site.hidden_paths)
    brand_warnings = [] if branding else logo_warnings(edition, copies)     # they read the logo files
    render_args = (edition, site, sources.template_dirs, strings, {
        "edition_key": edition.settings.slug,
        "build_date": build_date(edition),
        "pdf": pdf_name,
        "toolkit_version": national.VERSION,
    })
    if memory is None:          # made meanwhile, on a big edition in another process; it reads one page
        search = SearchFiles(site, strings, lambda path: render_page(*render_args, path))
    scans: dict = {}            # each page's ids and links, found by the processes that render them
    if quick:       # the one-page guide made from the pieces of its last render, where that is exact
        pages = _going_on(problems, quick.render, memory, render_site, render_args, scans=scans, carried=problems)
    else:
        pages = _going_on(problems, render_site, *render_args, memo=memory.pages if memory is not None else None,
                          scans=scans, as_bytes=memory is None, carried=problems)
    if memory is not None:      # the preview's search redoes only what changed, reading the page as rendered
        search = SearchFiles(site, strings, lambda path: pages.get(path, ""), memory.search)
    made = {"assets/brand.css": brand_css(edition.settings).encode()}
    made[INDEX_FILE] = b""      # known to the link check (the pages link to it); made by the search
    made["robots.txt"] = robots_txt(edition.settings).encode()
    if edition.settings.base_url:
        made["sitemap.xml"] = sitemap_xml(edition.settings, site).encode()

    locator = SourceLocator(edition.search_path)
    problems += check_links(site, pages, set(pages) | set(made) | set(copies) | ({pdf_name} if pdf_name else set()),
                            locator, memory.links if memory is not None else None, scans,
                            site_path(edition.settings.base_url), output=not problems)
    made.update(search.files())
    problems = output_collisions({**pages, **made}, copies, edition.display) + problems
    warnings = [*brand_warnings, *sources.warnings, *stale_warnings(edition, content, today or datetime.date.today())]
    warnings += hidden_mentions(content, site.hidden_paths, locator)
    if strict:
        problems += [Problem(w.path, w.line, w.message, w.hint, w.column) for w in warnings]
    if problems:
        raise BuildFailed(problems + ([] if strict else list(warnings)))
    files = _page_bytes(pages, memory) | made
    if memory is not None:
        memory.last = LastBuild(edition, sources, content, site, build_date(edition), render_args)
    return Built(edition, site, files, copies, tuple(warnings), renderer.rendered)


def _going_on(problems: list[Problem], stage, *args, **kwargs):
    """stage(*args, **kwargs); when it cannot go on, BuildFailed with the problems found before it too."""
    try:
        return stage(*args, **kwargs)
    except BuildFailed as failed:
        raise BuildFailed([*problems, *failed.problems]) from None


def _body_edit(memory: BuildMemory | None, changed: list[str] | None):
    """A body_edit.BodyEdit when `changed` is one page's body edited since the last good
    build, else None. The last build is taken either way: it is given back only by
    a build that succeeds, so a quick rebuild never starts from a failed one."""
    last = memory.take_last() if memory is not None else None
    if last is None or changed is None:
        return None
    from toolkit.reuse.body_edit import read_body_edit
    return read_body_edit(last, changed, memory, build_date)


def _page_bytes(pages: dict, memory: BuildMemory | None) -> dict[str, bytes]:
    """Each page's HTML as UTF-8 (without the preview's memory, render_site made it so). Each page's text is let go as it becomes bytes, so a big
    site is not held twice; the preview server's memory has the bytes of unchanged pages:
    first by the very same text (no need to hash a big page again), then by an equal one."""
    if memory is None:
        return pages                # render_site made them bytes already
    out, known, by_id = {}, memory.bytes_by_id, {}
    for path in list(pages):
        html = pages.pop(path)
        same = known.get(id(html))
        found = same[1] if same is not None and same[0] is html else memory.page_bytes.get(html)
        if found is None:
            found = html.encode("utf-8")
            memory.page_bytes.put(html, found)
        out[path] = found
        by_id[id(html)] = (html, found)
    memory.bytes_by_id = by_id
    return out


