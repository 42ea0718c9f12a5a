"""An edition in a git repository of its own, published by GitHub Pages or GitLab Pages (issue 15).

`new` writes both workflows; here the build commands they run are taken from the YAML and run, with
`compact-toolkit` on PATH (the toolkit under test; tests/test_installed.py runs them with the wheel).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import REPO, run_cli
from toolkit.commands import forges


def workflow_commands(edition: Path) -> dict[str, tuple[list[str], str]]:
    """{workflow: (its shell commands in order, the folder it publishes)} from the files `new` wrote."""
    github = yaml.safe_load((edition / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["build"]["steps"]
    published = next(step["with"]["path"] for step in steps if "upload-pages-artifact" in step.get("uses", ""))
    gitlab = yaml.safe_load((edition / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    return {"github": ([step["run"] for step in steps if "run" in step], published),
            "gitlab": (gitlab["pages"]["script"], gitlab["pages"]["artifacts"]["paths"][0])}


def run_build_commands(edition: Path, env: dict) -> dict[str, Path]:
    """Run each workflow's compact-toolkit commands in a clean copy of the edition; {workflow: folder published}."""
    published = {}
    for name, (commands, folder) in workflow_commands(edition).items():
        builds = [command for command in commands if command.startswith("compact-toolkit ")]
        assert builds, f"{name} runs no build"
        for command in builds:
            done = subprocess.run(command, shell=True, cwd=edition, env=env, capture_output=True, text=True,
                                  timeout=300)
            assert done.returncode == 0, f"{name}: {command}\n{done.stderr}"
        published[name] = edition / folder
    return published


def test_the_build_commands_of_both_workflows_publish_the_edition(tmp_path):
    """Made from a checkout (with whatever metadata a pip install -e left in it): a placeholder."""
    made = run_cli("new", "north", "--name", "North", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    edition = tmp_path / "north"
    commands = workflow_commands(edition)
    for name, (steps, _) in commands.items():
        assert steps[0] == 'python -m pip install "$TOOLKIT"', name        # the toolkit, from TOOLKIT
    github = yaml.safe_load((edition / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((edition / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert github["env"]["TOOLKIT"] == gitlab["variables"]["TOOLKIT"] == forges.PLACEHOLDER   # a checkout made it
    assert "CHANGE THIS before the first run" in (edition / ".gitlab-ci.yml").read_text(encoding="utf-8")

    shim = tmp_path / "bin/compact-toolkit"                  # `compact-toolkit`, as pip would install it
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m toolkit "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(REPO)}
    published = run_build_commands(edition, env)
    assert published == {"github": edition / "_site", "gitlab": edition / "public"}
    for folder in published.values():
        assert '<span class="site-header__name">North social value toolkit</span>' in \
            (folder / "index.html").read_text(encoding="utf-8")
    ignored = (edition / ".gitignore").read_text(encoding="utf-8").split()
    assert {"_site/", "public/", "*-server-settings/", ".toolkit-cache/"} <= set(ignored)


class _Installed:
    """A stand-in for importlib.metadata's distribution of compact-toolkit, installed from `origin`."""

    def __init__(self, origin: dict | None):
        self.origin, self.version = origin, "1.2.0"

    def read_text(self, name: str):
        return json.dumps(self.origin) if name == "direct_url.json" and self.origin is not None else None


@pytest.mark.parametrize("origin, requirement", [
    ({"url": "https://github.com/shire/compact-toolkit.git",
      "vcs_info": {"vcs": "git", "commit_id": "0123abcd", "requested_revision": "v1.2.0"}},
     "compact-toolkit @ git+https://github.com/shire/compact-toolkit.git@0123abcd"),
    (None, "compact-toolkit==1.2.0"),
    ({"url": "https://downloads.example/compact_toolkit-1.2.0-py3-none-any.whl", "archive_info": {}},
     "compact-toolkit @ https://downloads.example/compact_toolkit-1.2.0-py3-none-any.whl"),
    ({"url": "file:///home/jo/compact_toolkit-1.2.0-py3-none-any.whl", "archive_info": {}}, forges.PLACEHOLDER),
    ({"url": "file:///home/jo/compact-toolkit", "dir_info": {"editable": True}}, forges.PLACEHOLDER),
])
def test_the_workflows_install_the_toolkit_from_where_this_one_came(monkeypatch, origin, requirement):
    monkeypatch.setattr(forges.national, "INSTALLED", True)              # as from a wheel, not a checkout
    monkeypatch.setattr(forges.metadata, "distribution", lambda name: _Installed(origin))
    assert forges.toolkit_requirement() == requirement
    files = forges.forge_files("North", requirement)
    assert yaml.safe_load(files[".gitlab-ci.yml"])["variables"]["TOOLKIT"] == requirement
    assert yaml.safe_load(files[".github/workflows/publish.yml"])["env"]["TOOLKIT"] == requirement
