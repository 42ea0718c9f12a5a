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

import hashlib
import html
import json
import re
import unicodedata
from collections import Counter

from .resolve import Resolver
from .structure import Site

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
    "section": "%.html",
    "case_study": "case-studies/%.html",
    "principle": "principles.html#%",
    "action": "actions.html#action-%",
    "glossary": "glossary.html#term-%",
    "reading": "further-reading.html%",
}
KINDS = tuple(URL_PATTERNS)

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
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


def _plain(markup: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", str(markup)))).strip()


def entries(site: Site, strings: dict, pages: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(title, kind, url, plain text) of everything a reader can search for, in the site's order."""
    content = site.content
    resolver = Resolver(content.principles, content.not_adopted, content.glossary, site.hidden_paths)

    def text(rendered, source) -> str:
        # Resolved for this edition, so a reference reads as the principle's title and a
        # parameter as its local value ("8 weeks"), as on the page.
        return _plain(resolver.html(rendered, "", source, link_terms=False))

    out: list[tuple[str, str, str, str]] = []
    if content.home:
        out.append((content.home.title, "page", "index.html", text(content.home.body, content.home.source)))
    for page in content.pages:
        out.append((page.title, "section", f"{page.slug}.html", f"{page.summary} {text(page.body, page.source)}"))
    for study in content.case_studies:
        out.append((study.title, "case_study", f"case-studies/{study.slug}.html", " ".join([
            study.summary, study.area, ", ".join(study.organisations), ", ".join(study.themes),
            text(study.who, study.source), text(study.what_they_did, study.source),
            text(study.what_it_led_to, study.source), " ".join(study.outcomes)])))
    for principle in content.principles:
        label = strings["principle_local"] if principle.local else strings["principle"]
        out.append((f"{label} {principle.id}: {principle.title}", "principle",
                    f"principles.html#{principle.anchor}", text(principle.summary, "data/principles.yml")))
    for action in content.actions:
        out.append((action.title, "action", f"actions.html#action-{action.id}", text(action.detail, action.source)))
    for term in content.glossary:
        title = f"{term.term} ({term.expansion})" if term.expansion else term.term
        out.append((title, "glossary", f"glossary.html#term-{term.id}", text(term.definition, term.source)))
    for reading in content.reading:
        out.append((reading.title, "reading", "further-reading.html",
                    " ".join(filter(None, [reading.publisher, text(reading.description, "data/further_reading.yml")]))))
    statement = _MAIN.search(pages.get("accessibility.html", ""))
    if statement:
        out.append((strings["accessibility"], "page", "accessibility.html", _plain(statement.group(1))))
    return [(title, kind, url, _SPACE.sub(" ", body).strip()) for title, kind, url, body in out]


def _postings(texts: list[str]) -> tuple[list[str], list[str]]:
    """Sorted words, and for each the entries it is in, written whichever way is shorter:

    - sparse: 'gap' or 'gap:count' per entry, in base 36, joined by ','. The gaps between
      entry numbers stay short, so a rare word costs two or three bytes an entry.
    - dense: '~' then two bits an entry, three entries a character (BITMAP_DIGITS): 0 not
      there, 1 once, 2 two or three times, 3 more often. A word found in most entries
      costs a third of a byte an entry, and keeps enough of its count to rank by.
    """
    found: dict[str, list[tuple[int, int]]] = {}
    for number, body in enumerate(texts):
        for word, count in Counter(words(body)).items():
            found.setdefault(word, []).append((number, count))
    vocabulary = sorted(found)
    return vocabulary, [min(_sparse(found[word]), _dense(found[word], len(texts)), key=len)
                        if 6 * len(found[word]) > len(texts) else _sparse(found[word])   # else sparse is shorter
                        for word in vocabulary]


BITMAP_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def _sparse(hits: list[tuple[int, int]]) -> str:
    previous, parts = 0, []
    for number, count in hits:
        gap = _base36(number - previous)
        parts.append(gap if count == 1 else f"{gap}:{_base36(count)}")
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


def _key(kind: str, url: str) -> str:
    before, _, after = URL_PATTERNS[kind].partition("%")
    assert url.startswith(before) and url.endswith(after), (kind, url)
    return url[len(before):len(url) - len(after)]


def _shards(texts: list[str]) -> list[tuple[int, list[str]]]:
    """Consecutive runs of texts, each about SHARD_BYTES long: (first entry number, texts)."""
    runs: list[tuple[int, list[str]]] = []
    size = SHARD_BYTES
    for number, body in enumerate(texts):
        if size >= SHARD_BYTES:
            runs.append((number, []))
            size = 0
        runs[-1][1].append(body)
        size += len(body.encode("utf-8"))
    return runs


def _js(value) -> str:
    # "</" is escaped so the data can never end a <script>, should anyone inline it.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def search_files(site: Site, strings: dict, pages: dict[str, str]) -> dict[str, bytes]:
    """Output path -> bytes of the index and of the text files it names."""
    found = entries(site, strings, pages)
    texts = [body for _, _, _, body in found]
    vocabulary, lists = _postings([f"{title} {body}" for title, _, _, body in found])
    files: dict[str, bytes] = {}
    shards = []
    for first, run in _shards(texts):
        data = _js(run)
        name = f"{TEXT_FOLDER}/text-{hashlib.sha256(data.encode('utf-8')).hexdigest()[:12]}.js"
        files[name] = f"window.COMPACT_SEARCH_TEXT&&window.COMPACT_SEARCH_TEXT({_js(name)},{data});\n".encode("utf-8")
        shards.append([first, name])
    index = {
        "kinds": [[kind, pattern] for kind, pattern in URL_PATTERNS.items()],
        "entries": [[title, KINDS.index(kind), _key(kind, url)] for title, kind, url, _ in found],
        "shards": shards,
        "stop": sorted(STOP_WORDS),
        "words": vocabulary,
        "postings": lists,
    }
    files[INDEX_FILE] = f"window.COMPACT_SEARCH_INDEX={_js(index)};\n".encode("utf-8")
    return files
