"""Make tests/golden/expected anew from tests/golden/edition, after an intended change.

    python tests/golden/update.py

Then look at `git diff tests/golden/expected`: every change there is a change every
edition's readers will see. tests/test_golden.py compares a fresh build with it.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from toolkit.commands.build import build  # noqa: E402

EDITION = HERE / "edition"
EXPECTED = HERE / "expected"


def build_golden(out: Path) -> Path:
    """Build the golden edition into `out` (a folder that does not exist yet), with no cache."""
    build(EDITION, out, use_cache=False)
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        fresh = build_golden(Path(folder) / "site")
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(fresh, EXPECTED)
    print(f"Wrote {sum(1 for p in EXPECTED.rglob('*') if p.is_file())} files to {EXPECTED}; review them with git diff.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
