"""The build cache (.toolkit-cache) travels with an edition folder, so it may be someone else's.

Nothing in it runs (no pickle: a planted one is never loaded), nothing in it changes the
site (a cache edited, cut short or made with another user's key is not read, and the
output is byte for byte a clean build's), and a cache that cannot be written costs a
warning and time, never the build nor a wrong "nothing had changed".
"""
from __future__ import annotations

import errno
import json
import os
import pickle
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import REPO, write_files

from toolkit.reuse.cache_files import KEY_FILE, key_folder, read_sealed, write_sealed
from toolkit.cli import main
from toolkit.model.markdown import Heading, Link, Reference, RenderedMarkdown
from toolkit.stages.markdown import make_parser, render_markdown
from toolkit.reuse.markdown_cache import CACHE_FILE
from toolkit.commands.build import CACHE_FOLDER, build
from toolkit.reuse.plain import plain_reader, to_plain

PAGE = "---\ntitle: {title}\norder: {order}\n---\n\n## A heading\n\nText of {title}, see [[principle:2.4]].\n"
NOT_SAVED = ("could not save the build cache (Permission denied); nothing else is affected, "
             "but the next build will do all its work again")


@pytest.fixture(autouse=True)
def user_cache(tmp_path, monkeypatch) -> Path:
    """This user's cache folder (where the key is kept), away from the real one."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setenv("LOCALAPPDATA", str(folder))
    return folder


@pytest.fixture
def edition(make_edition):
    return make_edition({f"content/local-{n}.md": PAGE.format(title=f"Local {n}", order=100 + n) for n in range(3)})


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def clean_tree(edition: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    build(edition, out, use_cache=False)
    return tree(out)


def rebuild(edition: Path):
    """A real build (the output folder removed), so the Markdown cache is what it starts from."""
    shutil.rmtree(edition / "_site")
    return build(edition)


class RunsCommand:
    """Unpickling this runs a shell command, as a planted cache file could."""

    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


def test_the_cache_is_used_when_it_is_this_users(edition):
    first = build(edition)
    assert first.markdown_rendered > 0
    assert rebuild(edition).markdown_rendered == 0          # the control for the tests below


def test_a_planted_pickle_runs_nothing_and_changes_nothing(edition, tmp_path):
    marker = tmp_path / "ran"
    payload = pickle.dumps({b"key": RunsCommand(f"echo ran > '{marker}'")})
    probe = tmp_path / "probe"
    pickle.loads(pickle.dumps(RunsCommand(f"echo ran > '{probe}'")))
    assert probe.exists()                                    # the payload does run when unpickled
    write_files(edition, {f"{CACHE_FOLDER}/markdown.pickle": payload})
    result = build(edition)
    assert not marker.exists()
    assert tree(result.out) == clean_tree(edition, tmp_path)
    assert not (edition / CACHE_FOLDER / "markdown.pickle").exists()     # removed when the cache is written


def test_an_edited_string_in_the_cache_changes_nothing(edition, tmp_path):
    build(edition)
    cache = edition / CACHE_FOLDER
    edited = 0
    for path in cache.iterdir():
        data = path.read_bytes()
        if b"Text of Local 1" in data:
            path.write_bytes(data.replace(b"Text of Local 1", b"Text of Pwned 1"))
            edited += 1
    assert edited == 1
    result = rebuild(edition)
    assert result.markdown_rendered > 0                      # the edited file was not read
    site = tree(result.out)
    assert not [path for path, data in site.items() if b"Pwned" in data]
    assert site == clean_tree(edition, tmp_path)
    assert rebuild(edition).markdown_rendered == 0           # and was written again, with this user's key


def test_a_cache_made_with_another_users_key_is_not_read(edition, tmp_path, monkeypatch):
    build(edition)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "someone-else"))
    again = build(edition)
    assert not again.unchanged                               # their record of the output is not believed
    assert again.markdown_rendered > 0                       # nor their Markdown
    assert tree(again.out) == clean_tree(edition, tmp_path)
    assert build(edition).unchanged


@pytest.mark.parametrize("damage", ["cut short", "garbage", "empty"])
def test_a_damaged_cache_is_not_read(edition, tmp_path, damage):
    build(edition)
    for path in (edition / CACHE_FOLDER).iterdir():
        data = path.read_bytes()
        path.write_bytes({"cut short": data[:len(data) // 2], "garbage": os.urandom(len(data)), "empty": b""}[damage])
    result = build(edition)
    assert not result.unchanged and result.markdown_rendered > 0
    assert tree(result.out) == clean_tree(edition, tmp_path)
    assert build(edition).unchanged


def test_a_cache_of_this_users_with_another_shape_is_not_used(edition, tmp_path):
    """Signed, but not what this code writes (say, another version's): not used, and no traceback."""
    build(edition)
    cache = edition / CACHE_FOLDER
    [manifest] = cache.glob("site-*.json")
    record = json.loads(read_sealed(manifest, "site"))
    write_sealed(manifest, "site", json.dumps({**record, "report": []}).encode())
    assert not build(edition).unchanged

    body = read_sealed(cache / CACHE_FILE, "markdown")
    header, first, *rest = body.split(b"\n")
    key, _, fields = first.partition(b" ")
    changed = json.loads(fields)
    changed[3] = [[url, line, int(image)] for url, line, image in changed[3]] or [["x.html", 1, 0]]   # bools as numbers
    write_sealed(cache / CACHE_FILE, "markdown", b"\n".join([header, key + b" " + json.dumps(changed).encode(), *rest]))
    result = rebuild(edition)
    assert result.markdown_rendered > 0
    assert tree(result.out) == clean_tree(edition, tmp_path)
    write_sealed(cache / CACHE_FILE, "markdown", b"compact-toolkit markdown 0.0.1 0123\n" + b"\n".join([first, *rest]))
    assert rebuild(edition).markdown_rendered > 0


@contextmanager
def read_only(folder: Path, monkeypatch):
    """The folder made read-only: by its permissions, and (as root ignores those) by refusing,
    as the system then would, to make, remove or rename a file in it."""
    def inside(path) -> bool:
        return Path(os.fsdecode(path)).parent.resolve() == folder.resolve()

    def refuse(function, writes=lambda *args: True):
        def guarded(path, *args, **kwargs):
            if inside(path) and writes(*args):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
            return function(path, *args, **kwargs)
        return guarded

    folder.chmod(0o555)
    with monkeypatch.context() as patch:
        patch.setattr(os, "open", refuse(os.open, lambda flags, *rest: flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR)))
        patch.setattr(os, "unlink", refuse(os.unlink))
        patch.setattr(os, "replace", refuse(os.replace))
        patch.setattr(os, "link", refuse(os.link))
        try:
            yield
        finally:
            folder.chmod(0o755)


def test_a_read_only_cache_folder_gives_the_site_and_one_warning(edition, tmp_path, monkeypatch, capsys):
    assert main(["build", str(edition)]) == 0
    capsys.readouterr()
    with read_only(edition / CACHE_FOLDER, monkeypatch):
        write_files(edition, {"content/local-1.md": PAGE.format(title="Edited", order=101)})
        assert main(["build", str(edition)]) == 0
        written = capsys.readouterr()
        assert written.err == f".toolkit-cache/{CACHE_FILE}: warning: {NOT_SAVED}\n\n1 warning found.\n"
        assert written.out.startswith("Built ")
        assert tree(edition / "_site") == clean_tree(edition, tmp_path)

        assert main(["build", str(edition)]) == 0            # not taken for "nothing had changed"
        again = capsys.readouterr()
        assert again.out.startswith("Built ") and "nothing had changed" not in again.out
        assert again.err == written.err
    assert main(["build", str(edition)]) == 0                # writable again: saved, and no warning kept
    saved = capsys.readouterr()
    assert saved.out.startswith("Built ") and saved.err == ""
    assert main(["build", str(edition)]) == 0
    unchanged = capsys.readouterr()
    assert ": nothing had changed. Open " in unchanged.out and unchanged.err == ""


def test_a_manifest_that_cannot_be_saved_means_a_real_build_next(edition, monkeypatch):
    """The Markdown cache saved, the record of the output not: the next build does the work."""
    build(edition)
    write_files(edition, {"content/local-1.md": PAGE.format(title="Edited", order=101)})
    from toolkit.reuse import fingerprint

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(edition / CACHE_FOLDER / "site-0.json"))
    with monkeypatch.context() as patch:
        patch.setattr(fingerprint, "write_sealed", full_disk)
        result = build(edition)
    assert [w.format() for w in result.warnings] == [
        ".toolkit-cache/site-0.json: warning: could not save the build cache (No space left on device); "
        "nothing else is affected, but the next build will do all its work again"]
    assert not build(edition).unchanged
    assert build(edition).unchanged


def test_without_a_key_there_is_no_cache_and_the_build_says_why(edition, tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setenv("LOCALAPPDATA", str(blocked))
    first = build(edition)
    key = (blocked / "compact-toolkit" / KEY_FILE).as_posix()
    assert [w.format() for w in first.warnings] == [
        f"{key}: warning: could not save the build cache (Not a directory); nothing else is affected, "
        "but the next build will do all its work again"]
    assert not (edition / CACHE_FOLDER).exists()
    second = build(edition)
    assert not second.unchanged and second.markdown_rendered == first.markdown_rendered > 0
    assert tree(second.out) == clean_tree(edition, tmp_path)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_the_key_is_kept_outside_the_edition_and_private(edition, user_cache):
    build(edition)
    folder = key_folder()
    assert folder == user_cache / "compact-toolkit"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / KEY_FILE).stat().st_mode) == 0o600
    assert len((folder / KEY_FILE).read_bytes()) == 32
    assert [path.name for path in (edition / CACHE_FOLDER).iterdir() if path.name.startswith(".")] == []


def test_leftovers_of_an_interrupted_write_are_removed_by_the_next_build(edition):
    build(edition)
    cache = edition / CACHE_FOLDER
    for manifest in cache.glob("site-*.json"):       # a build stopped while saving has no record of its output
        manifest.unlink()
    leftovers = [".markdown-k2j3h4", ".site-abc123", ".site-5f2c5d-x9", "markdown.pickle"]
    write_files(cache, {name: b"half written" for name in leftovers})
    (cache / "notes.txt").write_text("not ours to remove")
    assert not build(edition).unchanged
    assert sorted(path.name for path in cache.iterdir()) == sorted(
        [CACHE_FILE, "notes.txt", *(path.name for path in cache.glob("site-*.json"))])
    assert len(list(cache.glob("site-*.json"))) == 1


def national_results() -> list[RenderedMarkdown]:
    parser = make_parser(False)
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "content").rglob("*.md"))]
    texts.append("# Ünïcödé \u2013 [[param:2.4.consultation_weeks]]\n\n[link](page.html) ![i](a.png)\n\n"
                 "[bad](javascript:alert(1))\n\n## Two\n\n### Three\n")
    return [render_markdown(parser, text, 1) for text in texts]


def test_rendered_markdown_comes_back_from_plain_data_exactly():
    read = plain_reader(RenderedMarkdown)
    results = national_results()
    assert any(r.headings and r.references and r.links for r in results)
    assert any(r.refused for r in results) and any(r.level_one for r in results)
    for result in results:
        back = read(json.loads(json.dumps(to_plain(result))))
        assert back == result
        assert to_plain(back) == to_plain(result)
        assert all(type(link.is_image) is bool for link in back.links)
        assert all(type(part) is tuple for part in (back.headings, back.references, back.links, back.refused))


@pytest.mark.parametrize("plain", [
    ["<p>x</p>", [], [], [["a.html", 1, 0]], [], [], "x"],          # a number for a bool
    ["<p>x</p>", [], [], [], [], [], "x", "extra"],                    # a field too many
    ["<p>x</p>", [[2, "id"]], [], [], [], [], "x"],                    # a heading short of its text
    ["<p>x</p>", [], [], [], [], ["1"], "x"],                          # a line number as text
    {"html": "<p>x</p>"},
])
def test_plain_data_of_another_shape_is_refused(plain):
    with pytest.raises(ValueError):
        plain_reader(RenderedMarkdown)(plain)


def test_plain_data_round_trip_of_small_dataclasses():
    for value in (Heading(2, "a-b", "A b"), Reference("param", "2.4.weeks", 7), Link("x.html#y", 3, True)):
        assert plain_reader(type(value))(json.loads(json.dumps(to_plain(value)))) == value
