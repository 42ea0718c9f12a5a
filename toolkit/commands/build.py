"""`compact-toolkit build [EDITION] [--out DIR] [--pdf] [--zip] [--strict] [--no-cache]`: make the site and write it.

    fingerprint   nothing changed since the last build into this folder? then stop  reuse/fingerprint.py
    build_site    the site, in memory (every stage, top to bottom)                  pipeline.py
    render_pdf    the whole guide as a PDF, when asked for                          stages/pdf.py
    write_site    the output folder, staged; only the toolkit's own files replaced  stages/write.py
    save caches   the Markdown cache and the no-change record                       reuse/

and, by the build command (run_build; build_all does the same):

    record        the national files the edition replaces, as now          checks/national_changes.py
    publish       server settings beside the site, and the zip (--zip)     stages/server_settings.py, zip_site.py

A failed build raises BuildFailed before anything is written, so the last good site stays.
"""
from __future__ import annotations

import datetime
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.checks.national_changes import baseline_now, changed_since, read_baseline
from toolkit.model.problems import BuildFailed, Problem
from toolkit.national import is_installed_national
from toolkit.reuse.cache_files import CACHE_FOLDER, cache_folder, not_saved  # noqa: F401 (tests import CACHE_FOLDER)
from toolkit.reuse.fingerprint import forget_site, input_fingerprint, record_site, unchanged_site
from toolkit.stages.discover import discover
from toolkit.stages.edition import load_edition

@dataclass(frozen=True)
class BuildResult:
    edition: object                   # stages.edition.Edition
    out: Path | None
    pages: int
    files: int
    warnings: tuple[Problem, ...]
    seconds: float
    markdown_rendered: int            # texts not found in the cache
    outputs: dict = field(default_factory=dict, compare=False)   # path -> bytes, for the preview server
    copies: dict = field(default_factory=dict, compare=False)    # path -> source file copied as it is
    site: object = field(default=None, compare=False)            # the Site, for check --external
    pdf_pages: int = 0                # pages in the PDF of the whole guide, when one was made
    unchanged: bool = False           # the output folder was already what these inputs make
    kept: tuple[str, ...] = ()        # files in the output folder the toolkit did not write, left there
    baseline: object = None           # checks.national_changes.Baseline: the national files as this build saw them


def default_output(edition_root: Path) -> Path:
    """EDITION/_site; the national toolkit as installed is not written to, so its site goes to the
    _site folder of the folder the command is run in."""
    return Path.cwd() / "_site" if is_installed_national(edition_root) else Path(edition_root) / "_site"


def build(edition_root: Path, out: Path | None = None, *, write: bool = True, strict: bool = False,
          use_cache: bool = True, renderer=None, pdf_name: str = "", today: datetime.date | None = None,
          memory=None, changed: list[str] | None = None) -> BuildResult:
    """Build an edition and, with `write`, write it to `out` (default EDITION/_site).

    `use_cache`: read and keep the Markdown cache and the no-change record in the
    edition's .toolkit-cache folder. `renderer`, `memory`, `changed`: see pipeline.build_site.
    The warnings include each national file the edition replaces that changed since it last
    built; the result's `baseline` is what the build command records (national_changes.py)."""
    started = time.perf_counter()
    edition = load_edition(Path(edition_root))
    out = Path(out) if out else default_output(edition.root)
    cache_dir = cache_folder(edition.root) if use_cache else None
    fingerprint = None
    if write and cache_dir is not None:
        from toolkit.stages.generated import build_date
        sources = discover(edition)
        fingerprint = input_fingerprint(sources.input_files(edition), {
            "out": str(out.resolve()), "strict": strict, "pdf": pdf_name, "build_date": build_date(edition),
            "skipped": [warning.path for warning in sources.warnings],     # files never read, but warned of
            "today": str(today or datetime.date.today()) if edition.settings.review_every else ""})
        last = unchanged_site(cache_dir, out, fingerprint)
        if last is not None:
            return BuildResult(edition, out, last.pages, last.files, last.warnings, time.perf_counter() - started,
                               0, pdf_pages=last.pdf_pages, unchanged=True)

    # The rest needs the Markdown and template engines; imported here, so a build that
    # finds nothing to do never loads them.
    from toolkit.pipeline import build_site
    from toolkit.reuse.markdown_cache import MarkdownRenderer
    from toolkit.stages.write import write_site
    if renderer is None and memory is None:
        renderer = MarkdownRenderer(edition.settings.allow_raw_html, cache_dir)
    built = build_site(edition.root, renderer=renderer, strict=strict, pdf_name=pdf_name, today=today,
                       memory=memory, changed=changed)
    # Replaced national files changed since the last build: said by this build, not recorded with it
    # (the build command records the national files anew: national_changes.py). Not in the preview.
    baseline = baseline_now(edition) if memory is None else None
    national = changed_since(read_baseline(edition.root), baseline)
    if strict and national:
        raise BuildFailed([Problem(p.path, p.line, p.message, p.hint, p.column) for p in national])
    files, warnings, pdf_pages, kept = dict(built.files), built.warnings, 0, ()
    if pdf_name:        # made before writing, so the pages that link to it are never written without it
        from toolkit.stages.pdf import render_pdf
        files[pdf_name], pdf_pages = render_pdf(files, built.copies, edition.settings.base_url)
    if write:
        if cache_dir is not None:
            forget_site(cache_dir, out)
        kept = write_site(out, files, built.copies, edition.search_path).kept
    try:        # the site is written: a cache that cannot be saved is a warning, and the next build a real one
        if renderer is not None and memory is None:
            renderer.save()
        if fingerprint:
            record_site(cache_dir, out, fingerprint, len(built.site.pages), len(files) + len(built.copies),
                        warnings, pdf_pages)
    except OSError as error:
        warnings = (*warnings, not_saved(error, edition.display))
    return BuildResult(edition, out if write else None, len(built.site.pages), len(files) + len(built.copies),
                       (*warnings, *national), time.perf_counter() - started, built.markdown_rendered, files,
                       built.copies, site=built.site, pdf_pages=pdf_pages, kept=kept, baseline=baseline)


def run_build(edition: Path, out: Path | None, *, strict: bool, use_cache: bool, pdf: bool,
              zip_site: bool = False) -> int:
    """The `build` command for one edition: build, write the server settings (and the zip) beside
    the site, then say what was done."""
    from toolkit.model.problems import format_report
    started = time.perf_counter()
    pdf_name = ""
    if pdf:
        from toolkit.stages.pdf import pdf_file_name, require_weasyprint
        require_weasyprint()
        pdf_name = pdf_file_name(edition)
    result = build(edition, out, strict=strict, use_cache=use_cache, pdf_name=pdf_name)
    warnings = list(result.warnings)
    if result.baseline is not None:
        warnings += record_baseline(result.edition.root, result.baseline)
    said, problems = publish(result.edition, result.out, zip_site)
    warnings += problems
    if warnings:
        print(format_report(warnings), file=sys.stderr)
    if pdf:
        print(f"Wrote {result.out / pdf_name} ({result.pdf_pages} pages).")
    if result.kept:
        from toolkit.stages.write import kept_report
        print(kept_report(result.out, result.kept))
    done = "Checked" if result.unchanged else "Built"
    print(f"{done} {result.pages} pages of {result.edition.settings.name} into {result.out} "
          f"in {time.perf_counter() - started:.2f} s" + (": nothing had changed" if result.unchanged else "")
          + f". Open {result.out / 'index.html'} in a browser.")
    for line in said:
        print(line)
    return 0


def record_baseline(edition_root: Path, baseline) -> list[Problem]:
    """Record the national files the edition replaces, as this build saw them (national_changes.py);
    a warning when that cannot be written (the site itself was)."""
    from toolkit.checks.national_changes import RECORD_FILE, save_baseline
    try:
        save_baseline(edition_root, baseline)
    except OSError as error:
        return [Problem(RECORD_FILE, 0, f"could not record the national files this edition replaces "
                        f"({error.strerror or error}); the site was built, but the next 'check' cannot say "
                        "which of them changed nationally since", "make the edition's folder writable",
                        warning=True)]
    return []


def publish(edition, out: Path, zip_site: bool) -> tuple[list[str], list[Problem]]:
    """Beside the site written to `out`: the server settings, and with `zip_site` the site as a zip.
    (What to say, warnings): the one about base_url when the settings are new or changed."""
    from toolkit.stages.server_settings import (no_base_url, server_settings, settings_folder,
                                                write_server_settings)
    said, problems = [], []
    folder = settings_folder(out)
    try:
        if write_server_settings(folder, server_settings(edition.settings)):
            said.append(f"Wrote server settings for IIS, Apache and nginx to {folder} (see README.txt there).")
            if not edition.settings.base_url and not is_installed_national(edition.root):   # theirs to set
                problems.append(no_base_url(edition.display(edition.config_files[0])))
    except OSError as error:
        problems.append(Problem(str(folder), 0, f"could not write the server settings beside the site "
                                f"({error.strerror or error}); the site itself was built",
                                "build to a folder whose parent folder you may write in, with --out",
                                warning=True))
    if zip_site:
        from toolkit.stages.zip_site import write_zip
        said.append(f"Wrote the site as one zip file: {write_zip(out)}.")
    return said, problems
