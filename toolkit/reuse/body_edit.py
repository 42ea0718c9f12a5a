"""The preview server's quick rebuild when one page's Markdown body was edited.

The most common change in `serve` is a save of one page's text. A full rebuild reads
every source again (and asks each memo whether its part changed), which at a thousand
pages costs far more than the page itself. The watcher knows which files changed, so
when that is a single page of the last good build, and only its body differs, the
content and structure of the last build are taken over with just that page replaced:

    read_body_edit   the page read again on its own (content.read_one_page), its front
                     matter values compared with the last build's; the Site updated
                     with structure.with_page_replaced()

    BodyEdit.render  render_site with the preview's memo, told of the edit: a page whose
                     templates never read a section's body (section_reads.py) is kept
                     though the list of sections it read now holds the new page object;
                     the one-page guide, which shows every body, is made from the pieces
                     of its last render (whole_guide.py), or rendered and recorded
    prepare          that record made ahead, when the server is first idle

The rest of the build runs as usual with the preview's memos (pipeline.build): the
link check looks again only at what could have changed (links.LinkMemo), the search
redoes only the edited entry (search_index.SearchMemo).

Why it is exact: a page's front matter makes its title, navigation title, order,
summary, themes and review date, and its file name its slug; when all of these are the
same, the page's place in the site (URL, previous/next, navigation, the order of the
guide, the checks between content) is the same, and what its body decides (related
case studies, by the principles it names) is made again. Nothing else was read again
because nothing else changed: the watcher reported only this file, and the last build
succeeded with every other file as it was (a failed build leaves nothing to build on).

Everything else falls back to the full build: more than one file changed, a file
that is not a page of the last build (new, deleted, renamed, a case study, data, a
template, toolkit.yml), a front-matter change, a page that cannot be read, a change
of the build date (a new day), or a build that writes, is strict or makes a PDF.
tests/test_incremental.py compares the result with a clean build after many edits.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.stages.edition import Edition
from toolkit.stages.discover import Sources
from toolkit.model.content import Content, Page, texts
from toolkit.stages.structure import Site


@dataclass(frozen=True)
class LastBuild:
    """What a successful build in the preview server leaves for a quick rebuild after it."""
    edition: Edition
    sources: Sources
    content: Content
    site: Site
    build_date: str
    render_args: tuple                # what pipeline.build handed to render_site


@dataclass(frozen=True)
class BodyEdit:
    """The last build's content and structure with one page's body replaced."""
    edition: Edition
    sources: Sources
    content: Content
    site: Site
    old: Page
    new: Page

    def render(self, memory, render_site, render_args: tuple, **options) -> dict[str, str]:
        """render_site(*render_args, memo=memory.pages, **options) for this edit: pages whose
        templates read no section's body are kept though the sections they list changed
        (section_reads.py, render.RenderMemo), and the one-page guide is made from the pieces
        of its last render (whole_guide.py) where that is exact, else rendered and recorded."""
        from toolkit.stages.render import environment
        memo = memory.pages
        env = environment(self.sources.template_dirs)
        if memory.templates_checked[0] is not env:
            memory.templates_checked = (env, _checked_templates(env, {page.template for page in self.site.pages}))
        memo.body_edit = (self.old, self.new, memory.templates_checked[1][0])
        try:
            return self._render_with_guide(memory, env, lambda: render_site(*render_args, memo=memo, **options))
        finally:
            memo.body_edit = None

    def _render_with_guide(self, memory, env, render) -> dict[str, str]:
        from toolkit.reuse.whole_guide import GUIDE, GuideRecord
        memo = memory.pages
        guide = next((page for page in self.site.pages if page.path == GUIDE), None)
        if guide is None or guide.item is not None or guide.template not in memory.templates_checked[1][1]:
            return render()
        record, entry = memory.guide, memo.pages.get(GUIDE)
        # The record tells texts apart by identity: the edited body must be no other text's too.
        made = (record.splice(self.old, self.new, self.site, memo)
                if record is not None and record.entry is entry and self.content.home is not self.new
                and not any(rendered is self.old.body for rendered in _texts(self.site))
                else None)
        if made is not None:
            html, data, scan, memory.guide = made
            memory.guide.entry = memo.put(guide, self.site, html)
            memory.bytes_by_id[id(html)] = (html, data)
            memory.links.given(html, scan)
            return render()
        pages, recorder = GuideRecord.record(env, guide.template, render)
        entry = memo.pages.get(GUIDE)
        if recorder is not None and entry is not None and entry[2] is pages.get(GUIDE):
            data = pages[GUIDE].encode("utf-8")
            memory.bytes_by_id[id(pages[GUIDE])] = (pages[GUIDE], data)
            memory.guide = GuideRecord.made(recorder, entry, data)
            if memory.guide is not None:         # its scan, made from the pieces' (as exact)
                memory.links.given(pages[GUIDE], memory.guide.scan)
                _rehearse(memory.guide, self.site, memo)
        return pages


def prepare(memory) -> None:
    """Record the one-page guide's render now, rather than at the first body edit: the
    preview server calls this once its first build is served (that build renders the
    guide in worker processes, where it cannot be recorded). The recording must give
    the very HTML the build made, or it is not kept."""
    from toolkit.stages.render import environment, render_page
    from toolkit.reuse.whole_guide import GUIDE, GuideRecord
    last, entry = memory.last, memory.pages.pages.get(GUIDE)
    if last is None or entry is None or memory.guide is not None:
        return
    env = environment(last.sources.template_dirs)
    if memory.templates_checked[0] is not env:
        memory.templates_checked = (env, _checked_templates(env, {page.template for page in last.site.pages}))
    from toolkit.reuse.section_reads import NAV_TEMPLATE, templates_used
    for name in templates_used(env, {page.template for page in last.site.pages} | {NAV_TEMPLATE}):
        env.get_template(name)        # compiled here (a big build compiles some in its worker processes only)
    built = memory.bytes_by_id.get(id(entry[2]))
    if entry[0].template not in memory.templates_checked[1][1] or built is None or built[0] is not entry[2]:
        return
    html, recorder = GuideRecord.record(env, entry[0].template, lambda: render_page(*last.render_args, GUIDE))
    if recorder is not None and html == entry[2]:
        memory.guide = GuideRecord.made(recorder, entry, built[1])
        _rehearse(memory.guide, last.site, memory.pages)


def _rehearse(record, site, memo) -> None:
    """Splice the guide twice with nothing changed, the results let go, so that the first
    edits find ready what later ones do: the memory for a page this size (an allocator
    keeps big blocks for reuse only once some have come and gone) and the caches of the
    code that makes it."""
    if site.content.pages:
        section = site.content.pages[0]
        for _ in range(2):
            record.splice(section, section, site, memo)


def _checked_templates(env, names: set[str]) -> tuple[frozenset, frozenset]:
    """(templates that read no section's body, those that show bodies only through the
    Markdown filters): see section_reads.py."""
    from toolkit.reuse.section_reads import sections_read
    return (frozenset(name for name in names if sections_read(env, name)),
            frozenset(name for name in names if sections_read(env, name, bodies_through_filters=True)))


def read_body_edit(last: LastBuild, changed: list[str], memory, build_date) -> BodyEdit | None:
    """The last build with the edited page's new body, or None when the change is not
    one page's body alone (see the module docstring). `build_date(edition)` is the date
    the build would show now."""
    if len(changed) != 1:
        return None
    source = next((source for source in last.sources.pages if str(source.path) == changed[0]), None)
    if source is None or not _plain_file(source.path) or build_date(last.edition) != last.build_date:
        return None
    from toolkit.stages.content import read_one_page
    renderer = memory.renderer(last.edition.settings.allow_raw_html)
    new = read_one_page(last.edition, source, renderer, memory.yaml)
    if new is None:
        return None
    content = last.content
    old = content.home if content.home is not None and content.home.slug == new.slug else \
        next((page for page in content.pages if page.slug == new.slug), None)
    if old is None or replace(new, body=old.body) != old:
        return None                 # its front matter changed: titles, order, navigation may have
    if new == old:
        return BodyEdit(last.edition, last.sources, content, last.site, old, old)
    from toolkit.stages.structure import with_page_replaced
    site = with_page_replaced(last.site, old, new)
    return BodyEdit(last.edition, last.sources, site.content, site, old, new)


def _texts(site: Site):
    """Every rendered Markdown text of the site (with the national wording of principles):
    the old body must be none of them, or the guide's record could not tell it apart."""
    yield from (text.markdown for text in texts(site.content))


def _plain_file(path: Path) -> bool:
    """Still a regular file (not replaced by a link, which discovery would look at again)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
