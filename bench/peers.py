"""The benchmark's content as projects for the other generators it is timed against.

    peer_site(corpus)           a generated corpus (bench/corpus.py) as plain pages
    national_site()             the national edition's content as plain pages: home, the
                                guide pages in their order, the case studies, and the
                                actions, principles, glossary and further reading as pages
    write_mkdocs(site, root)    mkdocs.yml + docs/*.md; theme="mkdocs" (MkDocs' default
                                theme) or theme="material" (Material for MkDocs)
    write_zensical(site, root)  zensical.toml + docs/*.md (Zensical's own configuration,
                                its defaults otherwise)
    write_hugo(site, root)      hugo.toml, content/*.md and a small layout with the toolkit's
                                side navigation, previous/next and on-page contents

Each writer takes a PeerSite or a Corpus. The toolkit's [[principle:..]] and [[param:..]]
references become the text the toolkit shows ("principle 2.4 (Consult early and allow
enough time)", "12"), and links to other pages point at each tool's own file names, so
every tool builds the same words.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.corpus import Corpus

REPO = Path(__file__).resolve().parent.parent
_REFERENCE = re.compile(r"\[\[(principle|param):([A-Za-z0-9._-]+)\]\]")
_LOCAL_LINK = re.compile(r"\]\((?!https?:)([^)#]+)\.html(#[^)]*)?\)")
_RELATIVE_LINK = re.compile(r"\]\((?!https?:)([^)]+)\)")


@dataclass(frozen=True)
class PeerPage:
    path: str            # without suffix: "index", "consultation", "case-studies/bristol"
    title: str
    weight: int          # the order in the navigation
    summary: str
    body: str            # Markdown; links to other pages end in .html


@dataclass(frozen=True)
class PeerSite:
    name: str
    pages: tuple[PeerPage, ...]


def yaml_text(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def front_matter(data: dict) -> str:
    return "---\n" + yaml_text(data) + "---\n\n"


def write_file(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


class PlainReferences:
    """[[principle:2.4]] and [[param:2.4.x]] as the toolkit shows them, for the peers."""

    def __init__(self, national_root: Path):
        data = yaml.safe_load((national_root / "data/principles.yml").read_text(encoding="utf-8"))
        self.titles = {str(p["id"]): p["title"] for p in data}
        self.params = {f"{p['id']}.{k}": v for p in data for k, v in (p.get("params") or {}).items()}

    def __call__(self, text: str) -> str:
        def plain(match: re.Match) -> str:
            if match.group(1) == "param":
                return _with_unit(self.params[match.group(2)])
            return f"principle {match.group(2)} ({self.titles[match.group(2)]})"
        return _REFERENCE.sub(plain, text)


def _with_unit(param) -> str:
    """A parameter as the toolkit shows it: its value and the unit data/principles.yml declares."""
    if not isinstance(param, dict):
        return str(param)
    value = param["value"]
    unit = param.get("unit_one") if value == 1 and param.get("unit_one") else param.get("unit")
    return f"{value} {unit}" if unit else str(value)


def _case_study_body(summary: str, who: str, what_they_did: str, what_it_led_to: str, outcomes) -> str:
    return (f"{summary.strip()}\n\n## Who was involved\n\n{who.strip()}\n\n## What they did\n\n"
            f"{what_they_did.strip()}\n\n## What it led to\n\n{what_it_led_to.strip()}\n\n"
            + "\n".join(f"- {o}" for o in outcomes) + "\n")


def _actions_body(actions, plain: PlainReferences) -> str:
    return "\n\n".join(f"## {a['title']}\n\n{plain(a['detail'].strip())}" for a in actions) + "\n"


def peer_site(corpus: Corpus, national_root: Path = REPO) -> PeerSite:
    """The generated corpus: home, the guide pages, the case studies and the actions."""
    plain = PlainReferences(national_root)
    pages = [PeerPage("index", corpus.home_title, 0, "", corpus.home_body)]
    pages += [PeerPage(p.slug, p.title, p.order, p.summary, plain(p.body)) for p in corpus.pages]
    pages += [PeerPage(f"case-studies/{s.slug}", s.title, 0, s.summary,
                       plain(_case_study_body(s.summary, s.who, s.what_they_did, s.what_it_led_to, s.outcomes)))
              for s in corpus.case_studies]
    actions = [{"title": a.title, "detail": a.detail} for a in corpus.actions]
    pages.append(PeerPage("actions", "Suggested actions", 100000, "", _actions_body(actions, plain)))
    return PeerSite(f"Benchmark edition of {len(corpus.pages)} pages", tuple(pages))


def _markdown_file(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body.lstrip("\n")


def national_site(national_root: Path = REPO) -> PeerSite:
    """The national edition's content: what its own build turns into pages, as plain pages."""
    plain = PlainReferences(national_root)
    home, home_body = _markdown_file(national_root / "content/index.md")
    guide = sorted((_markdown_file(p) + (p.stem,) for p in (national_root / "content").glob("*.md")
                    if p.name != "index.md"), key=lambda page: (page[0].get("order", 0), page[2]))
    pages = [PeerPage("index", home["title"], 0, home.get("summary", ""), plain(home_body))]
    pages += [PeerPage(slug, front["title"], front.get("order", 0), front.get("summary", ""), plain(body))
              for front, body, slug in guide]
    for path in sorted((national_root / "case_studies").glob("*.yml")):
        s = yaml.safe_load(path.read_text(encoding="utf-8"))
        pages.append(PeerPage(f"case-studies/{path.stem}", s["title"], 0, s["summary"].strip(), plain(
            _case_study_body(s["summary"], s["who"], s["what_they_did"], s["what_it_led_to"], s["outcomes"]))))
    data = {name: yaml.safe_load((national_root / f"data/{name}.yml").read_text(encoding="utf-8"))
            for name in ("actions", "principles", "glossary", "further_reading")}
    pages.append(PeerPage("actions", "Suggested actions", 100000, "", _actions_body(data["actions"], plain)))
    pages.append(PeerPage("principles", "The Compact principles", 100001, "", plain("\n\n".join(
        f"## {p['id']} {p['title']}\n\n{p['summary'].strip()}" for p in data["principles"]) + "\n")))
    pages.append(PeerPage("glossary", "Glossary", 100002, "", plain("\n\n".join(
        f"## {t['term']}\n\n{t['definition'].strip()}" for t in data["glossary"]) + "\n")))
    pages.append(PeerPage("further-reading", "Further reading", 100003, "", "\n".join(
        "- " + ", ".join(str(part) for part in (_titled_link(r), r.get("publisher"), r.get("year")) if part)
        + f". {' '.join(r.get('description', '').split())}" for r in data["further_reading"]) + "\n"))
    return PeerSite(home["title"], tuple(pages))


def _titled_link(reading: dict) -> str:
    return f"[{reading['title']}]({reading['url']})" if reading.get("url") else f"*{reading['title']}*"


def _site(source: PeerSite | Corpus, national_root: Path) -> PeerSite:
    return source if isinstance(source, PeerSite) else peer_site(source, national_root)


def _relative(body: str, path: str) -> str:
    """Links made relative to the page's own folder (case studies are one folder down)."""
    depth = path.count("/")
    return _RELATIVE_LINK.sub(lambda m: f"]({'../' * depth}{m.group(1)})", body) if depth else body


def _write_docs(site: PeerSite, root: Path) -> list:
    """docs/*.md for MkDocs and Zensical (links to .md files); returns the navigation."""
    nav, studies = [], []
    for page in site.pages:
        body = _LOCAL_LINK.sub(lambda m: f"]({m.group(1)}.md{m.group(2) or ''})", page.body)
        front = {"title": page.title} | ({"summary": page.summary} if page.summary else {})
        write_file(root, f"docs/{page.path}.md", front_matter(front) + f"# {page.title}\n\n"
                   + _relative(body, page.path))
        (studies if page.path.startswith("case-studies/") else nav).append({page.title: f"{page.path}.md"})
    actions = next(index for index, entry in enumerate(nav) if "actions.md" in entry.values())
    nav.insert(actions, {"Case studies": studies})
    return nav


def write_mkdocs(source: PeerSite | Corpus, root: Path, national_root: Path = REPO, theme: str = "mkdocs") -> Path:
    """A MkDocs project: theme "mkdocs" (its default theme) or "material"; the search plugin on."""
    site = _site(source, national_root)
    nav = _write_docs(site, root)
    write_file(root, "mkdocs.yml", yaml_text({
        "site_name": site.name, "use_directory_urls": False,
        "theme": {"name": theme}, "plugins": ["search"], "nav": nav}))
    return root


def _toml(value) -> str:
    """A TOML value: strings as JSON writes them (ASCII, which TOML reads the same), lists, tables."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def write_zensical(source: PeerSite | Corpus, root: Path, national_root: Path = REPO) -> Path:
    """A Zensical project: zensical.toml with the name, file names and navigation; defaults otherwise."""
    site = _site(source, national_root)
    nav = _write_docs(site, root)
    lines = ["# A generated benchmark project (bench/peers.py); safe to delete.", "[project]",
             f"site_name = {_toml(site.name)}", "use_directory_urls = false", "nav = ["]
    lines += [f"  {_toml(entry)}," for entry in nav]
    write_file(root, "zensical.toml", "\n".join(lines + ["]", ""]))
    return root


HUGO_GUIDE_PAGES = """{{- /* The guide pages (those at the top level), in order: worked out once for the whole
       site, as partialCached keeps the first result, not once for every page. */ -}}
{{- return where site.RegularPages "Section" "" -}}
"""
HUGO_BASEOF = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<header><a href="{{ "index.html" | relURL }}">{{ .Site.Title }}</a></header>
{{- /* The same side navigation as the toolkit's (structure.py): every guide page up to 40,
       else the 15 around this one. Generated pages have weight 10 x their position. */}}
{{- $current := . }}
{{- $pages := partialCached "guide-pages.html" . }}
{{- $count := len $pages }}
{{- $first := 0 }}
{{- $width := $count }}
{{- if gt $count 40 }}
{{- $width = 15 }}
{{- $first = int (math.Min (sub $count 15) (math.Max 0 (sub (sub (div .Weight 10) 1) 7))) }}
{{- end }}
<nav aria-label="Sections of the guide"><ol start="{{ add $first 1 }}">
{{- range first $width (after $first $pages) }}
<li><a href="{{ .RelPermalink }}"{{ if eq . $current }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{- end }}
</ol></nav>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Title }}</footer>
</body>
</html>
"""
HUGO_SINGLE = """{{ define "main" }}<h1>{{ .Title }}</h1>
<nav aria-label="On this page">{{ .TableOfContents }}</nav>
{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">Previous: {{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">Next: {{ .Title }}</a>{{ end }}
{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary | plainify | truncate 160 }}</li>{{ end }}</ul>
{{ end }}
"""


def write_hugo(source: PeerSite | Corpus, root: Path, national_root: Path = REPO) -> Path:
    site = _site(source, national_root)
    for page in site.pages:
        front = {"title": page.title, "weight": page.weight} | ({"summary": page.summary} if page.summary else {})
        rel = "content/_index.md" if page.path == "index" else f"content/{page.path}.md"
        write_file(root, rel, front_matter(front) + _relative(page.body, page.path))
    write_file(root, "content/case-studies/_index.md", front_matter({"title": "Case studies"}))
    write_file(root, "hugo.toml", "\n".join((
        'baseURL = "/"', f"title = {_toml(site.name)}",
        "uglyURLs = true", "relativeURLs = true", 'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]',
        "[markup.goldmark.renderer]", "unsafe = false", "")))
    for name, text in (("baseof", HUGO_BASEOF), ("single", HUGO_SINGLE), ("list", HUGO_LIST)):
        write_file(root, f"layouts/_default/{name}.html", text)
    write_file(root, "layouts/partials/guide-pages.html", HUGO_GUIDE_PAGES)
    write_file(root, "layouts/index.html", HUGO_LIST)
    return root
