"""The only module that writes the site to disk, and it removes only what it wrote. (Beside
the site, zip_site.py writes it as one zip file, and server_settings.py the server settings.)

The output folder holds a manifest, `.compact-toolkit-site`: for every file the
toolkit wrote there, a hash of its bytes. A file is the toolkit's own only while the
manifest vouches for it (it still has those bytes);
anything else in the folder (a web team's .htaccess, a downloads/ folder, files a site
was copied in among, a file someone edited) is kept and reported, never removed or
overwritten. A manifest copied along with a site names only the site's own files, so
it vouches for nothing else. A folder with other files and no manifest at all is
refused, as is one that holds an edition's source, or lies inside one.

Writing is staged, so a failed or interrupted build leaves the last good site:

- a folder that holds only the toolkit's files is replaced whole: the new site is
  written into a staging folder beside it and swapped in (as Lektor's artifacts);
- a folder that also holds other files, or is a mount point, is updated in place: the
  new site is written into a staging folder inside it, then each file is moved into
  place with os.replace, and the toolkit's files of the last build that the new one no
  longer has are removed. A folder given as a symbolic link is written through the
  link, which stays.

Staging folders left by a run that was killed are removed by the next one; they are
known by a mark file written into them first, so nothing else is ever taken for one.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from toolkit.model.problems import BuildFailed, Problem

MANIFEST = ".compact-toolkit-site"          # what in this folder the toolkit wrote
STAGING_MARK = ".compact-toolkit-staging"   # in a staging folder, from its first moment
SOURCE_FOLDERS = ("content", "case_studies", "data", "static", "themes")


@dataclass(frozen=True)
class Written:
    """What writing a site did to its output folder."""
    kept: tuple[str, ...]            # files there that the toolkit did not write, left as they were


@dataclass(frozen=True)
class _Survey:
    """The output folder as found: the toolkit's own files and the rest."""
    own: dict                        # rel path -> hash, for files the manifest vouches for
    others: tuple[str, ...]          # every other file, by rel path
    nested: tuple[str, ...]          # sub-folders that are sites of their own (build --all's editions)
    legacy: bool = False             # marked by a toolkit from before manifests


def check_output_folder(out: Path, sources: tuple[Path, ...] = ()) -> None:
    """Refuse, before any work, an output folder the toolkit cannot prove is its to write."""
    _survey(out, sources)


def site_files(out: Path) -> tuple[str, ...]:
    """The files of the site in `out` that the toolkit wrote (its manifest vouches for them, and
    the manifests of the sites nested in it for theirs), sorted; no manifest, nothing kept there."""
    own, _, _ = _classify(out, "", _read_manifest(out))
    return tuple(sorted(own))


def kept_report(out: Path, kept: tuple[str, ...]) -> str:
    """One line naming the files of an output folder the toolkit did not write and left alone."""
    shown = ", ".join(kept[:5]) + (f" and {len(kept) - 5} more" if len(kept) > 5 else "")
    return (f"Kept {len(kept)} file{'s' if len(kept) != 1 else ''} in {out} that Compact Toolkit did not "
            f"write: {shown}.")


def output_collisions(files: dict[str, bytes], copies: dict[str, Path], display) -> list[Problem]:
    """Two things that would be written to one output path (ignoring case, as Windows and macOS do)."""
    problems = []
    made = {rel.lower(): rel for rel in files}
    copied: dict[str, tuple[str, str]] = {}
    for rel, source in sorted(copies.items()):
        shown = display(source)
        if rel.lower() in made:
            problems.append(Problem(shown, 0, f"this file would be copied to {rel}, where the toolkit "
                                    f"writes its own {made[rel.lower()]}", f"rename {shown}: that name is taken"))
        elif rel.lower() in copied:
            other, other_rel = copied[rel.lower()]
            problems.append(Problem(shown, 0, f"this file would be copied to {rel}, and {other} to {other_rel}: "
                                    "Windows and macOS do not tell names apart by capital letters",
                                    f"rename one of {shown} and {other}"))
        else:
            copied[rel.lower()] = (shown, rel)
    return problems


def write_site(out: Path, files: dict[str, bytes], copies: dict[str, Path], sources: tuple[Path, ...] = (),
               nested: tuple[str, ...] = ()) -> Written:
    """Write `files` (path -> bytes) and copy `copies` (path -> source file) as the whole site.

    `sources`: the edition folders the site is built from, which the output must neither
    hold nor be inside. `nested`: sub-folders that are sites of their own (build --all's
    editions), each given a manifest of its own so it can also be rebuilt on its own.
    """
    target = Path(os.path.realpath(out)) if out.is_symlink() else out
    survey = _survey(target, sources)
    others = survey.others
    if survey.legacy:       # a mark without a manifest: what the new site writes over was the toolkit's
        written = {rel.lower() for rel in (*files, *copies)}
        others = tuple(rel for rel in others if rel.lower() not in written)
    kept_lower = {rel.lower(): rel for rel in others}
    clashes = sorted(kept_lower[rel.lower()] for rel in (*files, *copies) if rel.lower() in kept_lower)
    if clashes:
        raise BuildFailed([Problem(_shown(target / rel), 0, "the site would write a file here, but this one was not "
                                   "written by Compact Toolkit (or was changed since), so it is never replaced",
                                   "move the file elsewhere, or delete it if it is not needed") for rel in clashes])
    _remove_leftovers(target)
    in_place = bool(others) or (target.is_dir() and os.path.ismount(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".compact-toolkit-new-" if in_place else f".{target.name}.new-",
                                        dir=target if in_place else target.parent))
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, _shown(target)) from exc
    try:
        (staging / STAGING_MARK).write_bytes(b"")
        os.chmod(staging, 0o755)        # mkdtemp makes it private; a web server must read it
        hashes = _stage(staging, files, copies)
        staged = list(hashes)
        for site in nested:
            prefix = site + "/"
            _write_manifest(staging / site, {"files": {rel[len(prefix):]: h for rel, h in hashes.items()
                                                       if rel.startswith(prefix)}, "sites": []})
            staged.append(prefix + MANIFEST)
        manifest = {"files": {rel: h for rel, h in hashes.items() if rel.split("/", 1)[0] not in nested},
                    "sites": sorted(nested)}
        if in_place:
            _replace_contents(staging, target, survey, manifest, staged)
        else:
            _write_manifest(staging, manifest)
            os.remove(staging / STAGING_MARK)
            _swap(staging, target)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError) and (exc.filename is None or str(staging) in str(exc.filename)):
            # say where as the user knows it: the output folder, not the staging folder inside or beside it
            raise OSError(exc.errno, exc.strerror, _shown(target)) from exc
        raise
    return Written(tuple(sorted(others)))


def _survey(out: Path, sources: tuple[Path, ...]) -> _Survey:
    """What `out` holds, or BuildFailed when the toolkit may not write there."""
    problems = _source_problems(out, sources)
    if problems:
        raise BuildFailed(problems)
    blocking = next((parent for parent in Path(os.path.abspath(out)).parents if parent.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise BuildFailed([Problem(_shown(out), 0, f"the output folder cannot be made there: {_shown(blocking)} "
                                   "is a file, not a folder", "choose another folder with --out")])
    if not out.exists():
        return _Survey({}, (), ())
    if not out.is_dir():
        raise BuildFailed([Problem(_shown(out), 0, "the output folder is a file",
                                   "choose a folder with --out; this file is never replaced")])
    manifest = _read_manifest(out)
    own, others, nested = _classify(out, "", manifest)
    if manifest is None and others:
        raise BuildFailed([Problem(_shown(out), 0, "the output folder already exists and was not made by "
                                   "Compact Toolkit",
                                   "choose another folder with --out, or empty this one first; it is never "
                                   "overwritten")])
    editions = sorted(rel for rel in others if rel.rsplit("/", 1)[-1] == "toolkit.yml")
    if editions:
        raise BuildFailed([Problem(_shown(out / rel), 0, "this edition is inside the output folder, which a "
                                   "build replaces", "move the edition out of the output folder, or build to "
                                   "another folder with --out") for rel in editions])
    return _Survey(own, tuple(others), tuple(nested), bool(manifest and manifest.get("legacy")))


def _source_problems(out: Path, sources: tuple[Path, ...]) -> list[Problem]:
    """The output folder must not hold an edition folder, nor be one, nor lie in its sources."""
    real = Path(os.path.realpath(out))
    problems = []
    for source in sources:
        root = Path(os.path.realpath(source))
        inside = real.relative_to(root).parts if real.is_relative_to(root) else None
        if root.is_relative_to(real) or (inside and (inside[0] in SOURCE_FOLDERS or inside[0] == "toolkit.yml")):
            problems.append(Problem(_shown(out), 0, f"the output folder would hold or replace the edition's own "
                                    f"files in {_shown(source)}", "build to a folder of its own, such as the "
                                    "default _site, with --out"))
    return problems


def _read_manifest(folder: Path) -> dict | None:
    """The manifest in `folder`: {"files": {rel: [hash, ...]}, "sites": [sub-folder, ...]}, or None."""
    try:
        data = json.loads((folder / MANIFEST).read_bytes() or b"{}")
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    files = data.get("files")
    if not isinstance(files, dict):       # a mark of the toolkit before manifests: vouches for nothing
        return {"files": {}, "sites": [], "legacy": True}
    return {"files": files, "sites": [s for s in data.get("sites", []) if isinstance(s, str)]}


def _classify(folder: Path, prefix: str, manifest: dict | None):
    """(own {rel: hash}, others [rel], nested [rel]) for everything under `folder`."""
    vouched = manifest["files"] if manifest else {}
    sites = set(manifest["sites"]) if manifest else set()
    own, others, nested = {}, [], []
    for rel, path in _files(folder):
        top = rel.split("/", 1)[0]
        if top in sites and (folder / top / MANIFEST).is_file():
            continue                     # a nested site: surveyed below with its own manifest
        entry = vouched.get(rel)
        found = _vouched_hash(path, entry) if isinstance(entry, list) else None
        if found is not None:
            own[prefix + rel] = found
        elif rel != MANIFEST:
            others.append(prefix + rel)
    for site in sorted(sites):
        if (folder / site / MANIFEST).is_file():
            inner_own, inner_others, inner_nested = _classify(folder / site, f"{prefix}{site}/",
                                                              _read_manifest(folder / site))
            own.update(inner_own)
            others.extend(inner_others)
            nested += [f"{prefix}{site}", *inner_nested]
    return own, others, nested


def _vouched_hash(path: Path, entry: list) -> str | None:
    """The file's hash when it is one the manifest entry (a list of hashes) names, else None."""
    try:
        found = _hash(path.read_bytes())
    except OSError:
        return None
    return found if found in entry else None


def _files(folder: Path):
    """(rel, path) of every file under `folder`, skipping staging folders; links are not followed."""
    for dirpath, dirnames, names in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not (Path(dirpath, d) / STAGING_MARK).exists())
        for name in sorted(names):
            path = Path(dirpath, name)
            yield path.relative_to(folder).as_posix(), path


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _stage(staging: Path, files: dict[str, bytes], copies: dict[str, Path]) -> dict[str, list]:
    """Write the site under `staging`; the manifest entry of each file."""
    made: set[Path] = {staging}
    hashes = {}
    for rel, data in (*files.items(), *copies.items()):
        target = staging / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if isinstance(data, Path):
            data = data.read_bytes()
        with open(target, "wb") as handle:
            handle.write(data)
        hashes[rel] = [_hash(data)]
    return hashes


def _write_manifest(folder: Path, manifest: dict, extra: dict | None = None) -> None:
    """Write the manifest; `extra` adds a second hash a file may have (the last build's bytes)."""
    files = {rel: hashes + ([extra[rel]] if extra and extra.get(rel) not in (None, *hashes) else [])
             for rel, hashes in manifest["files"].items()}
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".manifest-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump({"files": files, "sites": manifest["sites"]}, stream, sort_keys=True, separators=(",", ":"))
    os.chmod(temporary, 0o644)
    os.replace(temporary, folder / MANIFEST)


def _replace_contents(staging: Path, target: Path, survey: _Survey, manifest: dict, staged: list[str]) -> None:
    """Move the staged site into `target` file by file, keeping every file that is not the toolkit's.

    While files move, the manifest vouches for both the old and the new bytes of each, so
    a run killed half way leaves a folder the next run still knows as its own."""
    staged_set = set(staged)
    _write_manifest(target, {"files": {**{rel: [h] for rel, h in survey.own.items() if h},
                                       **manifest["files"]}, "sites": manifest["sites"]}, survey.own)
    for rel in staged:
        destination = target / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        if destination.is_dir() and not destination.is_symlink():
            shutil.rmtree(destination)            # a folder of the toolkit's own, now a file
        os.replace(staging / rel, destination)
    for rel in survey.own:
        if rel not in staged_set:
            (target / rel).unlink(missing_ok=True)
            _remove_empty_parents(target, rel)
    for site in survey.nested:
        if site + "/" + MANIFEST not in staged_set:           # an edition no longer built
            (target / site / MANIFEST).unlink(missing_ok=True)
            _remove_empty_parents(target, f"{site}/{MANIFEST}")
    _write_manifest(target, manifest)
    shutil.rmtree(staging)


def _remove_empty_parents(target: Path, rel: str) -> None:
    parent = (target / rel).parent
    while parent != target:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


def _remove_leftovers(target: Path) -> None:
    """Staging and retired folders of an earlier run that was killed, known by their marks."""
    places = []
    if target.parent.is_dir():
        places += [p for p in target.parent.glob(f".{target.name}.new-*")]
        places += [p for p in target.parent.glob(f".{target.name}.old-*")]
    if target.is_dir():
        places += list(target.glob(".compact-toolkit-new-*"))
    for place in places:
        if place.is_dir() and not place.is_symlink() and (
                (place / STAGING_MARK).exists() or (place / MANIFEST).exists()):
            shutil.rmtree(place, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(retired)
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(retired, out)       # put the last good site back
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _shown(path: Path) -> str:
    """A path as the user gave it, or relative to where the command was run when it is inside it."""
    here = Path.cwd()
    return (path.relative_to(here) if path.is_absolute() and path.is_relative_to(here) else path).as_posix()
