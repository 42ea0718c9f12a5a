"""The Markdown extensions, as fixture files in markdown-it-py's format:
a title line, '.', the input, '.', the expected HTML, '.'."""
from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.stages.markdown import REF_CLOSE, REF_OPEN, SITE_ROOT, make_parser, render_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"


def read_fixtures(path: Path):
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, index = [], 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title = lines[index]
        assert lines[index + 1] == ".", f"{path.name}: expected '.' after the title {title!r}"
        end_input = lines.index(".", index + 2)
        end_output = lines.index(".", end_input + 1)
        cases.append(pytest.param("\n".join(lines[index + 2:end_input]) + "\n",
                                  "\n".join(lines[end_input + 1:end_output]) + "\n",
                                  id=f"{path.stem}: {title}"))
        index = end_output + 1
    return cases


CASES = [case for path in sorted(FIXTURES.glob("*.md")) for case in read_fixtures(path)]


def readable(html: str) -> str:
    """Markers shown as text, so fixtures stay plain."""
    return html.replace(REF_OPEN, "").replace(REF_CLOSE, "").replace(SITE_ROOT, "ROOT/")


@pytest.mark.parametrize("source, expected", CASES)
def test_fixture(source, expected):
    md = make_parser(allow_raw_html=False)
    assert readable(render_markdown(md, source).html) == expected


def test_references_are_recorded_with_the_line_they_are_on():
    md = make_parser()
    rendered = render_markdown(md, "Intro.\n\nSee [[principle:2.4]] and\n[[param:2.4.consultation_weeks]].\n", first_line=5)
    assert [(r.kind, r.target, r.line) for r in rendered.references] == [
        ("principle", "2.4", 7), ("param", "2.4.consultation_weeks", 8)]


def test_contents_lists_h2_and_h3_only():
    rendered = render_markdown(make_parser(), "## One\n### Two\n#### Three\n")
    assert [(h.level, h.id, h.text) for h in rendered.headings] == [(2, "one", "One"), (3, "two", "Two")]


def test_refused_links_are_reported_with_their_line():
    rendered = render_markdown(make_parser(), "ok\n\n[x](vbscript:msgbox)\n", first_line=3)
    assert rendered.refused == (("vbscript:msgbox", 5),)
