"""The build cache (.toolkit-cache): rebuilding with it gives a clean build's bytes, always.

A rebuild with nothing changed finds the output folder up to date and does no work; any
edit, rename or deletion of a source, any change to the output folder, and any change to
the run's settings means a real build, whose output equals a clean build's byte for byte.
Deleting the cache changes nothing but the time taken.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import run_cli, write_files

from toolkit.model.problems import BuildFailed
from toolkit.commands.build import CACHE_FOLDER, build

PAGE = "---\ntitle: {title}\norder: {order}\n---\n\n## A heading\n\nText of {title}, see [[principle:2.4]].\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def clean_tree(root: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    build(root, out, use_cache=False)
    return tree(out)


@pytest.fixture
def edition(make_edition):
    return make_edition({f"content/local-{n}.md": PAGE.format(title=f"Local {n}", order=100 + n) for n in range(3)})


def test_nothing_changed_means_nothing_done_and_the_same_bytes(edition):
    first = build(edition)
    assert not first.unchanged
    before = tree(first.out)
    again = build(edition)
    assert again.unchanged and again.pages == first.pages and again.files == first.files
    assert tree(again.out) == before


def test_every_kind_of_change_gives_a_clean_builds_bytes(edition, tmp_path):
    build(edition)
    out = edition / "_site"
    changes = [
        ("an edited body", lambda: write_files(edition, {"content/local-1.md": PAGE.format(title="Local 1", order=101)
                                                         .replace("A heading", "Another heading")})),
        ("an edited title", lambda: write_files(edition, {"content/local-2.md": PAGE.format(title="Renamed", order=102)})),
        ("a renamed page", lambda: (edition / "content/local-2.md").rename(edition / "content/moved.md")),
        ("a deleted page", lambda: (edition / "content/local-0.md").unlink()),
        ("a new page", lambda: write_files(edition, {"content/brand-new.md": PAGE.format(title="New", order=150)})),
        ("toolkit.yml", lambda: write_files(edition, {"toolkit.yml": (edition / "toolkit.yml").read_text()
                                                      .replace("Testshire Compact toolkit", "Testshire toolkit")})),
        ("a template of the edition", lambda: write_files(edition, {"themes/default/templates/404.html":
                                                                   "{% extends 'base.html' %}{% block main %}"
                                                                   "<h1>{{ page.title }}!</h1>{% endblock %}"})),
        ("a file deleted from the output folder", lambda: (out / "glossary.html").unlink()),
    ]
    for what, change in changes:
        change()
        result = build(edition)
        assert not result.unchanged, what
        assert tree(out) == clean_tree(edition, tmp_path), what
        assert build(edition).unchanged, what


def test_a_file_added_or_changed_in_the_output_is_never_taken_for_up_to_date_nor_lost(edition, tmp_path):
    build(edition)
    out = edition / "_site"
    (out / "stray.html").write_text("stray")
    result = build(edition)
    assert not result.unchanged and result.kept == ("stray.html",)
    assert tree(out) == {**clean_tree(edition, tmp_path), "stray.html": b"stray"}
    assert build(edition).unchanged
    (out / "index.html").write_text("changed by hand")
    with pytest.raises(BuildFailed) as failed:
        build(edition)
    assert [(p.path, p.message) for p in failed.value.problems] == [(
        (out / "index.html").as_posix(), "the site would write a file here, but this one was not written by "
        "Compact Toolkit (or was changed since), so it is never replaced")]
    assert (out / "index.html").read_text() == "changed by hand"


def test_deleting_the_cache_changes_nothing_but_time(edition, tmp_path):
    build(edition)
    cached = tree(edition / "_site")
    shutil.rmtree(edition / CACHE_FOLDER)
    result = build(edition)
    assert not result.unchanged and result.markdown_rendered > 0
    assert tree(edition / "_site") == cached == clean_tree(edition, tmp_path)


def test_a_different_output_folder_or_setting_is_a_different_build(edition, tmp_path):
    build(edition)
    elsewhere = build(edition, tmp_path / "elsewhere")
    assert not elsewhere.unchanged
    assert not build(edition, strict=True).unchanged
    assert build(edition, strict=True).unchanged
    assert tree(tmp_path / "elsewhere") == tree(edition / "_site")


def test_a_failed_build_is_not_remembered_as_up_to_date(edition):
    build(edition)
    good = (edition / "content/local-1.md").read_text()
    write_files(edition, {"content/local-1.md": "---\ntitle: [broken\n---\n"})
    with pytest.raises(BuildFailed) as failed:
        build(edition)
    assert [(p.path, p.message) for p in failed.value.problems] == [
        ("content/local-1.md", "a list is opened here with [ but never closed")]
    write_files(edition, {"content/local-1.md": good})
    assert build(edition).unchanged          # the output is still what these inputs make


def test_the_command_line_says_when_nothing_changed(edition):
    first = run_cli("build", str(edition))
    assert first.returncode == 0, first.stderr
    second = run_cli("build", str(edition))
    assert second.returncode == 0, second.stderr
    assert first.stdout.startswith("Built ") and ": nothing had changed" not in first.stdout
    assert second.stdout.startswith("Checked ") and ": nothing had changed. Open " in second.stdout


def test_a_library_upgrade_is_a_different_build(edition, monkeypatch):
    from toolkit.reuse import fingerprint
    assert any(name.lower().startswith("jinja2-") for name in fingerprint._installed_packages())
    build(edition)
    assert build(edition).unchanged
    upgraded = [name.replace("markdown_it_py-", "markdown_it_py-99.") for name in fingerprint._installed_packages()]
    assert upgraded != fingerprint._installed_packages()
    monkeypatch.setattr(fingerprint, "_installed_packages", lambda: upgraded)
    assert not build(edition).unchanged
