"""A position-aware BibTeX scanner.

citeproc-py parses BibTeX for formatting, but it forgets where each entry and
field came from. The checks need `path:line`, so this scanner records them.
It understands the subset Zotero and Better BibTeX export: `@type{key, name =
{value} | "value" | bare, ...}`, with nested braces and `%` comment lines.
"""
from __future__ import annotations

import re
from pathlib import Path

from .model import Location, Reference

_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^\s,]+)\s*,")
_FIELD = re.compile(r"\s*([A-Za-z][\w-]*)\s*=\s*")


class BibSyntaxError(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


def _strip_comments(text: str) -> str:
    # Blank out % comment lines (outside values) but keep offsets, so lines stay right.
    return re.sub(r"(?m)^[ \t]*%.*$", lambda m: " " * len(m.group()), text)


def _read_value(text: str, pos: int, line_at) -> tuple[str, int]:
    if text[pos] == "{":
        depth, i = 0, pos
        while i < len(text):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    return text[pos + 1 : i], i + 1
            i += 1
        raise BibSyntaxError(line_at(pos), "unbalanced braces in value")
    if text[pos] == '"':
        end = text.find('"', pos + 1)
        if end < 0:
            raise BibSyntaxError(line_at(pos), "unterminated quoted value")
        return text[pos + 1 : end], end + 1
    m = re.compile(r"[\w.:/-]+").match(text, pos)
    if not m:
        raise BibSyntaxError(line_at(pos), "expected a value in braces, quotes, or a bare number")
    return m.group(), m.end()


def clean(value: str) -> str:
    """Field text as a reader sees it: protective braces gone, whitespace folded."""
    return " ".join(value.replace("{", "").replace("}", "").split())


def parse_bibtex(path: Path, text: str | None = None) -> dict[str, Reference]:
    text = _strip_comments(path.read_text(encoding="utf-8") if text is None else text)
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line_at(offset: int) -> int:
        import bisect

        return bisect.bisect_left(newlines, offset) + 1

    entries: dict[str, Reference] = {}
    pos = 0
    while (m := _ENTRY.search(text, pos)) is not None:
        kind, key = m.group(1).lower(), m.group(2)
        if kind in ("comment", "preamble", "string"):
            pos = m.end()
            continue
        line = line_at(m.start())
        fields: dict[str, str] = {}
        field_lines: dict[str, int] = {}
        pos = m.end()
        while True:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(text):
                raise BibSyntaxError(line, f"entry '{key}' is not closed")
            if text[pos] in "})":
                pos += 1
                break
            fm = _FIELD.match(text, pos)
            if not fm:
                raise BibSyntaxError(line_at(pos), f"entry '{key}': expected 'name = value'")
            name = fm.group(1).lower()
            value, pos = _read_value(text, fm.end(), line_at)
            fields[name] = clean(value)
            field_lines[name] = line_at(fm.start(1))
        if key in entries:
            raise BibSyntaxError(line, f"duplicate bibliography key '{key}'")
        entries[key] = Reference(key, kind, fields, Location(path, line), field_lines)
    return entries
