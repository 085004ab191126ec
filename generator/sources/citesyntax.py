"""Pandoc citation syntax, one tokenizer for every reader of it.

    [@key]   [@a; @b, ch. 3]   [see @key, p. 12]   [-@key]   @key   @key [p. 33]   [@{odd key}]

as Pandoc and Quarto read it: a bracketed citation holds items separated by `;`, each an
optional prefix, `@key` (or `-@key`, author suppressed) and an optional suffix whose text
after a comma is the locator; it may wrap across lines within its paragraph. `@key` in
running text cites with the author named in the text. A key starts with a letter, digit or
`_` and may hold `:.#$%&-+?<>~/` inside; `@{…}` takes any key.

Not citations: `[@handle](url)` and `[@x][ref]` (links), a bracket right after `/` (a URL
path such as https://example.org/[@doe99]), `me@example.org` (an address), anything in inline
code, `<code>` or a code block. A bracket that holds an `@` but no well-formed item is
reported (a warning: it stays as text), never silently dropped.

A suffix's locator is read as Pandoc reads it (`split_locator`): a label the locale knows
("p.", "pp.", "chap.", "§"…; none means a page), then numbers, ranges or roman numerals joined
by commas; the rest is suffix: "pp. 33, 35-37, and nowhere else" is pages "33, 35-37" and
", and nowhere else". `{…}` takes a locator of any shape.

Rendering (the Markdown extension), usage counting, key checks and reading scores all take
citations from here. Every pattern is linear in the length of the text: a bracketed body
never spans another bracket, and a key never spans another `@`.
"""
from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files

from generator.sources.mdscan import outside_code

KEY = r"(?:\{[^{}\n]{1,200}\}|[\w](?:[\w:.#$%&+?<>~/-]{0,200}[\w])?)"
# A bracket's text: anything but a bracket, or a backslash escape ("\[89\]" in a locator).
_BODY = r"(?:[^\[\]\\]|\\.)"
# A bracket holding an "@", not right after "/" (a URL path), "\" (escaped) or "^" (Pandoc's
# inline note, ^[…], whose text may cite), not followed by "(" or "[" (a link) or "{" (a span).
BRACKETED = r"(?<![/\\^])\[(?P<body>(?:[^\[\]\\@]|\\.)*@" + _BODY + r"*)\](?![(\[{])"
BRACKETED_RE = re.compile(BRACKETED)
# "@key" in running text: not inside a word, an address or a path, nor a bracket after "/" or "\";
# an optional bracket after it holds its suffix and, after a ";", more citations: @a [p. 33; @b].
IN_TEXT = (r"(?<![\w@/\\.+\-])(?<![/\\]\[)@(?P<key>" + KEY + r")"
           r"(?:[ \t]\[(?P<loc>[^\[\]@\n;]*)(?P<more>;[^\[\]\n]*)?\](?![(\[{]))?")
IN_TEXT_RE = re.compile(IN_TEXT)
# A line that defines a reference link ("[@x]: https://…"), as Python-Markdown reads one: the
# block parser takes it before any citation is looked for. A footnote's ("[^1]: …") is text.
_DEFINITION = re.compile(r"^[ ]{0,3}\[(?!\^)[^\[\]\n]*\]:[ ]*\S+[ ]*(?:([\"']).*\1[ ]*|\(.*\)[ ]*)?$", re.M)
# Pandoc's example list: "(@label)" opening a line numbers an example, and "@label" then refers
# to it. Not supported here: the marker is reported, and references to its label are not citations.
_EXAMPLE = re.compile(r"^[ ]{0,3}\(@(?P<label>[\w-]{1,100})\)(?=[ \t]|$)", re.M)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!@;])")
_ITEM = re.compile(r"(?P<prefix>[^@]*?)(?P<minus>-?)@(?P<key>" + KEY + r")(?P<suffix>[^@]*)", re.S)
_TICKS = re.compile(r"`+")
_CODE_TAG = re.compile(r"<(code|kbd|samp)\b[^>]*>.*?</\1\s*>", re.S | re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class CitationError(ValueError):
    pass


@dataclass(frozen=True)
class Item:
    key: str
    locator: str = ""  # the suffix after the key, less its leading comma ("p. 12")
    prefix: str = ""  # text before the key ("see")
    suppress_author: bool = False  # -@key
    # Whether a comma came before the suffix ("[@a, and b]") or only a space ("[@a and b]"): a
    # suffix with no locator keeps it, as Pandoc does ("Doe 2005, and b" / "Doe 2005 and b").
    comma: bool = True

    @cached_property
    def parts(self) -> Locator:
        return split_locator(self.locator)

    def rest(self) -> str:
        """The suffix as printed after the reference (and its locator, if any)."""
        if self.parts.label:
            return self.parts.suffix
        return (", " if self.comma else " ") + self.locator if self.locator else ""


# The locator kinds Pandoc reads from a suffix, named as CSL names them.
LOCATOR_TERMS = ("book", "chapter", "column", "figure", "folio", "issue", "line", "note", "opus", "page",
                 "paragraph", "part", "section", "sub verbo", "verse", "volume")


@lru_cache(maxsize=1)
def locator_labels() -> dict[str, str]:
    """What an author may write before a locator -> its CSL kind: every form of each locator term
    in citeproc-py's en-US locale ("p.", "pp.", "page", "pages", "§", "chap.", …), as Pandoc takes
    them from the locale, and each short form without its full stop ("p 12")."""
    ns = "{http://purl.org/net/xbiblio/csl}"
    locale = files("citeproc") / "data" / "locales" / "locales-en-US.xml"
    labels: dict[str, str] = {}
    for term in ElementTree.fromstring(locale.read_bytes()).iter(f"{ns}term"):
        name = term.get("name", "")
        if name not in LOCATOR_TERMS:
            continue
        for form in ([term.text] if (term.text or "").strip() else [t.text for t in term]):
            if form and form.strip():
                labels[form.strip().casefold()] = name
                labels.setdefault(form.strip().rstrip(".").casefold(), name)
    return labels


# One piece of a locator: no space, and no punctuation but "-", "–" and ":" (ranges, vol:page);
# pieces join with "." (1.2), and a piece may carry a bracketed part (12(a)).
_PIECE = r"(?:[^\s!-,./;?@\[-_{}¶§“”‘’«»]|[-:\u2013+$<=>^`|~])+(?:\([^\s()]{0,40}\))?"
_WORD = re.compile(r"(?P<sep>[,;]?)(?P<space>\s?)(?P<unit>" + _PIECE + r"(?:\." + _PIECE + r")*)")
_ROMAN = re.compile(r"(?=[ivxlcdm])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})", re.I)
_LABEL_END = re.compile(r"[\s\u00a0]*")


def _digit_like(unit: str, labelled: bool) -> bool:
    return any(c.isdigit() for c in unit) or (labelled and _ROMAN.fullmatch(unit) is not None)


@dataclass(frozen=True)
class Locator:
    label: str  # its CSL kind ("page", "chapter"…); empty when the suffix holds none
    value: str  # "33, 35-37"
    suffix: str  # what follows it: ", and nowhere else"


def split_locator(text: str) -> Locator:
    """A citation's suffix as its locator and the rest, read as Pandoc reads it: "p. 12" is page
    12; "chap. 3, for one" chapter 3 and ", for one"; "33" page 33; "and elsewhere" no locator;
    "{Introduction}" and "{sec. A–B}" any text, the label optional."""
    rest = text.lstrip(" \t\n\u00a0")
    rest = rest[1:].lstrip(" \t\n\u00a0") if rest.startswith(",") else rest
    if rest.startswith("{"):
        depth, end = 0, -1
        for i, c in enumerate(rest):
            depth += {"{": 1, "}": -1}.get(c, 0)
            if depth == 0:
                end = i
                break
        if end > 0:
            inner = rest[1:end].strip()
            label, value = _label_at(inner)
            return Locator(label or "page", value, rest[end + 1:])
    label, after = _label_at(rest)
    value_at = len(rest) - len(after)
    pos, end, first = value_at, -1, True
    while pos < len(rest):
        m = _WORD.match(rest, pos)
        if m is None or (first and m.group("sep")) or not _digit_like(m.group("unit"), bool(label)):
            break
        end, pos, first = m.end(), m.end(), False
    if end < 0:
        return Locator("", "", text)
    return Locator(label or "page", rest[value_at:end].strip(), rest[end:])


def _label_at(text: str) -> tuple[str, str]:
    """(the CSL kind of the label `text` starts with, the text after it); ("", text) if none.
    The longest label wins ("pp." over "p"), and it must end the word it is in."""
    labels = locator_labels()
    best = ""
    for size in range(min(len(text), 12), 0, -1):
        head = text[:size]
        if head.casefold() in labels and (size == len(text) or not text[size].isalpha()):
            best = head
            break
    if not best:
        return "", text
    after = text[len(best):]
    return labels[best.casefold()], after[_LABEL_END.match(after).end():]  # type: ignore[union-attr]


def unescape(text: str) -> str:
    """Markdown's backslash escapes in a prefix, suffix or locator ("\\[89\\]" is "[89]")."""
    return _ESCAPE.sub(r"\1", text)


def _key(text: str) -> str:
    return text[1:-1].strip() if text.startswith("{") else text


def parse_citation(body: str) -> list[Item]:
    """`see @a, p. 3; -@b` -> [Item("a", "p. 3", "see"), Item("b", suppress_author=True)]."""
    if _PARAGRAPH_BREAK.search(body):
        raise CitationError("a citation cannot run across a blank line")
    items = []
    for part in body.split(";"):
        m = _ITEM.fullmatch(part.strip())
        if not m or (m.group("prefix") and not m.group("prefix")[-1].isspace()):
            raise CitationError(f"{part.strip()!r} is not a citation item: write [@key], [see @key, p. 12] or "
                                "[-@key]; for a literal @, write \\@")
        suffix = unescape(" ".join(m.group("suffix").split()))
        items.append(Item(_key(m.group("key")), suffix[1:].strip() if suffix.startswith(",") else suffix,
                          unescape(" ".join(m.group("prefix").split())), bool(m.group("minus")),
                          comma=suffix.startswith(",") or not suffix))
    return items


@dataclass(frozen=True)
class Citation:
    line: int  # 0-based line within the scanned text
    start: int  # offset within that line
    end_line: int  # the line it ends on (a bracketed citation may wrap)
    end: int  # offset within that line, one past the end
    items: tuple[Item, ...]  # empty when malformed
    # `@key` in running text: the first item's key may be no key at all (an @handle); any items
    # after it came from its bracket ("@a [p. 33; @b]") and are ordinary citations.
    in_text: bool = False
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


def masked(text: str) -> str:
    """`text` with inline code (backticks and <code>, <kbd>, <samp>) blanked out, same length:
    what the citation patterns may match in."""
    out = list(text)
    for a, b in [*_code_spans(text), *((m.start(), m.end()) for m in _CODE_TAG.finditer(text))]:
        out[a:b] = [c if c == "\n" else " " for c in text[a:b]]
    return "".join(out)


def scan(text: str) -> Iterator[Citation]:
    """Every citation in Markdown source, in order, outside code."""
    return iter(_scan(text))


# One body is read for citations by the key checks, usage counting, term matching and reading
# scores: it is scanned once (measured at 1,000 topics: four scans of every body cost 3 s).
@lru_cache(maxsize=8192)
def _scan(text: str) -> tuple[Citation, ...]:
    lines = text.split("\n")
    return tuple(_scan_blocks(lines, example_labels(lines)))


def example_labels(lines: list[str]) -> frozenset[str]:
    """The labels of Pandoc example-list items, "(@label)" opening a line outside code: "@label"
    then refers to the example and is no citation."""
    if not any("(@" in line for line in lines):  # as nearly every page: no pass over its code blocks
        return frozenset()
    return frozenset(m.group("label") for line in (ln for _, ln in outside_code(lines)) if "(@" in line
                     for m in [_EXAMPLE.match(line)] if m)


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Runs of consecutive lines outside code: (index of the first, the lines)."""
    start, run = -1, list[str]()
    for number, line in outside_code(lines):
        if run and number != start + len(run):
            yield start, run
            run = []
        if not run:
            start = number
        run.append(line)
    if run:
        yield start, run


def _position(first: int, newlines: list[int]):  # type: ignore[no-untyped-def]
    """Offset in a block -> (line in the text, column)."""
    def at(offset: int) -> tuple[int, int]:
        n = bisect.bisect_right(newlines, offset - 1)
        return first + n, offset - (newlines[n - 1] + 1 if n else 0)
    return at


def _scan_blocks(lines: list[str], examples: frozenset[str]) -> Iterator[Citation]:
    for first, run in _blocks(lines):
        block = "\n".join(run)
        if "@" not in block:
            continue
        plain = masked(block)
        if "]:" in plain:  # reference-link definitions are no text to cite in
            plain = _DEFINITION.sub(lambda d: " " * len(d.group()), plain)
        newlines = [i for i, c in enumerate(block) if c == "\n"]

        at = _position(first, newlines)

        found: list[tuple[int, int, Citation]] = []
        taken: list[tuple[int, int]] = []
        for m in BRACKETED_RE.finditer(plain):
            if _PARAGRAPH_BREAK.search(m.group("body")):
                continue  # "[" and "]" in two paragraphs: not one citation
            (line, col), (end_line, end_col) = at(m.start()), at(m.end())
            try:
                cite = Citation(line, col, end_line, end_col, tuple(parse_citation(m.group("body"))))
            except CitationError as exc:
                cite = Citation(line, col, end_line, end_col, (), error=str(exc))
            found.append((m.start(), m.end(), cite))
            taken.append((m.start(), m.end()))
        starts = [a for a, _ in taken]  # in order, and never overlapping
        consumed: set[int] = set()
        for m in IN_TEXT_RE.finditer(plain):
            i = bisect.bisect_right(starts, m.start()) - 1
            if i >= 0 and m.start() < taken[i][1]:
                continue
            (line, col), (end_line, end_col) = at(m.start()), at(m.end())
            key = _key(m.group("key"))
            if key in examples:
                before = plain[plain.rfind("\n", 0, m.start()) + 1:m.start()]
                if before.endswith("(") and len(before) <= 4 and not before[:-1].strip(" ") \
                        and plain[m.end():m.end() + 1] == ")":
                    found.append((m.start(), m.end(), Citation(line, col - 1, line, col + len(key) + 2, (), error=(
                        f"'(@{key})' starts a Pandoc example list, which this site does not number: it stays "
                        "text (write \\(@ for a literal one)"))))
                continue  # "@label" refers to an example, not to a reference
            found.append((m.start(), m.end(), _in_text(m, line, col, end_line, end_col)))
            if m.group("loc") is not None:  # "@a [p. 33; @b]": its bracket is no citation on its own
                consumed.add(m.start("loc") - 1)
        for start, _, cite in sorted(found, key=lambda f: f[0]):
            if not (cite.error and not cite.in_text and start in consumed):
                yield cite


def _in_text(m: re.Match[str], line: int, col: int, end_line: int, end_col: int) -> Citation:
    """`@key`, `@key [p. 33]` or `@key [p. 33; see @b]`: the author in the text, then any more."""
    first = Item(_key(m.group("key")), unescape(m.group("loc") or "").strip())
    try:
        more = parse_citation(m.group("more")[1:]) if m.group("more") else []
    except CitationError as exc:
        return Citation(line, col, end_line, end_col, (), in_text=True, error=str(exc))
    return Citation(line, col, end_line, end_col, (first, *more), in_text=True)


def citation_keys(text: str, known: frozenset[str] | None = None) -> Iterator[str]:
    """Keys cited in Markdown source, in order of appearance; malformed citations are skipped,
    and so is an in-text `@word` that is no key of `known` (when given): it stays text."""
    for c in scan(text):
        for i, item in enumerate(c.items):
            if i == 0 and c.in_text and known is not None and item.key not in known:
                continue
            yield item.key


@lru_cache(maxsize=8192)
def strip_citations(text: str) -> str:
    """The text with each bracketed citation replaced by a space (for term matching and
    reading scores); an in-text `@key` is left, as the author's name it prints is prose."""
    found = [c for c in _scan(text) if not c.in_text]
    if not found:
        return text
    lines = text.split("\n")
    for c in reversed(found):
        head, tail = lines[c.line][: c.start], lines[c.end_line][c.end :]
        if c.end_line > c.line:  # the lines a wrapped citation spanned stay, so later lines keep their numbers
            lines[c.line : c.end_line + 1] = [head + " ", *[""] * (c.end_line - c.line - 1), tail]
        else:
            lines[c.line] = head + " " + tail
    return "\n".join(lines)
