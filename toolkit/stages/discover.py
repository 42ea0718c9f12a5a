"""Finding an edition's source files along its search path.

Every kind of file is found the same way: by its path relative to an edition folder,
the nearest edition on the search path winning (see config.py). Files whose names
start with '.' or '_' are skipped (drafts, editor backups). A file that is a link to
somewhere outside the editions is refused, and `hide:` removes files the edition
does not want; those problems are kept in `Sources.problems`, for the build to report
with the rest. Pages may be in folders under content/ (they are published in the same
folders); case studies and data files are read from their own folder only.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from toolkit.stages.edition import Edition
from toolkit.model.problems import Problem

THEME = "themes/default"


@dataclass(frozen=True)
class SourceFile:
    rel: str          # path relative to the edition folder, with '/' separators
    path: Path        # where it was found
    edition: Path     # the edition folder it came from


@dataclass(frozen=True)
class Sources:
    pages: tuple[SourceFile, ...]          # content/**/*.md
    case_studies: tuple[SourceFile, ...]   # case_studies/*.yml
    data: tuple[SourceFile, ...]           # data/*.yml
    assets: tuple[SourceFile, ...]         # themes/default/static/** and static/**
    template_dirs: tuple[Path, ...]        # for Jinja's FileSystemLoader, nearest first
    strings: tuple[SourceFile, ...]        # themes/default/strings/<language>.yml, national first
    problems: tuple[Problem, ...] = ()     # files refused, hide: naming nothing

    def input_files(self, edition: Edition) -> list[Path]:
        """Every file a build of `edition` reads, in a fixed order (for the no-change fingerprint)."""
        found = [*edition.config_files]
        for group in (self.pages, self.case_studies, self.data, self.assets):
            found += [source.path for source in group]
        found += [source.path for source in self.strings]
        for folder in self.template_dirs:       # read through Jinja's loader, not found here
            for dirpath, dirnames, names in os.walk(folder):
                dirnames.sort()
                found.extend(Path(dirpath) / name for name in sorted(names))
        return found


def discover(edition: Edition) -> Sources:
    problems: list[Problem] = []
    found: dict[str, SourceFile] = {}
    roots = [root.resolve() for root in edition.search_path]
    for root in reversed(edition.search_path):        # national first; nearer ones replace
        for folder in ("content", "case_studies", "data", f"{THEME}/static", "static",
                       f"{THEME}/strings", f"{THEME}/templates"):
            for rel, path in _walk(root, folder, roots):
                if not _inside(path, roots):
                    kind = "folder" if path.is_dir() else "file"
                    link = root / rel      # named as it is in the edition, not where it leads
                    folder_shown = edition.display(link.parent)
                    problems.append(Problem(
                        link.name if folder_shown == "." else f"{folder_shown}/{link.name}", 0,
                        f"this {kind} is a link to a place outside the edition",
                        f"copy the {kind} into the edition folder instead of linking to it"))
                    continue
                if not path.is_dir():
                    found[rel] = SourceFile(rel, path, root)
    for rel, where, line in edition.settings.hide:
        normal = rel.replace("\\", "/").lstrip("./")
        if normal not in found:
            kind = "page" if normal.startswith("content/") else "file"
            problems.append(Problem(
                where, line, f"'hide' names {rel}, but there is no such {kind} to hide",
                "write the path as it is in the national toolkit, e.g. content/decommissioning.md "
                "or case_studies/sutton.yml"))
        else:
            del found[normal]

    def select(prefix: str, suffix: str, flat: bool = True) -> tuple[SourceFile, ...]:
        return tuple(found[rel] for rel in sorted(found)
                     if rel.startswith(prefix) and rel.endswith(suffix)
                     and (not flat or "/" not in rel[len(prefix):]))

    language = edition.settings.language
    strings_rel = f"{THEME}/strings/{language}.yml"
    # Every edition's strings file, not only the nearest: each gives words for the names it
    # names, the rest coming from those before it (national first).
    strings = tuple(SourceFile(strings_rel, root / strings_rel, root) for root in reversed(edition.search_path)
                    if (root / strings_rel).is_file() and _inside(root / strings_rel, roots)
                    and found.get(strings_rel) is not None)
    template_dirs = tuple(root / THEME / "templates" for root in edition.search_path
                          if (root / THEME / "templates").is_dir())
    return Sources(
        pages=select("content/", ".md", flat=False),
        case_studies=select("case_studies/", ".yml"),
        data=select("data/", ".yml"),
        assets=select(f"{THEME}/static/", "", flat=False) + select("static/", "", flat=False),
        template_dirs=template_dirs,
        strings=strings,
        problems=tuple(problems),
    )


def _walk(root: Path, folder: str, roots: list[Path]):
    """(relative path, path) of the files under root/folder, skipping hidden and draft files.

    A folder that is a link is followed only when it stays inside the editions; one that
    leads elsewhere is yielded itself (and not entered), so it can be refused.
    """
    base = root / folder
    if not base.is_dir():
        return
    if base.is_symlink() and not _inside(base, roots):
        yield folder, base
        return
    entered = {os.path.realpath(base)}
    for dirpath, dirnames, filenames in os.walk(base, followlinks=True):
        keep = []
        for name in sorted(dirnames):
            path = Path(dirpath) / name
            if name.startswith((".", "_")):
                continue
            if path.is_symlink():
                real = os.path.realpath(path)
                if real in entered:
                    continue                 # a link back to a folder already read: a loop
                entered.add(real)
                if not _inside(path, roots):
                    yield path.relative_to(root).as_posix(), path
                    continue
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.startswith((".", "_")) or name.endswith("~"):
                continue
            path = Path(dirpath) / name
            yield path.relative_to(root).as_posix(), path


def _inside(path: Path, roots: list[Path]) -> bool:
    if not path.is_symlink() and not any(p.is_symlink() for p in path.parents):
        return True
    real = path.resolve()
    return any(real.is_relative_to(root) for root in roots)
