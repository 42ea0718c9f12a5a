"""What the preview server keeps of the link check (checks/links.py) from one build to the next."""
from __future__ import annotations

from toolkit.checks.scan import scan_page
from toolkit.reuse.recent import RecentMemo


class LinkMemo:
    """What the preview server keeps of the link check from one build to the next.

    Each page's ids and links, by its HTML; and each page and Markdown text the check
    found clean, with what the check looked at: the names of files in the site it
    looked for, and the ids of the pages its links' fragments lead to. A page or text
    found clean is clean again while it is the same, none of those names was added or
    removed, and those ids are the same (and the hidden pages): only what changed, or
    what links to something that changed, is checked again. Only clean results are
    kept, so a problem is always found and reported afresh, as a clean build would.
    """

    def __init__(self):
        self._scanned = RecentMemo()            # html -> (ids, url attributes)
        self._known: set[str] | None = None     # the site's files at the last check
        self._hidden: frozenset[str] | None = None
        self._changed: set[str] = set()         # files added or removed since the last check
        self._clean: dict = {}                  # key -> (what it was made of, _Lookups)
        self._same: dict = {}                   # id(html) -> (html, scan, ("links", its links)) of the
        self._same_now: dict = {}               # last check's pages (and any given), and this one's
        self._ids_after: dict | None = None      # each page's ids at the end of the last check
        self._ids_before: dict | None = None
        self._ids_now: dict | None = None
        self._moved: set | None = None           # pages whose ids are not the very ones of the last check

    def start(self, known: set[str], hidden: frozenset[str]) -> None:
        self._scanned.next_build()
        if self._known is None or hidden != self._hidden:
            self._clean = {}
        self._changed = known ^ self._known if self._known is not None else set()
        self._known, self._hidden = known, hidden
        self._ids_before, self._ids_after, self._ids_now = self._ids_after, None, None

    def scanned(self, html: str) -> tuple[set[str], set[tuple[str, str]]]:
        same = self._same.get(id(html))           # the very same text: no need to hash a big page again
        if same is None or same[0] is not html:
            found = self._scanned.get(html)
            if found is None:
                found = scan_page(html)
                self._scanned.put(html, found)
            same = (html, found, ("links", found[1]))
        self._same_now[id(html)] = same
        return same[1]

    def given(self, html: str, found: tuple[set[str], set[tuple[str, str]]]) -> None:
        """The scan of `html`, made some other way (exactly what scan_page(html) gives)."""
        self._same[id(html)] = (html, found, ("links", found[1]))

    def clean(self, key, made_of, ids: dict[str, set[str]]) -> bool:
        """Was `key` found clean, made of the same, with nothing it looked at changed since?"""
        found = self._clean.get(key)
        if found is None:
            return False
        if found[0] is not made_of:
            made_of = self._links_of(made_of)
        looked_up = found[1]
        if ((found[0] is made_of or found[0] == made_of)
                and (not self._changed or looked_up.names.isdisjoint(self._changed))
                and (not looked_up.ids or self._same_ids(looked_up.ids, ids))):
            return True
        del self._clean[key]                     # until found_clean() once checked again
        return False

    def _same_ids(self, then: dict, ids: dict) -> bool:
        """Are the ids looked up (`then`) as they are now? Every entry kept was found clean by
        the last check, so only pages whose ids are not the very objects it had need looking at."""
        if ids is not self._ids_now:             # the first question of this check
            self._ids_now, before = ids, self._ids_before
            self._moved = None if before is None else (
                {path for path, found in ids.items() if before.get(path) is not found} | (before.keys() - ids.keys()))
        moved = self._moved
        for target in (then if moved is None else moved.intersection(then)):
            now = ids.get(target)
            if now is not then[target] and now != then[target]:
                return False
        return True

    def found_clean(self, key, made_of, looked_up) -> None:
        self._clean[key] = (self._links_of(made_of), looked_up.kept())

    def _links_of(self, made_of):
        """A page (its HTML, scanned in this check) by the links in it: what check_output's
        verdict on it depends on, with its path and what _Lookups notes. So a page whose
        text changed but not its links (the one-page guide after a body edit) is not checked
        again. Anything else (a Markdown text) as it is."""
        same = self._same_now.get(id(made_of)) if isinstance(made_of, str) else None
        return same[2] if same is not None and same[0] is made_of else made_of

    def keep(self, keys: set) -> None:
        self._clean = {key: value for key, value in self._clean.items() if key in keys}
        self._same, self._same_now = self._same_now, {}
        self._ids_after = self._ids_now        # the check is complete: later ones may compare with it
