"""The one-page guide (guide.html) made again after one section's body was edited, from
the pieces of its last render: for the preview's quick rebuild (body_edit.py).

The guide holds every section's body: at a thousand pages, 10 MB of HTML that takes
tens of milliseconds to render, as long again for the link check to scan, and more to
encode. After one body is edited, only the Markdown texts in it can differ: that
body's, and those after it whose glossary links change (a term is linked where it
first appears on the page, so adding a term to an early section moves its link from
a later one). So:

    GuideRecord.record()  while the guide is rendered as usual, notes each piece of HTML
                          its templates yield and each call of the Markdown filters (md,
                          guide_md, national_md): its arguments, its context, the glossary
                          terms linked before and after it, and which piece it made
    GuideRecord.splice()  calls again the filters of the edited body, and those after it
                          whose terms before differ, until the terms are as they were; and
                          makes the new HTML, its UTF-8 bytes and its scan for the link
                          check (ids, links) from the pieces, keeping the others' results

Why it is exact:
- The guide's templates are checked first (section_reads.py): a section's body appears
  only as `X.body|guide_md(...)` or `|md`, output as it is; a section is only asked
  for its attributes; the site, its content and the filters' context (terms_seen,
  resolver) are never handed over whole; nothing is buffered around the Markdown
  filters' output (macros, filter or set blocks). Any other guide template is rendered
  in full each time.
- The record checks that each filter call's output is the very next piece yielded, so
  the HTML is exactly the pieces with each call's output in its place.
- A filter's output follows from its arguments, its context and the terms linked
  before it; the splice calls the same filters with the same arguments and context
  (the site updated, the terms as they now are), and only those whose inputs changed.
- The link check's scan of a page is a regex search (scan.scan_page); it equals the
  union of the scans of the pieces when no match can cross a boundary between them,
  which _may_cross() rules out at each boundary (with the patterns it knows; if
  links.py scans with others, the guide is rendered in full).
If anything is not as these need (a problem found, a record made by another process,
an unexpected template), the guide is rendered as usual.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import jinja2

from toolkit.model import urls
from toolkit.checks import scan
from toolkit.model.content import Page
from toolkit.stages.resolve import Resolver, text_sources

GUIDE = urls.GUIDE
FILTERS = ("md", "guide_md", "national_md")

# What scan.scan_page looks for; the splice's scan relies on these, and is not used with others.
_SCAN_PATTERNS = (' id="([^"]+)"', '\\nid="([^"]+)"', ' (href|src|action)="([^"]*)"', '\\n(href|src|action)="([^"]*)"')
_STARTS = (' id="', '\nid="', ' href="', ' src="', ' action="', '\nhref="', '\nsrc="', '\naction="')
_LONGEST = max(map(len, _STARTS))


@dataclass(frozen=True)
class _Call:
    """One call of a Markdown filter while the guide was rendered."""
    name: str
    function: object                  # the filter as the environment had it
    args: tuple
    kwargs: dict
    context: dict                     # the render context as it was at the call
    terms_before: frozenset
    terms_after: frozenset


class GuideRecord:
    """The guide's last render in pieces: chunks[2i] is fixed text, chunks[2i + 1] the
    output of calls[i]; with each chunk's scan (ids, URL attributes) and UTF-8 size."""

    def __init__(self, entry, chunks: list[str], calls: list[_Call], scans: list[tuple], sizes: list[int],
                 data: bytes):
        self.entry = entry            # the guide's RenderMemo entry, while it is the one this describes
        self.chunks, self.calls, self.scans, self.sizes, self.data = chunks, calls, scans, sizes, data
        self.ids = Counter(name for found, _ in scans for name in found)     # in how many chunks each is
        self.urls = Counter(url for _, found in scans for url in found)
        self.scan = (set(self.ids), set(self.urls))                        # the whole guide's, for the link check

    @staticmethod
    def record(env: jinja2.Environment, template_name: str, render):
        """render() (which renders the guide, among other pages), with the guide's rendering
        recorded: (what render() returned, the _Recorder or None)."""
        recorder = _Recorder()
        template = env.get_template(template_name)
        originals = {name: env.filters[name] for name in FILTERS if name in env.filters}
        root = template.root_render_func
        template.root_render_func = recorder.wrap_root(root)
        env.filters.update({name: recorder.wrap_filter(name, function) for name, function in originals.items()})
        try:
            result = render()
        finally:
            env.filters.update(originals)
            template.root_render_func = root
        return result, recorder if recorder.complete() else None

    @classmethod
    def made(cls, recorder: _Recorder, entry, data: bytes) -> GuideRecord | None:
        """The record of the guide `recorder` saw rendered; `entry` is its RenderMemo entry
        and `data` its bytes. None when its pieces cannot be scanned one by one."""
        chunks = recorder.chunks
        if "".join(chunks) != entry[2] or tuple(p.pattern for p in _patterns()) != _SCAN_PATTERNS:
            return None
        if any(_may_cross(chunks, index) for index in range(len(chunks) - 1)):
            return None
        return cls(entry, chunks, recorder.calls, [scan.scan_page(chunk) for chunk in chunks],
                   [_size(chunk) for chunk in chunks], data)

    def splice(self, old: Page, new: Page, site, memo):
        """The guide with `new` in place of `old`: (HTML, bytes, its scan, the record of it
        for the next edit, with `entry` still to be set), or None when it cannot be made
        exactly from the pieces."""
        content = site.content
        resolver = Resolver(content.principles, content.not_adopted, content.glossary, site.hidden_paths,
                            memo.texts, text_sources(content))
        calls, outputs = list(self.calls), {}
        terms = None                      # the terms linked so far, where they differ from the record's
        for number, call in enumerate(self.calls):
            edited = bool(call.args) and call.args[0] is old.body
            if not edited and (terms is None or terms == call.terms_before):
                terms = None
                continue
            seen = set(call.terms_before if terms is None else terms)
            before = frozenset(seen)
            args = (new.body, *call.args[1:]) if edited else call.args
            context = dict(call.context, terms_seen=seen, resolver=resolver, render_memo=memo,
                           site=replace(call.context["site"], content=content, structure=site))
            try:
                outputs[2 * number + 1] = str(call.function(_Context(context), *args, **call.kwargs))
            except Exception:             # a filter that wants more of its context than was kept
                return None
            calls[number] = replace(call, args=args, terms_before=before, terms_after=frozenset(seen))
            terms = None if seen == call.terms_after else frozenset(seen)
        if terms is not None or resolver.problems:
            return None                   # a change runs on past the guide's end, or a problem to report
        chunks, scans, sizes = list(self.chunks), list(self.scans), list(self.sizes)
        for index, text in outputs.items():
            chunks[index], scans[index], sizes[index] = text, scan.scan_page(text), _size(text)
        if any(_may_cross(chunks, index - 1) or _may_cross(chunks, index) for index in outputs):
            return None
        record = GuideRecord.__new__(GuideRecord)
        record.entry, record.chunks, record.calls, record.scans, record.sizes = None, chunks, calls, scans, sizes
        if all(scans[index] == self.scans[index] for index in outputs):     # the same ids and links
            record.ids, record.urls, record.scan = self.ids, self.urls, self.scan
        else:
            record.ids, record.urls = self.ids.copy(), self.urls.copy()
            for index in outputs:
                for counts, before, after in ((record.ids, self.scans[index][0], scans[index][0]),
                                              (record.urls, self.scans[index][1], scans[index][1])):
                    counts.subtract(before)
                    counts.update(after)
                    for item in before:
                        if counts[item] <= 0:
                            del counts[item]            # no chunk has it any more
            record.scan = (set(record.ids), set(record.urls))
        parts, at, offsets = [], 0, _offsets(self.sizes)
        view = memoryview(self.data)
        for index in sorted(outputs):
            parts += [view[at:offsets[index]], chunks[index].encode("utf-8")]
            at = offsets[index] + self.sizes[index]
        parts.append(view[at:])
        record.data = b"".join(parts)
        return "".join(chunks), record.data, record.scan, record


def _offsets(sizes: list[int]) -> list[int]:
    out, at = [], 0
    for size in sizes:
        out.append(at)
        at += size
    return out


def _size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def _patterns():
    return scan.ID, scan.ID_NEWLINE, scan.URL_ATTRIBUTE, scan.URL_ATTRIBUTE_NEWLINE


def _may_cross(chunks: list[str], index: int) -> bool:
    """Could a match of the link check's patterns run across the end of chunks[index]?

    A match is a start (' id="', '\\nhref="', ...) then text with no '"', then '"'. One that
    crosses the boundary either has its start across it, or opens with the last '"' before
    it (its closing '"' coming after)."""
    if index < 0 or index + 1 >= len(chunks):
        return False
    before, after = _tail(chunks, index, _LONGEST), _head(chunks, index + 1, _LONGEST)
    window = before + after
    for start in _STARTS:
        found = window.find(start, max(0, len(before) - len(start) + 1))
        if 0 <= found < len(before) < found + len(start):
            return True
    text = ""
    for back in range(index, -1, -1):           # the last '"' before the boundary, with what precedes it
        text = chunks[back] + text
        quote = text.rfind('"')
        if quote >= 0 and (quote >= _LONGEST or back == 0):
            return text[:quote + 1].endswith(_STARTS)
    return False


def _tail(chunks: list[str], index: int, length: int) -> str:
    text = ""
    while index >= 0 and len(text) < length:
        text = chunks[index] + text
        index -= 1
    return text[-length:]


def _head(chunks: list[str], index: int, length: int) -> str:
    text = ""
    while index < len(chunks) and len(text) < length:
        text += chunks[index]
        index += 1
    return text[:length]


class _Context(dict):
    """The render context a filter is called with again: the one it had, as a mapping."""


class _Recorder:
    """Notes the pieces a guide's render yields and the Markdown filter calls that made them."""

    def __init__(self):
        self.active = False
        self.finished = 0               # renders of the guide seen through to the end, in this process
        self.broken = False
        self.chunks: list[str] = []
        self.calls: list[_Call] = []
        self._static: list[str] = []
        self._pending: str | None = None

    def complete(self) -> bool:
        return self.finished == 1 and not self.broken

    def wrap_root(self, root):
        def recorded(context):
            self.active = True
            try:
                for piece in root(context):
                    self._piece(piece)
                    yield piece
            finally:
                self.active = False
            self.chunks.append("".join(self._static))
            self.broken = self.broken or self._pending is not None
            self.finished += 1
        return recorded

    def wrap_filter(self, name: str, function):
        @jinja2.pass_context
        def recorded(context, *args, **kwargs):
            if not self.active:
                return function(context, *args, **kwargs)
            terms = context.get("terms_seen")
            if self._pending is not None or not isinstance(terms, set):
                self.broken = True
                return function(context, *args, **kwargs)
            before, state = frozenset(terms), dict(context.get_all())
            output = function(context, *args, **kwargs)
            self.calls.append(_Call(name, function, args, kwargs, state, before, frozenset(terms)))
            self._pending = str(output)
            return output
        return recorded

    def _piece(self, piece: str) -> None:
        if self._pending is None:
            self._static.append(piece)
            return
        if piece != self._pending:
            self.broken = True
        self.chunks += ["".join(self._static), str(piece)]
        self._static, self._pending = [], None
