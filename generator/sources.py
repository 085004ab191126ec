"""Finding and reading source files, safely: nothing is silently skipped, nothing hangs.

A source folder may hold files from many authors' editors and checkouts:
other extensions, lock files, symlinks, even FIFOs. Every file is either read,
skipped for a stated reason (hidden files such as `.#x.md` editor locks and
`x.md~` backups), or reported as `path: error: …`.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import Reporter


@dataclass(frozen=True)
class Kind:
    folder: str  # relative to the project root
    what: str  # for messages
    suffixes: tuple[str, ...]  # accepted, compared case-insensitively; the first is the usual one
    required: bool = False  # an absent or empty folder is an error


TOPICS = Kind("content/topics", "topic", (".md", ".markdown"), required=True)
GLOSSARY = Kind("glossary", "glossary term", (".yml", ".yaml"))
PROTOCOLS = Kind("content/protocols", "protocol", (".yml", ".yaml"))


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.endswith("~")


def read_text(rep: Reporter, path: Path, root: Path | None = None) -> str | None:
    """A source file's text (UTF-8, a BOM allowed), or None after reporting why not."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve()
            if not target.exists():
                rep.error(path, 0, "is a symbolic link to a file that does not exist")
                return None
            if root is not None and not target.is_relative_to(root.resolve()):
                rep.error(path, 0, f"is a symbolic link to {target}, outside the project; sources must "
                          "live inside the project")
                return None
            info = target.stat()
        if stat.S_ISDIR(info.st_mode):
            rep.error(path, 0, "is a directory, not a source file")
            return None
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device would block the build forever on open().
            rep.error(path, 0, "is not a regular file (a pipe, socket or device); sources are plain files")
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        rep.error(path, 0, f"cannot read: {exc.strerror or exc.__class__.__name__}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        rep.error(path, line, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        return None


def source_files(rep: Reporter, root: Path, kind: Kind, folder: Path | None = None) -> list[tuple[Path, str]]:
    """Every readable source of `kind` (in `folder`, by default the kind's own), sorted, as (path, text)."""
    folder = folder or root / kind.folder
    if not folder.is_dir():
        if kind.required or folder.exists():
            rep.error(folder, 0, f"the {kind.what} folder {kind.folder}/ is missing" if not folder.exists()
                      else f"{kind.folder} must be a folder")
        return []
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        rep.error(folder, 0, f"cannot list the folder: {exc.strerror or exc.__class__.__name__}")
        return []
    found: list[tuple[Path, str]] = []
    stems: dict[str, str] = {}
    for name in names:
        if _skipped(name):
            continue
        path = folder / name
        suffix = Path(name).suffix.lower()
        if suffix not in kind.suffixes:
            rep.error(path, 0, f"is not a {kind.what} source: {kind.folder}/ holds "
                      f"{' or '.join(kind.suffixes)} files (rename it, or move it elsewhere)")
            continue
        stem = Path(name).stem
        if stem in stems:
            rep.error(path, 0, f"the same {kind.what} as {stems[stem]}: keep one of the two files")
            continue
        stems[stem] = name
        text = read_text(rep, path, root)
        if text is not None:
            found.append((path, text))
    if kind.required and not found and not rep.errors:
        rep.error(folder, 0, f"no {kind.what} files in {kind.folder}/: a site needs at least one")
    return found
