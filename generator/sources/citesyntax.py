"""Pandoc citation syntax, one tokenizer for every reader of it.

    [@key]   [@a; @b]   [@key, p. 12]

Rendering (the Markdown extension), usage counting, key checks and reading
scores all take citations from here. `[@handle](url)` is a link, as in
Pandoc; citations inside code spans and fenced code are text. Every pattern is
linear in the length of the line: a bracket never spans another bracket or a
newline, so no start position rescans what another already scanned.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from generator.sources.mdscan import outside_code

# The body excludes "[" and "]": from each "[@" the scan stops at the next bracket.
CITATION = r"\[(\s*@[^\[\]\n]*)\](?!\()"
CITATION_RE = re.compile(CITATION)
KEY = re.compile(r"@([\w:.#$%&+?<>~/-]+)(?:\s*,\s*(.+))?")
_TICKS = re.compile(r"`+")


class CitationError(ValueError):
    pass


def parse_citation(body: str) -> list[tuple[str, str]]:
    """`@a; @b, p. 3` -> [("a", ""), ("b", "p. 3")]."""
    items = []
    for part in body.split(";"):
        m = KEY.fullmatch(part.strip())
        if not m:
            raise CitationError(f"malformed citation item {part.strip()!r}: write [@key] or [@key, p. 12]")
        items.append((m.group(1), (m.group(2) or "").strip()))
    return items


@dataclass(frozen=True)
class Citation:
    line: int  # 0-based line within the scanned text
    start: int  # offsets within that line
    end: int
    items: tuple[tuple[str, str], ...]  # (key, locator); empty when malformed
    error: str = ""


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Spans of inline code: a run of N backticks up to the next run of exactly N."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(line)]
    spans: list[tuple[int, int]] = []
    # Next run of each length, found by one backwards pass: linear in the number of runs.
    after: list[int | None] = [None] * len(runs)
    latest: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        after[i] = latest.get(length)
        latest[length] = i
    i = 0
    while i < len(runs):
        j = after[i]
        if j is None:
            i += 1
            continue
        spans.append((runs[i][0], runs[j][1]))
        i = j + 1
    return spans


def scan(text: str) -> Iterator[Citation]:
    """Every citation in Markdown source, in order, outside code."""
    return iter(_scan(text))


# One body is read for citations by the key checks, usage counting, term matching and reading
# scores: it is scanned once (measured at 1,000 topics: four scans of every body cost 3 s).
@lru_cache(maxsize=8192)
def _scan(text: str) -> tuple[Citation, ...]:
    return tuple(_scan_lines(text))


def _scan_lines(text: str) -> Iterator[Citation]:
    for number, line in outside_code(text.split("\n")):
        if "[" not in line:
            continue
        code = _code_spans(line) if "`" in line else []
        for c in CITATION_RE.finditer(line):
            if any(a <= c.start() < b for a, b in code):
                continue
            try:
                yield Citation(number, c.start(), c.end(), tuple(parse_citation(c.group(1))))
            except CitationError as exc:
                yield Citation(number, c.start(), c.end(), (), str(exc))


def citation_keys(text: str) -> Iterator[str]:
    """Keys cited in Markdown source, in order of appearance; malformed citations are skipped."""
    for c in scan(text):
        for key, _ in c.items:
            yield key


@lru_cache(maxsize=8192)
def strip_citations(text: str) -> str:
    """The text with each citation replaced by a space (for term matching and reading scores)."""
    found = _scan(text)
    if not found:
        return text
    lines = text.split("\n")
    for c in reversed(found):
        line = lines[c.line]
        lines[c.line] = line[: c.start] + " " + line[c.end :]
    return "\n".join(lines)
