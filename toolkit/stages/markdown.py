"""Markdown to HTML, with the toolkit's own small extensions.

The result does not depend on the edition: principle and parameter references, and
links to other pages of the site, are left as markers that `resolve.py` fills in for
each edition and page. So the national Markdown is parsed once and its result reused
by every edition and cached between builds.

Our extensions are plain markdown-it plugins, `fn(md)`, applied in this order:

    compact_refs     [[principle:2.4]] and [[param:2.4.consultation_weeks]]
    heading_ids      an id on every heading, and the page's contents (h2 and h3)
    safe_links       refuse javascript:/vbscript:/data: links; mark site-internal links, and
                     links to a Markdown file (x.md, ../guides/y.md#part), which lead to its page
    plain_text       the words of the page, for the search index
    footnotes        [^1] notes, from mdit-py-plugins, with an accessible back link
"""
from __future__ import annotations

import re
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.footnote import footnote_plugin

from toolkit.model.markdown import Heading, Link, Reference, RenderedMarkdown

# Markers left in the HTML for resolve.py. These control characters cannot come from
# content: the normalise step of every parse removes them (see _strip_markers), YAML
# refuses them, and markdown-it does not make them from entities. (Not private-use
# characters: with those, the HTML of plain English text takes two bytes a character in
# memory instead of one, and a big edition holds all of it at once.)
REF_OPEN, REF_CLOSE = "\x01", "\x02"
SITE_ROOT = "\x03"          # stands for the relative path from a page to the site root
SOURCE_LINK = "\x04"        # before a link to a Markdown file, as written: resolve.py makes it its page's
_MARKERS = re.compile("[\x01-\x04]")


_REF = re.compile(r"\[\[(principle|param):([\w.,;:-]+)\]\]")   # a mistyped id ("2,4") is one too, to be reported


def compact_refs(md: MarkdownIt) -> None:
    def rule(state: StateInline, silent: bool) -> bool:
        if not state.src.startswith("[[", state.pos):
            return False
        match = _REF.match(state.src, state.pos)
        if not match:
            return False
        if not silent:
            token = state.push("compact_ref", "", 0)
            token.meta = {"kind": match.group(1), "target": match.group(2)}
            token.content = match.group(0)
        state.pos = match.end()
        return True

    md.inline.ruler.before("link", "compact_ref", rule)
    md.add_render_rule("compact_ref", lambda self, tokens, idx, options, env:
                       f"{REF_OPEN}{tokens[idx].meta['kind']}:{tokens[idx].meta['target']}{REF_CLOSE}")


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w\s-]", "", text.lower()).strip()
    return re.sub(r"[\s_-]+", "-", slug) or "section"


def heading_ids(md: MarkdownIt) -> None:
    def rule(state) -> None:
        seen: set[str] = set()
        # The next number to try for each slug that has been taken, so that many headings of
        # the same name cost one try each, not one try per heading before them; ids are as
        # if the numbers were always tried from 2 (all below the one kept are taken).
        next_number: dict[str, int] = {}
        tokens = state.tokens
        for index, token in enumerate(tokens):
            if token.type != "heading_open":
                continue
            line = state.env["first_line"] + (token.map[0] if token.map else 0)
            if token.tag == "h1":
                state.env["level_one"].append(line)
            inline = tokens[index + 1]
            text = "".join(child.content for child in inline.children or ()
                           if child.type in ("text", "code_inline", "compact_ref"))
            text = _REF.sub(lambda m: m.group(2), text)
            base = slug = slugify(text)
            if slug in seen:
                number = next_number.get(base, 2)
                while slug in seen:
                    slug, number = f"{base}-{number}", number + 1
                next_number[base] = number
            seen.add(slug)
            token.attrSet("id", slug)
            if token.tag in ("h2", "h3"):
                state.env["headings"].append(Heading(int(token.tag[1]), slug, text.strip()))

    md.core.ruler.push("heading_ids", rule)


_UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file):", re.I)
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.I)


def safe_links(md: MarkdownIt) -> None:
    # markdown-it's own validateLink already drops javascript: and friends silently;
    # we let them through to this rule so the author is told, and then drop them.
    md.validateLink = lambda url: True

    def rule(state) -> None:
        env = state.env
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            line = env["first_line"] + (block.map[0] if block.map else 0)
            for token in block.children:
                attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
                if attr is None:
                    continue
                url = token.attrGet(attr) or ""
                if _UNSAFE_SCHEME.match(url) and not (token.type == "image" and url.lower().startswith("data:image/")):
                    env["refused"].append((url, line))
                    token.attrSet(attr, "#")
                    continue
                if _EXTERNAL.match(url):
                    if token.type == "link_open":
                        token.attrSet("class", "external")
                    continue
                if url.startswith("#"):
                    env["links"].append(Link(url, line, False))
                    continue
                env["links"].append(Link(url, line, token.type == "image"))
                if token.type == "link_open" and is_source_link(url):
                    token.attrSet(attr, SOURCE_LINK + url)       # which page it is depends on where it is written
                    continue
                token.attrSet(attr, SITE_ROOT + url.lstrip("/"))

    md.core.ruler.push("safe_links", rule)


def is_source_link(url: str) -> bool:
    """A link to a Markdown file of content/ (not a web address): x.md, ../guides/y.md#part."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    return path.endswith(".md") and not path.startswith("/") and not _EXTERNAL.match(url)


def plain_text(md: MarkdownIt) -> None:
    def rule(state) -> None:
        words = []
        for block in state.tokens:
            if block.type == "inline":
                words.extend(child.content for child in block.children or ()
                             if child.type in ("text", "code_inline"))
                words.append(" ")
        state.env["text"] = " ".join("".join(words).split())     # runs of white space as one space

    md.core.ruler.push("plain_text", rule)


def _strip_markers(state) -> None:
    if _MARKERS.search(state.src):
        state.src = _MARKERS.sub("", state.src)


def footnotes(md: MarkdownIt) -> None:
    """Footnotes[^1] (mdit-py-plugins), with a back link a screen reader can name.

    Guidance cites Acts, notes and surveys; footnotes keep those out of the sentence."""
    md.use(footnote_plugin)

    def back_link(self, tokens, idx, options, env):
        number = tokens[idx].meta["id"] + 1
        sub = tokens[idx].meta.get("subId", 0)
        target = f"fnref{number}" + (f":{sub}" if sub else "")
        return (f' <a href="#{target}" class="footnote-backref">'
                f'<span aria-hidden="true">↩</span><span class="visually-hidden">Back to the text of note {number}</span></a>')

    md.add_render_rule("footnote_anchor", back_link)


PLUGINS = (compact_refs, heading_ids, safe_links, plain_text, footnotes)


def make_parser(allow_raw_html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": allow_raw_html, "typographer": False}).enable("table")
    md.core.ruler.after("normalize", "strip_markers", _strip_markers)
    for plugin in PLUGINS:
        plugin(md)
    return md


def render_markdown(md: MarkdownIt, text: str, first_line: int = 1) -> RenderedMarkdown:
    env = {"first_line": first_line, "headings": [], "links": [], "refused": [],
           "level_one": [], "text": ""}
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    references = []
    for token in tokens:
        if token.type == "inline" and "[[" in token.content:
            line = first_line + (token.map[0] if token.map else 0)
            at = 0                  # each reference on its own line of the paragraph
            for child in token.children or ():
                if child.type == "compact_ref":
                    found = token.content.find(child.content, at)
                    at = found + len(child.content) if found >= 0 else at
                    references.append(Reference(child.meta["kind"], child.meta["target"],
                                                line + token.content.count("\n", 0, max(found, 0))))
    return RenderedMarkdown(html, tuple(env["headings"]), tuple(references), tuple(env["links"]),
                            tuple(env["refused"]), tuple(env["level_one"]), env["text"])
