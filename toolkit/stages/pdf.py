"""The whole guide as a PDF, made with WeasyPrint from the one-page guide (guide.html).

WeasyPrint is an optional extra (pip install ".[pdf]"), imported only when a PDF is
asked for. The PDF is made during the build from the pages in memory, before anything
is written, so it is swapped in with the pages that link to it: a site never links to
a PDF that is not there, and a PDF that cannot be made leaves the last good site as
it was.

What the PDF has comes from the print rules in themes/default/static/site.css, which
browsers also use: running headers, page numbers, a table of contents with page
numbers (target-counter) and bookmarks for the parts of the guide (bookmark-level).
WeasyPrint fetches nothing but the site's own files: any other address is refused.
"""
from __future__ import annotations

import datetime
import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote

from toolkit.model import urls
from toolkit.model.problems import BuildFailed, Problem

GUIDE_PAGE = urls.GUIDE
INSTALL_HINT = 'install it with: pip install ".[pdf]" (in the toolkit\'s folder), or build without --pdf'
# Where the guide seems to live while WeasyPrint reads it. No request ever goes there:
# the fetcher answers from the build's own files.
_SITE = "https://compact-toolkit.invalid/"
_PRINT_DATE = re.compile(r'(<span\b[^>]*\bdata-print-date\b[^>]*>)([^<]*)(</span>)')


def pdf_file_name(edition_root: Path) -> str:
    """<edition-slug>.pdf, e.g. social-value-and-the-compact.pdf."""
    from toolkit.stages.edition import load_edition
    return f"{load_edition(Path(edition_root)).settings.slug}.pdf"


def require_weasyprint() -> None:
    """Fail at once, before building, when WeasyPrint (or the Pango library it needs) is missing."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        raise BuildFailed([Problem("--pdf", 0, "making a PDF needs WeasyPrint, which is not installed",
                                   INSTALL_HINT)]) from None
    except OSError as exc:          # WeasyPrint is there but cannot load Pango
        raise BuildFailed([Problem("--pdf", 0, f"WeasyPrint is installed but cannot start: {exc}",
                                   "install Pango (Debian/Ubuntu: apt-get install libpango-1.0-0 "
                                   "libpangoft2-1.0-0), or build without --pdf")]) from None


def _long_date(text: str) -> str:
    """The build date as the guide's page has it (2026-03-01, or nothing), as the PDF prints it."""
    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        return text                 # nothing (the edition does not show its build date), or an edition's own
    return f"{day.day} {day:%B %Y}"


def render_pdf(files: dict[str, bytes], copies: dict[str, Path], base_url: str = "") -> tuple[bytes, int]:
    """(PDF bytes, page count) of guide.html, reading the site's files from `files` and `copies`.

    The date at the top of the guide and in the page footers is the build date the page
    shows (show_build_date in toolkit.yml), written out; without one there is no date.
    Links from the guide to other pages of the site stay relative, so they work when the
    PDF is opened from the site's folder; with `base_url` they lead to the live site."""
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    refused: list[Problem] = []

    class SiteFiles(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith(_SITE):
                refused.append(Problem(GUIDE_PAGE, 0, f"the PDF would load {url}, from another host",
                                       "the site asks nothing of other hosts: put the file in the "
                                       "edition's static/ folder and link to it there"))
                raise ValueError("refused")
            rel = unquote(url[len(_SITE):].split("#", 1)[0].split("?", 1)[0])
            if rel in files:
                body = files[rel]
            elif rel in copies:
                body = Path(copies[rel]).read_bytes()
            else:
                refused.append(Problem(GUIDE_PAGE, 0, f"the PDF needs {rel}, which is not in the site",
                                       "check the file name, or build without --pdf"))
                raise ValueError("missing")
            kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": kind})

    html = files[GUIDE_PAGE].decode("utf-8")
    html = _PRINT_DATE.sub(lambda m: m.group(1) + _long_date(m.group(2)) + m.group(3), html, count=1)
    failures = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(failures)
    try:
        document = weasyprint.HTML(string=html, base_url=_SITE + GUIDE_PAGE, url_fetcher=SiteFiles(),
                                   media_type="print").render()
    finally:
        logger.removeHandler(failures)
    if refused or failures.messages:
        raise BuildFailed(refused or [Problem(GUIDE_PAGE, 0, f"the PDF could not be made: {message}",
                                              "build without --pdf, and report this if it persists")
                                      for message in failures.messages])
    live = base_url.rstrip("/") + "/" if base_url else ""
    for page in document.pages:
        page.links = [(kind, live + target[len(_SITE):] if kind == "external" and target.startswith(_SITE)
                       else target, *rest) for kind, target, *rest in page.links]
    return document.write_pdf(), len(document.pages)


class _Collect(logging.Handler):
    """WeasyPrint logs a resource it could not load as an error and carries on; we stop."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())
