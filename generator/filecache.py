"""One small cache for things built from files (the glossary, a bibliography), reused until a
file changes. The key is each file's path, modification time and size; one entry per kind,
because a build, a preview or an extension only ever works on one project at a time."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
_entries: dict[str, tuple[tuple[object, ...], object]] = {}


def file_key(paths: list[Path]) -> tuple[object, ...]:
    return tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


def cached(kind: str, key: tuple[object, ...], build: Callable[[], T]) -> T:
    """`build()` once per `key`; a new key for `kind` replaces the old entry."""
    hit = _entries.get(kind)
    if hit is None or hit[0] != key:
        _entries[kind] = (key, build())
    return _entries[kind][1]  # type: ignore[return-value]
