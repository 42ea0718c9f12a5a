"""Ready settings for the web servers councils use, written beside the site (never inside it).

    web.config    IIS (Windows Server): copied into the site's top folder on the server
    .htaccess     Apache: copied into the site's top folder on the server
    nginx.conf    nginx: a `location` block to include in the site's `server { }` block
    README.txt    what each one is, for the web team

Each sends the Content-Security-Policy and the other security headers the site is made to
work under (the browser tests serve the site under this same policy), gives the MIME types
of the files a site holds, and serves the site's 404 page for a missing address. The 404
page's links start from the site's path on the server, which only `base_url` tells: without
it the 404 lines are left out, with a note saying why.

They go in a folder beside the site's (`_site` -> `_site-server-settings`), so that they are
never published as part of the site, never taken for a file of it, and never clash with a
web team's own .htaccess or web.config in the site's folder (which the build keeps).
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from toolkit.model import urls
from toolkit.model.problems import Problem
from toolkit.stages.edition import Settings
from toolkit.stages.structure import site_path

# What the site works under: its pages need no inline script or style, nothing from another host.
CONTENT_SECURITY_POLICY = ("default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; "
                           "object-src 'none'")
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
# The kinds of file a site holds (the theme's, an edition's static files, the PDF), by extension.
MIME_TYPES = (
    (".html", "text/html"), (".css", "text/css"), (".js", "text/javascript"), (".json", "application/json"),
    (".svg", "image/svg+xml"), (".png", "image/png"), (".jpg", "image/jpeg"), (".jpeg", "image/jpeg"),
    (".gif", "image/gif"), (".webp", "image/webp"), (".ico", "image/x-icon"), (".xml", "application/xml"),
    (".txt", "text/plain"), (".pdf", "application/pdf"),
)
TEXT_TYPES = ("text/html", "text/css", "text/javascript", "application/json", "image/svg+xml", "application/xml",
              "text/plain")
FILES = ("web.config", ".htaccess", "nginx.conf", "README.txt")


def settings_folder(out: Path) -> Path:
    """Where the settings go: beside the site's folder, named after it."""
    return out.parent / f"{out.name}-server-settings"


def server_settings(settings: Settings) -> dict[str, str]:
    """File name -> text of each settings file for this edition's site."""
    where = site_path(settings.base_url) or "/"
    not_found = where + urls.NOT_FOUND if settings.base_url else ""
    about = f"for {settings.name}" + (f", at {settings.base_url}/" if settings.base_url else "")
    return {
        "web.config": _iis(about, not_found),
        ".htaccess": _apache(about, not_found),
        "nginx.conf": _nginx(about, where, not_found),
        "README.txt": _readme(settings, where, not_found),
    }


def no_base_url(config_file: str) -> Problem:
    """The warning when the server settings are written for a site without base_url."""
    return Problem(config_file, 0, "there is no base_url, so the 404 page works only for a missing page in the "
                   "site's top folder, and the server settings beside the site leave it out",
                   "set base_url: to the address the site will live at, e.g. "
                   "base_url: https://www.example.org/compact, then build again", warning=True)


def write_server_settings(folder: Path, texts: dict[str, str]) -> bool:
    """Write the files into `folder`; True when any of them was new or changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = False
    for name, text in texts.items():
        path = folder / name
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except (OSError, UnicodeDecodeError):
            pass
        path.write_text(text, encoding="utf-8", newline="\n")
        changed = True
    return changed


_MISSING_404 = ("This site has no base_url in its toolkit.yml, so where it lives on the server is not known, "
                "and its 404 page works only for a missing page in its top folder. Set base_url and build "
                "again to have the 404 page wired in here.")


def _iis(about: str, not_found: str) -> str:
    headers = "".join(f'        <remove name="{name}" />\n        <add name="{name}" value={quoteattr(value)} />\n'
                      for name, value in SECURITY_HEADERS)
    types = "".join(f'      <remove fileExtension="{ext}" />\n      <mimeMap fileExtension="{ext}" '
                    f'mimeType="{kind}{_charset(kind)}" />\n' for ext, kind in MIME_TYPES)
    errors = (f'    <httpErrors errorMode="Custom" existingResponse="Replace">\n'
              f'      <remove statusCode="404" subStatusCode="-1" />\n'
              f'      <error statusCode="404" path="{not_found}" responseMode="ExecuteURL" />\n'
              f'    </httpErrors>\n' if not_found else f"    <!-- {_MISSING_404} -->\n")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n'
            f"<!-- Compact Toolkit: IIS settings {about}.\n"
            f"     Copy this file into the site's top folder on the server (the one holding index.html). -->\n"
            f"<configuration>\n  <system.webServer>\n"
            f'    <defaultDocument enabled="true">\n      <files>\n        <remove value="index.html" />\n'
            f'        <add value="index.html" />\n      </files>\n    </defaultDocument>\n'
            f"    <staticContent>\n{types}    </staticContent>\n"
            f"    <httpProtocol>\n      <customHeaders>\n{headers}      </customHeaders>\n    </httpProtocol>\n"
            f"{errors}  </system.webServer>\n</configuration>\n")


def _apache(about: str, not_found: str) -> str:
    headers = "".join(f'  Header always set {name} "{value}"\n' for name, value in SECURITY_HEADERS)
    types = "".join(f"AddType {kind} {ext}\n" for ext, kind in MIME_TYPES)
    charset = " ".join(ext for ext, kind in MIME_TYPES if kind in TEXT_TYPES)
    errors = f"ErrorDocument 404 {not_found}\n" if not_found else f"# {_MISSING_404}\n"
    return (f"# Compact Toolkit: Apache settings {about}.\n"
            f"# Copy this file, named .htaccess, into the site's top folder on the server (the one holding\n"
            f"# index.html). It needs mod_headers, and AllowOverride FileInfo Indexes for that folder.\n"
            f"<IfModule mod_headers.c>\n{headers}</IfModule>\n"
            f"{types}AddCharset utf-8 {charset}\n"
            f"DirectoryIndex index.html\n{errors}")


def _nginx(about: str, where: str, not_found: str) -> str:
    headers = "".join(f'    add_header {name} "{value}" always;\n' for name, value in SECURITY_HEADERS)
    by_type: dict[str, list[str]] = {}
    for ext, kind in MIME_TYPES:
        by_type.setdefault(kind, []).append(ext[1:])
    types = "".join(f"        {kind} {' '.join(exts)};\n" for kind, exts in by_type.items())
    charset_types = " ".join(kind for kind in TEXT_TYPES if kind != "text/html")
    errors = f"    error_page 404 {not_found};\n" if not_found else f"    # {_MISSING_404}\n"
    return (f"# Compact Toolkit: nginx settings {about}.\n"
            f"# Include this file inside the server {{ }} block of the website, e.g.\n"
            f"#     include /etc/nginx/snippets/compact-toolkit.conf;\n"
            f"# with the site's files copied to the folder {where} of that server's root. (To keep them\n"
            f"# elsewhere, add a line 'alias /that/folder/;' below.) add_header lines in a location replace\n"
            f"# the server's own: repeat any of those you need here.\n"
            f"location {where} {{\n"
            f"    index index.html;\n"
            f"    try_files $uri $uri/ =404;\n"
            f"    types {{\n{types}    }}\n"
            f"    charset utf-8;\n    charset_types {charset_types};\n"
            f"{headers}{errors}}}\n")


def _readme(settings: Settings, where: str, not_found: str) -> str:
    wired = (f"The 404 page is {not_found}: the site is at {where} on its server (base_url)."
             if not_found else _MISSING_404)
    return (f"Server settings for {settings.name}, made by Compact Toolkit with the site.\n\n"
            "The site is plain files and works on any web server as it is. These settings add what a\n"
            "web team would: security headers (a strict Content-Security-Policy the site is made to\n"
            "work under, and others), the right types for its files, and its own 404 page. Use the\n"
            "one for your server:\n\n"
            "  web.config   IIS (Windows Server): copy it into the site's top folder on the server.\n"
            "  .htaccess    Apache: copy it into the site's top folder on the server; it needs mod_headers\n"
            "               and AllowOverride FileInfo Indexes there.\n"
            "  nginx.conf   nginx: a location block; include it in the website's server { } block.\n\n"
            f"{wired}\n\nThe Content-Security-Policy sent is:\n  {CONTENT_SECURITY_POLICY}\n"
            "Each build writes these files again: change toolkit.yml, not them.\n")


def _charset(kind: str) -> str:
    return "; charset=utf-8" if kind in TEXT_TYPES else ""
