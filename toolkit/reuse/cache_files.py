"""The files of the build cache (.toolkit-cache): data only, and read only when this user's builds wrote them.

An edition folder travels (on a shared drive, in a zip, in a repository), so whatever
is in its cache folder may have been made or edited by someone else. The cache files
therefore hold plain data (JSON; plain.py), never code, and each starts with a keyed
hash (HMAC-SHA256) of the rest. The key is a random secret made on the first write
in the user's own cache folder, outside every edition:

    POSIX     $XDG_CACHE_HOME/compact-toolkit/cache-key (~/.cache/... when it is not set)
    Windows   %LOCALAPPDATA%\\compact-toolkit\\cache-key

readable by the user only. A file whose hash does not match (made with another key,
edited, cut short, damaged) is not read: the build does the work again and writes it
anew. When the key cannot be made or read, there is no cache to read, and writing one
fails with the reason; builds are slower, never wrong.

Files are written to a temporary file beside them (.markdown-*, .site-*), then moved
into place, so a reader never sees half of one; each write first removes what an
interrupted write left, and the cache file earlier versions wrote (markdown.pickle,
never read: loading a pickle can run any code in it).
"""
from __future__ import annotations

import errno
import hmac
import os
import tempfile
from pathlib import Path
from typing import Callable

from toolkit.model.problems import Problem

CACHE_FOLDER = ".toolkit-cache"          # in each edition folder: what only makes builds faster

KEY_FILE = "cache-key"
KEY_BYTES = 32
PURPOSES = ("markdown", "site")          # what a file holds; its temporary files are named .<purpose>-*
NEVER_READ = ("markdown.pickle",)


def cache_folder(edition_root: Path) -> Path:
    """An edition's cache folder: its own .toolkit-cache, except for the national toolkit as
    installed (national.py), which is not written to: its cache is kept in the user's cache folder."""
    from toolkit.national import VERSION, is_installed_national
    if is_installed_national(edition_root):
        try:
            return key_folder() / f"national-{VERSION}"
        except OSError:                   # no home folder: the cache cannot be saved, which is only slower
            pass
    return Path(edition_root) / CACHE_FOLDER


def key_folder() -> Path:
    """The user's own cache folder for the toolkit (not made here)."""
    try:
        if os.name == "nt":
            base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        else:
            base = os.environ.get("XDG_CACHE_HOME", "")
            if not os.path.isabs(base):              # unset, or relative: the XDG rule is to ignore it
                base = str(Path.home() / ".cache")
    except RuntimeError as error:                  # no home folder to be found
        raise OSError(f"there is no home folder to keep the cache's key in ({error})") from error
    return Path(base) / "compact-toolkit"


def user_key(make: bool = True) -> bytes:
    """This user's secret, made (readable by the user only) on first use when `make`; OSError
    naming the key's file when it can be neither read nor made."""
    path = key_folder() / KEY_FILE
    try:
        try:
            key = path.read_bytes()
        except FileNotFoundError:
            if not make:
                raise
            key = b""
        if len(key) != KEY_BYTES and make:
            _make_key(path, replace=bool(key))
            key = path.read_bytes()
    except OSError as error:
        raise OSError(error.errno, error.strerror or str(error), str(path)) from error
    if len(key) != KEY_BYTES:
        raise OSError(errno.EINVAL, "the key is damaged", str(path))
    return key


def _make_key(path: Path, replace: bool) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")     # made private (0600)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(os.urandom(KEY_BYTES))
        if replace:                                # a damaged key (what it signed is simply rebuilt)
            os.replace(temporary, path)
            return
        try:
            os.link(temporary, path)               # of two builds starting at once, the first one's key is kept
        except FileExistsError:
            pass
        except OSError:                            # a file system without links
            os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _seal(key: bytes, purpose: str, body: bytes) -> bytes:
    mac = hmac.new(key, f"compact-toolkit {purpose}\0".encode(), "sha256")
    mac.update(body)
    return mac.hexdigest().encode()


def read_sealed(path: Path, purpose: str) -> bytes | None:
    """What write_sealed(path, purpose, ...) stored with this user's key, or None: no such file,
    no key, or a file this user's builds did not write as it is now."""
    try:
        stored = path.read_bytes()
        key = user_key(make=False)      # a new key could not have signed it
    except OSError:
        return None
    mark, _, body = stored.partition(b"\n")
    return body if hmac.compare_digest(mark, _seal(key, purpose, body)) else None


def write_sealed(path: Path, purpose: str, body: bytes) -> None:
    """Store `body` for read_sealed, whole or not at all. OSError, naming the file (`path`, or
    the key's), when it cannot be."""
    assert purpose in PURPOSES, purpose
    key = user_key()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(path.parent)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{purpose}-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_seal(key, purpose, body) + b"\n" + body)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise OSError(error.errno, error.strerror or str(error), str(path)) from error


def remove_leftovers(folder: Path) -> None:
    """Remove the temporary files of interrupted writes, and files of older versions, from a cache folder."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name in NEVER_READ or any(name.startswith(f".{purpose}-") for purpose in PURPOSES):
            try:
                os.unlink(folder / name)
            except OSError:
                pass


def not_saved(error: OSError, display: Callable[[Path], str]) -> Problem:
    """The warning for a cache that could not be written (the build itself went well)."""
    where = display(Path(error.filename)) if error.filename else "the build cache"
    return Problem(where, 0, f"could not save the build cache ({error.strerror or error}); nothing else is "
                   "affected, but the next build will do all its work again", warning=True)
