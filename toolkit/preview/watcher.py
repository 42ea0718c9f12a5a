"""The watcher: the files a build reads (found by the build's own walk), and what changed."""
from __future__ import annotations

import os
from pathlib import Path

from toolkit.stages.edition import CONFIG_FILE, load_edition
from toolkit.model.problems import BuildFailed
from toolkit.stages.discover import SOURCE_FOLDERS, walk


POLL_SECONDS = 0.1          # how often the watcher looks at the files
QUIET_SECONDS = 0.05        # a change is acted on once no file has changed for this long
LONGEST_BURST = 2.0         # ... or after this long, whatever keeps changing


def watched_roots(edition_root: Path) -> list[Path]:
    """The edition folders a build reads: the search path, or just the edition while its
    toolkit.yml cannot be read (so saving the fixed file is still seen)."""
    try:
        return list(load_edition(edition_root).search_path)
    except BuildFailed:
        return [edition_root.resolve()]


def snapshot(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """path -> (modification time in ns, size) of every file a build may read, and of each
    link it would refuse, so that mending one is seen too. Drafts ('_') are looked at as
    well: the theme's partials are named so."""
    found: dict[str, tuple[int, int]] = {}
    for root in roots:
        _stat_into(found, root / CONFIG_FILE)
        for folder in SOURCE_FOLDERS:
            for item in walk(root, folder, roots, drafts=True):
                _stat_into(found, item.path)
    return found


def _stat_into(found: dict, path: Path) -> None:
    try:
        stat = os.stat(path)
    except OSError:
        try:
            stat = os.lstat(path)           # a link to nothing: seen when it is removed or mended
        except OSError:
            return                          # removed while we looked: the next look sees it
    found[str(path)] = (stat.st_mtime_ns, stat.st_size)


def changed_paths(before: dict, after: dict) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
