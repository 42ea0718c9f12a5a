"""The whole build, top to bottom, in one function.

    load_edition   toolkit.yml and the editions it extends        config.py
    discover       the source files, along the search path        discover.py
    load_content   parse and check pages, case studies and data   content.py
    build_structure  URLs, navigation, related case studies       structure.py
    render_site    the Jinja2 theme                               render.py
    check_links    every link written in content resolves         links.py
    write_site     staging folder, then swap                      write.py

Each stage raises BuildFailed with every problem it found; nothing is written
unless all of them pass.
"""
from __future__ import annotations

import datetime
import functools
import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Edition, load_edition
from .discover import THEME, Sources, discover
from .errors import BuildFailed, Problem
from .fingerprint import forget_site, input_fingerprint, record_site, unchanged_site

if TYPE_CHECKING:
    from .incremental import BuildMemory
    from .parse_cache import MarkdownRenderer

CACHE_FOLDER = ".toolkit-cache"


@dataclass(frozen=True)
class BuildResult:
    edition: Edition
    out: Path | None
    pages: int
    files: int
    warnings: tuple[Problem, ...]
    seconds: float
    markdown_rendered: int            # texts not found in the cache
    outputs: dict = field(default_factory=dict, compare=False)   # path -> bytes, for the preview server
    copies: dict = field(default_factory=dict, compare=False)    # path -> source file copied as it is
    site: object = field(default=None, compare=False)            # the Site, for check --external
    pdf_pages: int = 0                # pages in the PDF of the whole guide, when one was made
    unchanged: bool = False           # the output folder was already what these inputs make


def default_output(edition_root: Path) -> Path:
    return edition_root / "_site"


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
def build(edition_root: Path, out: Path | None = None, *, write: bool = True, strict: bool = False,
          use_cache: bool = True, renderer: MarkdownRenderer | None = None, pdf_name: str = "",
          today: datetime.date | None = None, memory: BuildMemory | None = None,
          changed: list[str] | None = None) -> BuildResult:
    """Build an edition. `memory` (the preview server's) carries work over from the last build;
    `changed` (the server's watcher's) names the files changed since it, when it knows them."""
    started = time.perf_counter()
    # One page's body edited since the last build: its content and structure, with that page
    # read again (body_edit.py); None for any other change, which is read in full.
    quick = _body_edit(memory, None if write or strict or pdf_name else changed)
    edition = quick.edition if quick else load_edition(Path(edition_root))
    out = Path(out) if out else default_output(edition.root)
    sources = quick.sources if quick else discover(edition)
    cache_dir = edition.root / CACHE_FOLDER
    fingerprint = None
    if write and use_cache:
        fingerprint = input_fingerprint(_input_files(edition, sources), {
            "out": str(out.resolve()), "strict": strict, "pdf": pdf_name, "build_date": _build_date(edition),
            "skipped": [warning.path for warning in sources.warnings],     # files never read, but warned of
            "today": str(today or datetime.date.today()) if edition.settings.review_every else ""})
        last = unchanged_site(cache_dir, out, fingerprint)
        if last is not None:
            return BuildResult(edition, out, last.pages, last.files, last.warnings, time.perf_counter() - started,
                               0, pdf_pages=last.pdf_pages, unchanged=True)

    # The rest needs the Markdown and template engines; imported here, so a build that
    # finds nothing to do never loads them.
    from .content import load_content
    from .generated import brand_css, robots_txt, sitemap_xml, stale_warnings
    from .links import SourceLocator, check_links
    from .parse_cache import MarkdownRenderer
    from .render import render_page, render_site
    from .search_index import INDEX_FILE, SearchFiles
    from .structure import build_structure, site_path
    from .write import output_collisions, write_site
    if memory is not None:
        memory.next_build(quick=bool(quick))
        renderer = memory.renderer(edition.settings.allow_raw_html)
    if renderer is None:
        renderer = MarkdownRenderer(edition.settings.allow_raw_html,
                                    cache_dir if use_cache else None)
    content = quick.content if quick else load_content(edition, sources, renderer,
                                                  memory.yaml if memory is not None else None)
    strings = dict(content.strings)
    site = quick.site if quick else build_structure(content, strings,
                                                  tuple(path for path, _, _ in edition.settings.hide))

    copies = {_asset_output(source.rel): source.path for source in sources.assets}
    problems = _check_branding(edition, copies)
    if problems:
        raise BuildFailed(problems)
    render_args = (edition, site, sources.template_dirs, strings, {
        "edition_key": edition.settings.slug,
        "build_date": _build_date(edition),
        "pdf": pdf_name,
        "assets": {},
    })
    if memory is None:          # made meanwhile, on a big edition in another process; it reads one page
        search = SearchFiles(site, strings, lambda path: render_page(*render_args, path))
    scans: dict = {}            # each page's ids and links, found by the processes that render them
    if quick:       # the one-page guide made from the pieces of its last render, where that is exact
        pages = quick.render(memory, render_site, render_args, scans=scans)
    else:
        pages = render_site(*render_args, memo=memory.pages if memory is not None else None, scans=scans,
                            as_bytes=memory is None)
    if memory is not None:      # the preview's search redoes only what changed, reading the page as rendered
        search = SearchFiles(site, strings, lambda path: pages.get(path, ""), memory.search)
    made = {"assets/brand.css": brand_css(edition.settings).encode()}
    made[INDEX_FILE] = b""      # known to the link check (the pages link to it); made by the search
    made["robots.txt"] = robots_txt(edition.settings).encode()
    if edition.settings.base_url:
        made["sitemap.xml"] = sitemap_xml(edition.settings, site).encode()

    problems = check_links(site, pages, set(pages) | set(made) | set(copies) | ({pdf_name} if pdf_name else set()),
                           SourceLocator(edition.search_path), memory.links if memory is not None else None, scans,
                           site_path(edition.settings.base_url))
    made.update(search.files())
    problems = output_collisions({**pages, **made}, copies, edition.display) + problems
    warnings = [*sources.warnings, *stale_warnings(edition, content, today or datetime.date.today())]
    if strict:
        problems += [Problem(w.path, w.line, w.message, w.hint, w.column) for w in warnings]
    if problems:
        raise BuildFailed(problems + ([] if strict else list(warnings)))
    files = _page_bytes(pages, memory) | made
    pdf_pages = 0
    if pdf_name:        # made before writing, so the pages that link to it are never written without it
        from .pdf import render_pdf
        files[pdf_name], pdf_pages = render_pdf(files, copies, edition.settings.base_url)
    if write:
        forget_site(cache_dir, out)
        write_site(out, files, copies)
        if fingerprint:
            record_site(cache_dir, out, fingerprint, len(site.pages), len(files) + len(copies), tuple(warnings),
                        pdf_pages)
    renderer.save()
    if memory is not None:
        from .body_edit import LastBuild
        memory.last = LastBuild(edition, sources, content, site, _build_date(edition), render_args)
    return BuildResult(edition, out if write else None, len(site.pages), len(files) + len(copies),
                       tuple(warnings), time.perf_counter() - started, renderer.rendered, files, copies, site=site,
                       pdf_pages=pdf_pages)


def _body_edit(memory: BuildMemory | None, changed: list[str] | None):
    """A body_edit.BodyEdit when `changed` is one page's body edited since the last good
    build, else None. The last build is taken either way: it is given back only by
    a build that succeeds, so a quick rebuild never starts from a failed one."""
    last = memory.take_last() if memory is not None else None
    if last is None or changed is None:
        return None
    from .body_edit import read_body_edit
    return read_body_edit(last, changed, memory, _build_date)


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


def _input_files(edition: Edition, sources: Sources) -> list[Path]:
    """Every file the build reads, in a fixed order."""
    found = [*edition.config_files]
    for group in (sources.pages, sources.case_studies, sources.data, sources.assets):
        found += [source.path for source in group]
    if sources.strings is not None:
        found.append(sources.strings.path)
    return found + list(sources.template_files)


def _asset_output(rel: str) -> str:
    """Theme files go under assets/; an edition's own static/ files keep their path."""
    prefix = f"{THEME}/static/"
    return "assets/" + rel[len(prefix):] if rel.startswith(prefix) else rel


def _check_branding(edition: Edition, copies: dict[str, Path]) -> list[Problem]:
    problems = []
    settings = edition.settings
    config = edition.display(edition.config_files[0])
    for setting, path in (("logo: file", settings.logo_file), ("favicon", settings.favicon)):
        if not path:
            continue
        normal = path.replace("\\", "/").lstrip("./")
        if ".." in path.replace("\\", "/").split("/") or Path(path).is_absolute():
            problems.append(Problem(config, 0, f"'{setting}' is {path}, which is outside the edition",
                                    "put the file in the edition's static/ folder and write static/<file name>"))
        elif normal not in copies:
            problems.append(Problem(config, 0, f"'{setting}' is {path}, but there is no such file",
                                    "put the file in the edition's static/ folder and write static/<file name>"))
        elif not normal.lower().endswith((".svg", ".png", ".ico")):
            problems.append(Problem(config, 0, f"'{setting}' is {path}, which is not an SVG, PNG or ICO file",
                                    "use an .svg or .png file"))
    return problems


def _build_date(edition: Edition) -> str:
    if not edition.settings.show_build_date:
        return ""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch and epoch.isdigit()
              else datetime.datetime.now(datetime.timezone.utc))
    return moment.date().isoformat()
