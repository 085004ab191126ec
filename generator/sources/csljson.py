"""CSL-JSON bibliographies (as Zotero exports them), read as JSON with the line of every item.

The stdlib decoder gives positions: each item is decoded on its own with
`raw_decode`, so its line is known, and a field's line is found within the
item's own text. Tabs, a BOM and any JSON formatting are accepted.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.errors import Reporter
from generator.model import Location, Reference
from generator.sources import biblatex
from generator.sources.files import read_text
from generator.sources.richtext import plain_text

# CSL variable -> the field name the checks use (BibTeX's names).
FIELDS = {"title": "title", "container-title": "journal", "volume": "volume", "issue": "number",
          "page": "pages", "DOI": "doi", "PMID": "pmid", "PMCID": "pmcid", "URL": "url"}
# CSL type -> the BibTeX-like kind the checks use.
KINDS = {"article-journal": "article"}
_WS = re.compile(r"[ \t\r\n,]*")


def parse_csl_json(path: Path, rep: Reporter, text: str | None = None) -> dict[str, Reference]:
    if text is None:
        text = read_text(rep, path)  # the one reading rule: UTF-8, NFC, no FIFOs
        if text is None:
            return {}
    text = text.lstrip("\ufeff")
    decoder = json.JSONDecoder()
    line_at = _lines(text)
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    if not text.startswith("[", pos):
        rep.error(path, line_at(pos), "a CSL-JSON bibliography is a JSON list of items: [ {...}, ... ]")
        return {}
    try:
        json.loads(text)  # the whole file must be valid JSON before any item is used
    except json.JSONDecodeError as exc:
        rep.error(path, exc.lineno, f"invalid JSON: {exc.msg}")
        return {}
    except RecursionError:
        rep.error(path, 1, "invalid JSON: nested too deeply")
        return {}
    entries: dict[str, Reference] = {}
    pos += 1
    while True:
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text) or text[pos] == "]":
            break
        item, end = decoder.raw_decode(text, pos)
        ref = _reference(path, rep, item, text[pos:end], line_at(pos))
        if ref is not None:
            if ref.key in entries:
                rep.error(path, ref.loc.line, f"duplicate bibliography key '{ref.key}' (first defined at "
                          f"line {entries[ref.key].loc.line})")
            else:
                entries[ref.key] = ref
        pos = end
    return entries


def _lines(text: str):  # type: ignore[no-untyped-def]
    import bisect

    newlines = [m.start() for m in re.finditer("\n", text)]
    return lambda offset: bisect.bisect_left(newlines, offset) + 1


def _reference(path: Path, rep: Reporter, item: Any, raw: str, line: int) -> Reference | None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)) or isinstance(item.get("id"), bool):
        rep.error(path, line, "each CSL-JSON item is an object with an 'id'")
        return None
    key = str(item["id"])

    def line_of(name: str) -> int:
        at = raw.find(json.dumps(name))
        return line + raw.count("\n", 0, at) if at >= 0 else line

    lines: dict[str, int] = {}
    for variable, name in FIELDS.items():
        value = item.get(variable)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            lines[name] = line_of(variable)
        elif value not in (None, ""):
            rep.error(path, line_of(variable), f"'{key}': '{variable}' must be text")
            return None
    authors = item.get("author")
    if authors is not None:
        if not isinstance(authors, list) or not all(isinstance(a, dict) for a in authors):
            rep.error(path, line_of("author"), f"'{key}': 'author' must be a list of name objects")
            return None
        lines["author"] = line_of("author")
    csl_type = item.get("type", "document")
    if not isinstance(csl_type, str):
        rep.error(path, line_of("type"), f"'{key}': 'type' must be text")
        return None
    csl = {k: v for k, v in item.items() if k != "id"} | {"id": key, "type": csl_type}
    for variable in DATE_VARIABLES:
        if variable in csl:
            csl[variable] = _date(path, rep, key, variable, csl[variable], line_of(variable))
    if isinstance(csl.get("issued"), dict) and "date-parts" in csl["issued"]:
        lines["year"] = line_of("issued")
    return Reference(key, KINDS.get(csl_type, csl_type), reader_fields(csl), Location(path, line), lines, csl)


DATE_VARIABLES = ("issued", "accessed", "available-date", "event-date", "original-date", "submitted")


def _date(path: Path, rep: Reporter, key: str, variable: str, value: Any, line: int) -> Any:
    """A CSL-JSON date as citeproc-py takes it. CSL 1.0.2 also allows an EDTF string
    ("2019-03-02", "2019/2020", "1984~") and an object with only `raw`; those are read as
    biblatex reads its dates (the same EDTF subset), or shown as written with a warning."""
    text = value if isinstance(value, str) else value.get("raw") if isinstance(value, dict) \
        and "date-parts" not in value and "literal" not in value else None
    if not isinstance(text, str):
        return value
    try:
        return biblatex.csl_date(text)
    except biblatex.DateError:
        rep.warning(path, line, f"'{key}': {variable} {text!r} is not a date CSL reads (YYYY, YYYY-MM-DD, a range "
                    "A/B, ~ or ? after it); shown as written")
        return {"literal": text}


def reader_fields(item: dict[str, Any]) -> dict[str, str]:
    """A CSL item's fields as the checks and JSON-LD read them, under BibTeX's names, as plain
    text: one reading for CSL-JSON and BibTeX sources alike."""
    fields: dict[str, str] = {}
    for variable, name in FIELDS.items():
        value = item.get(variable)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            fields[name] = plain_text(" ".join(str(value).split()))
    issued = item.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        fields["year"] = str(parts[0][0])
    authors = item.get("author")
    if isinstance(authors, list) and authors:
        fields["author"] = " and ".join(
            str(a.get("literal") or ", ".join(str(x) for x in (a.get("family"), a.get("given")) if x))
            for a in authors if isinstance(a, dict))
    return fields
