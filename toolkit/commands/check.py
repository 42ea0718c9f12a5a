"""`compact-toolkit check [EDITION] [--strict] [--external]`: every check, nothing written.

`check` runs the build's own stages (pipeline.build with write=False), so it can
never pass an edition that `build` would refuse, or the other way round. It reads
the Markdown cache but does not update it, and writes no site. It says which national
toolkit the edition is checked against and warns about each national file the edition
replaces that changed nationally since it last built (checks/national_changes.py). With --external it
also asks every linked website whether the page is there; that is the only part of
the toolkit that uses a network, it is never needed, and without a network it says
so once and carries on.
"""
from __future__ import annotations

import datetime
import http.client
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from queue import Empty, Queue

from toolkit.checks.national_changes import read_baseline
from toolkit.national import VERSION
from toolkit.stages.edition import load_edition
from toolkit.model.problems import BuildFailed, Problem, format_report
from toolkit.checks.links import external_links
from toolkit.checks.source_lines import SourceLocator
from toolkit.reuse.markdown_cache import MarkdownRenderer
from toolkit.commands.build import build
from toolkit.reuse.cache_files import cache_folder

TIMEOUT_SECONDS = 5.0
PARALLEL_REQUESTS = 8
USER_AGENT = "CompactToolkit-LinkCheck/1 (+checks that links in a guidance toolkit still work)"
GONE = (404, 410)          # the page is not there: the link must change


class _ReadOnlyCache(MarkdownRenderer):
    """Uses what earlier builds cached, and leaves the cache as it was."""

    def save(self) -> None:
        pass


def run_check(edition_root: Path, *, strict: bool = False, external: bool = False,
              today: datetime.date | None = None, timeout: float = TIMEOUT_SECONDS) -> int:
    """Check an edition; print every problem and a count. 0 when all is well, else BuildFailed."""
    edition = load_edition(Path(edition_root))
    renderer = _ReadOnlyCache(edition.settings.allow_raw_html, cache_folder(edition.root))
    result = build(edition.root, write=False, strict=strict, renderer=renderer, today=today)
    problems = list(result.warnings)
    checked_links = 0
    if external:
        links = external_links(result.site, SourceLocator(edition.search_path))
        checked_links = len({url for url, *_ in links})
        problems += check_external(links, timeout=timeout)
    if strict:
        problems = [Problem(p.path, p.line, p.message, p.hint, p.column) for p in problems]
    if [p for p in problems if not p.warning]:
        raise BuildFailed(problems)
    if problems:
        print(format_report(problems), file=sys.stderr)
    summary = f"Checked {result.pages} pages of {result.edition.settings.name} ({_built_on(edition)})"
    if external:
        summary += f" and {checked_links} links to other websites"
    print(summary + (": no errors." if problems else ": no problems found."))
    return 0


def _built_on(edition) -> str:
    """Which national toolkit the edition is checked against, and the one it was last built on if another."""
    last = read_baseline(edition.root)
    return f"national toolkit {VERSION}" + (f"; last built with {last.version}" if last and last.version != VERSION
                                            else "")


def check_external(links: list[tuple[str, str, int, int]], timeout: float = TIMEOUT_SECONDS,
                   workers: int = PARALLEL_REQUESTS) -> list[Problem]:
    """Ask each website about each link (once per address); a problem for each that fails."""
    if not links:
        return []
    urls = sorted({url for url, *_ in links})
    outcomes = _ask_all(urls, timeout, workers)
    if all(outcome[0] == "unreachable" for outcome in outcomes.values()):
        first = urls[0]
        return [Problem("check --external", 0, f"could not reach any of the {len(urls)} links to other websites "
                        f"(for example {first}: {outcomes[first][1]})",
                        "check the computer is online, then run 'check --external' again; "
                        "nothing else was affected", warning=True)]
    problems = []
    for url, source, line, column in links:
        kind, detail = outcomes[url]
        if kind == "gone":
            problems.append(Problem(source, line, f"the link {url} leads to a page that is not there ({detail})",
                                    "find where the page has moved to and link there, or remove the link",
                                    column))
        elif kind in ("failed", "unreachable"):
            problems.append(Problem(source, line, f"the link {url} could not be checked ({detail})",
                                    "open it in a browser; if it works there, the site may refuse "
                                    "automatic checks", column, warning=True))
    return problems


def _ask_all(urls: list[str], timeout: float, workers: int) -> dict[str, tuple[str, str]]:
    """Ask about every address, a few at a time, and never wait much longer than the timeouts allow.

    The timeout of a request does not cover looking up the website's name, which can hang
    on a badly connected computer; so the threads are daemons, and the check stops waiting
    for them at a deadline, counting what has not answered as unreachable.
    """
    queue: Queue = Queue()
    for url in urls:
        queue.put(url)
    outcomes: dict[str, tuple[str, str]] = {}

    def work():
        while True:
            try:
                url = queue.get_nowait()
            except Empty:
                return
            outcomes[url] = _ask(url, timeout)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(min(workers, len(urls)))]
    for thread in threads:
        thread.start()
    rounds = -(-len(urls) // len(threads))
    deadline = time.monotonic() + 2 * timeout * rounds + 1      # HEAD, then perhaps GET
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {url: outcomes.get(url, ("unreachable", f"no answer within {timeout:g} seconds")) for url in urls}


def _ask(url: str, timeout: float) -> tuple[str, str]:
    """("ok" | "gone" | "failed" | "unreachable", what happened)."""
    for method in ("HEAD", "GET"):          # some sites refuse HEAD; ask again as a browser would
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return "ok", f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            if exc.code in GONE:
                return "gone", f"HTTP {exc.code}"
            if method == "HEAD" and exc.code in (400, 403, 405, 501):
                continue
            return "failed", f"HTTP {exc.code}"
        except urllib.error.URLError as exc:
            return "unreachable", _reason(exc.reason)
        except (socket.timeout, TimeoutError):
            return "unreachable", f"no answer within {timeout:g} seconds"
        except (OSError, ValueError, http.client.HTTPException) as exc:   # a reset connection, a garbled answer
            return "unreachable", _reason(exc)
    return "failed", "the website refused the request"


def _reason(reason) -> str:
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "no answer in time"
    if isinstance(reason, socket.gaierror):
        return "the website's name was not found"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused"
    return str(getattr(reason, "strerror", None) or reason)
