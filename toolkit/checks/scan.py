"""What the link check needs of a page's HTML: its ids and its URL attributes.

Made by the processes that render the pages, while they have them at hand (stages/render.py),
and by the link check (checks/links.py) for any page they did not scan.
"""
from __future__ import annotations

import html as html_lib
import re

# A literal space before the attribute lets the regex engine skip ahead fast (five times
# faster than \s on a large site); an attribute that starts a line is looked for only
# when the page has one.
ID = re.compile(r' id="([^"]+)"')
ID_NEWLINE = re.compile(r'\nid="([^"]+)"')
URL_ATTRIBUTE = re.compile(r' (href|src|action)="([^"]*)"')
URL_ATTRIBUTE_NEWLINE = re.compile(r'\n(href|src|action)="([^"]*)"')


def scan_page(html: str) -> tuple[set[str], set[tuple[str, str]]]:
    """A page's ids, and its (attribute, URL) pairs: all the link check needs of its HTML."""
    return page_ids(html), url_attributes(html)


def page_ids(html: str) -> set[str]:
    found = set(ID.findall(html)) | (set(ID_NEWLINE.findall(html)) if '\nid="' in html else set())
    # An id as a browser reads it, character references decoded, as a link's fragment is
    # (the glossary's letter for '"Best value"' is id="letter-&#34;").
    return {html_lib.unescape(name) for name in found} if any("&" in name for name in found) else found


def url_attributes(html: str) -> set[tuple[str, str]]:
    found = set(URL_ATTRIBUTE.findall(html))
    if '\nhref="' in html or '\nsrc="' in html or '\naction="' in html:
        found |= set(URL_ATTRIBUTE_NEWLINE.findall(html))
    return found
