"""The search index (issue 5): every page, case study, principle, action, glossary term and
reading entry; small enough to load at once, with the texts for snippets in separate files.

What the browser does with it (ranking, prefix matching, snippets, the live region) is
tested in tests/browser/test_search.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from support import REPO
from toolkit.commands.build import build
from toolkit.stages.search_index import BITMAP_DIGITS, STOP_WORDS, fold, words


def load_index(site: Path) -> dict:
    text = (site / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.COMPACT_SEARCH_INDEX=") and text.endswith(";\n")
    return json.loads(text[len("window.COMPACT_SEARCH_INDEX="):-2])


def expanded(index: dict) -> list[list[str]]:
    """[title, kind, url] of each entry, as search.js reads them."""
    return [[title, index["kinds"][kind][0], index["kinds"][kind][1].replace("%", key)]
            for title, kind, key in index["entries"]]


def load_texts(site: Path, index: dict) -> list[str]:
    """Every entry's text, from the search/text-*.js files, in entry order."""
    texts: list[str] = []
    for first, name in index["shards"]:
        assert first == len(texts)
        script = (site / name).read_text(encoding="utf-8")
        match = re.fullmatch(r'window\.COMPACT_SEARCH_TEXT&&window\.COMPACT_SEARCH_TEXT\((".*?"),(\[.*\])\);\n',
                             script, re.S)
        assert json.loads(match.group(1)) == name
        texts += json.loads(match.group(2))
    return texts


def entries_with(index: dict, word: str) -> list[str]:
    """Titles of the entries the inverted index lists under `word`."""
    postings = index["postings"][index["words"].index(word)]
    titles = [title for title, _, _ in expanded(index)]
    if postings.startswith("~"):              # dense: two bits an entry, three entries a character
        levels = [(BITMAP_DIGITS.index(c) >> shift) & 3 for c in postings[1:] for shift in (0, 2, 4)]
        return [title for title, level in zip(titles, levels) if level]
    found, at = [], 0
    for part in postings.split(","):
        at += int(part.split(":")[0], 36)
        found.append(titles[at])
    return found


def test_every_kind_of_content_is_in_the_index(national_site):
    index = load_index(national_site)
    kinds = [kind for _, kind, _ in expanded(index)]
    content = build(REPO, write=False, use_cache=False).site.content
    assert kinds.count("section") == len(content.pages) == 12
    assert kinds.count("case_study") == len(content.case_studies) == 3
    assert kinds.count("principle") == len(content.principles)
    assert kinds.count("action") == len(content.actions)
    assert kinds.count("glossary") == len(content.glossary)
    assert kinds.count("reading") == len(content.reading)
    assert kinds.count("page") == 2                    # the home page and the accessibility statement
    assert ["Knowsley: building a social value strategy in partnership", "case_study",
            "case-studies/knowsley.html"] in expanded(index)
    assert ["Principle 2.4: Consult early and allow enough time", "principle",
            "principles.html#principle-2-4"] in expanded(index)


def test_every_result_leads_to_a_page_and_anchor_that_exist(national_site):
    for title, _, url in expanded(load_index(national_site)):
        path, _, anchor = url.partition("#")
        html = (national_site / path).read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, f"{title}: {url}"


def test_a_word_from_a_case_study_body_finds_the_case_study(national_site):
    index = load_index(national_site)
    # "Chamber of Commerce Housing Trust" is said only in the Knowsley case study.
    assert entries_with(index, "chamber") == ["Knowsley: building a social value strategy in partnership"]
    texts = load_texts(national_site, index)
    knowsley = [t for t, (_, kind, url) in zip(texts, expanded(index)) if url == "case-studies/knowsley.html"][0]
    assert "Chamber of Commerce Housing Trust" in knowsley
    assert "scrutiny committees" in knowsley


def test_texts_read_as_on_the_page_with_this_editions_values(make_edition, tmp_path):
    edition = make_edition({
        "toolkit.yml": """
            name: Testshire Compact toolkit
            accessibility:
              contact_email: compact@testshire.example
              last_tested: 2026-11-01
            principles:
              "2.4":
                params:
                  consultation_weeks: 8
            hide:
              - content/requirements-on-local-authorities.md
        """,
        "case_studies/testshire-lunch-club.yml": """
            title: "Testshire: a lunch club commissioned for outcomes"
            area: Testshire
            summary: A lunch club for older people, commissioned with the people who use it.
            themes: [outcomes]
            who: Testshire Borough Council and the Wheatsheaf lunch club.
            what_they_did: They wrote the specification together with the club's members.
            what_it_led_to: Fewer emergency admissions among members over two winters.
        """,
    })
    out = tmp_path / "site"
    build(edition, out, use_cache=False)
    index = load_index(out)
    texts = dict(zip((url for _, _, url in expanded(index)), load_texts(out, index)))
    assert "consultations should last 8 weeks" in texts["a-voice-for-communities.html"]
    assert "[[" not in " ".join(texts.values()) and not re.search("[\x01-\x03\ue000-\ue002]", " ".join(texts.values()))
    assert "requirements-on-local-authorities.html" not in texts
    assert entries_with(index, "wheatsheaf") == ["Testshire: a lunch club commissioned for outcomes"]


def test_common_words_are_left_out_and_words_are_folded():
    assert words("The Café, and THE Compact's “principles” 2012!") == ["cafe", "compact", "principles", "2012"]
    assert fold("Ŵales É") == "wales e" and len(fold("Ŵales É")) == len("Ŵales É")
    assert {"the", "and", "of"} <= STOP_WORDS


def test_the_index_is_small_and_the_texts_are_split_and_named_by_content(national_site):
    index_bytes = (national_site / "search-index.js").stat().st_size
    text_files = sorted((national_site / "search").glob("text-*.js"))
    text_bytes = sum(path.stat().st_size for path in text_files)
    assert index_bytes < 40_000, index_bytes              # measured 32 KB; the texts are another 64 KB
    assert len(text_files) >= 2 and all(path.stat().st_size < 60_000 for path in text_files)
    assert text_bytes > index_bytes
    names = [name for _, name in load_index(national_site)["shards"]]
    assert sorted(names) == [f"search/{path.name}" for path in text_files]


def test_the_same_content_gives_the_same_index(national_site, tmp_path):
    build(REPO, tmp_path / "again", use_cache=False)
    for path in [national_site / "search-index.js", *sorted((national_site / "search").iterdir())]:
        assert (tmp_path / "again" / path.relative_to(national_site)).read_bytes() == path.read_bytes(), path


def test_search_page_without_javascript_offers_the_site_map(national_site):
    html = (national_site / "search.html").read_text(encoding="utf-8")
    assert '<div class="search" data-search hidden>' in html
    assert "Searching needs JavaScript. Every page of the guide is listed below." in html
    site_map = html[html.index('<h2 id="site-map">'):]
    for page in ["index.html", "case-studies/knowsley.html", "consultation.html", "principles.html", "actions.html",
                 "actions-vcs.html", "glossary.html", "further-reading.html", "guide.html", "accessibility.html"]:
        assert f'href="{page}"' in site_map, page
    assert '<script src="search-index.js" defer></script>' in html


def test_every_word_lists_exactly_the_entries_it_is_in(national_site):
    """Both ways of writing a word's entries (sparse and dense) decode to the truth."""
    index = load_index(national_site)
    entries = expanded(index)
    texts = load_texts(national_site, index)
    in_entry = [set(words(f"{title} {text}")) for (title, _, _), text in zip(entries, texts)]
    dense = [word for word, postings in zip(index["words"], index["postings"]) if postings.startswith("~")]
    assert len(dense) > 10 and "value" in dense and "chamber" not in dense
    assert index["words"] == sorted(set().union(*in_entry))
    for word in index["words"]:
        assert entries_with(index, word) == [title for (title, _, _), found in zip(entries, in_entry)
                                             if word in found], word
