"""BibTeX sources: one parse (bibtexparser 2, LaTeX decoded by pylatexenc), lines kept.

Each entry is read once and becomes a `Reference`: its fields as readers see
them (for the checks and JSON-LD), the line of each field, and a CSL-JSON item
that citeproc-py formats. citeproc-py never parses the BibTeX itself, so the
checks and the formatted reference cannot disagree about what an entry says.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from generator.errors import Reporter
from generator.model import Location, Reference
from generator.sources.files import read_text
from generator.sources.richtext import plain_text

# BibTeX entry type -> CSL type. Types not listed are refused with a path:line error
# rather than formatted as something they are not.
CSL_TYPES = {
    "article": "article-journal", "book": "book", "booklet": "pamphlet", "inbook": "chapter",
    "incollection": "chapter", "inproceedings": "paper-conference", "conference": "paper-conference",
    "manual": "book", "mastersthesis": "thesis", "phdthesis": "thesis", "thesis": "thesis",
    "proceedings": "book", "techreport": "report", "report": "report", "unpublished": "manuscript",
    "misc": "document", "online": "webpage", "electronic": "webpage", "www": "webpage",
    "software": "software", "dataset": "dataset",
}
# BibTeX field -> CSL variable (text fields; names, dates and pages are handled apart).
CSL_TEXT = {"title": "title", "journal": "container-title", "journaltitle": "container-title",
            "booktitle": "container-title", "volume": "volume", "number": "issue", "doi": "DOI",
            "pmid": "PMID", "pmcid": "PMCID", "url": "URL", "publisher": "publisher",
            "address": "publisher-place", "edition": "edition", "isbn": "ISBN", "issn": "ISSN",
            "note": "note", "howpublished": "medium", "institution": "publisher", "school": "publisher",
            "version": "version", "series": "collection-title"}
MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}

# Zotero writes rich text as {\textless}i{\textgreater}…; Better BibTeX as \textit{…}.
# Both decode to the few inline tags `richtext` lets through; everything else is text.
_context = get_default_latex_context_db()
_context.add_context_category("zotero", prepend=True, macros=[
    MacroTextSpec("textless", "<"), MacroTextSpec("textgreater", ">"),
    MacroTextSpec("textit", "<i>%s</i>"), MacroTextSpec("emph", "<i>%s</i>"),
    MacroTextSpec("textbf", "<b>%s</b>"), MacroTextSpec("textsuperscript", "<sup>%s</sup>"),
    MacroTextSpec("textsubscript", "<sub>%s</sub>"),
])
_DECODER = LatexNodes2Text(latex_context=_context, math_mode="verbatim", strict_latex_spaces=True)

# A value closed and a new `name =` begun without the comma between them; bibtexparser
# would silently glue the second field into the first.
_MISSING_COMMA = re.compile(r"[}\"][ \t]*+(?:\r?\n[ \t]*+)?([A-Za-z][\w-]*+)[ \t]*+=")


_BARE_AMP = re.compile(r"(?<!\\)&")  # LaTeX's alignment character; in a title it means "and"


def _decode(value: str) -> str:
    try:
        text = _DECODER.latex_to_text(_BARE_AMP.sub(r"\\&", value))
    except Exception:  # pylatexenc raises assorted errors on broken LaTeX: keep the raw text
        text = value.replace("{", "").replace("}", "")
    return " ".join(text.split())


def _unbalanced_line(raw: str, first_line: int) -> int:
    """Line of the brace that never closes in a failed entry (where the author must look)."""
    opened: list[int] = []
    line = first_line
    for ch in raw:
        if ch == "\n":
            line += 1
        elif ch == "{":
            opened.append(line)
        elif ch == "}" and opened:
            opened.pop()
    return opened[-1] if len(opened) > 1 else (opened[0] if opened else first_line)


def _names(value: Any) -> list[dict[str, str]]:
    out = []
    for part in value if isinstance(value, list) else []:
        if isinstance(part, mw.NameParts):
            family = " ".join([*part.von, *part.last]).strip()
            given = " ".join(part.first).strip()
            suffix = " ".join(part.jr).strip()
            name = {"family": _decode(family), "given": _decode(given)}
            if suffix:
                name["suffix"] = _decode(suffix)
            out.append({k: v for k, v in name.items() if v} or {"literal": "Anonymous"})
    return out


def parse_bibtex(path: Path, rep: Reporter, text: str | None = None) -> dict[str, Reference]:
    """Every well-formed entry of a BibTeX file; each problem reported at its line."""
    if text is None:
        text = read_text(rep, path)  # the one reading rule: UTF-8, NFC, no FIFOs
        if text is None:
            return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bibtexparser warns about its own middleware order
        library = bibtexparser.parse_string(text, append_middleware=[  # type: ignore[attr-defined]
            mw.SeparateCoAuthors(), mw.SplitNameParts()])
    entries: dict[str, Reference] = {}
    first_seen: dict[str, int] = {}
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            rep.error(path, line, f"duplicate bibliography key '{block.key}' (first defined at line "
                      f"{first_seen.get(block.key, '?')})")
        elif isinstance(block, ParsingFailedBlock):
            raw = block.raw or ""
            where = _unbalanced_line(raw, line) if raw.count("{") != raw.count("}") else line
            reason = str(block.error).split("\n")[-1].strip() or "syntax error"
            rep.error(path, where, f"cannot read this BibTeX entry ({reason}); check braces, quotes and commas")
        elif isinstance(block, Entry):
            first_seen.setdefault(block.key, line)
            ref = _reference(path, rep, block, line)
            if ref is not None:
                entries[ref.key] = ref
    return entries


def _reference(path: Path, rep: Reporter, entry: Entry, line: int) -> Reference | None:
    key, kind = entry.key, entry.entry_type.lower()
    raw = entry.raw or ""
    m = _MISSING_COMMA.search(raw)
    if m:
        rep.error(path, line + raw.count("\n", 0, m.start(1)), f"'{key}': missing comma before field '{m.group(1)}'")
        return None
    if kind not in CSL_TYPES:
        rep.error(path, line, f"'{key}': entry type '@{kind}' is not supported; use one of "
                  f"{', '.join('@' + t for t in sorted(CSL_TYPES))}")
        return None
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    csl: dict[str, Any] = {"id": key, "type": CSL_TYPES[kind]}
    ok = True
    for f in entry.fields:
        name = f.key.lower()
        lines[name] = f.start_line + 1
        if name in ("author", "editor"):
            names = _names(f.value)
            if names:
                csl[name] = names
                fields[name] = " and ".join(
                    n.get("literal") or ", ".join(filter(None, [n.get("family"), n.get("given")])) for n in names)
            continue
        if not isinstance(f.value, str):
            continue
        value = _decode(f.value)
        fields[name] = plain_text(value)
        if name == "pages":
            csl["page"] = value.replace("\u2013", "-")
        elif name in CSL_TEXT:
            csl.setdefault(CSL_TEXT[name], value)
    year, month = fields.get("year", ""), fields.get("month", "")
    if year:
        parts: list[int] = []
        if year.isdigit():
            parts.append(int(year))
            if month:
                number = int(month) if month.isdigit() else MONTHS.get(month[:3].lower())
                if number is None or not 1 <= number <= 12:
                    rep.error(path, lines["month"], f"'{key}': month {month!r} is not a month (1-12 or jan-dec)")
                    ok = False
                else:
                    parts.append(number)
            csl["issued"] = {"date-parts": [parts]}
    fields["pages"] = fields.get("pages", "").replace("\u2013", "-") if "pages" in fields else ""
    if not fields["pages"]:
        del fields["pages"]
    if not ok:
        return None
    return Reference(key, kind, fields, Location(path, line), lines, csl)
