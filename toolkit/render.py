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
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from .config import Edition
from .errors import BuildFailed, Problem
from .resolve import Resolver
from .schema import AUDIENCES, STAGES
from .structure import OutputPage, Site

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
    edition_key: str                         # keeps this edition's ticks apart from others'
    build_date: str
    pdf: str                                 # file name of the PDF, when one is built
    assets: dict                             # asset path -> cache-busting version


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
        env.globals["principle_anchor"] = lambda pid: "principle-" + str(pid).replace(".", "-")
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
_GUIDE_PARTS = {"principles.html": "principles", "glossary.html": "glossary", "further-reading.html": "further-reading",
                "actions.html": "actions", "actions-commissioners.html": "actions", "actions-vcs.html": "actions",
                "case-studies/index.html": "case-studies"}


@jinja2.pass_context
def _guide_md_filter(context, rendered, prefix: str, slugs):
    """Markdown for the one-page guide: ids made unique, links to sections made local."""
    html = str(_md_filter(context, rendered, True))
    html = _ID.sub(lambda m: f'id="{prefix}--{m.group(1)}"', html)

    def local(match):
        target, fragment = match.group(1), match.group(2)
        if target in slugs:
            return f'href="#{slugs[target]}--{fragment}"' if fragment else f'href="#{slugs[target]}"'
        if target in _GUIDE_PARTS:       # the part of the guide that holds that page; its ids are kept
            return f'href="#{fragment or _GUIDE_PARTS[target]}"'
        return match.group(0)

    return Markup(re.sub(r'href="([^"#:]+\.html)(?:#([^"]*))?"', local, html))


def render_site(edition: Edition, site: Site, template_dirs: tuple[Path, ...], strings: dict,
                site_view_extra: dict) -> dict[str, str]:
    """Output path -> HTML for every page; raises BuildFailed with every problem found."""
    env = environment(template_dirs)
    content = site.content
    resolver = Resolver(content.principles, content.not_adopted, content.glossary, site.hidden_paths)
    view = SiteView(
        settings=edition.settings, content=content, structure=site, stages=STAGES, audiences=AUDIENCES,
        themes=tuple(sorted({theme for study in content.case_studies for theme in study.themes})),
        **site_view_extra)
    problems: list[Problem] = []
    header_navs: dict[str, str] = {}
    out: dict[str, str] = {}
    templates: dict[str, jinja2.Template] = {}
    for page in site.pages:
        try:
            template = templates.get(page.template)
            if template is None:
                template = templates[page.template] = env.get_template(page.template)
            root = page.root
            nav = header_navs.get(root)
            if nav is None:
                nav = header_navs[root] = env.get_template("_nav.html").render(
                    site=view, t=strings, root=root, resolver=resolver, page=page)
            html = template.render(site=view, t=strings, page=page, root=root, resolver=resolver,
                                   nav=Markup(_mark_current(nav, root, page.path)),
                                   terms_seen=set())          # glossary terms linked so far on this page
        except jinja2.TemplateSyntaxError as exc:
            raise BuildFailed([Problem(_template_name(exc.filename, exc.name), exc.lineno,
                                       f"template error: {exc.message}",
                                       "fix the template; the national ones are in themes/default/templates")]) from None
        except jinja2.TemplateNotFound as exc:
            raise BuildFailed([Problem(page.template, 0, f"the template {exc.name} was not found in "
                                       + ", ".join(str(d) for d in template_dirs),
                                       "restore it, or copy it from the national theme")]) from None
        except jinja2.UndefinedError as exc:
            raise BuildFailed([Problem(_template_frame(), 0, f"template error while making {page.path}: {exc.message}",
                                       "a template uses a name that does not exist; check its spelling "
                                       "(theme text lives in themes/default/strings/en.yml)")]) from None
        out[page.path] = html
    problems += resolver.problems
    if problems:
        raise BuildFailed(problems)
    return out


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
