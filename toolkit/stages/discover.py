"""Finding an edition's source files along its search path.

Every kind of file is found the same way: by its path relative to an edition folder,
the nearest edition on the search path winning (see stages/edition.py). `walk` is the one way
the toolkit looks through a source folder; the preview's watcher (preview/watcher.py) uses it too,
so it follows exactly the links the build follows. Names that start with '.' (hidden)
or end in '~' (editor backups) are skipped, and so are those that start with '_'
(drafts), except in the theme's templates (partials such as _macros.html).

A link is followed only when it leads inside the source folders (SOURCE_FOLDERS) of an
edition on the search path, to no hidden file or folder, and not back to a folder the
walk has already entered (a loop); a link that leads anywhere else is refused, and one
that leads nowhere is an error. A named pipe, socket or device is never opened (reading
one could wait for ever): it is skipped with a warning. `hide:` removes files the
edition does not want; those problems are kept in `Sources.problems`, for the build
to report with the rest. Pages may be in folders under content/ (they are published in
the same folders); case studies and data files are read from their own folder only.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from toolkit.stages.edition import Edition
from toolkit.model.problems import Problem

THEME = "themes/default"
SOURCE_FOLDERS = ("content", "case_studies", "data", "static", "themes")   # what a build reads in an edition


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
    template_files: tuple[Path, ...] = ()  # every file in template_dirs, for the build's fingerprint
    warnings: tuple[Problem, ...] = ()     # special files skipped
    problems: tuple[Problem, ...] = ()     # files refused, hide: naming nothing

    def input_files(self, edition: Edition) -> list[Path]:
        """Every file a build of `edition` reads, in a fixed order (for the no-change fingerprint)."""
        found = [*edition.config_files]
        for group in (self.pages, self.case_studies, self.data, self.assets):
            found += [source.path for source in group]
        found += [source.path for source in self.strings]
        return found + list(self.template_files)


@dataclass(frozen=True)
class Found:
    """One thing a walk found. `kind` is "file" (a regular file, to read), "folder-outside"
    or "file-outside" (a link leading outside the source folders; a folder is not entered),
    "nowhere" (a link to nothing) or "special" (a named pipe, socket or device)."""
    rel: str          # relative to the edition folder, with '/' separators
    path: Path        # as it is in the edition, not where a link leads
    kind: str
    detail: str = ""  # "nowhere": where the link points and why that fails; "special": what it is


def discover(edition: Edition) -> Sources:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    found: dict[str, SourceFile] = {}
    templates: dict[str, Path] = {}
    strings_rel = f"{THEME}/strings/{edition.settings.language}.yml"
    strings: list[SourceFile] = []        # every edition's, national first: each overrides words of those before
    for root in reversed(edition.search_path):        # national first; nearer ones replace
        for folder in ("content", "case_studies", "data", f"{THEME}/static", "static",
                       f"{THEME}/strings", f"{THEME}/templates"):
            in_templates = folder == f"{THEME}/templates"
            for item in walk(root, folder, edition.search_path, drafts=in_templates):
                if item.kind == "file":
                    found[item.rel] = SourceFile(item.rel, item.path, root)
                    if item.rel == strings_rel:
                        strings.append(found[item.rel])
                    if in_templates:
                        templates[item.rel] = item.path
                elif item.kind == "special":
                    warnings.append(Problem(
                        _shown(edition, item.path), 0, f"this is {item.detail}, not a file, so it was skipped",
                        "remove it from the edition: only ordinary files are read", warning=True))
                else:
                    problems.append(_link_problem(edition, item))
    for rel, where, line in edition.settings.hide:
        normal = rel.lstrip("./")             # written with '/' (schema.py: a path)
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

    template_dirs = tuple(root / THEME / "templates" for root in edition.search_path
                          if (root / THEME / "templates").is_dir())
    return Sources(
        pages=select("content/", ".md", flat=False),
        case_studies=select("case_studies/", ".yml"),
        data=select("data/", ".yml"),
        assets=select(f"{THEME}/static/", "", flat=False) + select("static/", "", flat=False),
        template_dirs=template_dirs,
        strings=tuple(strings) if strings_rel in found else (),
        template_files=tuple(templates[rel] for rel in sorted(templates)),
        warnings=tuple(warnings),
        problems=tuple(problems),
    )


def _shown(edition: Edition, path: Path) -> str:
    """A path named as it is in the edition (the link itself, not where it leads)."""
    folder = edition.display(path.parent)
    return path.name if folder == "." else f"{folder}/{path.name}"


def _link_problem(edition: Edition, item: Found) -> Problem:
    if item.kind == "nowhere":
        return Problem(_shown(edition, item.path), 0, f"this is a link that points nowhere: {item.detail}",
                       "remove the link, or put back the file or folder it points to")
    kind = "folder" if item.kind == "folder-outside" else "file"
    return Problem(_shown(edition, item.path), 0, f"this {kind} is a link to a place outside the edition",
                   f"copy the {kind} into the edition folder instead of linking to it")


def walk(root: Path, folder: str, search_path, *, drafts: bool = False) -> Iterator[Found]:
    """Everything under root/folder that a build would read, refuse or skip, files of a
    folder before its subfolders, each in name order (see the module's docstring for
    the rules). `search_path`: the edition folders whose source folders links may lead
    into. `drafts`: also walk names that start with '_'."""
    root = Path(root)
    places = tuple(os.path.join(os.path.realpath(edition), name)
                   for edition in search_path for name in SOURCE_FOLDERS)
    base = root / folder
    real = os.path.realpath(base)
    if real != os.path.abspath(base):             # root/folder is itself a link, or inside one
        problem = _refused(base, real, places, os.path.isdir(base))
        if problem is not None:
            if os.path.lexists(base):
                yield Found(folder, base, *problem)
            return
    if not os.path.isdir(base):
        return
    entered = {real}
    pending = [(str(base), folder)]
    while pending:
        path, rel = pending.pop()
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:                             # removed while we looked, or unreadable
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name.endswith("~") or (name.startswith("_") and not drafts):
                continue
            item_rel, item_path = f"{rel}/{name}", Path(entry.path)
            if entry.is_symlink():
                try:
                    mode = os.stat(entry.path).st_mode
                except FileNotFoundError:
                    yield Found(item_rel, item_path, "nowhere", _nowhere(entry.path, "which does not exist"))
                    continue
                except OSError as error:            # a loop of links, say
                    yield Found(item_rel, item_path, "nowhere", _nowhere(entry.path, f"which cannot be reached ({error.strerror})"))
                    continue
                is_folder, is_file = stat.S_ISDIR(mode), stat.S_ISREG(mode)
                real = os.path.realpath(entry.path)
                if is_folder and real in entered:
                    continue                        # a link back to a folder already read: a loop
                problem = _refused(item_path, real, places, is_folder)
                if problem is not None:
                    yield Found(item_rel, item_path, *problem)
                    continue
                if is_folder:
                    entered.add(real)
            else:                                   # the kind is known without asking the disk again
                is_folder, is_file = entry.is_dir(follow_symlinks=False), entry.is_file(follow_symlinks=False)
            if is_folder:
                subfolders.append((entry.path, item_rel))
            elif is_file:
                yield Found(item_rel, item_path, "file")
            else:
                yield Found(item_rel, item_path, "special", _special(item_path))
        pending.extend(reversed(subfolders))


def _refused(path: Path, real: str, places: tuple[str, ...], is_folder: bool) -> tuple[str, str] | None:
    """(kind, detail) when a link at `path`, leading to `real`, may not be followed."""
    if not os.path.exists(path):
        return "nowhere", _nowhere(path, "which does not exist")
    for place in places:
        if real == place or real.startswith(place + os.sep):
            if not any(part.startswith(".") for part in real[len(place):].split(os.sep)):
                return None
    return ("folder-outside" if is_folder else "file-outside"), ""


def _nowhere(path, why: str) -> str:
    try:
        target = os.readlink(path)
    except OSError:                                 # a folder on the way is the link
        target = os.path.realpath(path)
    return f"it leads to {target}, {why}"


def _special(path: Path) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:                                 # removed while we looked
        return "a special file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"
