"""The search index: script files the search page loads, so search works from file://
and under a strict Content-Security-Policy with no server behind it (a fetched JSON
file would be blocked from disk; a <script> is not).

Two kinds of file, so the part every search needs stays small as an edition grows:

- search-index.js: every entry's title, kind and URL, and an inverted index: the
  sorted words of all the texts, each with the entries it occurs in and how often
  (see _postings). The browser matches word prefixes by a binary search over the
  sorted words.
- search/text-<hash>.js: the plain text of a run of entries, loaded only when a
  result from that run is shown, to cut a snippet around the match. The name holds
  a hash of the contents, so a browser never shows a snippet from an older build.

Words are folded the same way here and in themes/default/static/search.js:
lower case, accents dropped, one character for one character, split on anything
that is not a letter or digit. Common words are left out of the index; the browser
lets them match anything.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import html
import json
import os
import pickle
import re
import tempfile
import unicodedata
from typing import TYPE_CHECKING, Callable
from collections import Counter

from toolkit.model import urls
from toolkit.stages.resolve import Resolver
from toolkit.stages.structure import Site

if TYPE_CHECKING:
    from toolkit.reuse.search_memo import SearchMemo

INDEX_FILE = "search-index.js"
TEXT_FOLDER = "search"
SHARD_BYTES = 48_000          # plain text per snippet file: a few pages' worth

# Words too common to narrow a search. Kept short: leaving out a word only means it
# cannot be searched for on its own.
STOP_WORDS = frozenset("""
a an and are as at be been but by can do for from has have if in into is it its
not of on or so such than that the their them then there these they this those to
was we were what when which who will with would you your our us also all any more
""".split())

# Each kind of entry, with the shape of its URLs ('%' stands for the entry's key), so the
# index holds "knowsley" rather than "case-studies/knowsley.html" for each entry.
URL_PATTERNS = {
    "page": "%",
    "section": urls.section("%"),
    "case_study": urls.case_study("%"),
    "principle": "principles.html#%",
    "action": "actions.html#action-%",
    "glossary": "glossary.html#term-%",
    "reading": "further-reading.html%",
}
KINDS = tuple(URL_PATTERNS)

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+")
_MAIN = re.compile(r'<main\b[^>]*>(.*?)</main>', re.S)


def fold(text: str) -> str:
    """Lower case without accents, keeping the length, as search.js's fold()."""
    if not text.isascii():
        text = text.translate({ord(c): _fold_char(c) for c in set(text) if c >= "\u00c0"})
    return text.lower()


def _fold_char(c: str) -> str:
    return unicodedata.normalize("NFD", c)[0].lower()[0]


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in STOP_WORDS]


# For ASCII text, a letter or digit is [a-z0-9] once lower-cased, so the words can be
# split out by translating every other character to a space: three times faster than
# the regex, with the same words (tests/test_rebuild_memos.py compares the two).
_ASCII_WORD_BREAKS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


# What words() leaves out of ASCII text: common words, and single letters and digits.
_ASCII_LEFT_OUT = STOP_WORDS | set("abcdefghijklmnopqrstuvwxyz0123456789")


def word_counts(text: str) -> list[tuple[str, int]]:
    """Each searchable word of `text` with how often it occurs: Counter(words(text)), faster."""
    if text.isascii():
        found = Counter(text.lower().translate(_ASCII_WORD_BREAKS).split())
        for word in found.keys() & _ASCII_LEFT_OUT:
            del found[word]
        return list(found.items())
    found = Counter(_WORD.findall(fold(text)))
    return [(w, n) for w, n in found.items() if len(w) > 1 and w not in STOP_WORDS]


def _clean(text: str) -> str:
    """Runs of white space as one space, none at either end (as \\s+ -> " ", then strip)."""
    return " ".join(text.split())


def _joined(*parts: str) -> str:
    """Texts already _clean, as one _clean text."""
    return " ".join(filter(None, parts))


def _plain(markup: str) -> str:
    return _clean(html.unescape(_TAG.sub(" ", str(markup))))


STATEMENT_PAGE = urls.ACCESSIBILITY     # a page made by the theme, which the search takes in


def entries(site: Site, strings: dict, page_html: Callable[[str], str],
            memo: SearchMemo | None = None) -> list[tuple[str, str, str, str]]:
    """(title, kind, url, plain text) of everything a reader can search for, in the site's order."""
    content = site.content
    # Without the glossary: the texts are made without links to its terms (link_terms=False),
    # and a resolver without one need not build the pattern that finds them.
    resolver = Resolver(content.principles, content.not_adopted, (), site.hidden_paths)
    plain = memo.plain_texts(content.principles, site.hidden_paths) if memo is not None else None

    def text(rendered, source) -> str:
        # Resolved for this edition, so a reference reads as the principle's title and a
        # parameter as its local value ("8 weeks"), as on the page. Without the links to
        # glossary terms, the result depends on nothing else (`source` only names the file
        # in problems, which the pages report), so it can be kept by the Markdown's HTML.
        if plain is None:
            return _plain(resolver.html(rendered, "", source, link_terms=False))
        found = plain.get(rendered.html)
        if found is None:
            found = _plain(resolver.html(rendered, "", source, link_terms=False))
            plain.put(rendered.html, found)
        return found

    def section(page) -> tuple[str, str, str, str]:
        return page.title, "section", urls.section(page.slug), _joined(_clean(page.summary), text(page.body, page.source))

    out: list[tuple[str, str, str, str]] = []
    if content.home:       # with the area and Compact it is for, and what the edition says about itself
        out.append((content.home.title, "page", urls.HOME, _joined(
            _clean(strings["edition_for"]), text(content.home.body, content.home.source),
            text(content.about.markdown, content.about.source) if content.about else "")))
    for page in content.pages:
        if memo is None:
            out.append(section(page))
            continue
        key = (page.title, page.slug, page.summary, id(page.body))     # the entry keeps the body, so its id
        found = memo.sections.get(key)
        if found is None or found[0] is not page.body:
            found = (page.body, section(page))
            memo.sections.put(key, found)
        out.append(found[1])
    for study in content.case_studies:
        out.append((study.title, "case_study", urls.case_study(study.slug), _joined(
            _clean(study.summary), _clean(study.area), _clean(", ".join(study.organisations)),
            _clean(", ".join(study.themes)), text(study.who, study.source), text(study.what_they_did, study.source),
            text(study.what_it_led_to, study.source), _clean(" ".join(study.outcomes)))))
    for principle in content.principles:
        label = strings["principle_local"] if principle.local else strings["principle"]
        out.append((f"{label} {principle.id}: {principle.title}", "principle",
                    f"principles.html#{principle.anchor}", text(principle.summary, principle.source)))
    for action in content.actions:
        out.append((action.title, "action", f"actions.html#action-{action.id}", text(action.detail, action.source)))
    for term in content.glossary:
        title = f"{term.term} ({term.expansion})" if term.expansion else term.term
        out.append((title, "glossary", f"glossary.html#term-{term.id}", text(term.definition, term.source)))
    for reading in content.reading:
        out.append((reading.title, "reading", urls.FURTHER_READING,
                    _joined(_clean(reading.publisher), text(reading.description, reading.source))))
    statement = _MAIN.search(page_html(STATEMENT_PAGE))
    if statement:
        out.append((strings["accessibility"], "page", urls.ACCESSIBILITY, _plain(statement.group(1))))
    return out           # every text _clean, as the snippets and the word counts expect


class _Postings:
    """Sorted words, and for each the entries it is in, written whichever way is shorter:

    - sparse: 'gap' or 'gap:count' per entry, in base 36, joined by ','. The gaps between
      entry numbers stay short, so a rare word costs two or three bytes an entry.
    - dense: '~' then two bits an entry, three entries a character (BITMAP_DIGITS): 0 not
      there, 1 once, 2 two or three times, 3 more often. A word found in most entries
      costs a third of a byte an entry, and keeps enough of its count to rank by.
    """

    def __init__(self, texts: list[str]):
        self.texts = texts
        self.counts = [word_counts(body) for body in texts]
        self.found: dict[str, list[tuple[int, int]]] = {}       # word -> (entry, count), by entry
        for number, counts in enumerate(self.counts):
            for word, count in counts:
                self.found.setdefault(word, []).append((number, count))
        self.vocabulary = sorted(self.found)
        self.encoded = {word: self._encode(hits) for word, hits in self.found.items()}

    def lists(self) -> list[str]:
        return [self.encoded[word] for word in self.vocabulary]

    def updated(self, texts: list[str]) -> bool:
        """Take in the texts of the next build, when only a few have changed; False (and
        nothing changed) when they are too different, and a fresh _Postings is quicker.
        The result is what a fresh _Postings of `texts` would hold."""
        if len(texts) != len(self.texts):
            return False        # entries added or removed: every later entry's number moves
        changed = [number for number, (new, old) in enumerate(zip(texts, self.texts)) if new != old]
        if len(changed) * 8 > len(texts):
            return False
        self.texts = texts
        touched: set[str] = set()
        for number in changed:
            old, new = dict(self.counts[number]), word_counts(texts[number])
            self.counts[number] = new
            new = dict(new)
            for word in old.keys() | new.keys():
                if old.get(word) == new.get(word):
                    continue                  # most words of an edited text are as they were
                hits = self.found.setdefault(word, [])
                if word in old:
                    del hits[bisect.bisect_left(hits, (number, 0))]     # counts are never 0
                if word in new:
                    bisect.insort(hits, (number, new[word]))
                touched.add(word)
        words_changed = False
        for word in touched:
            if not self.found[word]:
                del self.found[word], self.encoded[word]
                words_changed = True
            else:
                words_changed = words_changed or word not in self.encoded
                self.encoded[word] = self._encode(self.found[word])
        if words_changed:
            self.vocabulary = sorted(self.found)
        return True

    def _encode(self, hits: list[tuple[int, int]]) -> str:
        if 6 * len(hits) > len(self.texts):          # else sparse is shorter
            return min(_sparse(hits), _dense(hits, len(self.texts)), key=len)
        return _sparse(hits)


BITMAP_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def _sparse(hits: list[tuple[int, int]]) -> str:
    previous, parts = 0, []
    for number, count in hits:
        gap = number - previous
        gap = _BASE36[gap] if gap < _BASE36_MADE else _base36(gap)
        parts.append(gap if count == 1 else f"{gap}:{_BASE36[count] if count < _BASE36_MADE else _base36(count)}")
        previous = number
    return ",".join(parts)


def _dense(hits: list[tuple[int, int]], entries: int) -> str:
    levels = [0] * (entries + 2)
    for number, count in hits:
        levels[number] = 1 if count == 1 else 2 if count <= 3 else 3
    return "~" + "".join(BITMAP_DIGITS[levels[i] + 4 * levels[i + 1] + 16 * levels[i + 2]]
                         for i in range(0, entries, 3))


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, rest = divmod(n, 36)
        out = digits[rest] + out
        if not n:
            return out


_BASE36_MADE = 36 * 36
_BASE36 = tuple(_base36(n) for n in range(_BASE36_MADE))      # the numbers most postings are made of


def entry_key(kind: str, url: str) -> str:
    before, _, after = URL_PATTERNS[kind].partition("%")
    assert url.startswith(before) and url.endswith(after), (kind, url)
    return url[len(before):len(url) - len(after)]


def _shards(texts: list[str], sizes: list[int | None]) -> list[tuple[int, list[str]]]:
    """Consecutive runs of texts, each about SHARD_BYTES long: (first entry number, texts).
    `sizes`: each text's UTF-8 size where it is known already, else None."""
    runs: list[tuple[int, list[str]]] = []
    size = SHARD_BYTES
    for number, (body, known) in enumerate(zip(texts, sizes)):
        if size >= SHARD_BYTES:
            runs.append((number, []))
            size = 0
        runs[-1][1].append(body)
        size += text_size(body) if known is None else known
    return runs


def text_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def _js(value) -> str:
    # "</" is escaped so the data can never end a <script>, should anyone inline it.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def search_files(site: Site, strings: dict, page_html: Callable[[str], str],
                 memo: SearchMemo | None = None) -> dict[str, bytes]:
    """Output path -> bytes of the index and of the text files it names. `page_html(path)` is
    the HTML of one of the site's pages, rendered; `memo` (the preview server's) carries the
    work for unchanged entries over from the last build."""
    found = entries(site, strings, page_html, memo)
    if memo is not None:                  # the same entries as the last build's cost nothing
        derived = memo.derive(found)
    else:
        derived = [(entry, f"{entry[0]} {entry[3]}", None, entry_key(entry[1], entry[2])) for entry in found]
    searched = [made[1] for made in derived]
    if memo is not None:
        if memo.postings is None or not memo.postings.updated(searched):
            memo.postings = _Postings(searched)
        postings = memo.postings
    else:
        postings = _Postings(searched)
    files: dict[str, bytes] = {}
    shards = []
    kept = memo.shards if memo is not None else {}
    made: dict[int, tuple[list[str], str, bytes]] = {}
    for first, run in _shards([body for _, _, _, body in found], [made[2] for made in derived]):
        if first in kept and kept[first][0] == run:
            made[first] = kept[first]
        else:
            data = _js(run)
            name = f"{TEXT_FOLDER}/text-{hashlib.sha256(data.encode('utf-8')).hexdigest()[:12]}.js"
            script = f"window.COMPACT_SEARCH_TEXT&&window.COMPACT_SEARCH_TEXT({_js(name)},{data});\n"
            made[first] = (run, name, script.encode("utf-8"))
        _, name, files[name] = made[first]
        shards.append([first, name])
    if memo is not None:
        memo.shards = made
    index = {
        "kinds": [[kind, pattern] for kind, pattern in URL_PATTERNS.items()],
        "entries": [[title, KINDS.index(kind), made[3]] for (title, kind, _, _), made in zip(found, derived)],
        "shards": shards,
        "stop": sorted(STOP_WORDS),
        "words": postings.vocabulary,
        "postings": postings.lists(),
    }
    files[INDEX_FILE] = f"window.COMPACT_SEARCH_INDEX={_js(index)};\n".encode("utf-8")
    return files


class SearchFiles:
    """The search files of a build, made while the build goes on: on a big edition (with no
    memo, on a machine that can fork), in another process started here, before the pages
    are rendered, so the search is made on whichever core is free meanwhile; files() waits
    for them. Otherwise they are made when files() is called."""

    BACKGROUND_FROM = 300        # fewer pages than this are indexed faster in this process

    def __init__(self, site: Site, strings: dict, page_html: Callable[[str], str], memo: SearchMemo | None = None):
        if memo is None and len(site.pages) >= self.BACKGROUND_FROM and hasattr(os, "fork"):
            self.files = _in_child(search_files, site, strings, page_html)
        else:
            self.files = functools.cache(lambda: search_files(site, strings, page_html, memo))


def _in_child(function, *args):
    """Start function(*args) in a forked process; returns a function that waits for its result.
    The result goes through a temporary file, so the process never waits for this one to
    read it; should the process fail, the work is done again here, so there is always a result."""
    handle = tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:                                   # the child: work, store the result, leave
        try:
            pickle.dump(function(*args), handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.flush()
        finally:
            os._exit(0)

    def result():
        os.waitpid(pid, 0)
        with handle:
            handle.seek(0)
            try:
                return pickle.load(handle)
            except Exception:                # nothing, or half, was stored: the process failed
                return function(*args)
    return result
