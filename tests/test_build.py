"""The national toolkit builds into a complete site (issue 2), checked on the real output."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from support import REPO, run_cli
from toolkit.model.problems import BuildFailed
from toolkit.commands.build import build

SECTIONS = ["about-the-compact", "what-is-social-value", "the-social-value-act", "social-value-and-the-compact",
            "requirements-on-local-authorities", "achieving-social-value", "using-the-compact", "consultation",
            "the-voluntary-sector-and-the-act", "a-voice-for-communities", "joint-social-value-strategy"]


class PageFacts(HTMLParser):
    """What a test needs to know about one HTML page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.h1 = 0
        self.title = ""
        self._in_title = False
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self.h1 += tag == "h1"
        self._in_title = tag == "title"
        if attributes.get("id"):
            self.ids.add(attributes["id"])

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def facts(path: Path) -> PageFacts:
    parser = PageFacts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path):
    return sorted(site.rglob("*.html"))


def text_of(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_every_section_case_study_and_data_page_is_built(national_site):
    for slug in SECTIONS:
        assert (national_site / f"{slug}.html").is_file(), slug
    for study in ("knowsley", "bristol", "sutton"):
        assert (national_site / "case-studies" / f"{study}.html").is_file()
    for page in ("index", "principles", "actions", "actions-commissioners", "actions-vcs", "glossary",
                 "further-reading", "search", "guide", "accessibility", "404"):
        assert (national_site / f"{page}.html").is_file(), page
    assert (national_site / "case-studies" / "index.html").is_file()


def test_each_page_has_one_h1_a_title_lang_and_skip_link(national_site):
    for path in html_pages(national_site):
        page = facts(path)
        assert page.h1 == 1, f"{path.name} has {page.h1} h1 elements"
        assert page.title.strip(), path.name
        html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
        assert html_tag.get("lang") == "en", path.name
        first_link = next(attrs for tag, attrs in page.tags if tag == "a")
        assert first_link.get("href") == "#main" and "main" in page.ids, f"{path.name}: no skip link first"


def test_every_internal_link_and_anchor_in_the_output_resolves(national_site):
    pages = {path: facts(path) for path in html_pages(national_site)}
    broken = []
    for path, page in pages.items():
        for tag, attrs in page.tags:
            for name in ("href", "src"):
                url = attrs.get(name)
                if url is None or re.match(r"^[a-z]+:", url):
                    continue
                target_part, _, fragment = url.partition("#")
                target_part = target_part.partition("?")[0]         # a query (?theme=...) names the same file
                target = (path.parent / target_part).resolve() if target_part else path
                if not target.is_file():
                    broken.append(f"{path.relative_to(national_site)}: {url} (no such file)")
                elif fragment and fragment != "top" and target.suffix == ".html" and fragment not in pages[target].ids:
                    broken.append(f"{path.relative_to(national_site)}: {url} (no such anchor)")
    assert broken == []


def test_no_page_asks_another_host_for_anything(national_site):
    for path in [*html_pages(national_site), *national_site.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:link|script|img|iframe|source|video|audio)\b[^>]*>", text):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), f"{path.name}: {tag}"
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), path.name


def test_case_study_facts_appear_on_their_pages(national_site):
    knowsley = text_of(national_site / "case-studies" / "knowsley.html")
    assert "Knowsley Metropolitan Borough Council" in knowsley
    assert "partnership board" in knowsley
    for study in ("bristol", "sutton"):
        page = text_of(national_site / "case-studies" / f"{study}.html")
        assert study.capitalize() in page


def test_a_principle_reference_shows_its_title_and_links_to_it(national_site):
    html = (national_site / "consultation.html").read_text(encoding="utf-8")
    assert ('<a class="principle-ref" href="principles.html#principle-2-4">'
            "principle 2.4 (Consult early and allow enough time)</a>") in html
    assert 'id="principle-2-4"' in (national_site / "principles.html").read_text(encoding="utf-8")


def test_the_survey_figure_and_dates_stay_exact(national_site):
    assert "almost 85%" in text_of(national_site / "achieving-social-value.html")
    assert "2012" in text_of(national_site / "the-social-value-act.html")


def test_changing_the_consultation_period_changes_every_page_that_mentions_it(tmp_path):
    data = (REPO / "data" / "principles.yml").read_text(encoding="utf-8")
    assert "consultation_weeks:\n      value: 12\n" in data
    copy = tmp_path / "national"
    import shutil
    for folder in ("content", "case_studies", "data", "themes", "static"):
        shutil.copytree(REPO / folder, copy / folder)
    shutil.copy(REPO / "toolkit.yml", copy / "toolkit.yml")
    (copy / "data" / "principles.yml").write_text(
        data.replace("consultation_weeks:\n      value: 12\n", "consultation_weeks:\n      value: 9\n"),
        encoding="utf-8")
    original = build(REPO, tmp_path / "before", use_cache=False).out
    changed = build(copy, tmp_path / "after", use_cache=False).out
    mentions = [p for p in html_pages(original)
                if '<span class="param">12 weeks</span>' in p.read_text(encoding="utf-8")]
    assert len(mentions) >= 3
    for path in mentions:
        after = (changed / path.relative_to(original)).read_text(encoding="utf-8")
        assert '<span class="param">9 weeks</span>' in after and '<span class="param">12 weeks</span>' not in after


def test_an_unknown_principle_fails_with_file_and_line(make_edition):
    edition = make_edition({"content/local.md": """
        ---
        title: Local page
        order: 200
        ---

        Intro.

        See [[principle:9.9]].
    """})
    with pytest.raises(BuildFailed) as failure:
        build(edition, edition / "_site", use_cache=False)
    [problem] = failure.value.problems
    assert (problem.path, problem.line) == ("content/local.md", 8)
    assert problem.message == "refers to principle 9.9, which does not exist"


def test_cli_builds_the_national_edition_and_reports_where(tmp_path):
    done = run_cli("build", "--out", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert "Built" in done.stdout and str(tmp_path / "site") in done.stdout
    assert (tmp_path / "site" / "index.html").is_file()


def test_cli_usage_error_exits_2():
    done = run_cli("build", "--no-such-option")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_cli_help_lists_the_commands():
    done = run_cli("--help")
    assert done.returncode == 0
    for command in ("build", "check", "new", "serve"):
        assert command in done.stdout


def test_footnotes_and_same_page_links_work_on_the_page_and_in_the_whole_guide(make_edition):
    edition = make_edition({"content/notes.md": """
        ---
        title: Notes
        order: 300
        ---

        ## Sources

        The Act came into force in 2013.[^act] See [the sources](#sources).

        [^act]: Public Services (Social Value) Act 2012.
    """})
    site = build(edition, edition / "_site", use_cache=False).out
    page = facts(site / "notes.html")
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("href", "").startswith("#")]
    assert {"#fn1", "#fnref1", "#sources"} <= set(links)
    assert {"fn1", "fnref1", "sources"} <= page.ids
    guide = facts(site / "guide.html")
    for href in ("#section-notes--fn1", "#section-notes--fnref1", "#section-notes--sources"):
        assert any(attrs.get("href") == href for tag, attrs in guide.tags), href
        assert href[1:] in guide.ids


def test_a_problem_in_a_big_edition_is_reported_once_at_its_file(make_edition):
    # Enough pages to render in worker processes, where the page and the one-page guide
    # that both show the text may be made in different processes.
    from toolkit.stages.render import PARALLEL_FROM
    pages = {f"content/page-{n:03}.md": f"---\ntitle: Page {n}\norder: {n}\n---\n\nText {n}.\n"
             for n in range(PARALLEL_FROM)}
    pages["content/page-007.md"] += "\nSee [[principle:9.9]].\n"
    edition = make_edition(pages)
    with pytest.raises(BuildFailed) as failure:
        build(edition, edition / "_site", use_cache=False)
    [problem] = failure.value.problems
    assert (problem.path, problem.line) == ("content/page-007.md", 8)
    assert problem.message == "refers to principle 9.9, which does not exist"
