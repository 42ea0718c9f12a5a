"""The output folder: a build removes and replaces only what it wrote itself, and proves it.

Each case is one the red team found (issue 13): a site copied in among other files, an
edition made inside an output folder, a web team's own files inside _site/, an output
folder that is a symbolic link or a mount point, a run killed half way.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import run_cli, write_files

from toolkit.stages import write as write_module
from toolkit.model.problems import BuildFailed
from toolkit.commands.build import build
from toolkit.stages.write import MANIFEST

SETTINGS = """\
name: Testshire Compact toolkit
accessibility:
  contact_email: compact@testshire.example
  last_tested: 2026-11-01
"""
PAGE = "---\ntitle: {title}\norder: 50\n---\n\nWords of {title}.\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}


@pytest.fixture
def edition(tmp_path):
    return write_files(tmp_path / "ed", {"toolkit.yml": SETTINGS, "content/local.md": PAGE.format(title="Local")})


def test_a_site_copied_among_other_files_and_rebuilt_there_keeps_every_other_file(edition, tmp_path):
    assert run_cli("build", str(edition), "--no-cache").returncode == 0
    share = write_files(tmp_path / "share", {"finance/budget.xlsx": "budget", "notes.txt": "minutes"})
    shutil.copytree(edition / "_site", share, dirs_exist_ok=True)        # "copy everything inside _site"
    done = run_cli("build", str(edition), "--out", str(share))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (f"Kept 2 files in {share} that Compact Toolkit did not write: "
                                           "finance/budget.xlsx, notes.txt.")
    assert (share / "finance/budget.xlsx").read_text() == "budget" and (share / "notes.txt").read_text() == "minutes"
    clean = tmp_path / "clean"
    build(edition, clean, use_cache=False)
    assert tree(share) == {**tree(clean), "finance/budget.xlsx": b"budget", "notes.txt": b"minutes"}


def test_a_web_teams_files_inside_the_site_survive_every_build(edition):
    build(edition)
    site = edition / "_site"
    write_files(site, {".htaccess": "ErrorDocument 404 /404.html", "downloads/plan.pdf": b"%PDF-1.4"})
    (edition / "content/local.md").write_text(PAGE.format(title="Changed"))
    assert build(edition).kept == (".htaccess", "downloads/plan.pdf")
    assert build(edition).unchanged                            # nothing changed: still there
    (edition / "content/local.md").unlink()                  # a page removed: its file goes, theirs stay
    result = build(edition)
    assert result.kept == (".htaccess", "downloads/plan.pdf") and not (site / "local.html").exists()
    assert (site / ".htaccess").read_text() == "ErrorDocument 404 /404.html"
    assert (site / "downloads/plan.pdf").read_bytes() == b"%PDF-1.4"
    assert not [p for p in site.iterdir() if p.name.startswith(".compact-toolkit-new")]


def test_a_new_edition_inside_a_built_site_is_refused_by_new_and_by_build(tmp_path):
    root = write_files(tmp_path / "national", {"toolkit.yml": SETTINGS})
    build(root)
    done = run_cli("new", str(root / "_site/northbridge"), "--name", "Northbridge")
    assert done.returncode == 1
    assert done.stderr.splitlines()[:2] == [
        f"{root / '_site/northbridge'}: error: this folder is inside {root / '_site'}, a built site, which "
        "builds replace",
        "  hint: make the edition in a folder of its own, outside any built site"]
    write_files(root / "_site/northbridge", {"toolkit.yml": "name: Northbridge\n", "content/mine.md": "# Mine\n"})
    before = tree(root / "_site")
    with pytest.raises(BuildFailed) as failed:
        build(root, use_cache=False)
    assert [(p.path, p.message, p.hint) for p in failed.value.problems] == [(
        (root / "_site/northbridge/toolkit.yml").as_posix(),
        "this edition is inside the output folder, which a build replaces",
        "move the edition out of the output folder, or build to another folder with --out")]
    assert tree(root / "_site") == before


@pytest.mark.parametrize("out", [".", "content", "..", "static/x"])
def test_an_output_folder_that_holds_or_lies_in_the_sources_is_refused(edition, out):
    (edition / "static").mkdir()
    before = tree(edition)
    done = run_cli("build", ".", "--out", out, cwd=edition)
    assert done.returncode == 1
    assert done.stderr.splitlines()[:2] == [
        f"{out}: error: the output folder would hold or replace the edition's own files in .",
        "  hint: build to a folder of its own, such as the default _site, with --out"]
    assert tree(edition) == before


def test_a_folder_of_other_files_without_a_manifest_is_refused_and_a_file_is_never_replaced(edition, tmp_path):
    documents = write_files(tmp_path / "documents", {"report.docx": "mine"})
    with pytest.raises(BuildFailed) as failed:
        build(edition, documents, use_cache=False)
    assert failed.value.problems[0].message == "the output folder already exists and was not made by Compact Toolkit"
    a_file = write_files(tmp_path, {"plain.txt": "text"}) / "plain.txt"
    with pytest.raises(BuildFailed) as failed:
        build(edition, a_file, use_cache=False)
    assert failed.value.problems[0].message == "the output folder is a file"
    assert tree(documents) == {"report.docx": b"mine"} and a_file.read_text() == "text"


def test_a_copied_manifest_vouches_only_for_the_sites_own_bytes(edition, tmp_path):
    """A file at a site path whose bytes the manifest does not name is someone's: never replaced."""
    build(edition)
    share = tmp_path / "share"
    shutil.copytree(edition / "_site", share)
    (share / "index.html").write_text("our intranet's own home page")
    with pytest.raises(BuildFailed) as failed:
        build(edition, share, use_cache=False)
    assert [p.path for p in failed.value.problems] == [(share / "index.html").as_posix()]
    assert (share / "index.html").read_text() == "our intranet's own home page"


def test_a_symbolic_link_output_is_updated_through_the_link(edition, tmp_path):
    real = tmp_path / "webroot"
    real.mkdir()
    link = tmp_path / "published"
    link.symlink_to(real, target_is_directory=True)
    for title in ("First", "Second"):
        (edition / "content/local.md").write_text(PAGE.format(title=title))
        build(edition, link, use_cache=False)
        assert link.is_symlink() and os.readlink(link) == str(real)
        assert f"Words of {title}." in (real / "local.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ed", "published", "webroot"]    # nothing left beside


def test_a_mount_point_output_is_updated_in_place(edition, tmp_path):
    mount = tmp_path / "volume"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "none", str(mount)], capture_output=True).returncode != 0:
        pytest.skip("this machine does not let the tests mount a tmpfs")
    try:
        for title in ("First", "Second"):
            (edition / "content/local.md").write_text(PAGE.format(title=title))
            build(edition, mount, use_cache=False)           # a swap would fail here with EBUSY
            assert f"Words of {title}." in (mount / "local.html").read_text()
        clean = tmp_path / "clean"
        build(edition, clean, use_cache=False)
        assert tree(mount) == tree(clean)
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_run_killed_while_moving_files_in_place_leaves_a_folder_the_next_run_owns(edition, tmp_path, monkeypatch):
    build(edition)
    site = edition / "_site"
    write_files(site, {".htaccess": "kept"})                  # so the site is updated in place
    (edition / "content/local.md").write_text(PAGE.format(title="Changed"))
    real_replace, moved = os.replace, []

    def replace(source, target):                              # killed after three files
        if ".compact-toolkit-new-" in str(source) and len(moved) == 3:
            raise KeyboardInterrupt
        moved.append(target)
        return real_replace(source, target)
    monkeypatch.setattr(write_module.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        build(edition, use_cache=False)
    monkeypatch.undo()
    result = build(edition, use_cache=False)
    assert result.kept == (".htaccess",)
    clean = tmp_path / "clean"
    build(edition, clean, use_cache=False)
    assert tree(site) == {**tree(clean), ".htaccess": b"kept"}


def test_staging_folders_left_by_a_killed_run_are_removed_and_nothing_else(edition, tmp_path):
    build(edition)
    leftover = write_files(edition / "._site.new-abc123", {".compact-toolkit-staging": "", "index.html": "half"})
    retired = write_files(edition / "._site.old-def456", {MANIFEST: "{}", "index.html": "old"})
    lookalike = write_files(edition / "._site.new-mine", {"notes.txt": "not the toolkit's"})
    (edition / "content/local.md").write_text(PAGE.format(title="Changed"))
    build(edition)
    assert not leftover.exists() and not retired.exists()
    assert (lookalike / "notes.txt").read_text() == "not the toolkit's"


def test_a_site_marked_by_an_older_toolkit_keeps_what_the_new_site_does_not_write(edition, tmp_path):
    build(edition)
    site = edition / "_site"
    (site / MANIFEST).write_bytes(b"")                        # the mark before manifests: an empty file
    write_files(site, {"finance/budget.xlsx": "budget"})
    (edition / "content/local.md").write_text(PAGE.format(title="Changed"))
    # Without a manifest nothing can be proved: the last search text (named by its hash) is kept too.
    kept = build(edition).kept
    assert "finance/budget.xlsx" in kept and all(rel.startswith(("finance/", "search/")) for rel in kept)
    assert "Words of Changed." in (site / "local.html").read_text()
    (edition / "content/local.md").write_text(PAGE.format(title="Changed again"))
    assert build(edition).kept == kept                        # from now on the manifest says what is whose


@pytest.fixture
def tmpfs(tmp_path):
    """mount(options) -> a fresh tmpfs folder; skipped where the tests may not mount one."""
    mounted = []

    def mount(options: str) -> Path:
        folder = tmp_path / f"tmpfs{len(mounted)}"
        folder.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "none", str(folder)],
                          capture_output=True).returncode != 0:
            pytest.skip("this machine does not let the tests mount a tmpfs")
        mounted.append(folder)
        return folder
    yield mount
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("options, reason, hint", [
    ("size=200k", "No space left on device", "the disk is full: free some space, or build to another disk with --out"),
    ("ro", "Read-only file system", "this disk or folder can only be read: build to another folder with --out"),
])
def test_a_disk_that_is_full_or_read_only_is_a_message_not_a_fault(edition, tmpfs, options, reason, hint):
    out = tmpfs(options) / "site"
    done = run_cli("build", str(edition), "--out", str(out))
    assert done.returncode == 1
    assert done.stderr == f"{out}: error: {reason}\n  hint: {hint}\n\nThe last good site is unchanged.\n"
    assert not out.exists() or not any(out.iterdir())


def test_an_output_folder_under_a_file_is_a_message(edition, tmp_path):
    a_file = write_files(tmp_path, {"notes.txt": "text"}) / "notes.txt"
    done = run_cli("build", str(edition), "--out", str(a_file / "site"))
    assert done.returncode == 1
    assert done.stderr.splitlines()[:2] == [
        f"{a_file / 'site'}: error: the output folder cannot be made there: {a_file} is a file, not a folder",
        "  hint: choose another folder with --out"]
    assert a_file.read_text() == "text"


def test_ctrl_c_during_a_big_build_stops_it_quietly_and_keeps_the_last_site(tmp_path):
    """A terminal's Ctrl+C reaches the worker processes too: none may print a traceback."""
    import signal
    import sys
    import time
    from support import REPO
    pages = {f"content/page-{n}.md": PAGE.format(title=f"Page {n}").replace("order: 50", f"order: {100 + n}")
             + "\n".join(f"Paragraph {k} of page {n}, about commissioning and social value." for k in range(40))
             for n in range(1500)}
    root = write_files(tmp_path / "big", {"toolkit.yml": SETTINGS, **pages})
    out = tmp_path / "site"
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", str(root), "--out", str(out),
                                "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    time.sleep(1.0)
    os.killpg(process.pid, signal.SIGINT)           # as a terminal does: to every process of the group
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (130, "")
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name != "big"] == []
