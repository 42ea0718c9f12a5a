"""Rendering the site's pages with the Jinja2 theme.

One Environment per template search path (editions that share a theme share its
compiled templates), configured once: StrictUndefined, so a typo in a template is
an error rather than an empty string, and autoescaping, so no content can inject
markup. What differs per edition or page is passed in the render context, never
set on the Environment.

Context, the same for every page: `site` (settings and content), `t` (the theme's
strings), `page` (the OutputPage), `root` (relative path to the site root),
`nav` (the header navigation, rendered once per depth), plus the filters `md`
(finish rendered Markdown for this page) and `url` (a site path, relative to this page).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2
from markupsafe import Markup

from toolkit.model import urls
from toolkit.stages.edition import Edition
from toolkit.model.problems import BuildFailed, Problem
from toolkit.checks.scan import scan_page
from toolkit.reuse.render_memo import ContentReads, RenderMemo, StructureReads, read_part
from toolkit.stages.resolve import Resolver, text_sources
from toolkit.formats.schema import AUDIENCES, STAGES
from toolkit.stages.structure import OutputPage, Site, site_path

_ENVIRONMENTS: dict[tuple, jinja2.Environment] = {}


@dataclass(frozen=True)
class SiteView:
    """What templates see as `site`."""
    settings: object
    content: object
    structure: Site
    stages: tuple[str, ...]
    audiences: tuple[str, ...]
    themes: tuple[str, ...]                  # every case-study theme, sorted
    edition_key: str                         # keeps this edition's action plan apart from others'
    build_date: str
    pdf: str                                 # file name of the PDF, when one is built
    toolkit_version: str = ""                # the national toolkit's version (national.py), for <meta name=generator>


def environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    # Jinja's auto_reload would stat every template on every use (thousands of times a
    # build); instead the Environment is keyed by the templates' sizes and times, so an
    # edited template (in `serve`) gets a fresh Environment and nothing else does.
    key = (template_dirs, _templates_signature(template_dirs))
    env = _ENVIRONMENTS.get(key)
    if env is None:
        for old in [k for k in _ENVIRONMENTS if k[0] == template_dirs]:
            del _ENVIRONMENTS[old]
        env = _ENVIRONMENTS[key] = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        env.filters["md"] = _md_filter
        env.filters["url"] = _url_filter
        env.filters["guide_md"] = _guide_md_filter
        env.filters["national_md"] = _national_md_filter
        env.filters["long_date"] = lambda day: f"{day.day} {day:%B %Y}"    # %-d is not portable
        env.tests["contains"] = lambda values, item: item in values
    return env


def _templates_signature(template_dirs: tuple[Path, ...]) -> tuple:
    found = []
    for folder in template_dirs:
        for dirpath, _, names in os.walk(folder):
            for name in names:
                stat = os.stat(os.path.join(dirpath, name))
                found.append((dirpath, name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


@jinja2.pass_context
def _md_filter(context, rendered, link_terms: bool = True):
    page: OutputPage = context["page"]
    source = getattr(page.item, "source", page.source) if page.item is not None else page.source
    return context["resolver"].html(rendered, context["root"], context.get("md_source") or source, link_terms,
                                    terms_seen=context["terms_seen"])


@jinja2.pass_context
def _national_md_filter(context, rendered, national):
    """The national wording of a principle, with the national values of its parameters."""
    return context["resolver"].html(rendered, context["root"], national.source, True,
                                    params={national.id: dict(national.params)}, terms_seen=context["terms_seen"])


@jinja2.pass_context
def _url_filter(context, path: str) -> str:
    return context["root"] + path


_ID = re.compile(r'\bid="([^"]+)"')
# Pages whose content is a part of the one-page guide (whole_guide.html), and that part's id.
_GUIDE_PARTS = {urls.PRINCIPLES: "principles", urls.GLOSSARY: "glossary", urls.FURTHER_READING: "further-reading",
                urls.ACTIONS: "actions", urls.actions_for("commissioners"): "actions",
                urls.actions_for("vcs"): "actions", urls.CASE_STUDIES: "case-studies"}
_GUIDE_CONTENT = {"principles": "principles", "glossary": "glossary", "further-reading": "reading",
                  "actions": "actions", "case-studies": "case_studies"}     # a part is in the guide when this is not empty


@jinja2.pass_context
def _guide_md_filter(context, rendered, prefix: str, slugs):
    """Markdown for the one-page guide: ids made unique, links to sections made local."""
    finished = _md_filter(context, rendered, True)
    content = context["site"].content
    present = frozenset(part for part, name in _GUIDE_CONTENT.items() if getattr(content, name))
    memo = context.get("render_memo")
    if memo is None:
        return _guide_local(str(finished), prefix, slugs, present)
    key = ("guide", id(finished), prefix, memo.slugs_token(slugs), present)
    found = memo.texts.get(key)
    if found is None:
        found = (finished, _guide_local(str(finished), prefix, slugs, present))
        memo.texts.put(key, found)
    return found[1]


def _guide_local(html: str, prefix: str, slugs, present: frozenset) -> Markup:
    """`present`: the parts of the guide (principles, glossary, ...) that it holds."""
    html = _ID.sub(lambda m: f'id="{prefix}--{m.group(1)}"', html)
    # Links within the text (footnotes, "see below") follow its ids to their new names.
    html = re.sub(r'href="#(?!top")([^"]+)"', lambda m: f'href="#{prefix}--{m.group(1)}"', html)

    def local(match):
        target, fragment = match.group(1), match.group(2)
        fragment = "" if fragment == "top" else fragment     # #top is the top of the page, not an id
        if target in slugs:
            return f'href="#{slugs[target]}--{fragment}"' if fragment else f'href="#{slugs[target]}"'
        if target in _GUIDE_PARTS and _GUIDE_PARTS[target] in present:
            return f'href="#{fragment or _GUIDE_PARTS[target]}"'   # the part of the guide that holds that page
        return match.group(0)        # a part the guide leaves out (its list is empty): the page itself

    return Markup(re.sub(r'href="([^"#:]+\.html)(?:#([^"]*))?"', local, html))


@dataclass(frozen=True)
class _Job:
    """Everything needed to render any page of one build."""
    env: jinja2.Environment
    site: Site
    view: SiteView
    strings: dict
    resolver: Resolver
    template_dirs: tuple[Path, ...]
    memo: RenderMemo | None
    navs: dict = field(default_factory=dict)     # root -> (header navigation, parts it read), made once


PARALLEL_FROM = 150          # fewer pages than this render faster in one process


def render_site(edition: Edition, site: Site, template_dirs: tuple[Path, ...], strings: dict,
                site_view_extra: dict, memo: RenderMemo | None = None, scans: dict | None = None,
                as_bytes: bool = False, carried: list | None = None) -> dict[str, str] | dict[str, bytes]:
    """Output path -> HTML for every page; raises BuildFailed with every problem found, or,
    given `carried`, adds to it the problems of the texts the pages show (a reference to a
    principle that is not there) and raises only when a page cannot be made at all.

    `scans`, when given, gets each page's ids and URL attributes (links.scan_page) where the
    pages were rendered in worker processes, which scan them while they have them at hand,
    and for every page when `as_bytes`. With `as_bytes` (a build without a memo) each page
    is its UTF-8 bytes, encoded where it was rendered: a big site is never held both as
    text and as bytes, and its text never crosses from the workers.
    """
    assert memo is None or not as_bytes, "the preview's memo keeps pages as text"
    env = environment(template_dirs)
    content = site.content
    view = _site_view(edition, site, site_view_extra)
    # What every page may show, besides the parts of the site a template reads (recorded).
    shared = (edition.settings, tuple(strings.items()), tuple(sorted(site_view_extra.items(), key=str)),
              content.principles, content.not_adopted, content.glossary, site.hidden_paths, view.themes)
    reused = {}
    if memo is not None and memo.start(env, shared):
        reused = {page.path: entry for page in site.pages if (entry := memo.reusable(page, site))}
    resolver = Resolver(content.principles, content.not_adopted, content.glossary, site.hidden_paths,
                        memo.texts if memo is not None else None, text_sources(content))
    job = _Job(env, site, view, strings, resolver, template_dirs, memo)
    todo = [page for page in site.pages if page.path not in reused]
    for name in {page.template for page in todo} | {"_nav.html"}:
        _template(job, name)                # compile once, here, before any worker starts
    fresh = _render_pages(job, todo, scans if scans is not None or not as_bytes else {}, as_bytes)

    problems: list[Problem] = []
    out: dict[str, str] = {}
    for page in site.pages:
        if page.path in reused:
            _, _, html, found = reused[page.path]
        else:
            html, found, reads = fresh[page.path]
            if html is None:
                raise BuildFailed(found)
            if memo is not None:
                memo.pages[page.path] = (page, tuple((part, read_part(site, part)) for part in reads), html, found)
        problems += found
        out[page.path] = html
    if memo is not None:
        memo.keep(set(out))
    problems = list(dict.fromkeys(problems))    # a text shown on several pages reports its problem on each
    if carried is not None:
        carried += problems
    elif problems:
        raise BuildFailed(problems)
    return out


def render_page(edition: Edition, site: Site, template_dirs: tuple[Path, ...], strings: dict,
                site_view_extra: dict, path: str) -> str:
    """One page's HTML as render_site makes it, or "" when the site has no such page: for
    work that reads a page and is started before the pages are rendered (the search)."""
    page = next((page for page in site.pages if page.path == path), None)
    if page is None:
        return ""
    content = site.content
    resolver = Resolver(content.principles, content.not_adopted, content.glossary, site.hidden_paths,
                        sources=text_sources(content))
    job = _Job(environment(template_dirs), site, _site_view(edition, site, site_view_extra), strings, resolver,
               template_dirs, None)
    html, problems, _ = _render_page(job, page)
    if html is None or problems:
        raise BuildFailed(problems)
    return html


def _site_view(edition: Edition, site: Site, site_view_extra: dict) -> SiteView:
    return SiteView(
        settings=edition.settings, content=site.content, structure=site, stages=STAGES, audiences=AUDIENCES,
        themes=tuple(sorted({theme for study in site.content.case_studies for theme in study.themes})),
        **site_view_extra)


def _render_pages(job: _Job, pages: list[OutputPage], scans: dict | None, as_bytes: bool) -> dict[str, tuple]:
    """path -> (html or None, problems, parts read) for each page; both cores for many pages."""
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or len(pages) < PARALLEL_FROM or os.name != "posix":
        if not as_bytes:
            return {page.path: _render_page(job, page) for page in pages}
        done = [_finished(_render_page(job, page), page, True) for page in pages]
        scans.update((page.path, scan) for page, (*_, scan) in zip(pages, done) if scan is not None)
        return {page.path: result[:3] for page, result in zip(pages, done)}
    import multiprocessing
    # The pages made from the whole site (the one-page guide above all) go first, in small
    # batches, so no worker is left with a big page at the end while the other waits.
    pages = sorted(pages, key=lambda page: page.kind in ("section", "case_study"))
    # Forked workers inherit the job (templates already compiled) without copying it through
    # a pipe; only each page's HTML comes back.
    with multiprocessing.get_context("fork").Pool(workers, _start_worker, (job, pages, as_bytes)) as pool:
        done = pool.map(_render_in_worker, range(len(pages)), chunksize=max(1, len(pages) // (workers * 16)))
        # The workers are let finish rather than stopped (as leaving `with` would): stopped, one
        # can die holding a lock of the pool's queues, and the pool waits for it forever
        # (CPython issue 96995).
        pool.close()
        pool.join()
    if scans is not None:
        scans.update((page.path, scan) for page, (*_, scan) in zip(pages, done) if scan is not None)
    return {page.path: result[:3] for page, result in zip(pages, done)}


_worker_job: tuple | None = None       # in a worker process: (job, pages, as_bytes), set when it starts


def _start_worker(job: _Job, pages: list[OutputPage], as_bytes: bool) -> None:
    global _worker_job
    _worker_job = (job, pages, as_bytes)


def _render_in_worker(index: int):
    job, pages, as_bytes = _worker_job
    return _finished(_render_page(job, pages[index]), pages[index], as_bytes)


def _finished(rendered: tuple, page: OutputPage, as_bytes: bool) -> tuple:
    """(html or its bytes, problems, parts read, its scan for the link check or None)."""
    html, problems, reads = rendered
    if html is None:
        return html, problems, reads, None
    scan = scan_page(html) if page.path.endswith(".html") else None
    return (html.encode("utf-8") if as_bytes else html), problems, reads, scan


def _template(job: _Job, name: str) -> jinja2.Template:
    try:
        return job.env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildFailed([_syntax_problem(exc)]) from None
    except jinja2.TemplateNotFound as exc:
        raise BuildFailed([_not_found_problem(exc, name, job.template_dirs)]) from None


def _render_page(job: _Job, page: OutputPage) -> tuple[str | None, list[Problem], set]:
    """(HTML, problems, parts of the site read); HTML is None when the page cannot be made."""
    content_reads, structure_reads = ContentReads(job.site), StructureReads(job.site)
    view = replace(job.view, content=content_reads, structure=structure_reads)
    before = len(job.resolver.problems)
    root = (page.kind == "not_found" and site_path(job.view.settings.base_url)) or page.root
    try:
        if root not in job.navs:            # the same on every page at this depth but for the current link
            nav_view = replace(job.view, content=ContentReads(job.site), structure=StructureReads(job.site))
            nav = job.env.get_template("_nav.html").render(site=nav_view, t=job.strings, root=root,
                                                           resolver=job.resolver, page=page, terms_seen=set())
            job.navs[root] = (nav, nav_view.content.reads | nav_view.structure.reads)
        nav, nav_reads = job.navs[root]
        html = job.env.get_template(page.template).render(
            site=view, t=job.strings, page=page, root=root, resolver=job.resolver,
            nav=Markup(_mark_current(nav, root, page.path)),
            terms_seen=set(),          # glossary terms linked so far on this page
            render_memo=job.memo)
    except jinja2.TemplateSyntaxError as exc:
        return None, [_syntax_problem(exc)], set()
    except jinja2.TemplateNotFound as exc:
        return None, [_not_found_problem(exc, page.template, job.template_dirs)], set()
    except jinja2.UndefinedError as exc:
        return None, [Problem(_template_frame(), 0, f"template error while making {page.path}: {exc.message}",
                              "a template uses a name that does not exist; check its spelling "
                              "(theme text lives in themes/default/strings/en.yml)")], set()
    found = job.resolver.problems[before:]
    del job.resolver.problems[before:]
    return html, found, content_reads.reads | structure_reads.reads | nav_reads


def _syntax_problem(exc: jinja2.TemplateSyntaxError) -> Problem:
    return Problem(_template_name(exc.filename, exc.name), exc.lineno, f"template error: {exc.message}",
                   "fix the template; the national ones are in themes/default/templates")


def _not_found_problem(exc: jinja2.TemplateNotFound, name: str, template_dirs) -> Problem:
    return Problem(name, 0, f"the template {exc.name} was not found in "
                   + ", ".join(str(d) for d in template_dirs), "restore it, or copy it from the national theme")


def _mark_current(nav: str, root: str, path: str) -> str:
    target = f'href="{root}{path}"'
    return nav.replace(target, target + ' aria-current="page"', 1)


def _template_name(filename, name) -> str:
    return filename or name or "a template"


def _template_frame() -> str:
    import sys
    import traceback
    frames = traceback.extract_tb(sys.exc_info()[2])
    for frame in reversed(frames):
        if frame.filename.endswith(".html"):
            return f"{frame.filename}:{frame.lineno}"
    return "a template"
