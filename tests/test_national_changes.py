"""Which national toolkit an edition is built on, and the national files it replaces that changed
since it last built (issue 15).

The national toolkit changes here in a copy of the toolkit (run by the copy's own build.py, whose
national toolkit is the copy), with an edition in a folder of its own outside it, as a
coordinator would keep one.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from support import REPO, write_files
from toolkit.checks.national_changes import RECORD_FILE
from toolkit.commands.build import build
from toolkit.national import VERSION

LEFT_OUT = (".git", ".venv", "_site", ".toolkit-cache", "__pycache__", "*.egg-info", "tests", "areas", "bench",
            "build", ".pytest_cache", ".hypothesis")
EDITION = {
    "toolkit.yml": """
        name: North toolkit
        base_url: https://www.north.example/compact
        accessibility:
          contact_email: compact@north.example
          last_tested: 2026-11-01
    """,
}


def _toolkit_copy(to: Path) -> Path:
    shutil.copytree(REPO, to, ignore=shutil.ignore_patterns(*LEFT_OUT))
    return to


def _run(toolkit: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run([sys.executable, str(toolkit / "build.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_site_names_the_national_toolkit_it_was_built_with(make_edition, tmp_path):
    site = build(make_edition(), tmp_path / "site", use_cache=False).out
    assert f'<meta name="generator" content="Compact Toolkit {VERSION}">' in \
        (site / "index.html").read_text(encoding="utf-8")


def test_check_names_a_replaced_national_page_that_changed_and_how_to_compare_it(tmp_path):
    toolkit = _toolkit_copy(tmp_path / "toolkit")
    national_page = toolkit / "content/consultation.md"
    mine = national_page.read_text(encoding="utf-8").replace("\n## ", "\nNorth consults for eight weeks.\n\n## ", 1)
    edition = write_files(tmp_path / "coordinator/north", {**EDITION, "content/consultation.md": mine})
    home = edition.parent

    built = _run(toolkit, "build", "north", cwd=home)
    assert built.returncode == 0 and built.stderr == "", built.stderr
    record = (edition / RECORD_FILE).read_text(encoding="utf-8")
    assert f"\nnational_toolkit: {VERSION}\nreplaces:\n  content/consultation.md: " in record
    clean = _run(toolkit, "check", "north", cwd=home)
    assert (clean.returncode, clean.stderr) == (0, "")
    assert re.fullmatch(rf"Checked \d+ pages of North toolkit \(national toolkit {re.escape(VERSION)}\): "
                        r"no problems found.\n", clean.stdout)

    # The national page is revised and the toolkit upgraded; the edition's cache is deleted too,
    # which must not lose the record.
    national_page.write_text(national_page.read_text(encoding="utf-8") + "\nA national revision.\n",
                             encoding="utf-8")
    init = toolkit / "toolkit/__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace(f'"{VERSION}"', '"9.9.9"'), encoding="utf-8")
    shutil.rmtree(edition / ".toolkit-cache")
    told = _run(toolkit, "check", "north", cwd=home)
    warning = ("content/consultation.md: warning: content/consultation.md changed nationally since this edition "
               f"last built (national toolkit {VERSION} then, 9.9.9 now), and this edition replaces it with its "
               "own copy\n"
               "  hint: compare your copy with the national one and bring in what you need: "
               f"diff content/consultation.md {national_page}\n\n1 warning found.\n")
    assert told.returncode == 0
    assert told.stderr == warning
    assert re.fullmatch(rf"Checked \d+ pages of North toolkit \(national toolkit 9\.9\.9; last built with "
                        rf"{re.escape(VERSION)}\): no errors.\n", told.stdout)
    # The command it gives, typed in the edition's folder, shows the national revision.
    compare = subprocess.run(["diff", "content/consultation.md", str(national_page)], cwd=edition,
                             capture_output=True, text=True)
    assert "> A national revision." in compare.stdout
    assert _run(toolkit, "check", "north", "--strict", cwd=home).returncode == 1

    # The next build says it too, then records the national files anew: the check is quiet again.
    rebuilt = _run(toolkit, "build", "north", cwd=home)
    assert rebuilt.returncode == 0 and rebuilt.stderr == warning
    assert "national_toolkit: 9.9.9\n" in (edition / RECORD_FILE).read_text(encoding="utf-8")
    assert _run(toolkit, "check", "north", cwd=home).stderr == ""


def test_a_national_file_removed_since_is_said_and_unreplaced_files_are_not_recorded(tmp_path):
    toolkit = _toolkit_copy(tmp_path / "toolkit")
    edition = write_files(tmp_path / "north", {
        **EDITION,
        "content/what-has-changed.md": (toolkit / "content/what-has-changed.md").read_text(encoding="utf-8"),
        "content/local.md": "---\ntitle: Local help\norder: 90\n---\n\nOurs alone.\n",
        "themes/default/templates/page.html": (toolkit / "themes/default/templates/page.html").read_text(),
    })
    assert _run(toolkit, "build", str(edition), cwd=tmp_path).returncode == 0
    record = (edition / RECORD_FILE).read_text(encoding="utf-8")
    assert re.findall(r"^  (\S+): [0-9a-f]{16}$", record, re.M) == [
        "content/what-has-changed.md", "themes/default/templates/page.html"]
    (toolkit / "content/what-has-changed.md").unlink()
    told = _run(toolkit, "check", str(edition), cwd=tmp_path)
    assert told.returncode == 0, told.stderr
    assert told.stderr == ("content/what-has-changed.md: warning: the national toolkit no longer has "
                           "content/what-has-changed.md, which this edition replaced with its own copy: the copy "
                           "is now a file of this edition's own\n"
                           "  hint: keep it if you still want it; otherwise delete it\n\n1 warning found.\n")
