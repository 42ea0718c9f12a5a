"""What the preview keeps of the search index (stages/search_index.py) from one build to the next."""
from __future__ import annotations

from toolkit.reuse.recent import RecentMemo
from toolkit.stages.search_index import entry_key, text_size


class SearchMemo:
    """What the preview server keeps of one build's search index for the next, so a
    rebuild redoes only the entries that changed. Each part is exact: plain texts are
    kept by the HTML they came from, for the same principles and hidden pages; the
    postings are updated entry by entry (search_index.Postings); a text file is reused only for
    the very same texts. tests/test_incremental.py compares the result with a clean build."""

    def __init__(self):
        self._plain = RecentMemo()
        self._plain_for = None
        self.postings = None                  # search_index's postings of the last build
        self.shards: dict[int, tuple[list[str], str, bytes]] = {}     # first entry -> (texts, name, file)
        self.sections = RecentMemo()     # (title, slug, summary, id(body)) -> (body, its entry)
        self.derived: dict = {}          # id(entry) -> (entry, searched text, UTF-8 size of its text, key)

    def plain_texts(self, principles, hidden_paths) -> RecentMemo:
        """HTML of rendered Markdown -> its plain text, for these principles and hidden pages;
        the sections' entries are kept with them (an entry is made of its page and that text)."""
        if self._plain_for != (principles, hidden_paths):
            self._plain, self._plain_for = RecentMemo(), (principles, hidden_paths)
            self.sections = RecentMemo()
        else:
            self._plain.next_build()
            self.sections.next_build()
        return self._plain

    def derive(self, found: list[tuple[str, str, str, str]]) -> list[tuple]:
        """(entry, "title text" as searched, UTF-8 size of the text, key in the index) of each
        entry, kept by the very entry for the next build, so unchanged ones cost nothing."""
        kept, self.derived = self.derived, {}
        out = []
        for entry in found:
            made = kept.get(id(entry))
            if made is None or made[0] is not entry:
                title, kind, url, body = entry
                made = (entry, f"{title} {body}", text_size(body), entry_key(kind, url))
            self.derived[id(entry)] = made
            out.append(made)
        return out
