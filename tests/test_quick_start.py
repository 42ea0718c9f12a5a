"""The README's Quick start (issue 15): commands that work as written in Command Prompt and in
Windows PowerShell 5.1, which has no `&&`; and CI runs the test commands exactly as written."""
from __future__ import annotations

import re

from support import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(section: str, language: str) -> list[list[str]]:
    """The lines of each ```language block in the README's `section` (a '## ' heading)."""
    text = README.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [block.strip("\n").splitlines() for block in re.findall(rf"```{language}\n(.*?)```", text, re.S)]


def test_the_windows_commands_are_one_command_a_line_for_both_windows_shells():
    blocks = _blocks("Quick start", "bat")
    assert len(blocks) == 2                                  # build the site; run the tests
    for line in (line for block in blocks for line in block):
        # && and || are not in PowerShell 5.1, ; is not in Command Prompt, nor are $env: or %VAR% in both.
        assert not re.search(r"&&|\|\||;|\$env:|%\w+%", line), line
        assert line.startswith(("py -m venv .venv", ".venv\\Scripts\\python ")), line
    everywhere = re.findall(r"```bat\n(.*?)```", README, re.S)
    assert not [block for block in everywhere if "&&" in block]
    step_by_step = README.split("### Step by step on Windows\n", 1)[1].split("\n### ", 1)[0]
    steps = [line.strip() for block in re.findall(r"```bat\n(.*?)```", step_by_step, re.S)
             for line in block.strip().splitlines()]
    assert steps and all(line.startswith("compact-toolkit ") for line in steps), steps


def test_ci_runs_the_test_commands_exactly_as_the_readme_writes_them():
    test_commands = _blocks("Quick start", "sh")[1]
    assert test_commands == ['.venv/bin/python -m pip install -e ".[test]"', ".venv/bin/python -m pytest"]
    ci = (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert ci[-2:] == test_commands
