"""The toolkit installed like any tool (issue 15): a wheel built from the repository, installed (not
editable) into a fresh virtual environment, used from a folder that has nothing to do with the
repository: new, build (as `new` says to), the build commands of the workflows `new` writes,
check, build --all and serve.

It takes up to a minute: the wheel is built (pip fetches setuptools for the build, as it would on
a coordinator's computer) and installed with its dependencies from PyPI or pip's cache. Without a
network it is skipped, except in CI (CI=true), where it must run. `pytest -m "not installed"`
leaves it out.
"""
from __future__ import annotations

import os
import queue
import socket
import re
import shlex
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from support import REPO
from test_forges import run_build_commands

pytestmark = pytest.mark.installed

NOT_SHIPPED = (".git", ".venv", "_site", ".toolkit-cache", "__pycache__", "build", "*.egg-info", "tests",
               "bench", "areas", ".pytest_cache", ".hypothesis")


def _run(args, cwd: Path, env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_a_wheel_installed_in_a_fresh_environment_makes_builds_checks_and_serves_editions_anywhere(tmp_path):
    # A copy of the repository as it is shipped: the wheel must not depend on anything left out.
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    wheels = tmp_path / "wheels"
    made = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source], tmp_path, env, 600)
    _skip_without_network(made)
    assert made.returncode == 0, made.stderr
    wheel, = wheels.glob("compact_toolkit-*.whl")

    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", venv], tmp_path, env).returncode == 0
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python, command = scripts / "python", scripts / "compact-toolkit"
    installed = _run([python, "-m", "pip", "install", "-q", wheel], tmp_path, env, 600)
    _skip_without_network(installed)
    assert installed.returncode == 0, installed.stderr
    where = _run([python, "-c", "import toolkit.national as n; print(n.INSTALLED); print(n.NATIONAL_ROOT)"],
                 tmp_path, env)
    installed_as, national = where.stdout.splitlines()
    assert installed_as == "True" and Path(national).is_relative_to(venv.resolve()), where.stderr

    # A folder of the coordinator's own, far from the repository.
    home = tmp_path / "coordinator"
    home.mkdir()
    new = _run([command, "new", "north", "--name", "North"], home, env)
    assert new.returncode == 0, new.stderr
    assert new.stdout == (f"Made a new edition in north.\nEdit north/toolkit.yml, then build it with:\n"
                          f"  {command} build north\nor see each change as you save it with:\n"
                          f"  {command} serve north\n")
    built = _run(shlex.split(new.stdout.splitlines()[2]), home, env)       # what it said to type
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built ") and f"into {home / 'north/_site'} in " in built.stdout
    assert '<span class="site-header__name">North social value toolkit</span>' in \
        (home / "north/_site/index.html").read_text(encoding="utf-8")
    # The build commands of the GitHub and GitLab workflows `new` wrote, with this toolkit on PATH.
    on_path = {**env, "PATH": f"{scripts}{os.pathsep}{env.get('PATH', '')}"}
    published = run_build_commands(home / "north", on_path)
    assert all((folder / "index.html").is_file() for folder in published.values())
    checked = _run([command, "check", "north"], home, env)
    assert checked.returncode == 0, checked.stderr
    assert re.fullmatch(r"Checked \d+ pages of North social value toolkit \(national toolkit [\w.]+\): "
                        r"no problems found\.\n", checked.stdout), checked.stdout

    (home / "regions").mkdir()
    shutil.copytree(home / "north", home / "regions/north", ignore=shutil.ignore_patterns("_site"))
    everything = _run([python, "-m", "toolkit", "build", "--all", "regions"], home, env)
    assert (everything.returncode, everything.stderr) == (0, "")   # no base_url to set in the installed national
    assert [line for line in everything.stdout.splitlines() if line.startswith("2 of 2 editions built into ")][0] \
        .startswith("2 of 2 editions built into regions/_site in ")
    assert (home / "regions/_site/index.html").is_file() and (home / "regions/_site/north/index.html").is_file()
    assert not list(Path(national).glob("*_site")) and not (Path(national) / ".toolkit-cache").exists()

    with socket.socket() as probe:                       # a port free just now
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    serving = subprocess.Popen([str(command), "serve", "north", "--port", str(free)], cwd=home, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    said: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [said.put(line) for line in serving.stdout], daemon=True).start()
    try:
        url, lines = None, []
        while url is None:
            lines.append(said.get(timeout=60))
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", lines[-1])
            url = found.group(1) if found else None
        with urllib.request.urlopen(url + "index.html", timeout=30) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200 and "North social value toolkit" in page
    finally:
        serving.terminate()
        serving.wait(timeout=30)


def _skip_without_network(result: subprocess.CompletedProcess) -> None:
    offline = ("Could not find a version", "No matching distribution", "Failed to establish a new connection",
               "Temporary failure in name resolution", "Network is unreachable")
    if result.returncode != 0 and any(text in result.stderr for text in offline) and not os.environ.get("CI"):
        pytest.skip("no network to fetch setuptools and the dependencies from PyPI")
