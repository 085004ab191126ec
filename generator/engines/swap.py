"""Replacing one directory with another atomically, with a lock and clean-up of leftovers.

On Linux, renameat2(RENAME_EXCHANGE) swaps the old and new site in one step,
so at every instant `site/` is either the whole old site or the whole new one.
Elsewhere (or on file systems without it) a rename of the old site away and
the new one into place leaves a moment without `site/`; that fallback is
documented and tested.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.outdir import made_by_us

PREFIX = ".build-"  # fresh builds, and old sites waiting to be removed, are named .build-<site>-*
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_EXCHANGE = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False when the system cannot."""
    if _EXCHANGE is None:
        return False
    if _EXCHANGE(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:  # type: ignore[operator]
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace_dir(new: Path, target: Path) -> None:
    """Put `new` where `target` is; afterwards `new` holds the old tree (or nothing)."""
    if not target.exists() and not target.is_symlink():
        new.rename(target)
        new.mkdir()  # the caller removes `new` afterwards
        return
    if exchange(new, target):
        return
    old = target.with_name(f"{PREFIX}{target.name}-old")
    if old.exists() or old.is_symlink():
        if not made_by_us(old):
            raise OSError(errno.EEXIST, "a folder this tool did not make is in the way", str(old))
        remove_tree(old)
    target.rename(old)
    new.rename(target)
    old.rename(new)


def _make_writable(func, path, _exc) -> None:  # type: ignore[no-untyped-def]
    try:
        os.chmod(os.path.dirname(path) or ".", stat.S_IRWXU)
        if not os.path.isdir(path):
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        func(path)
    except OSError:
        pass  # left for the next build's clean-up; never fatal


def remove_tree(path: Path) -> None:
    """Remove a tree, read-only files included; what cannot be removed is left quietly."""
    try:
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        elif path.exists():
            shutil.rmtree(path, onerror=_make_writable)
    except OSError:
        pass  # the next build's clean-up tries again


def remove_leftovers(target: Path) -> None:
    """Folders of builds that were killed or failed before they cleaned up: only those that hold
    the tool's marker (outdir.MARKER, written as each build folder is made). A `site.old/` or
    `.build-site-notes/` of the user's own is never touched."""
    for leftover in target.parent.glob(f"{PREFIX}{target.name}-*"):
        if leftover.is_dir() and not leftover.is_symlink() and made_by_us(leftover):
            remove_tree(leftover)


@contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock beside `target` for the whole build; a second build waits."""
    lock_path = target.with_name(f".{target.name}.lock")
    with open(lock_path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {target} to finish…", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
