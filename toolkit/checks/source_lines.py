"""Where a link is written in its source file, to the line and column, for problems' locations."""
from __future__ import annotations

import bisect
import html as html_lib
import re
from pathlib import Path
from urllib.parse import unquote

from toolkit.formats.yaml_files import SourceError, decode
from toolkit.model.problems import national_file


class SourceLocator:
    """Finds where a link is written in its source file, for an exact line and column.

    Markdown knows only the line its paragraph starts on (and a YAML field folds its
    lines into one), so the file is read again, only when there is something to report.
    Names of files are as messages show them: relative to the edition, whose search
    path is tried in order, relative to the national toolkit after "(national) ", or absolute.
    """

    def __init__(self, search_path: tuple[Path, ...] = ()):
        self.search_path = search_path
        self._files: dict[str, tuple[str, list[int]]] = {}    # source -> (text, where each line starts)
        self._ends: dict[tuple[str, int], int] = {}            # see _paragraph_end

    def _read(self, source: str) -> tuple[str, list[int]]:
        if source not in self._files:
            text = ""
            inherited = national_file(source)       # "(national) data/actions.yml"
            bases = self.search_path[-1:] if inherited and self.search_path else self.search_path or (Path("."),)
            for base in bases:
                path = base / (inherited or source)
                try:
                    text = decode(path.read_bytes(), source)
                    break
                except (OSError, SourceError):
                    continue
            self._files[source] = (text, [0, *(match.end() for match in _NEWLINE.finditer(text))])
        return self._files[source]

    def find(self, source: str, line: int, url: str, after: int = -1) -> tuple[int, int, int]:
        """(line, column, offset in the file) of `url` at or after `line` in `source`;
        (line, 0, -1) when it is not found.

        `after`, the offset just after where the link before it in the same paragraph was
        found, is where the search starts, up to the paragraph's end (a blank line): so the
        links of a paragraph are found in one pass over it, not one pass each. A link not
        found there (a reference link's definition, an image inside a link) is looked for
        from `line` on."""
        text, starts = self._read(source)
        forms = [form for form in dict.fromkeys((url, unquote(url), html_lib.unescape(url)))
                 if form and "\n" not in form]
        index = max(line - 1, 0)
        if index >= len(starts):
            return line, 0, -1
        at = -1
        if after >= 0:
            at = _first(text, starts, forms, after, self._paragraph_end(source, index))
        if at < 0:
            at = _first(text, starts, forms, starts[index], len(text))
        if at < 0:
            return line, 0, -1
        number = bisect.bisect_right(starts, at)
        return number, at - starts[number - 1] + 1, at

    def occurrences(self, source: str, line: int, needle: str) -> list[tuple[int, int]]:
        """(line, column) of each place `needle` is written in `source`, from `line` on."""
        text, starts = self._read(source)
        if not needle or line - 1 >= len(starts):
            return []
        found, at = [], text.find(needle, starts[max(line - 1, 0)])
        while at >= 0:
            number = bisect.bisect_right(starts, at)
            found.append((number, at - starts[number - 1] + 1))
            at = text.find(needle, at + len(needle))
        return found

    def _paragraph_end(self, source: str, index: int) -> int:
        """Where the paragraph that starts on line `index` + 1 ends (its blank line)."""
        key = (source, index)
        if key not in self._ends:
            text, starts = self._files[source]
            blank = _BLANK_LINE.search(text, starts[index])
            self._ends[key] = blank.start() + 1 if blank else len(text)
        return self._ends[key]


_NEWLINE = re.compile("\n")
_BLANK_LINE = re.compile("\n[ \t\r]*(?:\n|$)")


def _first(text: str, starts: list[int], forms: list[str], begin: int, end: int) -> int:
    """Where the first of `forms` is in text[begin:end]: the one on the earliest line,
    the first of `forms` on that line; -1 when none is."""
    found = -1
    for form in forms:
        at = text.find(form, begin, end)
        if at >= 0 and (found < 0 or at < starts[bisect.bisect_right(starts, found) - 1]):
            found = at
            number = bisect.bisect_right(starts, at)
            end = min(end, starts[number] if number < len(starts) else len(text))
    return found
