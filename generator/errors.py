"""Diagnostics: every problem points at a file and a line."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

Level = Literal["error", "warning"]


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


class Reporter:
    """Collects diagnostics so one run reports every problem, not just the first."""

    def __init__(self, root: Path):
        self.root = root
        self.diagnostics: list[Diagnostic] = []

    def rel(self, path: Path | str) -> str:
        p = Path(path)
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.rel(path), line, "error", message))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.rel(path), line, "warning", message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    def raise_errors(self) -> None:
        if self.errors:
            raise SourceError(self.errors)
