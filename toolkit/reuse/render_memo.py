"""What the preview keeps of rendered pages between builds, and how a page's reads are recorded.

Every render records what its templates read of the site (ContentReads, StructureReads);
RenderMemo keeps each page with those reads, and reuses it while every part it read is
the same (compared by value), so a reused page is always the page a clean build makes.
"""
from __future__ import annotations

import hashlib

from toolkit.reuse.recent import RecentMemo
from toolkit.stages.structure import OutputPage, Site


class RenderMemo:
    """Pages rendered by earlier builds in this process, and what each one read.

    A page is rendered again only when something it showed may have changed: the
    templates, the site-wide inputs every page uses (settings, strings, principles,
    glossary, ...), the page itself (its item, title, breadcrumbs, side navigation), or
    a part of the site its template read (`site.content.pages`, the case studies related
    to a section, ...). What a template reads is recorded while it renders, so the rule
    holds for any template, an edition's own included; each comparison is by value, so
    a reused page is always the page a clean build would make.
    """

    def __init__(self):
        self.env = None
        self.shared = None
        self.pages: dict[str, tuple] = {}      # path -> (OutputPage, reads, html, problems)
        self.texts = RecentMemo()            # finished Markdown texts, for pages that are rendered again
        self.slug_tokens: dict[int, tuple] = {}
        self.rotate_texts = True             # False for a build that renders too few pages to judge by
        self.body_edit = None                # (old page, new page, templates reading no section's body)

    def start(self, env, shared) -> bool:
        """Begin a build; False (and forget everything) when templates or shared inputs changed."""
        self.slug_tokens = {}
        if self.env is not env or self.shared != shared:
            self.env, self.shared, self.pages, self.texts = env, shared, {}, RecentMemo()
            return False
        if self.rotate_texts:
            self.texts.next_build()
        return True

    def slugs_token(self, slugs: dict) -> str:
        """A short exact name for the whole guide's anchor map, made once per build."""
        found = self.slug_tokens.get(id(slugs))
        if found is None:
            digest = hashlib.blake2b(repr(sorted(slugs.items())).encode(), digest_size=16).hexdigest()
            found = self.slug_tokens[id(slugs)] = (slugs, digest)
        return found[1]

    def reusable(self, page: OutputPage, site: Site):
        entry = self.pages.get(page.path)
        if entry is None or (entry[0] is not page and entry[0] != page):
            return None
        stale = False
        for part, value in entry[1]:
            now = read_part(site, part)
            if now is not value and now != value:
                if not self._only_body_edited(page, now, value):
                    return None
                stale = True
        if stale:           # the same page, read from the new site: kept with what it read there
            entry = self.put(page, site, entry[2])
        return entry

    def _only_body_edited(self, page: OutputPage, now, value) -> bool:
        """For the preview's quick rebuild of a body edit (body_edit.py sets `body_edit`): is
        `now` `value` but for the edited section, on a page whose templates read no section's
        body (section_reads.py)? Then what the page shows of it is as it was."""
        if self.body_edit is None or page.template not in self.body_edit[2]:
            return False
        old, new, _ = self.body_edit
        if not isinstance(now, tuple):
            return now is new and value is old
        return (isinstance(value, tuple) and len(now) == len(value)
                and all(a is b or (a is new and b is old) for a, b in zip(now, value)))

    def keep(self, only: set[str]) -> None:
        self.pages = {path: entry for path, entry in self.pages.items() if path in only}

    def put(self, page: OutputPage, site: Site, html: str) -> tuple:
        """Take `html` as `page`'s for `site`, made without problems by other means from what
        its last render read (the guide after a body edit: whole_guide.py); the new entry."""
        last = self.pages[page.path]
        reads = tuple((part, read_part(site, part)) for part, _ in last[1])
        entry = self.pages[page.path] = (page, reads, html, last[3] if html is last[2] else [])
        return entry


def read_part(site: Site, part):
    """The value of one part of the site a template read, as recorded by ReadLog."""
    if isinstance(part, tuple):
        kind, slug = part
        return getattr(site, kind)(slug)             # related, illustrates, sections, ...
    if part == "*":
        return site
    return getattr(site.content, part)


class ReadLog:
    """What `site.content` and `site.structure` look like to a template, noting each part read."""
    __slots__ = ("_site", "reads")

    def __init__(self, site: Site):
        self._site = site
        self.reads: set = set()


class ContentReads(ReadLog):
    __slots__ = ()

    def __getattr__(self, name):
        value = getattr(self._site.content, name)
        self.reads.add(name)
        return value


class StructureReads(ReadLog):
    __slots__ = ()

    def related(self, slug):
        self.reads.add(("related", slug))
        return self._site.related(slug)

    def illustrates(self, slug):
        self.reads.add(("illustrates", slug))
        return self._site.illustrates(slug)

    def case_study_sections(self, slug):
        self.reads.add(("case_study_sections", slug))
        return self._site.case_study_sections(slug)

    def sections(self, slugs):
        slugs = tuple(slugs)
        self.reads.add(("sections", slugs))
        return self._site.sections(slugs)

    @property
    def hidden_paths(self):
        return self._site.hidden_paths       # made from the settings, which every page depends on already

    def __getattr__(self, name):
        self.reads.add("*")                  # anything else: the page depends on the whole site
        return getattr(self._site, name)
