"""Rebuilding in the preview server (toolkit/reuse/memory.py) gives the bytes of a clean build.

The same edition is changed step by step: a page's body, a title, the side navigation of
a long guide, a new page, a renamed page, a deleted page, a case study, the glossary,
toolkit.yml, a template and the theme's strings. After every step the preview's rebuild
(which reuses what it can) is compared, file by file, with a clean build of the same files.
"""
from __future__ import annotations

import shutil

import pytest
from support import REPO, write_files

from toolkit.stages import structure
from toolkit.model.problems import BuildFailed
from toolkit.reuse.memory import BuildMemory
from toolkit.commands.build import build
from toolkit.reuse.render_memo import RenderMemo

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
    with pytest.raises(BuildFailed) as failed:
        rebuilt(root, memory)
    assert [(p.path, p.message) for p in failed.value.problems] == [
        ("content/local-1.md", "a list is opened here with [ but never closed")]
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
    from toolkit.stages.edition import NATIONAL_ROOT
    return (NATIONAL_ROOT / "themes/default/templates" / name).read_text(encoding="utf-8")


def _national_strings() -> str:
    from toolkit.stages.edition import NATIONAL_ROOT
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


# ----------------------------------------------------------------------------- one page's body edited
# The preview's watcher names the changed files, and a body edit is rebuilt from the last
# build's content (toolkit/body_edit.py). These steps go through the watcher as `serve` does.

class Watched:
    """Rebuilds as the preview server does: each time with the files the watcher saw change."""

    def __init__(self, root, monkeypatch):
        from toolkit import pipeline
        from toolkit.preview import watcher as serve
        self.root, self.memory, self.serve = root, BuildMemory(root), serve
        self.roots = serve.watched_roots(root.resolve())
        self.seen = serve.snapshot(self.roots)
        self.full_reads = 0                 # builds of the preview's that read every source
        self.building = False
        load_content = pipeline.load_content

        def counted(*args, **kwargs):
            self.full_reads += self.building
            return load_content(*args, **kwargs)
        monkeypatch.setattr(pipeline, "load_content", counted)
        self.rebuild()

    def rebuild(self):
        now = self.serve.snapshot(self.roots)
        changed, self.seen = self.serve.changed_paths(self.seen, now), now
        self.building = True
        try:
            return build(self.root.resolve(), write=False, memory=self.memory, changed=changed).outputs
        finally:
            self.building = False


def outcome(action):
    """What `action` made, or the problems it failed with."""
    try:
        return action()
    except BuildFailed as failed:
        return failed.problems


def edit_body(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_body_edits_seen_by_the_watcher_are_rebuilt_quickly_and_equal_a_clean_build(long_guide, monkeypatch):
    from toolkit.reuse import whole_guide
    spliced = []
    splice = whole_guide.GuideRecord.splice
    monkeypatch.setattr(whole_guide.GuideRecord, "splice",
                        lambda *args: spliced.append(splice(*args)) or spliced[-1])
    root = long_guide
    for n in range(8):                  # bodies of their own (a text in two places is one object)
        edit_body(root, f"content/local-{n}.md", "- two", f"- two\n- {n}")
    write_files(root, {
        "content/index.md": page("Home", 0),
        "content/local-6.md": page("Local page 6", 206, "local-3.html#where-it-starts"),
        "data/glossary.yml": """
            - term: Widget fund
              id: widget-fund
              definition: A fund for widgets, [[param:2.4.consultation_weeks]] weeks a year.
        """,
        "content/local-5.md": page("Local page 5", 205) + "\nAsk about the Widget fund.\n",
    })
    watched = Watched(root, monkeypatch)
    steps = [   # (what, file, text, replaced by, whether the site builds)
        ("a list item", "content/local-3.md", "- two", "- two and a half", True),
        ("a glossary term, now first used on an earlier page", "content/local-2.md", "- one", "- one Widget fund",
         True),
        ("the glossary term taken out again", "content/local-2.md", "- one Widget fund", "- one", True),
        ("a principle named, which relates case studies", "content/local-7.md", "- one", "- see [[principle:2.1]]",
         True),
        ("a heading another page links to", "content/local-3.md", "## Where it starts", "## Where it begins", False),
        ("the heading put back", "content/local-3.md", "## Where it begins", "## Where it starts", True),
        ("a reference to a principle that does not exist", "content/local-4.md", "- one", "- [[principle:9.9]]",
         False),
        ("the reference mended", "content/local-4.md", "[[principle:9.9]]", "[[principle:2.3]]", True),
        ("the home page's body", "content/index.md", "## Where", "## Here is where", True),
        ("a page's body", "content/local-1.md", "- two", "- two, too", True),
        ("that page's body again", "content/local-1.md", "- two, too", "- two, also", True),
    ]
    last_built = True
    for what, rel, old, new, builds in steps:
        edit_body(root, rel, old, new)
        reads_before = watched.full_reads
        quick, fresh = outcome(watched.rebuild), outcome(lambda: clean(root))
        assert isinstance(fresh, dict) == builds, f"after {what}: {fresh}"
        if builds:
            assert sorted(quick) == sorted(fresh), f"after {what}"
            assert [path for path in fresh if quick[path] != fresh[path]] == [], f"after {what}"
        else:
            assert quick == fresh, f"after {what}"            # the same problems, in the same order
        if last_built:                  # after a failed build, the next one reads everything
            assert watched.full_reads == reads_before, f"{what} was read in full"
        last_built = builds
    assert len([made for made in spliced if made is not None]) >= 4      # the guide made from its pieces


def test_changes_that_are_not_a_body_edit_are_read_in_full(long_guide, monkeypatch):
    root = long_guide
    watched = Watched(root, monkeypatch)
    changes = [
        ("a title", lambda: edit_body(root, "content/local-3.md", "title: Local page 3", "title: Page three")),
        ("the order", lambda: edit_body(root, "content/local-3.md", "order: 203", "order: 199")),
        ("a new page", lambda: write_files(root, {"content/local-new.md": page("Newcomer", 250)})),
        ("two pages at once", lambda: (edit_body(root, "content/local-1.md", "- one", "- uno"),
                                       edit_body(root, "content/local-2.md", "- one", "- uno"))),
        ("a deleted page", lambda: (root / "content/local-new.md").unlink()),
    ]
    for what, change in changes:
        change()
        reads_before = watched.full_reads
        outputs = watched.rebuild()
        assert watched.full_reads == reads_before + 1, what
        fresh = clean(root)
        assert sorted(outputs) == sorted(fresh) and all(outputs[p] == fresh[p] for p in fresh), what


def test_the_guide_is_recorded_ahead_and_the_first_body_edit_splices_it(long_guide, monkeypatch):
    from toolkit.reuse import body_edit
    from toolkit.reuse import whole_guide
    root = long_guide
    watched = Watched(root, monkeypatch)
    body_edit.prepare(watched.memory)
    record = watched.memory.guide
    assert record is not None and record.entry is watched.memory.pages.pages["guide.html"]
    edit_body(root, "content/local-4.md", "- two", "- two and some")
    outputs = watched.rebuild()
    assert watched.memory.guide is not record and watched.memory.guide.entry[2].count("two and some") == 1
    fresh = clean(root)
    assert [path for path in fresh if outputs[path] != fresh[path]] == []


# An edition's own templates may show a section's body in other ways; the quick rebuild must
# then render the pages that do (the guide, the home page) as usual.
@pytest.mark.parametrize("template, shown", [
    ("whole_guide.html", "{% for s in site.content.pages %}<p>{{ s.body.html|length }}</p>{% endfor %}"),
    ("whole_guide.html", "{% for s in site.content.pages %}<p>{{ s.body|guide_md('x', {})|length }}</p>"
                         "{% endfor %}"),
    ("home.html", "{% for s in site.content.pages %}<p>{{ s.body.text|wordcount }}</p>{% endfor %}"),
    ("home.html", "<p>{{ site.content.pages|map(attribute='body')|map(attribute='html')|join|length }}</p>"),
])
def test_templates_that_show_bodies_otherwise_are_rendered_again(make_edition, monkeypatch, template, shown):
    from toolkit.stages.edition import NATIONAL_ROOT
    national = (NATIONAL_ROOT / "themes/default/templates" / template).read_text(encoding="utf-8")
    at = national.index("{% endblock %}", national.index("{% block main %}"))
    root = make_edition({
        **{f"content/local-{n}.md": page(f"Local page {n}", 200 + n) for n in range(3)},
        f"themes/default/templates/{template}": national[:at] + shown + national[at:],
    })
    watched = Watched(root, monkeypatch)
    for n in range(3):                  # the first edit records the guide, the next ones could splice it
        edit_body(root, "content/local-1.md", "- two" + " more" * n, "- two" + " more" * (n + 1))
        outputs = watched.rebuild()
        fresh = clean(root)
        assert [path for path in fresh if outputs[path] != fresh[path]] == [], n


@pytest.mark.parametrize("source, bodies, accepted", [
    ("{% for s in site.content.pages %}{{ s.title }}{% endfor %}", False, True),
    ("{% for s in site.content.pages %}{{ s.body|guide_md('x', {}) }}{% endfor %}", True, True),
    ("{% for s in site.content.pages %}{{ s.body|guide_md('x', {}) }}{% endfor %}", False, False),
    ("{% for s in site.content.pages %}{{ s.body.html }}{% endfor %}", True, False),
    ("{% for s in site.content.pages %}{{ s }}{% endfor %}", False, False),
    ("{% for s in site.content.pages %}{{ s['body'] }}{% endfor %}", False, False),
    ("{% for s in site.content.pages %}{{ s|attr('bo' ~ 'dy') }}{% endfor %}", False, False),
    ("{% for s in site.content.pages %}{{ loop.previtem.body }}{% endfor %}", False, False),
    ("{% set all = site.content.pages %}{{ all|length }}", False, False),
    ("{% set found = site.structure.sections(['a']) %}{% if found %}{% for s in found %}{{ s.title }}"
     "{% endfor %}{% endif %}", False, True),
    ("{% set found = site.structure.sections(['a']) %}{{ found|map(attribute='body')|list }}", False, False),
    ("{{ site.structure.page_at('a.html') }}", False, False),
    ("{{ site.content.home.body|md }}", False, False),
    ("{% set s2 = site %}{{ s2.content.pages }}", False, False),
    ("{% for s in site.content.pages %}{% filter upper %}{{ s.body|md }}{% endfilter %}{% endfor %}", True, False),
    ("{{ terms_seen }}", False, False),
    ("{% for s in site.content.pages %}{{ s.__dict__.values()|list }}{% endfor %}", False, False),
    ("{% include some_name %}", False, False),
])
def test_section_reads_accepts_only_templates_whose_use_of_sections_it_can_vouch_for(source, bodies, accepted):
    import jinja2

    from toolkit.reuse.section_reads import sections_read
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": source, "_nav.html": "<nav></nav>"}))
    assert sections_read(env, "t.html", bodies_through_filters=bodies) == accepted


def test_the_national_templates_are_ones_the_quick_rebuild_can_vouch_for():
    from toolkit.stages.edition import NATIONAL_ROOT
    from toolkit.stages.render import environment
    from toolkit.reuse.section_reads import sections_read
    env = environment((NATIONAL_ROOT / "themes/default/templates",))
    assert sections_read(env, "whole_guide.html", bodies_through_filters=True)      # spliced after a body edit
    assert all(sections_read(env, name) for name in ("home.html", "search.html", "case_study.html"))
