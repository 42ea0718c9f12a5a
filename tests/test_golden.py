"""The golden site: a small edition built and compared, file by file, with its checked-in output.

A difference fails with a unified diff of each changed file. After an intended change,
regenerate the expected output with `python tests/golden/update.py` and review the diff.
"""
from __future__ import annotations

import difflib
import sys
from pathlib import Path

from support import REPO

sys.path.insert(0, str(REPO / "tests" / "golden"))
from update import EXPECTED, build_golden  # noqa: E402


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_golden_edition_builds_exactly_its_expected_site(tmp_path):
    built, expected = _files(build_golden(tmp_path / "site")), _files(EXPECTED)
    assert sorted(built) == sorted(expected), "files added or missing: run python tests/golden/update.py if intended"
    report = []
    for rel in sorted(built):
        if built[rel] != expected[rel]:
            report += difflib.unified_diff(expected[rel].decode("utf-8", "replace").splitlines(),
                                           built[rel].decode("utf-8", "replace").splitlines(),
                                           f"expected/{rel}", f"built/{rel}", n=1, lineterm="")
    assert not report, "\n".join(report[:200]) + "\n(intended? run python tests/golden/update.py)"
