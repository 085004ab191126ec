"""BibTeX and biblatex sources: one parse (bibtexparser 2, lines kept), LaTeX decoded by
pylatexenc, the data model read by biblatex.py.

Each entry is read once and becomes a `Reference`: a CSL-JSON item that citeproc-py formats,
its fields as readers see them (for the checks and JSON-LD, the same reading as a CSL-JSON
source's), and the line of each field. citeproc-py never parses the BibTeX itself, so the
checks and the formatted reference cannot disagree about what an entry says.

What real exports bring, and where it is handled: `@string` macros and `#` concatenation
(`_value`), biblatex's `date`, `urldate`, `eventdate` with ranges and circa dates, every entry
type and the extended name format (biblatex.py), `crossref` and `xdata` (resolved before
decoding), math in titles (`17$\\beta$-Estradiol`, `H$_2$O`: Unicode and <sup>/<sub>),
Zotero's `<span class="nocase">` (dropped, its text kept), `\\noopsort{}`, and a bare `%`,
which in a field is a percent sign, not a LaTeX comment.
"""
from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock, String
from pylatexenc import macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexwalker import LatexWalker
from pylatexenc.latexwalker import get_default_latex_context_db as walker_context_db

from generator.errors import Reporter
from generator.model import Location, Reference
from generator.sources import biblatex
from generator.sources.csljson import reader_fields
from generator.sources.files import read_text

# Zotero writes rich text as {\textless}i{\textgreater}…; Better BibTeX as \textit{…}.
# Both decode to the few inline tags `richtext` lets through; everything else is text.
_ARG_MACROS = ("textit", "emph", "textbf", "textsuperscript", "textsubscript", "noopsort", "mkbibquote",
               "mkbibemph", "mkbibitalic", "mkbibbold", "mkbibsuperscript", "mkbibsubscript")
_context = get_default_latex_context_db()
_context.add_context_category("zotero", prepend=True, macros=[
    MacroTextSpec("textless", "<"), MacroTextSpec("textgreater", ">"),
    MacroTextSpec("textit", "<i>%s</i>"), MacroTextSpec("emph", "<i>%s</i>"), MacroTextSpec("mkbibemph", "<i>%s</i>"),
    MacroTextSpec("mkbibitalic", "<i>%s</i>"), MacroTextSpec("textbf", "<b>%s</b>"),
    MacroTextSpec("mkbibbold", "<b>%s</b>"), MacroTextSpec("textsuperscript", "<sup>%s</sup>"),
    MacroTextSpec("mkbibsuperscript", "<sup>%s</sup>"), MacroTextSpec("textsubscript", "<sub>%s</sub>"),
    MacroTextSpec("mkbibsubscript", "<sub>%s</sub>"), MacroTextSpec("mkbibquote", "“%s”"),
    MacroTextSpec("noopsort", ""),  # a sort key for BibTeX styles; prints nothing
])
# The parser must know these take an argument, or `%s` is printed and the argument follows it.
_walker_context = walker_context_db()
_walker_context.add_context_category("zotero", prepend=True,
                                     macros=[macrospec.MacroSpec(name, "{") for name in _ARG_MACROS])
_DECODER = LatexNodes2Text(latex_context=_context, math_mode="verbatim", strict_latex_spaces=True)

# A value closed and a new `name =` begun without the comma between them; bibtexparser
# would silently glue the second field into the first.
# A field name right after a value, where a comma should be ("title = {A} year = {2000}").
_BRACES_AND_QUOTES = re.compile(r'[{}"]')
_FIELD_AFTER = re.compile(r"[ \t]*+(?:\r?\n[ \t]*+)?([A-Za-z][\w-]*+)[ \t]*+=")
_BARE_AMP = re.compile(r"(?<!\\)&")  # LaTeX's alignment character; in a title it means "and"
_BARE_PERCENT = re.compile(r"(?<!\\)%")  # a comment in LaTeX; in a field, a percent sign
_MATH = re.compile(r"(?<!\\)\$([^$]{1,200})\$")
# In math: ^\circ is a degree sign; ^x, ^{xy}, _x, _{xy} are super- and subscripts.
_DEGREE = re.compile(r"\^\s*\{?\s*\\circ\s*\}?")
_SCRIPT = re.compile(r"([_^])\s*(\{[^{}]*\}|\\[A-Za-z]+|[^\s{}\\])")
# Zotero marks words a style must not recase; the text stays, the mark goes.
_NOCASE = re.compile(r'<span class="nocase">(.*?)</span>|<span style="font-variant:\s*small-caps;?">(.*?)</span>')


def missing_comma(raw: str) -> re.Match[str] | None:
    """Where an entry's braced or quoted value is followed by another field with no comma
    between: "title = {A} year = {2000}", which bibtexparser would read as one field. Only the
    entry's own level counts, so "keywords = "Alphabetgeschichten == Alphabet history"" is
    a value. One pass, counting braces and quotes as BibTeX does."""
    opener = re.search(r"[{(]", raw)
    if opener is None:
        return None
    level = 1 if opener.group() == "{" else 0  # the entry's own braces, if it is braced
    depth, quoted = level, False
    for mark in _BRACES_AND_QUOTES.finditer(raw, opener.end()):  # only these change the state
        i, c = mark.start(), mark.group()
        ended = False
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < level:
                return None  # the entry's end
            ended = depth == level and not quoted
        elif c == '"' and depth == level:
            quoted = not quoted
            ended = not quoted
        if ended and (m := _FIELD_AFTER.match(raw, i + 1)):
            return m
    return None


def _math(m: re.Match[str]) -> str:
    body = _DEGREE.sub("°", m.group(1))
    return _SCRIPT.sub(lambda s: ("\\textsuperscript" if s.group(1) == "^" else "\\textsubscript")
                       + (s.group(2) if s.group(2).startswith("{") else "{" + s.group(2) + "}"), body)


# What LaTeX would change: commands, groups, math, specials, and the ligatures -- `` ''.
_LATEX = re.compile(r"[\\{}$%&~<]|--|``|''")


def decode(value: str) -> str:
    """A field's LaTeX as text, with <i>, <b>, <sup>, <sub> where the LaTeX asked for them."""
    if not _LATEX.search(value):  # plain text, as most fields are: nothing for LaTeX to do
        return " ".join(value.split())
    latex = _MATH.sub(_math, _BARE_PERCENT.sub(r"\\%", _BARE_AMP.sub(r"\\&", value)))
    try:
        nodes = LatexWalker(latex, latex_context=_walker_context, tolerant_parsing=True).get_latex_nodes()[0]
        text = _DECODER.nodelist_to_text(nodes)
    except Exception:  # pylatexenc raises assorted errors on broken LaTeX: keep the raw text
        text = value.replace("{", "").replace("}", "")
    text = _NOCASE.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    return " ".join(text.split())


# ---- values: enclosing, @string macros and # concatenation -------------------------------------

_MONTH_NAMES = {abbr: biblatex.MONTH_NAMES[n - 1].capitalize() for abbr, n in biblatex.MONTHS.items()}


def _parts(raw: str) -> list[str]:
    """The `#`-joined parts of a raw field value, outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    return [p.strip() for p in parts]


def _value(raw: str, strings: dict[str, str]) -> str:
    """A raw field value with its enclosing removed, macros expanded and parts joined."""
    out = []
    for part in _parts(raw):
        if len(part) >= 2 and ((part[0] == "{" and part[-1] == "}") or (part[0] == '"' and part[-1] == '"')):
            out.append(part[1:-1])
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in _MONTH_NAMES:
            out.append(_MONTH_NAMES[part.lower()])
        else:
            out.append(part)  # a number, or a macro nobody defined: kept as written
    return "".join(out)


# ---- names --------------------------------------------------------------------------------------

def _names(value: str) -> list[dict[str, str]]:
    out = []
    for person in split_multiple_persons_names(value):
        person = person.strip()
        if not person:
            continue
        if biblatex.is_extended_name(person):
            parts = biblatex.extended_name(person)
        elif person.startswith("{") and person.endswith("}") and person.count("{") == 1:
            parts = {"literal": person[1:-1]}  # {World Health Organization}: one name, never split
        else:
            try:
                p = parse_single_name_into_parts(person, strict=False)
            except Exception:  # a name bibtexparser cannot split is kept whole
                parts = {"literal": person}
            else:
                parts = {"family": " ".join(p.last), "given": " ".join(p.first), "suffix": " ".join(p.jr)}
                if p.von:
                    parts["non-dropping-particle"] = " ".join(p.von)
        name = {k: decode(v) for k, v in parts.items() if v.strip()}
        out.append({k: v for k, v in name.items() if v} or {"literal": "Anonymous"})
    return out


def _line(raw: str, first_line: int) -> int:
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


# ---- the file -------------------------------------------------------------------------------------

class _Raw:
    """An entry's fields as values (macros expanded, not yet decoded), with their lines."""

    def __init__(self, entry: Entry, line: int, strings: dict[str, str]):
        self.key, self.kind, self.line, self.entry = entry.key, entry.entry_type.lower(), line, entry
        self.fields: dict[str, str] = {}
        self.lines: dict[str, int] = {}
        self.repeated: list[tuple[str, int]] = []  # (field, line) of a field given again
        for f in entry.fields:
            name = f.key.lower()
            if name in self.fields:  # BibTeX keeps the first and warns about the rest
                self.repeated.append((name, f.start_line + 1))
                continue
            self.fields[name] = _value(f.value, strings) if isinstance(f.value, str) else ""
            self.lines[name] = f.start_line + 1


def parse_bibtex(path: Path, rep: Reporter, text: str | None = None) -> dict[str, Reference]:
    """Every well-formed entry of a BibTeX or biblatex file; each problem reported at its line."""
    if text is None:
        text = read_text(rep, path, eight_bit=True)  # the one reading rule: UTF-8, NFC, no FIFOs
        if text is None:
            return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bibtexparser warns about its own middleware order
        # It also logs each block it cannot parse; those are reported below, at their lines.
        logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
        # No middleware: values arrive as written, so enclosing, macros and `#` are read in one place.
        library = bibtexparser.parse_string(text, parse_stack=[])  # type: ignore[attr-defined]
    strings = {b.key.lower(): _value(str(b.value), {}) for b in library.blocks if isinstance(b, String)}
    raws: dict[str, _Raw] = {}
    first_seen: dict[str, int] = {}
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateFieldKeyBlock) and isinstance(block.ignore_error_block, Entry):
            block = block.ignore_error_block  # a field given twice: read as BibTeX reads it (below)
        if isinstance(block, DuplicateBlockKeyBlock):
            rep.error(path, line, f"duplicate bibliography key '{block.key}' (first defined at line "
                      f"{first_seen.get(block.key, '?')})")
        elif isinstance(block, ParsingFailedBlock):
            raw = block.raw or ""
            where = _line(raw, line) if raw.count("{") != raw.count("}") else line
            reason = str(block.error).split("\n")[-1].strip() or "syntax error"
            rep.error(path, where, f"cannot read this BibTeX entry ({reason}); check braces, quotes and commas")
        elif isinstance(block, Entry):
            first_seen.setdefault(block.key, line)
            raws[block.key] = _Raw(block, line, strings)
            for name, at in raws[block.key].repeated:
                rep.warning(path, at, f"'{block.key}': {name} is given twice; the first is used, as BibTeX does")
    by_key = {k.lower(): r for k, r in raws.items()}  # biblatex matches crossref keys case-insensitively
    resolved: dict[str, dict[str, str]] = {}
    entries: dict[str, Reference] = {}
    for item in raws.values():
        if item.kind in biblatex.DATA_ONLY:
            continue
        ref = _reference(path, rep, item, _resolved(path, rep, item, by_key, resolved, ()))
        if ref is not None:
            entries[ref.key] = ref
    return entries


def _resolved(path: Path, rep: Reporter, raw: _Raw, by_key: dict[str, _Raw], done: dict[str, dict[str, str]],
              chain: tuple[str, ...]) -> dict[str, str]:
    """The entry's fields with what its `xdata` and `crossref` entries give it (its own win);
    those entries resolved first, each once (`done`), a cycle cut where it closes (`chain`)."""
    if raw.key in done:
        return done[raw.key]
    fields = dict(raw.fields)
    for name in ("xdata", "crossref"):
        value = raw.fields.get(name, "")
        for target in ([t.strip() for t in value.split(",")] if name == "xdata" else [value.strip()]):
            if not target:
                continue
            parent = by_key.get(target.lower())
            if parent is None or parent is raw:
                rep.warning(path, raw.lines[name], f"'{raw.key}': {name} '{target}' is not in this file; "
                            "its fields are not inherited")
                continue
            if parent.key in chain:
                rep.warning(path, raw.lines[name], f"'{raw.key}': {name} '{target}' leads back to itself; "
                            "the loop is not followed")
                continue
            theirs = _resolved(path, rep, parent, by_key, done, (*chain, raw.key))
            given = dict(theirs) if name == "xdata" else biblatex.inherited(raw.kind, parent.kind, theirs)
            for field, inherited in given.items():
                fields.setdefault(field, inherited)
    done[raw.key] = fields
    return fields


def _reference(path: Path, rep: Reporter, raw: _Raw, fields: dict[str, str]) -> Reference | None:
    key, kind, line = raw.key, raw.kind, raw.line
    m = missing_comma(raw.entry.raw or "")
    if m:
        rep.error(path, line + (raw.entry.raw or "").count("\n", 0, m.start(1)),
                  f"'{key}': missing comma before field '{m.group(1)}'")
        return None
    csl_type = biblatex.CSL_TYPES.get(kind)
    if csl_type is None:
        what = "is a group of other entries" if kind in biblatex.NO_CSL_TYPE else "has no CSL type"
        rep.warning(path, line, f"'{key}': entry type '@{kind}' {what}; it is listed as a document")
        csl_type = "document"
    csl: dict[str, Any] = {"id": key, "type": csl_type}
    for role in ("author", "editor", "translator", "bookauthor"):
        if fields.get(role, "").strip():
            names = _names(fields[role])
            if names:
                csl["container-author" if role == "bookauthor" else role] = names
    title = decode(fields.get("title", ""))
    if fields.get("subtitle"):
        title = f"{title}: {decode(fields['subtitle'])}" if title else decode(fields["subtitle"])
    if title:
        csl["title"] = title
    for name, variable in biblatex.CSL_TEXT.items():
        if fields.get(name, "").strip() and variable not in csl:
            value = decode(fields[name])
            if name in ("booktitle", "maintitle") and fields.get(name.replace("title", "subtitle")):
                value = f"{value}: {decode(fields[name.replace('title', 'subtitle')])}"
            csl[variable] = value
    if fields.get("number", "").strip():
        csl["issue" if csl_type in ("article-journal", "article-magazine", "article-newspaper") else "number"] = \
            decode(fields["number"])
    publisher = next((fields[p] for p in biblatex.PUBLISHERS if fields.get(p, "").strip()), "")
    if publisher:
        csl["publisher"] = decode(publisher)
    if fields.get("pages", "").strip():
        csl["page"] = decode(fields["pages"]).replace("\u2013", "-")
    ok = True
    for name, variable in biblatex.DATES.items():
        if fields.get(name, "").strip():
            try:
                # As written: `~` marks a circa date here, not LaTeX's non-breaking space.
                csl[variable] = biblatex.csl_date(fields[name].replace("{", "").replace("}", ""))
            except biblatex.DateError:
                rep.warning(path, raw.lines.get(name, line), f"'{key}': {name} {fields[name]!r} is not a "
                            "date biblatex reads (YYYY, YYYY-MM-DD, a range A/B, ~ or ? after it); shown as written")
                csl[variable] = {"literal": decode(fields[name])}
    year, month = decode(fields.get("year", "")), decode(fields.get("month", ""))
    if "issued" not in csl and year:
        if year.isdigit():
            try:
                csl["issued"] = biblatex.year_month(year, month)
            except biblatex.DateError:
                # BibTeX prints any month text as written ("????" for unknown in Beebe's files):
                # valid, but no date; the year stands alone. A number past 12 is a slip.
                say = rep.warning if month.strip().isdigit() else rep.note
                say(path, raw.lines.get("month", line), f"'{key}': month {month!r} names no month or "
                    "season; the date shows the year alone")
                csl["issued"] = biblatex.year_month(year, "")
        else:
            csl["issued"] = {"literal": year}
    if not ok:
        return None
    lines = {**raw.lines}
    for reader, sources in (("journal", ("journal", "journaltitle")), ("year", ("year", "date")),
                            ("number", ("number",))):
        at = next((raw.lines[s] for s in sources if s in raw.lines), None)
        if at is not None:
            lines[reader] = at
    return Reference(key, kind, reader_fields(csl), Location(path, line), lines, csl)
