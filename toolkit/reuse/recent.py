"""The simplest memo: results kept from one build to the next, dropped when a build does not use them."""
from __future__ import annotations


class RecentMemo:
    """Results kept from one build to the next in the preview server; an entry not used in
    a whole build is dropped. Here: finished texts, for one set of principles, glossary
    and hidden pages (the key holds the id of the rendered Markdown, which the entry keeps
    alive, so the id cannot be taken by another text)."""

    def __init__(self):
        self._last: dict = {}
        self._now: dict = {}

    def next_build(self) -> None:
        self._last, self._now = self._now, {}

    def get(self, key):
        found = self._now.get(key)
        if found is None:
            found = self._last.pop(key, None)
            if found is not None:
                self._now[key] = found
        return found

    def put(self, key, value) -> None:
        self._now[key] = value
