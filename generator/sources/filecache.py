"""One small cache for things built from files (the glossary, a bibliography), reused until a
file changes. The key is each file's path, modification time and size; one entry per kind,
because a build, a preview or an extension only ever works on one project at a time."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_entries: dict[str, tuple[tuple[object, ...], object]] = {}


def file_key(paths: list[Path]) -> tuple[object, ...]:
    return tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


def folder_key(folder: Path, suffixes: frozenset[str] | set[str]) -> tuple[object, ...]:
    """The key of every file in `folder` with one of `suffixes`: its name, mtime and size.

    Extensions ask for the glossary once per page. With 2,000 term files, resolving and
    stat-ing each path twice cost 71 ms a call; one directory scan with one stat per file costs
    12 ms and sees the same changes (measured once by hand; see the closing note of issue 16)."""
    if not folder.is_dir():
        return (str(folder.resolve()),)
    with os.scandir(folder) as entries:
        files = sorted((e.name, st.st_mtime_ns, st.st_size) for e in entries
                       if os.path.splitext(e.name)[1].lower() in suffixes and (st := e.stat()))
    return (str(folder.resolve()), *files)


def cached(kind: str, key: tuple[object, ...], build: Callable[[], T]) -> T:
    """`build()` once per `key`; a new key for `kind` replaces the old entry."""
    hit = _entries.get(kind)
    if hit is None or hit[0] != key:
        _entries[kind] = (key, build())
    return _entries[kind][1]  # type: ignore[return-value]
