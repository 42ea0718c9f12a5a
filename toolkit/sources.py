"""Reading source files as people's editors save them.

Text is decoded as UTF-8 with or without a byte-order mark, Windows line endings are
made plain, and a file that is not UTF-8 is an error that names the byte. YAML is
loaded safely (no Python objects), duplicate keys are refused, and every mapping and
list remembers the line of each entry so later stages can point at it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .errors import Problem

try:  # libyaml is much faster; fall back to the pure-Python loader where it is missing
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class YamlMap(dict):
    """A YAML mapping that knows the line of itself and of each of its keys."""
    line = 1
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line


class YamlList(list):
    """A YAML sequence that knows the line of itself and of each item."""
    line = 1
    item_lines: list

    def line_of(self, index: int) -> int:
        lines = getattr(self, "item_lines", [])
        return lines[index] if index < len(lines) else self.line


class SourceError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


class _LineLoader(_BaseLoader):
    pass


def _construct_mapping(loader, node):
    result = YamlMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word or number", key_node.start_mark)
        if isinstance(key, (int, float)) and not isinstance(key, bool):
            key = str(key_node.value)  # "2.4:" is a principle id, not the number 2.4
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice in this block", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader, node):
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
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
        raise SourceError(Problem(
            path, line,
            f"this file is not UTF-8 text (byte 0x{data[exc.start]:02x} at byte {exc.start})",
            "save the file as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8)",
            column)) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def load_yaml(text: str, path: str, first_line: int = 1):
    """Parse YAML text safely. Line numbers in errors count from first_line."""
    offset = first_line - 1
    try:
        loader = _LineLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise SourceError(_yaml_problem(exc, path, offset, text)) from None
    if offset and data is not None:
        _shift_lines(data, offset)
    return data


def _shift_lines(value, offset: int) -> None:
    if isinstance(value, YamlMap):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        for item in value.values():
            _shift_lines(item, offset)
    elif isinstance(value, YamlList):
        value.line += offset
        value.item_lines = [v + offset for v in value.item_lines]
        for item in value:
            _shift_lines(item, offset)


def _yaml_problem(exc: yaml.YAMLError, path: str, offset: int, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + offset if mark else 0
    column = mark.column + 1 if mark else 0
    reason = getattr(exc, "problem", None) or str(exc)
    if mark is not None and "\t" in (text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""):
        return Problem(path, line, "a tab character is used for indentation",
                       "YAML needs spaces, not tabs: replace each tab at the start of the line with spaces",
                       column)
    if "appears twice" in reason:
        return Problem(path, line, reason, "remove one of them or merge what they say", column)
    if "found character" in reason and "cannot start any token" in reason:
        hint = "put the value in quotes, for example: title: \"...\""
    elif "mapping values are not allowed" in reason:
        hint = "a value that contains ': ' must be in quotes, for example: title: \"Knowsley: what happened\""
    elif "could not find expected ':'" in reason or "could not find expected" in reason:
        hint = "check the indentation and that each setting is written as 'name: value'"
    elif "unacceptable character" in reason or "special characters are not allowed" in reason:
        hint = "remove the control character (it may have come from copying and pasting)"
    else:
        hint = "check the indentation and quoting on this line and the one before it"
    return Problem(path, line, f"this is not valid YAML: {reason}", hint, column)


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
