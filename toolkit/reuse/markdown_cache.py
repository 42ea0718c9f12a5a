"""Rendering many Markdown texts quickly: a persistent cache, and both cores.

Markdown parsing is most of a cold build's time. Each text's result is stored under
a hash of the text, its first line number, the raw-HTML setting and the toolkit's
version, so a result is reused only when it would come out the same. What is not
in the cache is rendered in a pool of worker processes when there is enough of it
to be worth starting them. A Batch hands texts to the pool as they are read, so the
workers parse while the files after them are still being read and checked.

The cache file (markdown.json in the edition's cache folder) is data, never code: a
line naming the code that rendered it, then one line a result, its key and its fields
as JSON (plain.py). It is written and read through cache_files.py, so a file this
user's builds did not write as it is now (edited, cut short, made by someone else) is
not read at all, and a file of other code is not used. A result read from it is
written back as the same line, so a save after a small change costs little more than
writing the file.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from toolkit import __version__
from toolkit.reuse.cache_files import read_sealed, write_sealed
from toolkit.model.markdown import RenderedMarkdown
from toolkit.stages.markdown import make_parser, render_markdown
from toolkit.reuse.plain import plain_reader, to_plain

CACHE_FILE = "markdown.json"
PARALLEL_FROM = 120          # fewer texts than this render faster in one process
CHUNK = 24                   # texts handed to a worker at a time: small, so both finish together

_worker_parser = None        # one parser per worker process, made on first use


def _renderer_code() -> bytes:
    """What a result depends on besides the text: the code that renders it (so a changed
    plugin never meets results of the old one, even at the same version number)."""
    from markdown_it import __version__ as markdown_it_version
    from toolkit.model import markdown as types
    from toolkit.reuse import plain
    from toolkit.stages import markdown
    digest = hashlib.blake2b(markdown_it_version.encode(), digest_size=16)
    for module in (markdown.__file__, types.__file__, plain.__file__, __file__):
        digest.update(Path(module).read_bytes())
    return digest.digest()


_RENDERER_CODE = _renderer_code()
_CACHE_HEADER = f"compact-toolkit markdown {__version__} {_RENDERER_CODE.hex()}".encode()
KEY_LENGTH = 32              # hex digits of a text's key


def _render_in_worker(job: tuple[str, int, bool]) -> RenderedMarkdown:
    global _worker_parser
    text, first_line, raw = job
    if _worker_parser is None or _worker_parser[0] != raw:
        _worker_parser = (raw, make_parser(raw))
    return render_markdown(_worker_parser[1], text, first_line)


class MarkdownRenderer:
    def __init__(self, allow_raw_html: bool, cache_dir: Path | None = None, workers: int | None = None):
        self.allow_raw_html = allow_raw_html
        self.cache_dir = cache_dir
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
        self._parser = None
        self._lines: dict[str, bytes] = {}    # key -> its line in the cache file, for results read from it
        self._stored: dict[str, RenderedMarkdown] = self._load()
        self._used: dict[str, RenderedMarkdown] = {}
        self.rendered = 0            # how many texts were not in the cache

    def next_build(self) -> None:
        """In a long-running process: keep what the last build used, and only that."""
        if self._used:
            self._stored, self._used = self._used, {}
            self._lines = {}         # not held for a whole session: save() writes the results again

    def _key(self, text: str, first_line: int) -> str:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(_RENDERER_CODE)
        digest.update(f"{__version__}\0{self.allow_raw_html}\0{first_line}\0".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def render_many(self, jobs: list[tuple[str, int]]) -> list[RenderedMarkdown]:
        """The rendered Markdown of each (text, first line), in order."""
        with self.batch() as batch:
            for text, line in jobs:
                batch.add(text, line)
            return batch.results()

    def _render_here(self, jobs: list[tuple[str, int]]) -> list[RenderedMarkdown]:
        if self._parser is None:
            self._parser = make_parser(self.allow_raw_html)
        return [render_markdown(self._parser, text, line) for text, line in jobs]

    def batch(self) -> Batch:
        return Batch(self)

    def _load(self) -> dict[str, RenderedMarkdown]:
        if self.cache_dir is None:
            return {}
        body = read_sealed(self.cache_dir / CACHE_FILE, "markdown")
        if body is None:
            return {}      # none, or not this user's builds' as written: start afresh
        header, *entries = body.split(b"\n")
        if header != _CACHE_HEADER:
            return {}      # written by other code
        stored, lines = {}, {}
        read = plain_reader(RenderedMarkdown)
        try:
            for line in entries:
                key = line[:KEY_LENGTH].decode("ascii")
                stored[key] = read(json.loads(line[KEY_LENGTH + 1:]))
                lines[key] = line
        except ValueError:
            return {}
        self._lines = lines
        return stored

    def save(self) -> None:
        """Keep what this build used (and only that, so the cache never grows stale).
        OSError when it cannot be written."""
        if self.cache_dir is None or (not self.rendered and len(self._used) == len(self._stored)):
            return
        lines = [_CACHE_HEADER]
        for key, result in self._used.items():
            line = self._lines.get(key)
            if line is None:
                line = f"{key} {json.dumps(to_plain(result), separators=(',', ':'))}".encode("ascii")
            lines.append(line)
        write_sealed(self.cache_dir / CACHE_FILE, "markdown", b"\n".join(lines))


class Batch:
    """Texts rendered as they are added, results in the order added:

        with renderer.batch() as batch:
            index = batch.add(text, first_line)     # as each file is read
            ...
            results = batch.results()

    Texts found in the cache are taken from it. Once PARALLEL_FROM texts are missing from
    it, a pool of workers starts and is given them, and every later one, CHUNK at a time;
    fewer are rendered in this process when results() is called.
    """

    def __init__(self, renderer: MarkdownRenderer):
        self._renderer = renderer
        self._keys: list[str] = []
        self._missing: dict[str, tuple[str, int]] = {}     # not yet handed to a worker
        self._pool = None
        self._handed: list[tuple[list[str], object]] = []   # (keys, pending result) per chunk

    def add(self, text: str, first_line: int) -> int:
        renderer = self._renderer
        key = renderer._key(text, first_line)
        self._keys.append(key)
        if key not in renderer._used and key not in renderer._stored and key not in self._missing:
            self._missing[key] = (text, first_line)
            if self._pool is None and renderer.workers > 1 and len(self._missing) >= PARALLEL_FROM:
                import multiprocessing
                context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
                self._pool = context.Pool(renderer.workers)
            if self._pool is not None and len(self._missing) >= CHUNK:
                self._hand_over()
        return len(self._keys) - 1

    def _hand_over(self) -> None:
        raw = self._renderer.allow_raw_html
        keys = list(self._missing)
        jobs = [(text, line, raw) for text, line in self._missing.values()]
        self._handed.append((keys, self._pool.map_async(_render_many_in_worker, [jobs])))
        self._renderer.rendered += len(keys)
        self._missing = {}

    def results(self) -> list[RenderedMarkdown]:
        renderer = self._renderer
        if self._pool is not None and self._missing:
            self._hand_over()
        if self._missing:
            renderer.rendered += len(self._missing)
            renderer._used.update(zip(self._missing, renderer._render_here(list(self._missing.values()))))
            self._missing = {}
        for keys, pending in self._handed:
            renderer._used.update(zip(keys, pending.get()[0]))
        self._handed = []
        if self._pool is not None:      # every result is in: the workers are let finish (see close())
            self._pool.close()
            self._pool.join()
            self._pool = None
        out = []
        for key in self._keys:
            found = renderer._used.get(key)
            if found is None:
                found = renderer._used[key] = renderer._stored[key]
            out.append(found)
        return out

    def close(self) -> None:
        """Stop the workers, whatever they are doing: for a batch left before its results.
        (Stopped so, a worker can die holding a lock of the pool's queues, and the pool then
        waits for it forever, CPython issue 96995; results() lets them finish instead.)"""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _render_many_in_worker(jobs: list[tuple[str, int, bool]]) -> list[RenderedMarkdown]:
    return [_render_in_worker(job) for job in jobs]
