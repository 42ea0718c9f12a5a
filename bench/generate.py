"""Write a synthetic corpus out for each tool, and many small editions for `build --all`.

    write_edition   a local edition of N guide pages. By default it HIDES the national
                    guide pages and case studies and brings its own home page and
                    actions, so the edition has exactly N guide pages (plus its case
                    studies and the fixed pages every edition has: principles, actions,
                    glossary, search, ...). With national=True the national pages stay,
                    giving N + 12 guide pages.
    write_many      COUNT editions of the national toolkit, each with its own name,
                    logo, brand colours (passing the toolkit's contrast checks) and
                    principle changes (consultation weeks 6 to 12, reworded or local
                    principles)

The same pages for the other generators (MkDocs, MkDocs + Material, Zensical, Hugo),
and the national edition's content for them, are written by bench/peers.py; this
command line writes either.

    python bench/generate.py edition --pages 100 OUT
    python bench/generate.py mkdocs --pages 100 OUT        # also: material, zensical, hugo
    python bench/generate.py zensical --national OUT       # the national edition's content
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
from bench.peers import (front_matter, national_site, write_file, write_hugo, write_mkdocs,  # noqa: E402
                         write_zensical, yaml_text)
from bench.toolkit_internals import contrast_checks  # noqa: E402


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
    text = "# A generated benchmark edition (bench/generate.py); safe to delete.\n" + yaml_text(settings)
    if not national:
        text += "# Only the generated pages: the national guide pages and case studies are hidden.\n"
        text += yaml_text({"hide": _national_hidden(national_root)})
    write_file(root, "toolkit.yml", text)
    write_file(root, "content/index.md", front_matter({"title": corpus.home_title, "order": 0,
                                                       "summary": "A generated guide used to time builds."})
               + corpus.home_body)
    for page in corpus.pages:
        write_file(root, f"content/{page.slug}.md", page_markdown(page))
    for study in corpus.case_studies:
        write_file(root, f"case_studies/{study.slug}.yml", yaml_text({
            "title": study.title, "area": study.area, "year": study.year, "summary": study.summary,
            "organisations": list(study.organisations), "themes": list(study.themes),
            "principles": list(study.principles), "sections": list(study.sections),
            "who": study.who, "what_they_did": study.what_they_did, "what_it_led_to": study.what_it_led_to,
            "outcomes": list(study.outcomes)}))
    actions = [{"id": a.id, "audience": a.audience, "stage": a.stage, "title": a.title, "detail": a.detail,
                "principles": list(a.principles), "sections": list(a.sections)} for a in corpus.actions]
    if national:       # keep the national actions too: they name the national pages
        actions = yaml.safe_load((national_root / "data/actions.yml").read_text(encoding="utf-8")) + actions
    write_file(root, "data/actions.yml", yaml_text(actions))
    return root


def page_markdown(page) -> str:
    return front_matter({"title": page.title, "nav_title": page.nav_title, "order": page.order,
                         "summary": page.summary, "themes": list(page.themes), "reviewed": page.reviewed}) + page.body


# ---- many small editions of the national toolkit ------------------------------------

def brand_colours(rng: random.Random) -> tuple[str, str]:
    """A primary and an accent colour that pass every contrast check the toolkit makes."""
    ratio, white, text = contrast_checks()

    def colour(h, light, s):
        r, g, b = colorsys.hls_to_rgb(h, light, s)
        return "#{:02x}{:02x}{:02x}".format(round(r * 255), round(g * 255), round(b * 255))
    while True:
        hue, sat = rng.random(), rng.uniform(0.45, 0.9)
        primary = next(c for c in (colour(hue, light / 100, sat) for light in range(45, 5, -1))
                       if ratio(c, white) >= 4.7)
        accent_hue = (hue + rng.uniform(0.3, 0.7)) % 1.0
        accent = next((c for c in (colour(accent_hue, light / 100, 0.9) for light in range(50, 96))
                       if ratio(c, text) >= 4.7 and ratio(c, primary) >= 3.2), None)
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
        text = f"# Generated by bench/generate.py: edition {index + 1} of {count}.\n" + yaml_text(settings)
        write_file(root, "toolkit.yml", text)
        initials = "".join(word[0] for word in area.split()).upper() + area.split()[0][1:3]
        write_file(root, "static/logo.svg", LOGO.format(primary=primary, accent=accent, initials=initials))
        roots.append(root)
    return roots


PEERS = {"mkdocs": write_mkdocs, "material": lambda site, out: write_mkdocs(site, out, theme="material"),
         "zensical": write_zensical, "hugo": write_hugo}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("edition", *PEERS, "many"))
    parser.add_argument("out", type=Path, help="folder to write (made if missing)")
    parser.add_argument("--pages", type=int, default=100, help="guide pages in the corpus (default 100)")
    parser.add_argument("--count", type=int, default=100, help="editions for 'many' (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--with-national", action="store_true",
                        help="edition: keep the 12 national guide pages (N + 12 pages)")
    parser.add_argument("--national", action="store_true",
                        help="mkdocs, material, zensical, hugo: the national edition's content, not a corpus")
    args = parser.parse_args(argv)
    if args.kind == "many":
        write_many(args.out, args.count, args.seed)
        print(f"Wrote {args.count} editions under {args.out}")
        return 0
    if args.national:
        if args.kind == "edition":
            parser.error("--national is for the other tools' projects; the national edition is the repository")
        PEERS[args.kind](national_site(), args.out)
        print(f"Wrote the national edition's content as a {args.kind} project to {args.out}")
        return 0
    corpus = make_corpus(args.pages, args.seed)
    if args.kind == "edition":
        write_edition(corpus, args.out, national=args.with_national)
    else:
        PEERS[args.kind](corpus, args.out)
    print(f"Wrote a {args.kind} corpus of {args.pages} pages to {args.out}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
