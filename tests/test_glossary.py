"""Glossary terms are linked where they first appear on each page, and never inside
headings, links or code, and never as a link inside a link. Checked on crafted pages."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from support import write_files
from toolkit.commands.build import build

EDITION = """
name: Testshire Compact toolkit
area: Testshire
publisher: Testshire CVS
accessibility:
  contact_email: compact@testshire.example
  last_tested: 2026-11-01
"""

GLOSSARY = """
- term: Compact
  id: compact
  definition: The agreement between government and the voluntary sector.
- term: SME
  id: sme
  expansion: Small or medium-sized enterprise
  definition: A business with fewer than 250 staff.
  aliases: [SMEs]
- term: sector
  id: sector
  definition: Voluntary and community organisations, taken together.
- term: social value
  id: social-value
  definition: The wider good a contract does for an area.
"""

PAGE = """
---
title: Testing terms
order: 50
---

## Social value and the Compact

The [Compact website](https://example.org/compact) explains social value.
Use `Compact` in code, and:

    Compact in a code block

Read about [[principle:2.3]] first. Many SMEs bid, though an sme in lower case is not the term.
The Compact matters. The Compact matters again, and so does the sector.

### About SME rules

> A quote about the Compact.
"""


class Links(HTMLParser):
    """Each link with what it sits inside, and the text inside each heading, link and code element."""

    def __init__(self, html: str):
        super().__init__()
        self.open: list[str] = []
        self.links: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append({"href": dict(attrs).get("href", ""), "inside": list(self.open), "text": ""})
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]

    def handle_data(self, data):
        for link in self.links:
            if "a" in self.open and link is self.links[-1]:
                link["text"] += data


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    root = tmp_path_factory.mktemp("glossary") / "edition"
    write_files(root, {"toolkit.yml": EDITION, "data/glossary.yml": GLOSSARY, "content/testing-terms.md": PAGE,
                       "case_studies/testshire-terms.yml": """
        title: "Testshire: a study that names the Compact twice"
        area: Testshire
        summary: A short study for testing how terms are linked.
        themes: [partnership]
        sections: [testing-terms]
        who: The Compact group in Testshire.
        what_they_did: They rewrote the Compact with SMEs.
        what_it_led_to: The Compact now names the sector.
    """})
    build(root, root / "_site", use_cache=False)
    return root / "_site"


def body(site, path: str) -> str:
    html = (site / path).read_text(encoding="utf-8")
    return html[html.index("<main"):html.index("</main>")]


def term_links(html: str) -> list[dict]:
    return [link for link in Links(html).links if "glossary.html#term-" in link["href"]]


def test_first_plain_use_of_each_term_is_linked_once(crafted):
    html = body(crafted, "testing-terms.html")
    links = term_links(html)
    assert sorted(link["href"] for link in links) == [
        "glossary.html#term-compact", "glossary.html#term-sector", "glossary.html#term-sme",
        "glossary.html#term-social-value"]
    assert 'explains <a class="term" href="glossary.html#term-social-value">social value</a>.' in html
    assert ('<a class="term" href="glossary.html#term-sme"><abbr title="Small or medium-sized enterprise">'
            'SMEs</abbr></a> bid, though an sme in lower case') in html
    assert 'The <a class="term" href="glossary.html#term-compact">Compact</a> matters. The Compact matters again' in html


def test_terms_are_never_marked_inside_headings_links_or_code(crafted):
    html = body(crafted, "testing-terms.html")
    for link in term_links(html):
        assert not {"h1", "h2", "h3", "h4", "a", "code", "pre"} & set(link["inside"]), link
    assert "<h2" in html and 'Social value and the Compact</h2>' in html
    assert ">About SME rules</h3>" in html
    assert "<code>Compact</code>" in html and "Compact in a code block\n</code></pre>" in html
    assert '<a href="https://example.org/compact" class="external">Compact website</a>' in html


def test_no_link_is_ever_inside_another_link(crafted):
    for page in crafted.rglob("*.html"):
        for link in Links(page.read_text(encoding="utf-8")).links:
            assert "a" not in link["inside"], (page.name, link)


def test_a_term_inside_a_principle_reference_is_left_alone(crafted):
    html = body(crafted, "testing-terms.html")
    reference = next(l for l in Links(html).links if "principles.html#principle-2-3" in l["href"])
    assert "sector" in reference["text"]                          # "Involve the sector early ..."
    assert 'so does the <a class="term" href="glossary.html#term-sector">sector</a>.' in html


def test_a_term_is_linked_once_per_page_across_every_text_on_it(crafted):
    """The case study names the Compact in three fields; the page links it once, in the first."""
    html = body(crafted, "case-studies/testshire-terms.html")
    compact = [l for l in term_links(html) if l["href"].endswith("#term-compact")]
    assert len(compact) == 1
    assert 'The <a class="term" href="../glossary.html#term-compact">Compact</a> group in Testshire.' in html


def test_each_linked_term_has_its_entry_on_the_glossary_page(crafted):
    glossary = (crafted / "glossary.html").read_text(encoding="utf-8")
    for page in crafted.rglob("*.html"):
        for link in term_links(page.read_text(encoding="utf-8")):
            assert f'id="{link["href"].split("#")[1]}"' in glossary
    assert '<dfn><abbr title="Small or medium-sized enterprise">SME</abbr></dfn>' in glossary
