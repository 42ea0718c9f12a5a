"""The live preview: `compact-toolkit serve [EDITION] [--port N] [--open]`.

    Watcher   looks at every file the build reads (each edition on the search path:
              toolkit.yml, content, case studies, data, static files, the theme), found
              by the build's own walk (discover.walk: the same links followed, the same
              loops and links elsewhere left alone), and reports what changed; a burst
              of saves is gathered into one change
    Preview   rebuilds on a change and keeps the last good site in memory, or the
              problems of the last failed build, for the server to show
    server    serves the site from memory on 127.0.0.1, exactly the files `build`
              writes, and adds two things to every HTML page on the way out: a small
              script that reloads the page after each rebuild, and, while the last
              build failed, a panel naming each problem (file, line, what, how to fix).
              It answers only requests addressed to itself (Host 127.0.0.1, localhost
              or [::1] with its port), so a web page elsewhere cannot read the preview
              through a DNS name it points at 127.0.0.1 (DNS rebinding); a browser that
              drops a connection (a reload, a closed tab) is not reported

Each rebuild prints one line: the files changed, how long after the last save the
watcher handed them over ("seen N ms after the save": its polling and its wait for the
burst to end), what was updated, and the rebuild's own time, from then until the new
site is what the server serves ("in N ms"). One page's body edited is rebuilt from the
last build with only that page read again (body_edit.py).

The script and its stylesheet are files the server serves itself (under /__preview__/),
never inline and never written into the site, so they work under the site's own
Content-Security-Policy and a published site holds no trace of them.

The PyPI livereload package is not used: it rebuilds once for every file changed and
serves from disk; here one rebuild follows a burst of saves and the site is served
from memory, so a reader never sees a half-written folder.
"""
from __future__ import annotations

import errno
import html
import http.server
import os
import signal
import sys
import threading
import time
import traceback
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from toolkit import invocation
from toolkit.stages.edition import CONFIG_FILE, NATIONAL_ROOT, load_edition
from toolkit.model.problems import BuildFailed, Problem
from toolkit.stages.discover import SOURCE_FOLDERS, walk

POLL_SECONDS = 0.1          # how often the watcher looks at the files
QUIET_SECONDS = 0.05        # a change is acted on once no file has changed for this long
LONGEST_BURST = 2.0         # ... or after this long, whatever keeps changing
PREVIEW_PATH = "/__preview__/"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")     # the Host a request to the preview may name


# ----------------------------------------------------------------------------- watcher

def watched_roots(edition_root: Path) -> list[Path]:
    """The edition folders a build reads: the search path, or just the edition while its
    toolkit.yml cannot be read (so saving the fixed file is still seen)."""
    try:
        return list(load_edition(edition_root).search_path)
    except BuildFailed:
        return [edition_root.resolve()]


def snapshot(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """path -> (modification time in ns, size) of every file a build may read, and of each
    link it would refuse, so that mending one is seen too. Drafts ('_') are looked at as
    well: the theme's partials are named so."""
    found: dict[str, tuple[int, int]] = {}
    for root in roots:
        _stat_into(found, root / CONFIG_FILE)
        for folder in SOURCE_FOLDERS:
            for item in walk(root, folder, roots, drafts=True):
                _stat_into(found, item.path)
    return found


def _stat_into(found: dict, path: Path) -> None:
    try:
        stat = os.stat(path)
    except OSError:
        try:
            stat = os.lstat(path)           # a link to nothing: seen when it is removed or mended
        except OSError:
            return                          # removed while we looked: the next look sees it
    found[str(path)] = (stat.st_mtime_ns, stat.st_size)


def changed_paths(before: dict, after: dict) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


# ----------------------------------------------------------------------------- preview

@dataclass(frozen=True)
class SiteState:
    """What the server shows: the last good site, and the problems of the last build if it failed."""
    files: dict                     # output path -> bytes
    copies: dict                    # output path -> source file, served as it is
    problems: tuple[Problem, ...]   # empty when the last build succeeded
    generation: int                 # counts rebuilds; the page reloads when it changes


class Preview:
    """Builds an edition again and again, remembering what it can between builds."""

    def __init__(self, edition_root: Path, log=None):
        from toolkit.reuse.memory import BuildMemory
        self.edition_root = Path(edition_root).resolve()
        self.log = log or (lambda line: print(line, flush=True))
        self.memory = BuildMemory(self.edition_root)
        self.state = SiteState({}, {}, (), 0)
        self.changed = threading.Condition()
        self.last_seconds = 0.0         # the last rebuild, from starting it to the new site being served
        self.building = False           # a build is under way (Ctrl+C then ends the process at once)

    def rebuild(self, changed: list[str] | None = None, seen_after: float | None = None,
                paths: list[str] | None = None) -> SiteState:
        """Build once; on failure keep the last good files and record the problems.
        `changed`: the changed files as the terminal line names them; `paths`: the same as
        the watcher found them, for the build (one page's body edited is rebuilt quickly);
        `seen_after`: seconds from the save to the watcher handing the change over."""
        from toolkit.commands.build import build
        started = time.perf_counter()
        self.building = True
        try:
            result = build(self.edition_root, write=False, memory=self.memory, changed=paths)
        except BuildFailed as failed:
            state = SiteState(self.state.files, self.state.copies, failed.problems, self.state.generation + 1)
            first = failed.problems[0]
            self.log(f"{_clock()} {_what_changed(changed, seen_after)}: the build failed ({len(failed.problems)} "
                     f"problem{'s' if len(failed.problems) != 1 else ''}, first {first.location()}); "
                     f"still showing the last good site. The browser shows the problems.")
        except Exception as exc:           # a fault in the toolkit: report it and keep serving
            traceback.print_exc()
            problem = Problem("Compact Toolkit", 0, f"{type(exc).__name__}: {exc}",
                              "this is a fault in Compact Toolkit, not in your content; "
                              "please report what the terminal shows")
            state = SiteState(self.state.files, self.state.copies, (problem,), self.state.generation + 1)
        else:
            updated = [path for path, data in result.outputs.items() if self.state.files.get(path) != data]
            removed = [path for path in self.state.files if path not in result.outputs]
            state = SiteState(result.outputs, result.copies, (), self.state.generation + 1)
        finally:
            self.building = False
        with self.changed:
            self.state = state
            self.changed.notify_all()
        self.last_seconds = time.perf_counter() - started      # the new site is what the server serves
        if not state.problems:
            self.log(f"{_clock()} {_what_changed(changed, seen_after)}: {_what_rebuilt(updated, removed, result)} "
                     f"in {self.last_seconds * 1000:.0f} ms"
                     + (f"; {len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}:\n"
                        + "\n".join(warning.format() for warning in result.warnings) if result.warnings else ""))
        return state

    def prepare(self) -> None:
        """Work for quick rebuilds done ahead, once the first site is served (body_edit.prepare)."""
        from toolkit.reuse.body_edit import prepare
        try:
            prepare(self.memory)
        except Exception:                   # only a later rebuild is slower; the preview goes on
            traceback.print_exc()

    def watch(self, stop: threading.Event, roots: list[Path], seen: dict) -> None:
        """Rebuild after each burst of changes until `stop` is set. `seen` is how the files
        looked when the last build started (taken before it, so no save goes unnoticed).
        The first time nothing has changed, work for quick rebuilds is done ahead (prepare)."""
        prepared = False
        while not stop.wait(POLL_SECONDS):
            now = snapshot(roots)
            if now == seen:
                if not prepared:
                    self.prepare()
                    prepared = True
                continue
            burst_started = time.monotonic()
            while time.monotonic() - burst_started < LONGEST_BURST:    # gather the whole burst
                time.sleep(QUIET_SECONDS)
                later = snapshot(roots)
                if later == now:
                    break
                now = later
            changed = changed_paths(seen, now)
            # The watcher's delay: from the last save to handing the burst over (its polling
            # and its wait for the burst to end); the rebuild's own time is counted from here.
            saved = [now[path][0] for path in changed if path in now]
            seen_after = max(0.0, time.time() - max(saved) / 1e9) if saved else None
            self.rebuild([_shown(path, roots) for path in changed], seen_after, changed)
            seen = now
            new_roots = watched_roots(self.edition_root)      # toolkit.yml may now extend another edition
            if new_roots != roots:
                roots, seen = new_roots, snapshot(new_roots)


def _clock() -> str:
    return time.strftime("%H:%M:%S")


def _shown(path: str, roots: list[Path]) -> str:
    """A changed file as a person knows it: relative to its edition, naming the edition
    when it is not the one being previewed."""
    for root in roots:
        if path.startswith(str(root) + os.sep):
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if root == roots[0]:
                return rel
            return f"{rel} (national)" if root == NATIONAL_ROOT else f"{rel} (in {root.name})"
    return path


def _what_changed(changed: list[str] | None, seen_after: float | None = None) -> str:
    if changed is None:
        return "first build"
    what = (", ".join(changed) if len(changed) <= 3 else f"{changed[0]} and {len(changed) - 1} other files") + " changed"
    return what + (f" (seen {seen_after * 1000:.0f} ms after the save)" if seen_after is not None else "")


def _what_rebuilt(updated: list[str], removed: list[str], result) -> str:
    if not updated and not removed:
        return f"no page changed ({result.pages} pages checked)"
    names = ", ".join(updated[:4]) + (f" and {len(updated) - 4} more" if len(updated) > 4 else "")
    text = f"updated {len(updated)} of {len(result.outputs)} files ({names})" if updated else ""
    if removed:
        text += ("; " if text else "") + f"removed {len(removed)}"
    return text


# ----------------------------------------------------------------------------- server

RELOAD_JS = """\
/* Compact Toolkit preview: reload this page when the site has been rebuilt. */
(function () {
  var me = document.currentScript;
  var generation = me && me.getAttribute("data-generation");
  var source = new EventSource("/__preview__/events");
  source.onmessage = function (event) {
    if (event.data !== generation) { source.close(); window.location.reload(); }
  };
})();
"""

OVERLAY_CSS = """\
/* Compact Toolkit preview: the panel that shows why the last rebuild failed. */
.preview-problems { position: fixed; inset: 0 0 auto 0; z-index: 2147483647; max-height: 70vh; overflow: auto;
  margin: 0; padding: 1rem 1.25rem; background: #fff; color: #0b0c0c; border-bottom: 6px solid #b10e1e;
  box-shadow: 0 4px 16px rgba(0, 0, 0, .35); font: 1rem/1.5 system-ui, sans-serif; }
.preview-problems h2 { margin: 0 0 .5rem; font-size: 1.25rem; color: #b10e1e; }
.preview-problems ol { margin: .5rem 0 0; padding-left: 1.5rem; }
.preview-problems li { margin: 0 0 .75rem; }
.preview-problems code { font: .95rem/1.4 ui-monospace, monospace; background: #f3f2f1; padding: 0 .2rem; }
.preview-problems p { margin: .25rem 0; }
"""


def problems_panel(problems: tuple[Problem, ...]) -> str:
    items = "".join(
        f'<li><p><code class="preview-problems__where">{html.escape(p.location())}</code>: '
        f'{html.escape(p.message)}</p>'
        + (f'<p class="preview-problems__hint">How to fix it: {html.escape(p.hint)}</p>' if p.hint else "")
        + "</li>" for p in problems)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return (f'<section class="preview-problems" id="preview-problems" role="alert" aria-labelledby="preview-problems-title">'
            f'<h2 id="preview-problems-title">The site could not be rebuilt: {count}</h2>'
            f"<p>Below is the last version that built. Fix the file and save it; this page reloads by itself.</p>"
            f"<ol>{items}</ol></section>")


def decorate(page: bytes, state: SiteState) -> bytes:
    """An HTML page as served: with the reload script, and the problems panel while there are problems."""
    text = page.decode("utf-8")
    head = (f'<link rel="stylesheet" href="{PREVIEW_PATH}overlay.css">'
            f'<script src="{PREVIEW_PATH}reload.js" data-generation="{state.generation}" defer></script>')
    at = text.find("</head>")
    text = text[:at] + head + text[at:] if at >= 0 else head + text
    if state.problems:
        body = text.find("<body")
        end = text.find(">", body) + 1 if body >= 0 else 0
        text = text[:end] + problems_panel(state.problems) + text[end:]
    return text.encode("utf-8")


_NO_SITE_YET = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Preview</title></head>"
                "<body><main><h1>The preview has no site yet</h1><p>The first build failed.</p></main></body></html>")


class _Handler(http.server.BaseHTTPRequestHandler):
    preview: Preview

    def log_message(self, *args):            # one line per rebuild is enough in the terminal
        pass

    def do_GET(self):
        if not self._addressed_to_us():
            return self._send(421, "text/plain; charset=utf-8", self._misdirected())
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(PREVIEW_PATH):
            return self._preview_file(path[len(PREVIEW_PATH):])
        from urllib.parse import unquote
        rel = unquote(path).lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        state = self.preview.state
        data, status = self._site_file(state, rel)
        if data is None:
            data, status = state.files.get("404.html"), 404
            if data is None:
                data, status = _NO_SITE_YET.encode(), 200 if not state.files else 404
            rel = "404.html"
        if rel.endswith(".html"):
            data = decorate(data, state)
        self._send(status, _content_type(rel), data)

    do_HEAD = do_GET                        # _send leaves the body out

    def _addressed_to_us(self) -> bool:
        """The Host header names this server: the loopback address or name, with its port
        (a browser leaves the port out only when it is 80)."""
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        return any(host == f"{name}:{port}" or (port == 80 and host == name) for name in LOOPBACK_NAMES)

    def _misdirected(self) -> bytes:
        port = self.server.server_address[1]
        return (f"421 Misdirected Request: this preview answers only at http://127.0.0.1:{port}/ "
                f"or http://localhost:{port}/\n").encode()

    def _site_file(self, state: SiteState, rel: str):
        if rel in state.files:
            return state.files[rel], 200
        source = state.copies.get(rel)
        if source is not None:
            try:
                return Path(source).read_bytes(), 200
            except OSError:
                return None, 404
        return None, 404

    def _preview_file(self, name: str):
        if name == "reload.js":
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode())
        if name == "overlay.css":
            return self._send(200, "text/css; charset=utf-8", OVERLAY_CSS.encode())
        if name == "events":
            return self._events()
        self._send(404, "text/plain; charset=utf-8", b"not found")

    def _events(self):
        """Server-sent events: the generation of the site now, and again after each rebuild."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command == "HEAD":
            return
        preview = self.preview
        try:
            sent = None
            while True:
                with preview.changed:
                    if preview.state.generation == sent:
                        preview.changed.wait(15)
                    generation = preview.state.generation
                message = f"data: {generation}\n\n" if generation != sent else ": still here\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                sent = generation
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def _send(self, status: int, content_type: str, data: bytes):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
          ".ico": "image/x-icon", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
          ".json": "application/json", ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
          ".webp": "image/webp", ".woff2": "font/woff2"}


def _content_type(rel: str) -> str:
    return _TYPES.get(os.path.splitext(rel)[1].lower(), "application/octet-stream")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Connections waiting to be taken (the standard library's 5 is soon full when a browser
    # reloads often and drops what it asked for; a client that finds it full waits a second).
    request_queue_size = 128

    def handle_error(self, request, client_address):
        """A browser that went away mid-answer (a reload, a closed tab) is nothing to report;
        anything else is, with its traceback, as the standard library does."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)


def start_server(preview: Preview, port: int) -> _Server:
    handler = type("Handler", (_Handler,), {"preview": preview})
    return _Server(("127.0.0.1", port), handler)


def serve(edition_root: Path, port: int = 8000, open_browser: bool = False) -> int:
    """Build, serve and rebuild until interrupted (Ctrl+C). Returns the exit status:
    0 when stopped with Ctrl+C while waiting for changes, 130 when stopped so during a
    build or before the first one, 1 when the folder is not an edition, 2 when the port
    cannot be used."""
    edition_root = Path(edition_root)
    if not (edition_root / CONFIG_FILE).is_file():
        print(Problem(str(edition_root), 0, f"this folder has no {CONFIG_FILE}, so it is not an edition",
                      "give the folder of an edition, or make one with: "
                      f"{invocation.command()} new FOLDER --name \"Area\"").format(), file=sys.stderr)
        return 1
    preview = Preview(edition_root)
    try:
        server = start_server(preview, port)
    except OSError as exc:
        print(f"error: cannot serve on 127.0.0.1:{port} ({exc.strerror})\n  hint: {_port_hint(exc, port)}",
              file=sys.stderr)
        return 2
    stop = threading.Event()
    usual = _on_ctrl_c(preview, stop)
    try:
        return _serve_until_stopped(preview, server, open_browser, stop)
    finally:
        server.server_close()
        if usual is not None:
            signal.signal(signal.SIGINT, usual)


def _serve_until_stopped(preview: Preview, server: _Server, open_browser: bool, stop: threading.Event) -> int:
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        roots = watched_roots(preview.edition_root)
        seen = snapshot(roots)
        preview.rebuild()
    except KeyboardInterrupt:               # Ctrl+C before the first build (during it: _on_ctrl_c)
        return 130
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Previewing {preview.edition_root if preview.edition_root != NATIONAL_ROOT else 'the national toolkit'}"
          f" at {url}\nSaving a file rebuilds the site and reloads the browser. Press Ctrl+C to stop.", flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        preview.watch(stop, roots, seen)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        for problem in preview.memory.save():
            print(problem.format(), file=sys.stderr)
    print("Stopped the preview.")
    return 0


def _port_hint(exc: OSError, port: int) -> str:
    other = port + 1 if port < 65535 else port - 1
    if exc.errno == errno.EADDRINUSE:
        return f"another program (or another preview) is using that port; try --port {other}"
    if exc.errno == errno.EACCES and port < 1024:
        return "ports below 1024 need administrator rights; try --port 8000"
    return f"pick another port, e.g. --port {other}"


def _on_ctrl_c(preview: Preview, stop: threading.Event):
    """What Ctrl+C does: while the preview waits for changes, stop it in good order (set
    `stop`, raise KeyboardInterrupt); during a build, end the build's worker processes and
    this one at once, with status 130 (waiting for the workers to finish in good order can
    wait for ever, and nothing is lost: the preview writes no files). A terminal sends Ctrl+C
    to the workers too; forked from this process, they share this handler and leave it to
    this one, so none prints a traceback. Returns the handler it replaced (None off the
    main thread, where none can be set)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    this = os.getpid()

    def interrupted(signum, frame):
        if os.getpid() != this:
            return
        stop.set()
        if preview.building:
            _end_at_once(130)
        raise KeyboardInterrupt
    return signal.signal(signal.SIGINT, interrupted)


def _end_at_once(status: int) -> None:
    import multiprocessing
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:                   # interrupted while writing to it: what is there is there
            pass
    for worker in multiprocessing.active_children():
        worker.terminate()
    os._exit(status)
