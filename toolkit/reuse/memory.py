"""What a long-running process keeps from one build to the next (the preview server).

These, each exact by construction, so a rebuild's output is byte for byte a
clean build's (tests/test_incremental.py checks it after every kind of change):

- the rendered Markdown of every text, by a hash of the text and of the code that
  renders it (reuse/markdown_cache.py), so only the texts that changed are parsed again;
- the rendered pages, each with what it showed and read (render.RenderMemo), so only
  the pages that something changed for are rendered again;
- the YAML of front matter and data files, by its text, so only changed files are
  loaded again (loaded values are never changed by the stages that read them), and
  the schema's problems with each loaded value;
- the search index's work for each entry (search_index.SearchMemo): plain texts, word
  postings and text files are redone only for the entries that changed;
- the link check's work for each page and text (links.LinkMemo): what was found clean
  is checked again only when it, the site's files, or the ids it links to changed;
- each page's UTF-8 bytes, by its HTML;
- the last good build's content and structure (body_edit.LastBuild), so that when the
  watcher reports one page's body edited, only that page is read again;
- the one-page guide's last render in pieces (whole_guide.GuideRecord), so that after a
  body edit only the pieces that changed are made again.

Otherwise reading the sources and the structure run in full on every build, so a
change anywhere is always seen. What one full build did not use is let go when the
next starts, so a long session does not grow; a quick build (one body edited) uses
too little to judge by, so it lets go only of page bytes no page has any more.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.model import urls
from toolkit.reuse.cache_files import not_saved
from toolkit.model.problems import Problem, display_path
from toolkit.reuse.link_memo import LinkMemo
from toolkit.reuse.markdown_cache import MarkdownRenderer
from toolkit.reuse.cache_files import cache_folder
from toolkit.reuse.render_memo import RenderMemo
from toolkit.reuse.recent import RecentMemo
from toolkit.reuse.search_memo import SearchMemo


class BuildMemory:
    """Handed to pipeline.build(memory=...) by the preview server for every rebuild."""

    def __init__(self, edition_root: Path):
        self.cache_dir = cache_folder(Path(edition_root))
        self.pages = RenderMemo()
        self.yaml = RecentMemo()
        self.search = SearchMemo()
        self.links = LinkMemo()
        self.page_bytes = RecentMemo()         # a page's HTML -> its UTF-8 bytes
        self.last = None                       # body_edit.LastBuild of the last good build
        self.guide = None                      # whole_guide.GuideRecord of the guide's last render
        self.templates_checked = (None, (frozenset(), frozenset()))   # (environment, body_edit._checked_templates)
        self.bytes_by_id: dict = {}            # id(html) -> (html, bytes) of the last build's pages
        self._renderers: dict[bool, MarkdownRenderer] = {}

    def take_last(self):
        """The last good build, forgotten until the build now starting succeeds."""
        last, self.last = self.last, None
        return last

    def next_build(self, quick: bool = False) -> None:
        """Called as each build starts: what the build before it did not use is let go.
        `quick`: one page's body edited, so most memos are not looked at and are kept
        whole; page bytes are looked up for every page by every build."""
        self.page_bytes.next_build()
        if self.guide is not None and self.guide.entry is not self.pages.pages.get(urls.GUIDE):
            self.guide = None                  # the guide was rendered since: its pieces are another's
        self.pages.rotate_texts = not quick
        if quick:
            return
        self.yaml.next_build()
        for renderer in self._renderers.values():
            renderer.next_build()

    def renderer(self, allow_raw_html: bool) -> MarkdownRenderer:
        """The Markdown renderer for this raw-HTML setting, started from the disk cache.

        It is not written back after every build (the cache file of a big edition takes
        longer to write than a one-page rebuild takes); save() writes it once, at the end.
        """
        renderer = self._renderers.get(allow_raw_html)
        if renderer is None:
            renderer = self._renderers[allow_raw_html] = MarkdownRenderer(allow_raw_html, self.cache_dir)
            renderer.cache_dir = None
        return renderer

    def save(self) -> list[Problem]:
        """Write the Markdown cache; a warning for each renderer whose cache could not be saved."""
        problems = []
        for renderer in self._renderers.values():
            renderer.cache_dir = self.cache_dir
            try:
                renderer.save()
            except OSError as error:
                problems.append(not_saved(error, lambda path: display_path(path, self.cache_dir.parent)))
            renderer.cache_dir = None
        return problems
