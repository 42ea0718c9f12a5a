"""Finishing rendered Markdown for one edition and one page.

markdown.py leaves markers where the edition decides what shows: principle and
parameter references (a parameter with its unit: "8 weeks"), links to Markdown files
(which page they lead to depends on the folder they are written in), and the path to
the site root. Here they are filled in, glossary terms are linked where they first
appear on the page (never inside links, headings or code), and links to pages the
edition hides become plain text.
"""
from __future__ import annotations

import bisect
import html
import re
from typing import TYPE_CHECKING

from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from urllib.parse import unquote

from toolkit.model import urls
from toolkit.model.problems import Problem, national_file
from toolkit.model.content import Text, texts
from toolkit.model.markdown import RenderedMarkdown
from toolkit.stages.markdown import REF_CLOSE, REF_OPEN, SITE_ROOT, SOURCE_LINK
from toolkit.stages.principles import closest_id
from toolkit.model.content import AdoptedPrinciple, GlossaryTerm

if TYPE_CHECKING:
    from toolkit.reuse.recent import RecentMemo

_REF = re.compile(f"{REF_OPEN}(principle|param):([^{REF_CLOSE}]*){REF_CLOSE}")
_HIDDEN_LINK = re.compile(f'<a href="{SITE_ROOT}([^"#]*)(#[^"]*)?"[^>]*>(.*?)</a>', re.S)
_SOURCE_LINK = re.compile(f'{SOURCE_LINK}([^"#]*)(#[^"]*)?')
_NO_TERMS_INSIDE = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "abbr", "dfn", "script", "style",
                    "button", "label", "summary", "th"}
_BLOCKING_TAG = re.compile(r"<(/?)(?:" + "|".join(sorted(_NO_TERMS_INSIDE, key=len, reverse=True))
                           + r")(?![a-zA-Z0-9])[^>]*>", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"[\w&#-]")          # a character a glossary term may not follow


def text_sources(content) -> dict[int, Text]:
    """Each rendered text of `content`, by its identity, as model.content.texts() has it: a
    problem in a text names its file on whichever page shows it first (the one-page guide
    too), and its links to Markdown files are read from its folder."""
    return {id(text.markdown): text for text in texts(content)}


class Resolver:
    def __init__(self, principles: tuple[AdoptedPrinciple, ...], not_adopted: tuple[tuple[str, str], ...],
                 glossary: tuple[GlossaryTerm, ...], hidden_paths: frozenset[str], memo: RecentMemo | None = None,
                 sources: dict[int, Text] | None = None):
        """`sources`: text_sources() of the content, so problems name the text's own file."""
        self.memo = memo
        self.sources = sources or {}
        self.principles = {p.id: p for p in principles}
        self.not_adopted = dict(not_adopted)
        self.hidden_paths = hidden_paths
        self.problems: list[Problem] = []
        self._checked: set[int] = set()     # a text shown on several pages is checked once
        self._terms = _term_pattern(glossary)
        self._texts: dict = {}               # see _prepared

    def html(self, rendered: RenderedMarkdown, root: str, source: str, link_terms: bool = True,
             params: dict | None = None, terms_seen: set | None = None) -> Markup:
        """`params` replaces the edition's parameter values (the principles page shows the national ones);
        `terms_seen` is shared by every text of one page, so a term is linked only where it first appears."""
        if terms_seen is None:
            terms_seen = set()
        key = None
        if self.memo is not None:
            key = (id(rendered), root, source, link_terms, repr(params), frozenset(terms_seen) if link_terms else None)
            found = self.memo.get(key)
            if found is not None:
                if REF_OPEN in rendered.html:
                    self._check(rendered, source)
                terms_seen.update(found[2])
                return found[1]
            before = set(terms_seen)
        markup = self._html(rendered, root, source, link_terms, params, terms_seen)
        if key is not None:
            self.memo.put(key, (rendered, markup, tuple(terms_seen - before)))
        return markup

    def _html(self, rendered, root, source, link_terms, params, terms_seen) -> Markup:
        if REF_OPEN in rendered.html:
            self._check(rendered, source)
        text, candidates = self._prepared(rendered, params, link_terms)
        if candidates:
            parts, last = [], 0
            for start, end, term, found in candidates:
                if term.id in terms_seen:
                    continue
                terms_seen.add(term.id)
                parts += (text[last:start], _term_link(term, found))
                last = end
            if parts:
                parts.append(text[last:])
                text = "".join(parts)
        return Markup(text.replace(SITE_ROOT, root))

    def _prepared(self, rendered: RenderedMarkdown, params: dict | None, link_terms: bool) -> tuple[str, tuple]:
        """The text with references filled in and hidden links made plain, still with the
        site-root marker, and where each glossary term may be linked in it.

        None of this depends on the page showing the text, so it is done once per text and
        build (a section's text is on its own page and in the one-page guide); which of the
        terms are linked does depend on the page (`terms_seen`), and is decided in _html.
        """
        written = self.sources.get(id(rendered))
        folder = written.folder if written is not None else ""
        key = (id(rendered), repr(params) if params else "", folder)
        found = self._texts.get(key)
        if found is not None:
            if link_terms and found[2] is None:
                found[2] = _term_candidates(found[1], self._terms) if self._terms is not None else ()
            return found[1], found[2] if link_terms else ()
        text = rendered.html
        if REF_OPEN in text:
            text = _REF.sub(lambda m: self._reference(m.group(1), m.group(2), SITE_ROOT, params or {}), text)
        if SOURCE_LINK in text:
            text = _SOURCE_LINK.sub(lambda m: _source_link(m.group(1), m.group(2) or "", folder), text)
        if self.hidden_paths and SITE_ROOT in text:
            text = _HIDDEN_LINK.sub(lambda m: m.group(3) if m.group(1) in self.hidden_paths else m.group(0), text)
        candidates = None           # made when a page first links terms in this text
        if link_terms:
            candidates = _term_candidates(text, self._terms) if self._terms is not None else ()
        self._texts[key] = [rendered, text, candidates]      # keeps `rendered`, so its id stays its own
        return text, candidates or ()

    def _check(self, rendered: RenderedMarkdown, source: str) -> None:
        if id(rendered) in self._checked:
            return
        self._checked.add(id(rendered))
        written = self.sources.get(id(rendered))
        source = written.source if written is not None else source
        for ref in rendered.references:
            pid, _, param = ref.target.rpartition(".") if ref.kind == "param" else (ref.target, "", "")
            if pid in self.not_adopted:
                self.problems.append(Problem(
                    source, ref.line, f"refers to principle {pid}, which this edition has not adopted",
                    _not_adopted_hint(source, pid, ref.kind)))
            elif pid not in self.principles:
                close = closest_id(pid, self.principles)
                hint = ("write a parameter as [[param:PRINCIPLE.NAME]], e.g. [[param:2.4.consultation_weeks]]"
                        if ref.kind == "param" and not pid else
                        f"did you mean {close}?" if close else "known principles: " + ", ".join(self.principles))
                self.problems.append(Problem(source, ref.line,
                                             f"refers to principle {pid or ref.target}, which does not exist", hint))
            elif ref.kind == "param" and param not in dict(self.principles[pid].params):
                names = ", ".join(dict(self.principles[pid].params)) or "none"
                self.problems.append(Problem(
                    source, ref.line, f"refers to parameter '{param}' of principle {pid}, which it does not have",
                    f"principle {pid} has these parameters: {names}"))

    def _reference(self, kind: str, target: str, root: str, params: dict) -> str:
        if kind == "principle":
            principle = self.principles.get(target)
            if principle is None:
                return html.escape(target)
            return (f'<a class="principle-ref" href="{root}principles.html#{principle.anchor}">'
                    f'principle {html.escape(principle.id)} ({html.escape(principle.title)})</a>')
        pid, _, name = target.rpartition(".")
        principle = self.principles.get(pid)
        values = params.get(pid) or (dict(principle.params) if principle else {})
        value = values.get(name)
        return f'<span class="param">{html.escape(value.shown() if value is not None else target)}</span>'


def _source_link(path: str, fragment: str, folder: str) -> str:
    """A link to a Markdown file, as a link to its page (from the site's root)."""
    page = urls.page_of_source(unquote(html.unescape(path)), folder)
    return SITE_ROOT + (page if page is not None else path) + fragment


def _not_adopted_hint(source: str, pid: str, kind: str) -> str:
    """What to do about a text that refers to a principle the edition left out."""
    written = f"[[{kind}:{pid}...]]" if kind == "param" else f"[[principle:{pid}]]"
    inherited = national_file(source)
    if inherited:
        return (f"this file is the national toolkit's: copy {inherited} into your edition and reword it "
                f"without {written}, or adopt principle {pid} (remove 'adopted: false' from toolkit.yml)")
    return f"reword it without {written}, or adopt principle {pid} (remove 'adopted: false' from toolkit.yml)"


def _term_pattern(glossary):
    # Terms are found in HTML, so each form is looked for as markdown-it writes it there
    # ("R&amp;D" for R&D, "&quot;Best value&quot;", "A&lt;B").
    forms = {}
    for term in glossary:
        for form in (term.term, *term.aliases):
            if form.strip():
                forms[escapeHtml(form)] = term
    if not forms:
        return None
    # The forms as a trie ("compact(?: voice)?"), so the regex tests one character per
    # position instead of every form; it still finds the longest form that fits
    # ("local Compact" before "Compact"), since longer branches are tried first. It is
    # matched against lower-cased text, case-sensitively, which is twice as fast as
    # re.IGNORECASE; the check on the character before a term is made in _term_candidates,
    # as a lookbehind at the start of the pattern would stop the regex engine from skipping
    # quickly to the letters a term can start with.
    trie = _trie_regex(forms)
    lookup = {form.lower(): (form, term) for form, term in forms.items()}
    return (re.compile("(?:" + trie + r")(?![\w-])"), re.compile("(?:" + trie + r")(?![\w-])", re.IGNORECASE),
            lookup, len(set(term.id for term in forms.values())))


def _term_candidates(text: str, terms) -> tuple[tuple[int, int, GlossaryTerm, str], ...]:
    """(start, end, term, text) of the first place in `text` each glossary term may be linked:
    not inside a tag, nor inside an element terms are never linked in (links, headings,
    code, ...), and in capitals as written for a term that has capitals."""
    pattern, pattern_any_case, lookup, term_count = terms
    lowered = text.lower()
    if len(lowered) != len(text):       # a few letters grow when lower-cased; then match the text itself
        lowered, pattern = text, pattern_any_case
    blocked = None
    found: list = []
    linked: set[str] = set()
    position = 0
    while len(linked) < term_count:
        match = pattern.search(lowered, position)
        if match is None:
            break
        at, end = match.span()
        if at and _WORD_BEFORE.match(text, at - 1):
            position = at + 1                         # not the start of a word: look again from the next letter
            continue
        position = end
        written = text[at:end]
        form, term = lookup[written.lower()]
        # A term with capitals matches only as written ("SME", not "sme"; "Compact", not
        # "compact"); a lower-case term also matches at the start of a sentence.
        if term.id in linked or (form != form.lower() and written != form):
            continue
        # Inside a link, a heading, code..., or a tag, no term is linked: the search goes on
        # after it, so a long code block full of terms is passed over once, not once a term.
        if blocked is None:
            blocked = _blocked_stretches(text)
        stretch = bisect.bisect_right(blocked[0], at) - 1
        if stretch >= 0 and at < blocked[1][stretch]:
            position = blocked[1][stretch]
            continue
        if text.rfind("<", 0, at) > text.rfind(">", 0, at):
            position = text.find(">", at) + 1 or len(text)      # inside a tag (an attribute's value)
            continue
        linked.add(term.id)
        found.append((at, end, term, written))
    return tuple(found)


def _blocked_stretches(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the outermost elements terms must not be linked in."""
    starts, ends, depth, opened_at = [], [], 0, 0
    for tag in _BLOCKING_TAG.finditer(text):
        if tag.group(0).endswith("/>"):
            continue
        if not tag.group(1):
            if depth == 0:
                opened_at = tag.start()
            depth += 1
        elif depth:                                   # a stray close tag is ignored
            depth -= 1
            if depth == 0:
                starts.append(opened_at)
                ends.append(tag.end())
    if depth:
        starts.append(opened_at)
        ends.append(len(text))
    return starts, ends


def _term_link(term: GlossaryTerm, written: str) -> str:
    inner = f'<abbr title="{html.escape(term.expansion)}">{written}</abbr>' if term.expansion else written
    return f'<a class="term" href="{SITE_ROOT}glossary.html#term-{term.id}">{inner}</a>'


def _trie_regex(words) -> str:
    """One regex for many words, branching letter by letter (matched case-insensitively)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word.lower():
            node = node.setdefault(char, {})
        node[""] = {}                                      # a word ends here

    def branch(node: dict) -> str:
        ways = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not ways:
            return ""
        body = ways[0] if len(ways) == 1 else "(?:" + "|".join(ways) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)
