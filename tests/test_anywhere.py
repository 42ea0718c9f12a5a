"""The same _site works wherever it is put: at /, under any sub-path, from file:// (issue 5).

Every link and asset URL in the output is relative and names a file (so nothing lands
on a directory listing); base_url is used only for the sitemap and the canonical link;
robots.txt and the robots meta keep an intranet edition out of search engines.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

from toolkit.commands.build import build

URL_ATTRIBUTE = re.compile(r'<(\w+)\b([^>]*?)\s(href|src|action|poster|srcset|data)="([^"]*)"', re.S)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)")
TEXT_SUFFIXES = {".html", ".css", ".js", ".xml", ".txt", ".svg"}
BASE_URL = "https://compact.example.org/intranet/toolkit"


def urls_in(site: Path):
    """(file, tag, url) for every URL in an attribute or a CSS url() anywhere in the output."""
    for path in sorted(site.rglob("*")):
        if path.suffix not in TEXT_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8")
        for tag, _, attribute, value in URL_ATTRIBUTE.findall(text):
            values = [part.split()[0] for part in value.split(",") if part.strip()] if attribute == "srcset" else [value]
            for url in values:
                yield path, f"<{tag} {attribute}>", url
        for url in CSS_URL.findall(text):
            yield path, "url()", url


def broken_links(site: Path) -> list[str]:
    """Internal links and asset URLs in the HTML whose file (or #anchor) is not in the output."""
    ids = {path: set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8"))) for path in site.rglob("*.html")}
    broken = []
    for path, tag, url in urls_in(site):
        parts = urlsplit(url)
        if path.suffix != ".html" or parts.scheme or parts.netloc or tag.startswith("<link") and "canonical" in tag:
            continue
        target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not target.is_file():
            broken.append(f"{path.relative_to(site)}: {url} (no such file)")
        elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids[target]:
            broken.append(f"{path.relative_to(site)}: {url} (no such anchor)")
    return broken


def test_every_url_in_the_output_is_relative(national_site):
    checked, wrong = 0, []
    for path, tag, url in urls_in(national_site):
        checked += 1
        if url.startswith("/"):                       # root-relative, or //host
            wrong.append(f"{path.relative_to(national_site)}: {tag} {url}")
    assert checked > 500 and wrong == []


def _built_with_base_url(make_edition, tmp_path) -> Path:
    edition = make_edition({"toolkit.yml": f"""
        name: Testshire Compact toolkit
        base_url: {BASE_URL}/
        accessibility:
          contact_email: compact@testshire.example
          last_tested: 2026-11-01
    """})
    out = tmp_path / "site"
    build(edition, out, use_cache=False)
    return out


def test_only_the_canonical_link_sitemap_and_404_page_use_base_url(make_edition, tmp_path):
    out = _built_with_base_url(make_edition, tmp_path)
    host = urlsplit(BASE_URL).netloc
    absolute = [(path.relative_to(out).as_posix(), tag, url) for path, tag, url in urls_in(out)
                if (url.startswith("/") or urlsplit(url).netloc == host) and path.name != "404.html"]
    pages = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.html") if path.name != "404.html")
    assert sorted(path for path, _, _ in absolute) == pages
    for path, tag, url in absolute:
        assert tag == "<link href>" and url == f"{BASE_URL}/{path}", (path, tag, url)
        assert f'<link rel="canonical" href="{url}">' in (out / path).read_text(encoding="utf-8")
    for path in out.rglob("*"):
        if path.suffix in {".js", ".css"}:
            assert host not in path.read_text(encoding="utf-8"), path


def test_links_always_name_a_file_so_no_directory_listing(national_site):
    """A link to a folder ('', './', 'case-studies/') shows a listing from file:// and on many servers."""
    folders = []
    for path, tag, url in urls_in(national_site):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or (not parts.path and parts.fragment):
            continue
        if not re.search(r"[^/]\.[a-z0-9]+$", parts.path):
            folders.append(f"{path.relative_to(national_site)}: {tag} {url!r}")
    assert folders == []


def test_search_index_urls_are_relative_and_name_files(national_site):
    text = (national_site / "search-index.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("=") + 1:-2])
    urls = [index["kinds"][kind][1].replace("%", key) for _, kind, key in index["entries"]]
    assert len(urls) > 50
    for url in urls:
        assert not url.startswith("/") and not urlsplit(url).scheme, url
        assert (national_site / url.split("#")[0]).is_file(), url


def test_every_url_in_a_nested_page_resolves_from_its_own_folder(national_site):
    """Pages one folder down (case-studies/) reach the assets with ../, so any sub-path works."""
    knowsley = (national_site / "case-studies" / "knowsley.html").read_text(encoding="utf-8")
    assert 'href="../assets/site.css"' in knowsley and 'src="../assets/site.js"' in knowsley
    assert broken_links(national_site) == []


def test_sitemap_lists_every_page_with_base_url(make_edition, tmp_path):
    edition = make_edition({"toolkit.yml": f"""
        name: Testshire Compact toolkit
        base_url: {BASE_URL}
        accessibility:
          contact_email: compact@testshire.example
          last_tested: 2026-11-01
    """})
    out = tmp_path / "site"
    build(edition, out, use_cache=False)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in ET.parse(out / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)]
    pages = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.html") if path.name != "404.html")
    assert sorted(locations) == [f"{BASE_URL}/{page}" for page in pages]
    assert (out / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE_URL}/sitemap.xml\n"


def test_without_base_url_there_is_no_sitemap_and_no_canonical_link(national_site):
    assert not (national_site / "sitemap.xml").exists()
    assert (national_site / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    for path in national_site.rglob("*.html"):
        assert 'rel="canonical"' not in path.read_text(encoding="utf-8"), path


def test_an_intranet_edition_opts_out_of_search_engines(make_edition, tmp_path):
    edition = make_edition({"toolkit.yml": """
        name: Testshire Compact toolkit
        search_engines: false
        accessibility:
          contact_email: compact@testshire.example
          last_tested: 2026-11-01
    """})
    out = tmp_path / "site"
    build(edition, out, use_cache=False)
    assert (out / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    pages = list(out.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        assert '<meta name="robots" content="noindex, nofollow">' in path.read_text(encoding="utf-8"), path


def test_search_engines_are_welcome_by_default(national_site):
    for path in national_site.rglob("*.html"):
        assert 'name="robots"' not in path.read_text(encoding="utf-8"), path


def test_the_404_page_links_from_the_sites_own_path_when_base_url_is_set(make_edition, tmp_path):
    # A server shows 404.html for a missing address in any folder, so links relative to
    # the site's root would break there; with base_url known, they start at its path.
    out = _built_with_base_url(make_edition, tmp_path)
    base_path = urlsplit(BASE_URL).path + "/"
    urls = [(tag, url) for path, tag, url in urls_in(out) if path.name == "404.html"]
    local = [url for tag, url in urls if not url.startswith(("#", "mailto:", "https://"))]
    assert any(url == base_path + "assets/site.css" for url in local)
    assert all(url.startswith(base_path) for url in local), local
    missing = [url for url in local if not (out / unquote(urlsplit(url).path[len(base_path):])).is_file()]
    assert missing == []


def test_without_base_url_the_404_page_links_relatively(national_site):
    html = (national_site / "404.html").read_text(encoding="utf-8")
    assert 'href="assets/site.css"' in html and 'href="/' not in html
