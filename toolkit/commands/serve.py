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
import os
import signal
import sys
import threading
import webbrowser
from pathlib import Path

from toolkit import invocation
from toolkit.stages.edition import CONFIG_FILE, NATIONAL_ROOT
from toolkit.model.problems import Problem
from toolkit.preview.rebuild import Preview
from toolkit.preview.server import PreviewServer, start_server
from toolkit.preview.watcher import snapshot, watched_roots


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


def _serve_until_stopped(preview: Preview, server: PreviewServer, open_browser: bool, stop: threading.Event) -> int:
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
