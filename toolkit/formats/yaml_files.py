"""Reading source files as people's editors save them.

Text is decoded as UTF-8 with or without a byte-order mark, Windows line endings are
made plain, and a file that is not UTF-8 is an error that names the byte. YAML is
loaded safely (no Python objects), duplicate keys are refused, aliases (*name) are
limited so a few lines cannot stand for billions of values, and every mapping and
list remembers the line of each entry (so later stages can point at it) and the text
as typed of each value YAML reads as a number, a date or true/false (schema.py makes
that the value of a text field). A value YAML reads as empty because it starts with #
(`primary: #5a2d82`, which YAML takes for a comment) is remembered too, so schema.py can
say so instead of building with nothing there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from toolkit.model.problems import Problem

try:  # libyaml is much faster; fall back to the pure-Python loader where it is missing
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


# Aliases: a file may use this many, and all of them together may repeat this many
# characters of what they name. A toolkit's files need few aliases, if any.
MAX_ALIASES = 100
MAX_ALIAS_SIZE = 1_000_000

# Tags of the values whose text as typed is kept (`term: 2024`, `phone: 01234567`).
_TYPED_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "timestamp"))


class YamlMap(dict):
    """A YAML mapping that knows the line (and column) of itself and of each of its keys."""
    line = 1
    column = 0
    key_lines: dict
    key_columns: dict
    typed: dict | None = None      # key -> the text of a value read as a number, date or true/false
    commented: dict | None = None  # key -> "#5a2d82": a value left empty, as YAML read it as a comment
    dropped: tuple = ()            # keys schema.check(drop=True) took out, their values found wrong

    def as_typed(self, key) -> str | None:
        """The text as typed of a value YAML read as a number, a date or true/false."""
        return self.typed.get(key) if self.typed else None

    def lost_to_comment(self, key) -> str | None:
        """What was written after `key:` when YAML read it as a comment (#5a2d82), leaving it empty."""
        return self.commented.get(key) if self.commented else None

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line

    def column_of(self, key) -> int:
        return self.key_columns.get(key, self.column) if hasattr(self, "key_columns") else self.column


class YamlList(list):
    """A YAML sequence that knows the line (and column) of itself and of each item."""
    line = 1
    column = 0
    item_lines: list
    item_columns: list
    typed: dict | None = None      # index -> the text of an item read as a number, date or true/false

    def as_typed(self, index: int) -> str | None:
        return self.typed.get(index) if self.typed else None

    def line_of(self, index: int) -> int:
        lines = getattr(self, "item_lines", [])
        return lines[index] if index < len(lines) else self.line

    def column_of(self, index: int) -> int:
        columns = getattr(self, "item_columns", [])
        return columns[index] if index < len(columns) else self.column


class SourceError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


# What PyYAML's constructors raise for a value they recognise but cannot make:
# 2026-02-30, "!!int abc", a bare "!!timestamp" with no value.
_UNREADABLE = (ValueError, TypeError, OverflowError, AttributeError, IndexError, KeyError)


def _unreadable(node, exc) -> yaml.constructor.ConstructorError:
    what = f"the value '{node.value}'" if isinstance(node.value, str) and node.value else "this value"
    reason = f" ({exc})" if isinstance(exc, ValueError) and str(exc) else ""
    return yaml.constructor.ConstructorError(None, None, f"{what} cannot be read{reason}", node.start_mark)


class _LineLoader(_BaseLoader):
    def construct_document(self, node):
        try:
            return super().construct_document(node)
        except _UNREADABLE as exc:           # the whole document is one such value
            raise _unreadable(node, exc) from None


def _construct(loader, node):
    """One value; a value YAML recognises but cannot make is an error pointing at it."""
    try:
        return loader.construct_object(node, deep=True)
    except _UNREADABLE as exc:
        raise _unreadable(node, exc) from None


def _construct_mapping(loader, node):
    result = YamlMap()
    result.line = node.start_mark.line + 1
    result.column = node.start_mark.column + 1
    result.key_lines = {}
    result.key_columns = {}
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word or number", key_node.start_mark)
        if isinstance(key, (int, float)) and not isinstance(key, bool):
            key = str(key_node.value)  # "2.4:" is a principle id, not the number 2.4
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice in this block", key_node.start_mark)
        result[key] = _construct(loader, value_node)
        result.key_lines[key] = key_node.start_mark.line + 1
        result.key_columns[key] = key_node.start_mark.column + 1
        if value_node.tag in _TYPED_TAGS and isinstance(value_node, yaml.ScalarNode):
            if result.typed is None:
                result.typed = {}
            result.typed[key] = value_node.value
        elif value_node.tag == _NULL and value_node.value == "":
            comment = _comment_after(loader, key_node)
            if comment:
                if result.commented is None:
                    result.commented = {}
                result.commented[key] = comment
    return result


_NULL = "tag:yaml.org,2002:null"
# After a key, ': ' and a comment that starts straight after its # ("#5a2d82", "#1 priority"):
# a value YAML took for a comment. A note written as "# ..." is a comment as meant.
_VALUE_AS_COMMENT = re.compile(r"[ \t]*:[ \t]+(#\S.*?)[ \t]*$")


def _comment_after(loader, key_node) -> str:
    lines = getattr(loader, "source_lines", None)
    mark = key_node.end_mark
    if lines is None or mark.line >= len(lines):
        return ""
    found = _VALUE_AS_COMMENT.match(lines[mark.line], mark.column)
    return found.group(1) if found else ""


def _construct_sequence(loader, node):
    result = YamlList(_construct(loader, child) for child in node.value)
    result.line = node.start_mark.line + 1
    result.column = node.start_mark.column + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    result.item_columns = [child.start_mark.column + 1 for child in node.value]
    typed = {index: child.value for index, child in enumerate(node.value)
             if child.tag in _TYPED_TAGS and isinstance(child, yaml.ScalarNode)}
    if typed:
        result.typed = typed
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def decode(data: bytes, path: str) -> str:
    """Bytes from disk to text with plain newlines, or a SourceError naming the bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        guess = bytes([byte]).decode("cp1252", "replace")
        guess = f", probably '{guess}' saved as Windows-1252" if guess.isprintable() and byte > 0x7f else ""
        raise SourceError(Problem(
            path, line,
            f"this file is not UTF-8 text (byte 0x{byte:02x} at byte {exc.start}{guess})",
            "save the file as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8)",
            column)) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def load_yaml(text: str, path: str, first_line: int = 1):
    """Parse YAML text safely. Line numbers in errors count from first_line."""
    offset = first_line - 1
    try:
        if "&" in text:             # no anchor (&name), so no alias can name one
            _check_aliases(text, path, offset)
        loader = _LineLoader(text)
        loader.source_lines = text.split("\n")      # for values YAML takes for a comment
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise SourceError(_yaml_problem(exc, path, offset, text)) from None
    except RecursionError:
        raise SourceError(Problem(path, first_line, "the settings in this file are nested too deeply to read",
                                  "check the indentation and the brackets: nothing here needs more "
                                  "than a few levels")) from None
    if offset and data is not None:
        _shift_lines(data, offset)
    return data


def _check_aliases(text: str, path: str, offset: int) -> None:
    """Refuse a file whose aliases (*name) would repeat too much of it ("billion laughs":
    nine lines, each naming the one before nine times, stand for a billion values).

    The size of what each anchor (&name) names is counted from the parser's events,
    with the aliases inside it counted at their full size, so nothing is ever built.
    """
    sizes: dict[str, int] = {}       # anchor -> characters it stands for, aliases repeated
    open_sizes = [0]                 # of each block being read, outermost first
    open_anchors: list = [None]
    uses = repeated = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.ScalarEvent):
            size = len(event.value) + 1
            if event.anchor:
                sizes[event.anchor] = size
            open_sizes[-1] += size
        elif isinstance(event, yaml.CollectionStartEvent):
            open_sizes.append(1)
            open_anchors.append(event.anchor)
        elif isinstance(event, yaml.CollectionEndEvent):
            size = open_sizes.pop()
            anchor = open_anchors.pop()
            if anchor:
                sizes[anchor] = size
            open_sizes[-1] += size
        elif isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            if event.anchor in open_anchors:
                raise SourceError(Problem(
                    path, mark.line + 1 + offset,
                    f"the alias *{event.anchor} is used inside the block it names "
                    f"(&{event.anchor}), so it would repeat for ever",
                    f"write the settings out in full instead of *{event.anchor}", mark.column + 1))
            uses += 1
            size = sizes.get(event.anchor, 0)      # an unknown name is the parser's to report
            repeated += size
            if uses > MAX_ALIASES or repeated > MAX_ALIAS_SIZE:
                why = (f"more than {MAX_ALIASES} uses of *name" if uses > MAX_ALIASES
                       else f"together they would repeat more than {MAX_ALIAS_SIZE:,} characters")
                raise SourceError(Problem(
                    path, mark.line + 1 + offset, f"this file uses too many YAML aliases ({why})",
                    "write the settings out in full instead of repeating them with &name and *name",
                    mark.column + 1))
            open_sizes[-1] += size


def _shift_lines(value, offset: int, seen: set | None = None) -> None:
    seen = set() if seen is None else seen
    if id(value) in seen:            # an alias (*name) shares its value: shift it once
        return
    if isinstance(value, YamlMap):
        seen.add(id(value))
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        for item in value.values():
            _shift_lines(item, offset, seen)
    elif isinstance(value, YamlList):
        seen.add(id(value))
        value.line += offset
        value.item_lines = [v + offset for v in value.item_lines]
        for item in value:
            _shift_lines(item, offset, seen)


def _yaml_problem(exc: yaml.YAMLError, path: str, offset: int, text: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):       # a character YAML does not allow anywhere
        before = text[:exc.position]
        line, column = before.count("\n") + 1 + offset, exc.position - (before.rfind("\n") + 1) + 1
        return Problem(path, line, f"this file contains a control character (#x{exc.character:04x}) "
                       "that YAML does not allow",
                       "remove it (it may have come from copying and pasting)", column)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + offset if mark else 0
    column = mark.column + 1 if mark else 0
    reason = getattr(exc, "problem", None) or str(exc)
    lines = text.splitlines()
    here = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    if "\t" in here[:len(here) - len(here.lstrip())] or here[column - 1:column] == "\t":
        return Problem(path, line, "a tab character is used for indentation",
                       "YAML needs spaces, not tabs: replace each tab at the start of the line with spaces",
                       column)
    if "appears twice" in reason:
        return Problem(path, line, reason, "remove one of them or merge what they say", column)
    if "cannot be read" in reason:
        if re.search(r"'\d{4}-\d\d?-\d\d?", reason):
            return Problem(path, line, reason, "write a date as YYYY-MM-DD with a real month and day, "
                           "e.g. 2026-11-25; put any other text in quotes", column)
        return Problem(path, line, reason, "remove the !! tag in front of the value, or put the value in quotes",
                       column)
    if "could not determine a constructor for the tag" in reason:
        tag = reason.split("tag ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        return Problem(path, line, f"the tag '{tag}' is not allowed",
                       "remove it: settings are plain text, numbers, dates and lists", column)
    context = getattr(exc, "context", None) or ""
    context_mark = getattr(exc, "context_mark", None)
    if "quoted scalar" in context and context_mark is not None:
        return Problem(path, context_mark.line + 1 + offset, "a quote is opened here but never closed",
                       "add the closing quote at the end of the value", context_mark.column + 1)
    # Reported where the construct that went wrong started, not where YAML gave up on it.
    opened = _quote_read_on(text, mark) if mark is not None else None
    if opened is not None:
        return Problem(path, opened.line + 1 + offset,
                       f"a quote is opened here but not closed on its line, so YAML reads on to the next "
                       f"quote, on line {mark.line + 1 + offset}",
                       "add the closing quote at the end of the value", opened.column + 1)
    if context_mark is not None and "flow sequence" in context:
        return Problem(path, context_mark.line + 1 + offset, "a list is opened here with [ but never closed",
                       "add ] after the last item of the list", context_mark.column + 1)
    if context_mark is not None and "flow mapping" in context:
        return Problem(path, context_mark.line + 1 + offset, "a set of settings is opened here with { but never "
                       "closed", "add } after the last setting", context_mark.column + 1)
    if context_mark is not None and "simple key" in context:
        return Problem(path, context_mark.line + 1 + offset, "this line is not a setting: it has no ':' after a name",
                       "write it as 'name: value', or start a note to yourself with #", context_mark.column + 1)
    if "found character" in reason and "cannot start any token" in reason:
        hint = "put the value in quotes, for example: title: \"...\""
    elif "mapping values are not allowed" in reason:
        hint = "a value that contains ': ' must be in quotes, for example: title: \"Knowsley: what happened\""
    elif "could not find expected" in reason or "did not find expected" in reason:
        hint = "check the indentation and that each setting is written as 'name: value'"
    else:
        hint = "check the indentation and quoting on this line and the one before it"
    return Problem(path, line, f"this is not valid YAML: {reason}", hint, column)


def _quote_read_on(text: str, mark):
    """The start of a quoted value that runs over several lines and ends on the line YAML
    gave up on, with a line in it that reads like a setting: a quote left open, closed by the
    next value's opening quote. None when there is no such value."""
    found = None
    try:
        for token in yaml.scan(text, Loader=_BaseLoader):
            if token.start_mark.line > mark.line:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ("'", '"')
                    and token.start_mark.line < token.end_mark.line == mark.line):
                found = token
    except yaml.YAMLError:
        pass
    if found is None:
        return None
    inside = text[found.start_mark.index:found.end_mark.index].split("\n")[1:]
    return found.start_mark if any(_LOOKS_LIKE_SETTING.match(line) for line in inside) else None


_LOOKS_LIKE_SETTING = re.compile(r"\s*(- )?[\w-]+:(\s|$)")


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)


@dataclass(frozen=True)
class SplitPage:
    front_matter: str     # the YAML text between the --- lines ('' when there is none)
    front_line: int       # line of the first front-matter line
    body: str
    body_line: int        # line of the first body line


def split_front_matter(text: str, path: str) -> SplitPage:
    if not text.startswith("---"):
        return SplitPage("", 0, text, 1)
    match = _FRONT_MATTER.match(text)
    if not match:
        raise SourceError(Problem(
            path, 1, "the front matter that starts on line 1 has no closing '---' line",
            "add a line with just --- after the last front-matter setting"))
    body_line = match.group(0).count("\n") + 1
    return SplitPage(match.group(1), 2, text[match.end():], body_line)
