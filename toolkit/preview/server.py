"""Serving the preview from memory on 127.0.0.1: the reload script, the problems panel, Host checks."""
from __future__ import annotations

import html
import http.server
import os
import sys
from pathlib import Path

from toolkit.model.problems import Problem
from toolkit.preview.rebuild import Preview, SiteState


PREVIEW_PATH = "/__preview__/"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")     # the Host a request to the preview may name


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


class PreviewServer(http.server.ThreadingHTTPServer):
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


def start_server(preview: Preview, port: int) -> PreviewServer:
    handler = type("Handler", (_Handler,), {"preview": preview})
    return PreviewServer(("127.0.0.1", port), handler)
