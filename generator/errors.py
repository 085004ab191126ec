"""Diagnostics: every problem points at a file and a line."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning", "note"]  # a note is information: it never fails a run


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    level: Level
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"


class SourceError(Exception):
    """Raised when sources cannot be turned into a site; carries every error found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class SourceSyntaxError(ValueError):
    """A problem at one line of one source (YAML, BibTeX, CSL-JSON, a template macro).

    Parsers raise it with the line they know; whoever knows the file reports it."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


class Reporter:
    """Collects diagnostics so one run reports every problem, not just the first."""

    def __init__(self, root: Path):
        self.root = root
        self.diagnostics: list[Diagnostic] = []

    def rel(self, path: Path | str) -> str:
        p = Path(path)
        # The path as named (a symlink is reported as itself, not as its target).
        for base, full in ((Path(os.path.abspath(self.root)), Path(os.path.abspath(p))),
                           (self.root.resolve(), p.parent.resolve() / p.name)):
            try:
                return full.relative_to(base).as_posix()
            except ValueError:
                continue
        return p.as_posix()

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.rel(path), line, "error", message))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.rel(path), line, "warning", message))

    def note(self, path: Path | str, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.rel(path), line, "note", message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    def raise_errors(self) -> None:
        if self.errors:
            raise SourceError(self.errors)
