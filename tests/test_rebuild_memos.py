"""The search index and link check reuse work between the preview server's rebuilds
(search_index.SearchMemo, links.LinkMemo) and must still find exactly what a clean build
finds: the same files, byte for byte, and the same broken links.
"""
from __future__ import annotations

import random
from collections import Counter

import pytest
from support import REPO, write_files

from toolkit.stages import search_index
from toolkit.model.problems import BuildFailed
from toolkit.reuse.memory import BuildMemory
from toolkit.commands.build import build
from toolkit.stages.search_index import _Postings, word_counts, words

PAGE = """\
---
title: {title}
order: {order}
summary: A page about {title}.
---

## Where it starts

Some words about {title}. See [the other page]({link}).
"""


def page(title: str, order: int, link: str) -> str:
    return PAGE.format(title=title, order=order, link=link)


def problems_of(root, memory=None) -> list[tuple]:
    with pytest.raises(BuildFailed) as failure:
        build(root, write=False, use_cache=memory is not None, memory=memory)
    return [(p.path, p.line, p.message, p.hint, p.column) for p in failure.value.problems]


def test_a_broken_fragment_is_found_after_the_target_page_changes(make_edition):
    root = make_edition({
        "content/first.md": page("First", 201, "second.html#where-it-starts"),
        "content/second.md": page("Second", 202, "first.html"),
    })
    memory = BuildMemory(root)
    build(root, write=False, memory=memory)          # every link clean, and remembered as clean
    # Only the target changes: the page with the link is the same, but its link now breaks.
    write_files(root, {"content/second.md": page("Second", 202, "first.html").replace("Where it starts",
                                                                                      "Where it begins")})
    found = problems_of(root, memory)
    assert found == problems_of(root)
    assert any("leads to #where-it-starts, which is not on second.html" in problem[2] for problem in found)
    # Mended, the memory's build is a clean build again.
    write_files(root, {"content/first.md": page("First", 201, "second.html#where-it-begins")})
    assert build(root, write=False, memory=memory).outputs == build(root, write=False, use_cache=False).outputs


def test_a_link_to_a_deleted_page_is_found(make_edition):
    root = make_edition({
        "content/first.md": page("First", 201, "second.html"),
        "content/second.md": page("Second", 202, "first.html"),
    })
    memory = BuildMemory(root)
    build(root, write=False, memory=memory)
    (root / "content/second.md").unlink()
    found = problems_of(root, memory)
    assert found == problems_of(root)
    assert any("the link 'second.html' leads to a page that does not exist" in problem[2] for problem in found)


def test_word_counts_are_the_counts_of_words():
    texts = ["The Café, and THE Compact's “principles” 2012!", "a b c ab_cd A1 x9 the THE The",
             "Plain ASCII text with a-hyphen, under_score and 3 digits 123", "", "Ŵales É é e"]
    for text in texts:
        assert dict(word_counts(text)) == Counter(words(text)), text


def test_postings_updated_entry_by_entry_equal_fresh_postings():
    chance = random.Random(9)
    vocabulary = [f"word{n}" for n in range(40)] + ["café", "the", "a"]

    def text() -> str:
        return " ".join(chance.choice(vocabulary) for _ in range(chance.randrange(0, 30)))

    texts = [text() for _ in range(60)]
    postings = _Postings(texts)
    for _ in range(30):
        texts = list(texts)
        for _ in range(chance.randrange(1, 4)):
            texts[chance.randrange(len(texts))] = text()
        assert postings.updated(texts)
        fresh = _Postings(texts)
        assert (postings.vocabulary, postings.lists()) == (fresh.vocabulary, fresh.lists())
    assert not postings.updated(texts[:-1])          # an entry fewer: numbers move, start afresh


def test_the_word_index_made_in_another_process_is_the_same(monkeypatch):
    monkeypatch.setattr(search_index.SearchFiles, "BACKGROUND_FROM", 10**9)
    here = build(REPO, write=False, use_cache=False).outputs
    monkeypatch.setattr(search_index.SearchFiles, "BACKGROUND_FROM", 0)
    forked = build(REPO, write=False, use_cache=False).outputs
    assert forked[search_index.INDEX_FILE] == here[search_index.INDEX_FILE]
    assert forked == here
