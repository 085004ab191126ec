"""Reading a legacy article (the old site's one-page topics, exported as text or HTML).

The format (../shared/legacy-sample/README.md): navigation noise and the writing tool's
chatter, then the depths as bare lines (`Fundamentals`, `Intermediate`, `Academic`), each
followed by paragraphs (one a line), headings (short lines with no final full stop, often
questions), bullets and tab-separated tables; then `References` (one free-text reference a
line), `Reflection` and `Glossary` (a term line, then a `Meaning ∞ …` line). Inline glosses,
`term Meaning ∞ definition. rest of the sentence`, sit where glossary links used to be.

This module only reads: `legacy_import.py` writes the project's files and the report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from generator.model.tiers import HEADINGS as TIER_TITLES

MARK = "Meaning \u221e"  # "Meaning ∞": where a gloss begins
EXTRA = ("References", "Reflection", "Glossary")
BULLET = re.compile(r"^\s*[\u2022\u2023\u25e6\u2043\u2219*\-\u2013]\s+")
# A definition ends at a sentence end followed by the original sentence going on in lower case.
RESUME = re.compile(r"[.!?][\u201d\"')\]]?\s+(?=[a-z])")
SENTENCE = re.compile(r"(?<=[.!?])[\u201d\"')\]]?\s+(?=[A-Z0-9\u201c\"(])")
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


@dataclass(frozen=True)
class Gloss:
    term: str
    definition: str
    line: int


@dataclass
class Block:
    kind: str  # "p", "h", "ul", "table"
    lines: list[str]
    line: int  # the file line of its first line


@dataclass
class Article:
    title: str
    sections: dict[str, list[Block]] = field(default_factory=dict)  # a tier's title -> its blocks
    section_lines: dict[str, int] = field(default_factory=dict)  # where each section's marker is
    references: list[tuple[int, str]] = field(default_factory=list)
    reflection: list[Block] = field(default_factory=list)
    glossary: list[Gloss] = field(default_factory=list)  # the article's Glossary section
    glosses: list[Gloss] = field(default_factory=list)  # taken out of sentences
    dropped: list[tuple[int, str]] = field(default_factory=list)  # noise before the first depth
    problems: list[tuple[int, str]] = field(default_factory=list)  # what makes it no article


def html_to_lines(html: str) -> str:
    """An HTML export as the text export's lines: one per block, list items as bullets, table
    rows as tab-separated cells."""
    tree = LexborHTMLParser(html)
    body = tree.body or tree.root
    out: list[str] = []
    if body is None:
        return ""
    for node in body.css("h1, h2, h3, h4, h5, h6, p, li, tr"):
        if node.tag == "tr":
            out.append("\t".join(" ".join(c.text().split()) for c in node.css("th, td")))
        elif node.tag == "li":
            out.append("\u2022 " + " ".join(node.text().split()))
        elif node.parent is not None and node.parent.tag in ("li", "td", "th"):
            continue  # its text is the item's or the cell's
        else:  # a paragraph or heading: a blank line after it, as in the text export
            out.extend((" ".join(node.text().split()), ""))
    return "\n".join(out)


def _term(before: str, definition: str) -> str:
    """The glossed term: the longest run of the words just before the mark that the definition
    also names (definitions start "The X is …"), else the last word."""
    words = before.split()
    first = definition.casefold()
    for n in range(min(6, len(words)), 0, -1):
        candidate = " ".join(words[-n:]).strip(",;:()")
        core = re.sub(r"^(?:the|a|an)\s+", "", candidate, flags=re.IGNORECASE)
        if core and core.casefold() in first and re.search(r"\w", core):
            return core
    return words[-1].strip(",;:()") if words else ""


def strip_glosses(text: str, line: int) -> tuple[str, list[Gloss]]:
    """The sentence without its glosses, whole again, and the glosses taken out."""
    found: list[Gloss] = []
    while (i := text.find(MARK)) >= 0:
        before, after = text[:i].rstrip(), text[i + len(MARK):].lstrip()
        resume = RESUME.search(after)
        if resume:
            definition, rest = after[:resume.start() + 1], after[resume.end():]
        else:  # the gloss ends the sentence: the sentence's own full stop went with it
            definition, rest = after.rstrip(), ""
        found.append(Gloss(_term(before, definition), " ".join(definition.split()), line))
        if rest:
            text = f"{before} {rest}"
        else:
            text = before if before.endswith((".", "!", "?")) else before + "."
    return text, found


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


def _is_heading(text: str) -> bool:
    """A short line with no final full stop (often a question) is a heading."""
    words = text.split()
    return 0 < len(words) <= 14 and not text.endswith((".", ":", ";", ",")) and "\t" not in text


def _marker(text: str) -> str | None:
    name = text.strip().rstrip(":").strip()
    for known in (*TIER_TITLES, *EXTRA):
        if name.casefold() == known.casefold():
            return known
    return None


def parse(text: str, title: str) -> Article:
    """Read one article; what makes it no article at all goes in `problems`, at its line."""
    article = Article(title)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    section: str | None = None
    pending_term: tuple[int, str] | None = None
    blocks: list[Block] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        marker = _marker(line) if line else None
        if marker is not None:
            section = marker
            article.section_lines.setdefault(marker, number)
            blocks = article.reflection if marker == "Reflection" else \
                article.sections.setdefault(marker, []) if marker in TIER_TITLES else []
            continue
        if not line:
            continue
        if section is None:
            article.dropped.append((number, line))
            continue
        if section == "References":
            article.references.append((number, BULLET.sub("", line)))
            continue
        if section == "Glossary":
            if line.startswith(MARK):
                if pending_term is None:
                    article.problems.append((number, "a 'Meaning ∞' definition with no term line before it"))
                else:
                    article.glossary.append(Gloss(pending_term[1], line[len(MARK):].strip(), pending_term[0]))
                    pending_term = None
            else:
                pending_term = (number, line)
            continue
        line, glosses = strip_glosses(line, number)
        article.glosses.extend(glosses)
        previous = blocks[-1] if blocks else None
        kind = "table" if "\t" in raw else "ul" if BULLET.match(line) else "h" if _is_heading(line) else "p"
        if kind == "ul":
            line = BULLET.sub("", line)
        if kind == "table":
            line = raw.strip("\n")
        if previous is not None and previous.kind == kind and kind in ("table", "ul") \
                and previous.line + len(previous.lines) == number:
            previous.lines.append(line)
        else:
            blocks.append(Block(kind, [line], number))
    for tier in TIER_TITLES:
        if tier not in article.sections:
            article.problems.append((len(lines), f"no '{tier}' line: an article has the three depths "
                                     f"({', '.join(TIER_TITLES)}), each on a line of its own"))
    if pending_term is not None:
        article.problems.append((pending_term[0], f"glossary term {pending_term[1]!r} has no 'Meaning ∞' line"))
    return article


def _cell(text: str) -> str:
    return text.strip().replace("|", "\\|")


def markdown(blocks: list[Block]) -> str:
    """Blocks as Markdown: headings at level 2, bullets, pipe tables (first row as the header)."""
    out: list[str] = []
    for block in blocks:
        if block.kind == "h":
            out.append(f"## {block.lines[0].rstrip()}")
        elif block.kind == "ul":
            out.append("\n".join(f"- {item}" for item in block.lines))
        elif block.kind == "table":
            rows = [[_cell(c) for c in row.split("\t")] for row in block.lines]
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            out.append("\n".join(["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width,
                                  *("| " + " | ".join(r) + " |" for r in rows[1:])]))
        else:
            out.append(block.lines[0])
    return "\n\n".join(out) + ("\n" if out else "")


def paragraphs(blocks: list[Block]) -> list[tuple[int, list[str]]]:
    """(line, its sentences) of every paragraph, list item, heading and table row."""
    out: list[tuple[int, list[str]]] = []
    for b in blocks:
        for i, item in enumerate(b.lines):
            out.append((b.line + i, sentences(item.replace("\t", " ")) if b.kind in ("p", "ul") else [item]))
    return out


# Words of four letters or more that say nothing about a topic.
_STOP = frozenset("""about also after again against almost along already although always among another
because been before being below between both could does doing down during each either else even ever
every from further have having here into itself just least less like made make many more most much must
near need never next once only other others ought over same shall should since some still such than that
their them then there these they this those though through thus together toward under unless until upon
very want well were what when where whether which while will with within without would your yours""".split())


def content_words(text: str) -> set[str]:
    """Words that carry a topic: four letters or more, not a stop word, folded, and cut to
    their first five letters so that word forms meet ("measuring", "measure"; "messages",
    "message"): a crude stem, enough to tell a paragraph's topic from another's."""
    out = set()
    for w in WORD.findall(text):
        w = w.casefold()
        if len(w) >= 4 and w not in _STOP:
            out.add(w[:5])
    return out
