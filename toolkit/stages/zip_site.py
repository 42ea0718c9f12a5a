"""The site as one zip file, to upload to a council's CMS or intranet (`build --zip`).

It holds exactly the site's files (those the output folder's manifest vouches for: write.py),
not the manifest nor anything else kept in the folder, and is the same bytes for the same
site: entries in sorted order, every one dated 1980-01-01 (the first date a zip file can hold)
and with the same permissions. It is written beside the output folder (`_site` -> `_site.zip`),
to a temporary file first, so the last good zip stays until the new one is whole.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

from toolkit.stages.write import site_files

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def zip_path(out: Path) -> Path:
    return out.parent / f"{out.name}.zip"


def write_zip(out: Path) -> Path:
    """Zip the site in `out`; return the zip file's path."""
    target = zip_path(out)
    temporary = target.parent / f".{target.name}-{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as stream, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            for rel in site_files(out):
                entry = zipfile.ZipInfo(rel, FIXED_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                entry.create_system = 3                  # as made on Unix, wherever it is made
                archive.writestr(entry, (out / rel).read_bytes(), compresslevel=9)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
