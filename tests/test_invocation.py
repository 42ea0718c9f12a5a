"""A message that says what to type next shows a command that works where it was run (issue 15).

The commands are worked out from how the toolkit was started (sys.argv[0]), which Python runs
it and what PATH finds: here with a made-up folder of programs on PATH, so every case is exact.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, write_files
from toolkit import invocation


@pytest.fixture
def programs(tmp_path, monkeypatch):
    """A folder on PATH (and nothing else) holding a `python` and a `compact-toolkit`; the current
    folder is tmp_path/here."""
    bin_folder = tmp_path / "bin"
    for name in ("python", "compact-toolkit"):
        write_files(bin_folder, {name: "#!/bin/sh\n"})
        (bin_folder / name).chmod(0o755)
    (tmp_path / "here").mkdir()
    monkeypatch.setenv("PATH", str(bin_folder))
    monkeypatch.chdir(tmp_path / "here")
    return bin_folder


def test_the_installed_command_found_on_path_is_named_by_its_name(programs):
    assert invocation.command(str(programs / "compact-toolkit")) == "compact-toolkit"
    assert invocation.program_name(str(programs / "compact-toolkit")) == "compact-toolkit"


def test_an_installed_command_not_on_path_is_named_by_its_path(programs, tmp_path):
    elsewhere = write_files(tmp_path / "venv/bin", {"compact-toolkit": "#!/bin/sh\n"}) / "compact-toolkit"
    assert invocation.command(str(elsewhere)) == str(elsewhere)
    inside = write_files(tmp_path / "here/.venv/bin", {"compact-toolkit": "#!/bin/sh\n"}) / "compact-toolkit"
    assert invocation.command(str(inside)) == ".venv/bin/compact-toolkit"


def test_windows_launchers_of_the_command_are_the_command(programs, tmp_path):
    assert invocation.program_name(str(tmp_path / "Scripts/compact-toolkit.exe")) == "compact-toolkit"
    assert invocation.program_name(str(tmp_path / "Scripts/compact-toolkit-script.py")) == "compact-toolkit"


def test_build_py_is_run_by_plain_python_only_when_path_leads_to_this_python(programs, tmp_path):
    script = write_files(tmp_path / "here", {"build.py": ""}) / "build.py"
    assert invocation.command(str(script), str(programs / "python")) == "python build.py"
    assert invocation.program_name(str(script)) == "build.py"
    # Another Python: its path, so its libraries (the toolkit's dependencies) come with it.
    venv = write_files(tmp_path / "here/.venv/bin", {"python": ""}) / "python"
    assert invocation.command("build.py", str(venv)) == ".venv/bin/python build.py"
    outside = tmp_path / "other venv/bin/python"
    assert invocation.command("build.py", str(outside)) == f"'{outside}' build.py"


def test_python_dash_m_toolkit_and_calls_from_python_say_python_dash_m_toolkit(programs):
    main = str(REPO / "toolkit" / "__main__.py")
    assert invocation.command(main, str(programs / "python")) == "python -m toolkit"
    assert invocation.program_name(main) == "python -m toolkit"
    assert invocation.command("/usr/bin/pytest", str(programs / "python")) == "python -m toolkit"


def test_a_folder_with_spaces_is_quoted(programs):
    assert invocation.quoted("my edition") == "'my edition'"
    assert invocation.quoted("areas/north") == "areas/north"


def test_python_m_toolkit_new_tells_the_command_that_works_here(tmp_path):
    """`python -m toolkit new`, with no `python` on PATH, names this Python; and what it says works."""
    env = {**os.environ, "PATH": str(tmp_path / "empty"), "PYTHONPATH": str(REPO)}
    made = subprocess.run([sys.executable, "-m", "toolkit", "new", "north side", "--name", "North"],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[2] == f"  {sys.executable} -m toolkit build 'north side'"
    built = subprocess.run(shlex.split(made.stdout.splitlines()[2]), cwd=tmp_path, capture_output=True, text=True,
                           env=env, timeout=300)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "north side/_site/index.html").is_file()
    toolkit_yml = (tmp_path / "north side/toolkit.yml").read_text(encoding="utf-8")
    assert f"#   {sys.executable} -m toolkit build 'north side'\n" in toolkit_yml


def test_with_no_edition_named_the_edition_in_the_current_folder_is_built(make_edition):
    edition = make_edition()
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build"], cwd=edition,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built ") and " of Testshire Compact toolkit into " in result.stdout
    assert (Path(edition) / "_site/index.html").is_file()
