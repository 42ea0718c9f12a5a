"""`build.py build --all [FOLDER]`: the national toolkit and every edition under FOLDER.

The editions are the folders directly inside FOLDER (default: areas/) that have a
toolkit.yml. The national site goes to _site/ (or --out) and each edition's to
_site/<its folder name>/: the national toolkit's _site/ in a checkout, FOLDER/_site/ when the
toolkit is installed (its national folder is not written to).

Why it is fast: the national edition is built first, in this process, so its
Markdown is parsed once (or read from the cache) and its templates compiled once.
The editions are then built in a pool of worker processes, one per core, forked
after that build so each inherits the parsed Markdown: the renderer is keyed by a
hash of each text, so an edition asks it only for what it changed. (Where fork is
not available the workers read the same results from the build cache instead.)

Why it is safe: everything is written in one go, through write.py's staging folder.
An edition with errors is reported by name and keeps its last good site, while the
others are updated; the exit status is then 1.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from toolkit import invocation
from toolkit.national import INSTALLED
from toolkit.stages.edition import CONFIG_FILE, NATIONAL_ROOT, load_edition
from toolkit.model.problems import BuildFailed, Problem, format_report
from toolkit.reuse.markdown_cache import MarkdownRenderer
from toolkit.commands.build import build, default_output, publish, record_baseline
from toolkit.reuse.cache_files import cache_folder
from toolkit.stages.write import MANIFEST, check_output_folder, kept_report, write_site

_shared: MarkdownRenderer | None = None     # in a worker process: the national build's renderer


@dataclass(frozen=True)
class EditionBuilt:
    folder: Path
    name: str                               # the site's name, from its toolkit.yml
    pages: int
    files: dict                             # output path -> bytes
    copies: dict                            # output path -> source file
    warnings: tuple[Problem, ...]
    baseline: object = None                 # the national files it replaces (national_changes.py)


@dataclass(frozen=True)
class EditionFailed:
    folder: Path
    problems: tuple[Problem, ...]


def find_editions(folder: Path) -> list[Path]:
    """The folders directly inside `folder` that have a toolkit.yml, in name order."""
    return sorted((child for child in folder.iterdir()
                   if child.is_dir() and not child.name.startswith((".", "_")) and (child / CONFIG_FILE).is_file()),
                  key=lambda child: child.name)


def build_all(folder: Path, out: Path | None = None, *, strict: bool = False, pdf: bool = False,
              use_cache: bool = True, zip_site: bool = False) -> int:
    started = time.perf_counter()
    folder = _editions_folder(Path(folder))
    editions = find_editions(folder)
    if not editions:
        raise BuildFailed([Problem(str(folder), 0, f"there are no editions in this folder (folders with a {CONFIG_FILE})",
                                   f"make one with: {invocation.command()} new "
                                   + invocation.quoted(str(folder / "area-name")) + " --name \"Area name\"")])
    out = Path(out) if out else folder / "_site" if INSTALLED else default_output(NATIONAL_ROOT)
    sources = (NATIONAL_ROOT, *editions)
    check_output_folder(out, sources)     # before any work, so a wrong --out is said at once
    pdf_names = _pdf_names(editions) if pdf else {}

    national = load_edition(NATIONAL_ROOT)
    renderer = MarkdownRenderer(national.settings.allow_raw_html,
                                cache_folder(NATIONAL_ROOT) if use_cache else None)
    result = build(NATIONAL_ROOT, out, write=False, strict=strict, renderer=renderer,
                   pdf_name=pdf_names.get(NATIONAL_ROOT, ""))
    _check_names(editions, result.outputs, result.copies)
    # The editions reuse this renderer's results but must not each rewrite the national cache.
    renderer.cache_dir = None
    renderer.workers = 1                  # a pool's worker may not start a pool of its own
    files, copies = dict(result.outputs), dict(result.copies)
    warnings = {_key(w): w for w in _located(result.warnings, NATIONAL_ROOT)}
    print(f"Built {'national':<16} {result.pages:>4} pages  {result.edition.settings.name}  -> {_shown(out)}")

    outcomes = _build_editions(editions, renderer, strict, pdf_names)
    failed, nested = [], []
    for outcome in outcomes:
        name = outcome.folder.name
        target = out / name
        if isinstance(outcome, EditionFailed):
            failed.append(outcome)
            kept = _last_good(target)
            copies.update({f"{name}/{rel}": path for rel, path in kept.items()})
            if kept:
                nested.append(name)
            print(f"FAILED {name:<17} {len(outcome.problems):>4} problem{'s' if len(outcome.problems) != 1 else ''}"
                  f" (listed below); {'its last good site was kept' if kept else 'nothing was written for it'}")
            continue
        files.update({f"{name}/{rel}": data for rel, data in outcome.files.items()})
        nested.append(name)                 # a site of its own, so it may also be rebuilt on its own
        copies.update({f"{name}/{rel}": path for rel, path in outcome.copies.items()})
        for warning in _located(outcome.warnings, outcome.folder):
            warnings.setdefault(_key(warning), warning)
        print(f"Built {name:<16} {outcome.pages:>4} pages  {outcome.name}  -> {_shown(target)}")

    # each edition's PDF, if asked for, is among its files
    kept = write_site(out, files, copies, sources, tuple(nested)).kept
    for outcome in outcomes:                # each edition built records the national files it replaces
        if isinstance(outcome, EditionBuilt) and outcome.baseline is not None:
            for warning in _located(record_baseline(outcome.folder, outcome.baseline), outcome.folder):
                warnings.setdefault(_key(warning), warning)
    if kept:
        print(kept_report(out, kept))
    said, problems = publish(national, out, zip_site)    # for the whole site: the national one at its top
    for warning in _located(problems, NATIONAL_ROOT):
        warnings.setdefault(_key(warning), warning)
    if warnings:
        print(format_report(list(warnings.values())), file=sys.stderr)
    for failure in failed:
        print(f"\nEdition {failure.folder.name} ({_shown(failure.folder)}) has errors:\n"
              + format_report(_located(failure.problems, failure.folder)), file=sys.stderr)
    built = len(editions) + 1 - len(failed)
    print(f"{built} of {len(editions) + 1} editions built into {_shown(out)} in {time.perf_counter() - started:.2f} s."
          + (f" Not built: {', '.join(f.folder.name for f in failed)}." if failed else ""))
    for line in said:
        print(line)
    return 1 if failed else 0


def _editions_folder(folder: Path) -> Path:
    """A relative FOLDER is looked for from here, then in the national toolkit (where areas/ is)."""
    for candidate in (folder, NATIONAL_ROOT / folder):
        if candidate.is_dir():
            return candidate
        if folder.is_absolute():
            break
    raise BuildFailed([Problem(str(folder), 0, "there is no such folder of editions",
                               "give the folder that holds the editions' folders, e.g. areas")])


def _check_names(editions: list[Path], national_files: dict, national_copies: dict) -> None:
    """An edition's site goes in a folder of the national site, so its name must not be taken there."""
    taken = {path.split("/")[0].lower() for path in (*national_files, *national_copies)}
    problems = [Problem(_shown(edition), 0,
                        f"this edition's site would go in {edition.name}/, which the national site already uses",
                        "rename the edition's folder, e.g. to the area's name")
                for edition in editions if edition.name.lower() in taken]
    if problems:
        raise BuildFailed(problems)


def _build_editions(editions: list[Path], renderer: MarkdownRenderer, strict: bool, pdf_names: dict):
    jobs = [(edition, strict, pdf_names.get(edition, "")) for edition in editions]
    workers = min(len(editions), _cores())
    if workers < 2:
        return [_build_edition(job, renderer) for job in jobs]
    import multiprocessing
    if "fork" in multiprocessing.get_all_start_methods():
        context, initargs = multiprocessing.get_context("fork"), (renderer, None)   # inherited, not copied
    else:
        context, initargs = multiprocessing.get_context("spawn"), (None, renderer.cache_dir)
    with context.Pool(workers, initializer=_start_worker, initargs=initargs) as pool:
        return pool.map(_build_edition, jobs, chunksize=max(1, len(jobs) // (workers * 4)))


def _start_worker(renderer: MarkdownRenderer | None, cache_dir: Path | None) -> None:
    global _shared
    if renderer is None:          # spawned: read the national results the parent just saved
        renderer = MarkdownRenderer(False, cache_dir, workers=1)
        renderer.cache_dir = None
    _shared = renderer


def _build_edition(job, renderer: MarkdownRenderer | None = None) -> EditionBuilt | EditionFailed:
    edition_root, strict, pdf_name = job
    renderer = renderer or _shared
    try:
        edition = load_edition(edition_root)
        if renderer is None or renderer.allow_raw_html != edition.settings.allow_raw_html:
            renderer = MarkdownRenderer(edition.settings.allow_raw_html, None, workers=1)
        result = build(edition_root, write=False, strict=strict, renderer=renderer, pdf_name=pdf_name)
    except BuildFailed as failed:
        return EditionFailed(edition_root, failed.problems)
    return EditionBuilt(edition_root, result.edition.settings.name, result.pages, result.outputs,
                        result.copies, result.warnings, result.baseline)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:          # not on Linux
        return os.cpu_count() or 1


def _last_good(site: Path) -> dict[str, Path]:
    """The files of an edition's last good site, to keep when it fails to build."""
    if not (site / MANIFEST).is_file():
        return {}
    return {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*"))
            if path.is_file() and path.name != MANIFEST}


def _located(problems, edition_root: Path) -> list[Problem]:
    """Problems with paths that name the edition: areas/eastmere/toolkit.yml, not toolkit.yml."""
    out = []
    for problem in problems:
        path = Path(problem.path)
        if problem.path and not path.is_absolute() and (edition_root / path).exists():
            path = edition_root / path          # not "the theme" and such, which name no file
        out.append(Problem(_shown(path), problem.line, problem.message, problem.hint,
                           problem.column, problem.warning))
    return out


def _key(problem: Problem):
    # The same warning about a national page comes from every edition that shows it: report it once.
    return problem.path, problem.line, problem.message


def _shown(path: Path) -> str:
    """A path relative to where the command was run, when it is inside it."""
    path = Path(path)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())
    return path.as_posix()


def _pdf_names(editions: list[Path]) -> dict[Path, str]:
    from toolkit.stages.pdf import pdf_file_name, require_weasyprint
    require_weasyprint()
    return {root: pdf_file_name(root) for root in (NATIONAL_ROOT, *editions)}
