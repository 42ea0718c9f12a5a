"""Write a synthetic corpus out for each tool, and many small editions for `build --all`.

    write_edition   a local edition of N guide pages. By default it HIDES the national
                    guide pages and case studies and brings its own home page and
                    actions, so the edition has exactly N guide pages (plus its case
                    studies and the fixed pages every edition has: principles, actions,
                    glossary, search, ...). With national=True the national pages stay,
                    giving N + 12 guide pages.
    write_mkdocs    the same pages as a MkDocs project (mkdocs.yml + docs/*.md)
    write_hugo      the same pages as a Hugo site (content/*.md, a small layout with nav)
    write_many      COUNT editions of the national toolkit, each with its own name,
                    logo, brand colours (passing the toolkit's contrast checks) and
                    principle changes (consultation weeks 6 to 12, reworded or local
                    principles)

In the MkDocs and Hugo copies the [[principle:..]] and [[param:..]] references are
replaced by the text the toolkit would show, and case studies and actions become
ordinary pages, so all three build the same words.

    python bench/generate.py edition --pages 100 OUT
    python bench/generate.py mkdocs --pages 100 OUT
    python bench/generate.py hugo --pages 100 OUT
    python bench/generate.py many --count 100 OUT
"""
from __future__ import annotations

import argparse
import colorsys
import datetime
import random
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import Corpus, make_corpus  # noqa: E402
from toolkit.contrast import TEXT, WHITE, ratio  # noqa: E402

_REFERENCE = re.compile(r"\[\[(principle|param):([A-Za-z0-9._-]+)\]\]")


def _dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _national_hidden(national_root: Path) -> list[str]:
    pages = sorted(f"content/{p.name}" for p in (national_root / "content").glob("*.md") if p.name != "index.md")
    studies = sorted(f"case_studies/{p.name}" for p in (national_root / "case_studies").glob("*.yml"))
    return pages + studies


def edition_settings(name: str, area: str, primary: str, accent: str) -> dict:
    email = re.sub(r"[^a-z0-9]+", "", area.lower()) + ".example"
    return {
        "name": name, "area": area, "compact_name": f"The {area} Compact", "publisher": f"{area} CVS",
        "colours": {"primary": primary, "accent": accent},
        "contacts": [{"name": f"{area} Compact team", "role": "Questions about the local Compact",
                      "email": f"compact@{email}"}],
        "accessibility": {"contact_email": f"access@{email}", "response_days": 10, "status": "full",
                          "last_tested": datetime.date(2026, 11, 1)},
    }


def write_edition(corpus: Corpus, root: Path, national_root: Path = REPO, national: bool = False) -> Path:
    """A local edition (extending the national one) holding the corpus. Returns root."""
    settings = edition_settings(f"Benchmark edition of {len(corpus.pages)} pages", "Benchmarkshire",
                                "#1d4f91", "#ffdd00")
    text = "# A generated benchmark edition (bench/generate.py); safe to delete.\n" + _dump(settings)
    if not national:
        text += "# Only the generated pages: the national guide pages and case studies are hidden.\n"
        text += _dump({"hide": _national_hidden(national_root)})
    _write(root, "toolkit.yml", text)
    _write(root, "content/index.md", _front({"title": corpus.home_title, "order": 0,
                                             "summary": "A generated guide used to time builds."})
           + corpus.home_body)
    for page in corpus.pages:
        _write(root, f"content/{page.slug}.md", page_markdown(page))
    for study in corpus.case_studies:
        _write(root, f"case_studies/{study.slug}.yml", _dump({
            "title": study.title, "area": study.area, "year": study.year, "summary": study.summary,
            "organisations": list(study.organisations), "themes": list(study.themes),
            "principles": list(study.principles), "sections": list(study.sections),
            "who": study.who, "what_they_did": study.what_they_did, "what_it_led_to": study.what_it_led_to,
            "outcomes": list(study.outcomes)}))
    actions = [{"id": a.id, "audience": a.audience, "stage": a.stage, "title": a.title, "detail": a.detail,
                "principles": list(a.principles), "sections": list(a.sections)} for a in corpus.actions]
    if national:       # keep the national actions too: they name the national pages
        actions = yaml.safe_load((national_root / "data/actions.yml").read_text(encoding="utf-8")) + actions
    _write(root, "data/actions.yml", _dump(actions))
    return root


def _front(data: dict) -> str:
    return "---\n" + _dump(data) + "---\n\n"


def page_markdown(page) -> str:
    return _front({"title": page.title, "nav_title": page.nav_title, "order": page.order,
                   "summary": page.summary, "themes": list(page.themes), "reviewed": page.reviewed}) + page.body


class _PlainReferences:
    """[[principle:2.4]] and [[param:2.4.x]] as the toolkit shows them, for the peers."""

    def __init__(self, national_root: Path):
        data = yaml.safe_load((national_root / "data/principles.yml").read_text(encoding="utf-8"))
        self.titles = {str(p["id"]): p["title"] for p in data}
        self.params = {f"{p['id']}.{k}": v for p in data for k, v in (p.get("params") or {}).items()}

    def __call__(self, text: str) -> str:
        def plain(match: re.Match) -> str:
            if match.group(1) == "param":
                return str(self.params[match.group(2)])
            return f"principle {match.group(2)} ({self.titles[match.group(2)]})"
        return _REFERENCE.sub(plain, text)


def _peer_pages(corpus: Corpus, national_root: Path, link_suffix: str):
    """(path without suffix, title, weight, summary, Markdown body) of every page, for the peers."""
    plain = _PlainReferences(national_root)

    def links(text: str) -> str:
        return re.sub(r"\]\(([^)]+)\.html\)", lambda m: f"]({m.group(1)}{link_suffix})", text)

    yield "index", corpus.home_title, 0, "", corpus.home_body
    for page in corpus.pages:
        yield page.slug, page.title, page.order, page.summary, links(plain(page.body))
    for study in corpus.case_studies:
        body = (f"{study.summary}\n\n## Who was involved\n\n{study.who}\n\n## What they did\n\n"
                f"{study.what_they_did}\n\n## What it led to\n\n{study.what_it_led_to}\n\n"
                + "\n".join(f"- {o}" for o in study.outcomes) + "\n")
        yield f"case-studies/{study.slug}", study.title, 0, study.summary, plain(body)
    actions = "\n\n".join(f"## {a.title}\n\n{plain(a.detail)}" for a in corpus.actions) + "\n"
    yield "actions", "Suggested actions", 100000, "", actions


def write_mkdocs(corpus: Corpus, root: Path, national_root: Path = REPO) -> Path:
    nav, studies = [], []
    for path, title, _, summary, body in _peer_pages(corpus, national_root, ".md"):
        front = {"title": title} | ({"summary": summary} if summary else {})
        depth = path.count("/")
        body = re.sub(r"\]\((?!https?:)([^)]+)\)", lambda m: f"]({'../' * depth}{m.group(1)})", body)
        _write(root, f"docs/{path}.md", _front(front) + f"# {title}\n\n" + body)
        (studies if path.startswith("case-studies/") else nav).append({title: f"{path}.md"})
    nav.insert(len(nav) - 1, {"Case studies": studies})
    _write(root, "mkdocs.yml", _dump({
        "site_name": f"Benchmark edition of {len(corpus.pages)} pages", "use_directory_urls": False,
        "theme": {"name": "mkdocs"}, "plugins": ["search"], "nav": nav}))
    return root


HUGO_BASEOF = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<header><a href="{{ "index.html" | relURL }}">{{ .Site.Title }}</a></header>
{{- /* The same side navigation as the toolkit's (structure.py): every guide page up to 40,
       else the 15 around this one. Generated pages have weight 10 x their position. */}}
{{- $current := . }}
{{- $pages := where .Site.RegularPages "Section" "" }}
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


def write_hugo(corpus: Corpus, root: Path, national_root: Path = REPO) -> Path:
    for path, title, weight, summary, body in _peer_pages(corpus, national_root, ".html"):
        front = {"title": title, "weight": weight} | ({"summary": summary} if summary else {})
        depth = path.count("/")
        body = re.sub(r"\]\((?!https?:)([^)]+)\)", lambda m: f"]({'../' * depth}{m.group(1)})", body)
        rel = "content/_index.md" if path == "index" else f"content/{path}.md"
        _write(root, rel, _front(front) + body)
    _write(root, "content/case-studies/_index.md", _front({"title": "Case studies"}))
    _write(root, "hugo.toml", "\n".join((
        'baseURL = "/"', f'title = "Benchmark edition of {len(corpus.pages)} pages"',
        "uglyURLs = true", "relativeURLs = true", 'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]',
        "[markup.goldmark.renderer]", "unsafe = false", "")))
    for name, text in (("baseof", HUGO_BASEOF), ("single", HUGO_SINGLE), ("list", HUGO_LIST)):
        _write(root, f"layouts/_default/{name}.html", text)
    _write(root, "layouts/index.html", HUGO_LIST)
    return root


# ---- many small editions of the national toolkit ------------------------------------

def brand_colours(rng: random.Random) -> tuple[str, str]:
    """A primary and an accent colour that pass every contrast check the toolkit makes."""
    def colour(h, light, s):
        r, g, b = colorsys.hls_to_rgb(h, light, s)
        return "#{:02x}{:02x}{:02x}".format(round(r * 255), round(g * 255), round(b * 255))
    while True:
        hue, sat = rng.random(), rng.uniform(0.45, 0.9)
        primary = next(c for c in (colour(hue, light / 100, sat) for light in range(45, 5, -1))
                       if ratio(c, WHITE) >= 4.7)
        accent_hue = (hue + rng.uniform(0.3, 0.7)) % 1.0
        accent = next((c for c in (colour(accent_hue, light / 100, 0.9) for light in range(50, 96))
                       if ratio(c, TEXT) >= 4.7 and ratio(c, primary) >= 3.2), None)
        if accent:             # margins above 4.5:1 and 3:1, so rounding never fails a check
            return primary, accent


LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40" role="img">'
        '<rect width="120" height="40" rx="6" fill="{primary}"/>'
        '<circle cx="20" cy="20" r="12" fill="{accent}"/>'
        '<text x="40" y="27" font-family="sans-serif" font-size="18" fill="#ffffff">{initials}</text></svg>\n')


def write_many(folder: Path, count: int = 100, seed: int = 1) -> list[Path]:
    """COUNT editions of the national toolkit under folder, each branded and with its own principles."""
    rng = random.Random(seed)
    names = [s + e for s in ("North", "East", "West", "South", "Upper", "Lower", "Old", "New", "Great",
                             "Little", "Kings", "Market") for e in ("field", "bury", "ford", "mere", "dale",
                                                                     "wick", "ton", "ham", "worth")]
    rng.shuffle(names)
    roots = []
    for index in range(count):
        area = names[index % len(names)] + ("" if index < len(names) else f" {index // len(names) + 1}")
        root = folder / f"area-{index:03d}"
        primary, accent = brand_colours(rng)
        settings = edition_settings(f"{area} social value toolkit", area, primary, accent)
        settings["logo"] = {"file": "static/logo.svg", "alt": f"{area} CVS"}
        principles: dict = {"2.4": {"params": {"consultation_weeks": 6 + index % 7}}}
        if index % 3 == 0:
            principles["2.3"] = {"title": "Bring the sector in before the first draft",
                                 "summary": f"Public bodies in {area} ask voluntary groups to help shape a "
                                            "service before anything is written down, and meet the costs "
                                            "of small groups that take part."}
        if index % 4 == 1:
            principles[f"L{index}"] = {"title": "Pay small organisations promptly",
                                       "summary": f"Partners in {area} pay groups with fewer than ten staff "
                                                  f"within {5 + index % 10} working days of a correct invoice."}
        settings["principles"] = principles
        if index % 5 == 2:
            settings["hide"] = ["case_studies/sutton.yml"]
        text = f"# Generated by bench/generate.py: edition {index + 1} of {count}.\n" + _dump(settings)
        _write(root, "toolkit.yml", text)
        initials = "".join(word[0] for word in area.split()).upper() + area.split()[0][1:3]
        _write(root, "static/logo.svg", LOGO.format(primary=primary, accent=accent, initials=initials))
        roots.append(root)
    return roots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("edition", "mkdocs", "hugo", "many"))
    parser.add_argument("out", type=Path, help="folder to write (made if missing)")
    parser.add_argument("--pages", type=int, default=100, help="guide pages in the corpus (default 100)")
    parser.add_argument("--count", type=int, default=100, help="editions for 'many' (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--with-national", action="store_true",
                        help="edition: keep the 12 national guide pages (N + 12 pages)")
    args = parser.parse_args(argv)
    if args.kind == "many":
        write_many(args.out, args.count, args.seed)
        print(f"Wrote {args.count} editions under {args.out}")
        return 0
    corpus = make_corpus(args.pages, args.seed)
    if args.kind == "edition":
        write_edition(corpus, args.out, national=args.with_national)
    elif args.kind == "mkdocs":
        write_mkdocs(corpus, args.out)
    else:
        write_hugo(corpus, args.out)
    print(f"Wrote a {args.kind} corpus of {args.pages} pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
