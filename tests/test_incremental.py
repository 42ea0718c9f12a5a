"""Rebuilding in the preview server (toolkit/incremental.py) gives the bytes of a clean build.

The same edition is changed step by step: a page's body, a title, the side navigation of
a long guide, a new page, a renamed page, a deleted page, a case study, the glossary,
toolkit.yml, a template and the theme's strings. After every step the preview's rebuild
(which reuses what it can) is compared, file by file, with a clean build of the same files.
"""
from __future__ import annotations

import shutil

import pytest
from support import REPO, write_files

from toolkit import structure
from toolkit.errors import BuildFailed
from toolkit.incremental import BuildMemory
from toolkit.pipeline import build
from toolkit.render import RenderMemo

PAGE = """\
---
title: {title}
order: {order}
summary: A page about {title}.
---

## Where it starts

The Compact asks for [[param:2.4.consultation_weeks]] weeks of consultation,
as [[principle:2.4]] says. See [the other page]({link}).

- one
- two
"""


def page(title: str, order: int, link: str = "consultation.html") -> str:
    return PAGE.format(title=title, order=order, link=link)


def clean(root):
    return build(root, write=False, use_cache=False).outputs


def rebuilt(root, memory: BuildMemory):
    return build(root, write=False, memory=memory).outputs


def assert_same(root, memory):
    incremental, fresh = rebuilt(root, memory), clean(root)
    assert sorted(incremental) == sorted(fresh)
    differing = [path for path in fresh if incremental[path] != fresh[path]]
    assert differing == []


@pytest.fixture
def long_guide(make_edition, monkeypatch):
    """An edition with eight pages of its own and a side navigation that shows a window."""
    monkeypatch.setattr(structure, "SIDE_NAV_ALL_UP_TO", 5)
    monkeypatch.setattr(structure, "SIDE_NAV_AROUND", 2)
    return make_edition({f"content/local-{n}.md": page(f"Local page {n}", 200 + n) for n in range(8)})


def test_rebuilds_after_each_kind_of_change_equal_a_clean_build(long_guide):
    root = long_guide
    memory = BuildMemory(root)
    assert_same(root, memory)
    steps = [
        ("a page's body", lambda: write_files(root, {"content/local-3.md": page("Local page 3", 203)
                                                     .replace("- two", "- two and a half")})),
        ("a title shown in neighbours' navigation",
         lambda: write_files(root, {"content/local-4.md": page("A new title for four", 204)})),
        ("a new page", lambda: write_files(root, {"content/local-new.md": page("Newcomer", 250, "local-1.html")})),
        ("a renamed page", lambda: (root / "content/local-5.md").rename(root / "content/renamed.md")),
        ("a deleted page", lambda: (root / "content/local-6.md").unlink()),
        ("the order of the guide", lambda: write_files(root, {"content/local-0.md": page("Local page 0", 260)})),
        ("a new case study", lambda: write_files(root, {"case_studies/newtown.yml": """
            title: Newtown's shared strategy
            area: Newtown
            summary: A council and its voluntary sector wrote one strategy together.
            themes: [consultation]
            principles: ["2.4"]
            sections: [local-1]
            who: The council and the local CVS.
            what_they_did: They met every month.
            what_it_led_to: A strategy both sides use.
        """})),
        ("a link to the case study", lambda: write_files(root, {"content/local-2.md": page(
            "Local page 2", 202, "case-studies/newtown.html")})),
        ("toolkit.yml (a principle's parameter)", lambda: write_files(root, {
            "toolkit.yml": (root / "toolkit.yml").read_text() + "principles:\n  \"2.4\":\n    params:\n"
                                                                "      consultation_weeks: 8\n"})),
        ("a template of the edition's own", lambda: write_files(root, {
            "themes/default/templates/_nav.html": _national_template("_nav.html")
            .replace("site-nav__list", "site-nav__list local-nav")})),
        ("the theme's strings", lambda: write_files(root, {
            "themes/default/strings/en.yml": _national_strings().replace("Sections of the guide",
                                                                         "Parts of the guide")})),
        ("the link to the case study taken out", lambda: write_files(root, {
            "content/local-2.md": page("Local page 2", 202)})),
        ("the case study removed", lambda: (root / "case_studies/newtown.yml").unlink()),
        ("the template removed", lambda: shutil.rmtree(root / "themes/default/templates")),
    ]
    for what, change in steps:
        change()
        try:
            assert_same(root, memory)
        except (AssertionError, BuildFailed) as failure:
            raise AssertionError(f"after changing {what}: {failure}") from None


def test_a_body_edit_renders_the_page_and_what_shows_its_words_only(long_guide):
    root = long_guide
    memory = BuildMemory(root)
    rebuilt(root, memory)
    before = dict(memory.pages.pages)
    write_files(root, {"content/local-3.md": page("Local page 3", 203).replace("- two", "- two and more")})
    after = rebuilt(root, memory)
    rendered_again = sorted(path for path, entry in memory.pages.pages.items() if before.get(path) is not entry)
    # The page itself, the pages that list every section with its words (home shows the
    # summaries, search the titles, the whole guide every body); nothing else.
    assert "local-3.html" in rendered_again
    assert "guide.html" in rendered_again
    assert "local-2.html" not in rendered_again and "principles.html" not in rendered_again
    assert len(rendered_again) <= 5, rendered_again
    assert b"two and more" in after["local-3.html"] and b"two and more" in after["guide.html"]


def test_a_failed_build_leaves_the_memory_usable(long_guide):
    root = long_guide
    memory = BuildMemory(root)
    rebuilt(root, memory)
    write_files(root, {"content/local-1.md": "---\ntitle: [unclosed\norder: 3\n---\nText.\n"})
    with pytest.raises(Exception):
        rebuilt(root, memory)
    write_files(root, {"content/local-1.md": page("Local page 1, mended", 201)})
    assert_same(root, memory)


def test_render_memo_forgets_everything_when_a_template_changes(long_guide):
    root = long_guide
    memory = BuildMemory(root)
    rebuilt(root, memory)
    env_before = memory.pages.env
    write_files(root, {"themes/default/templates/404.html": _national_template("404.html") + "\n"})
    assert_same(root, memory)
    assert memory.pages.env is not env_before
    assert isinstance(memory.pages, RenderMemo)


def _national_template(name: str) -> str:
    from toolkit.config import NATIONAL_ROOT
    return (NATIONAL_ROOT / "themes/default/templates" / name).read_text(encoding="utf-8")


def _national_strings() -> str:
    from toolkit.config import NATIONAL_ROOT
    return (NATIONAL_ROOT / "themes/default/strings/en.yml").read_text(encoding="utf-8")


def test_a_long_guide_shows_a_window_of_the_side_navigation(long_guide):
    """Every section page listing every section makes a big site grow with its square; past
    SIDE_NAV_ALL_UP_TO sections a page lists the ones around it and links to the full list."""
    import re
    outputs = clean(long_guide)
    order = re.findall(r'<a href="([^"]+)">', outputs["index.html"].decode().split('id="guide-sections"')[1]
                       .split("</ol>")[0])
    assert len(order) > 5
    for index, path in enumerate(order):
        html = outputs[path].decode()
        nav = html[html.index('<nav class="section-nav"'):]
        nav = nav[:nav.index("</nav>")]
        listed = re.findall(r'<li><a href="([^"]+)"', nav)
        first = min(max(0, index - 2), len(order) - 5)
        assert listed == order[first:first + 5], path
        assert f'<a href="{path}" aria-current="page">' in nav
        assert (f'<ol start="{first + 1}">' in nav) == (first > 0)
        assert '<a href="index.html#guide-sections">Every section of the guide</a>' in nav


def test_a_short_guide_lists_every_section_on_every_page(national_site):
    html = (national_site / "consultation.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="section-nav"'):]
    nav = nav[:nav.index("</nav>")]
    sections = [path for path in (REPO / "content").glob("*.md") if path.name != "index.md"]
    assert nav.count("<li>") == len(sections)
    assert "Every section of the guide" not in nav and "<ol start" not in nav
