"""Free-text references of legacy articles, in the loose MLA-like style the old site used:

    Lastname, First, et al. "Title." Journal Name, Vol. 12, No. 3, 2019, pp. 100-110.
    Lastname, First. Book Title. Publisher, 2020.

Each becomes the fields of a BibTeX entry, or None when it does not parse (the import reports
it at its line). Names written the wrong way round ("First Lastname") are put right.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# One pattern per shape; each part is a run of characters without the delimiter that ends it,
# so every match is linear in the reference's length.
_QUOTED = re.compile(
    r"^(?P<authors>[^\"\u201c\u201d]+?)\.?\s+[\"\u201c](?P<title>[^\"\u201c\u201d]+?)[.,?!]?[\"\u201d]\s*"
    r"(?P<container>[^,]+),\s*(?:Vol\.?\s*(?P<volume>[\w-]+),\s*)?(?:No\.?\s*(?P<number>[\w-]+),\s*)?"
    r"(?:(?P<month>[A-Z][a-z]{2,8}\.?)\s+)?(?P<year>\d{4})"
    r"(?:,\s*pp?\.\s*(?P<pages>\d+(?:\s*[-\u2013]\s*\d+)?))?"
    r"(?:,?\s*(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(?P<doi>10\.\S+?))?\.?\s*$")
_IMPRINT = re.compile(r"^(?P<publisher>[^,.]+),\s*(?P<year>\d{4})$")  # "Publisher, 2020"
_ETAL = re.compile(r",?\s*(?:et al\.?|and others)\s*$", re.IGNORECASE)


@dataclass
class Parsed:
    kind: str  # "article" or "book"
    authors: list[tuple[str, str]]  # (family, given)
    fields: dict[str, str]
    others: bool = False  # "et al.": more authors than named
    fixed_names: list[str] = field(default_factory=list)  # names written given-first, put right


def _people(text: str) -> tuple[list[tuple[str, str]], bool, list[str]]:
    others = bool(_ETAL.search(text))
    text = _ETAL.sub("", text).strip().rstrip(",")
    parts = [p.strip() for p in re.split(r",?\s+and\s+|;\s*", text) if p.strip()]
    people: list[tuple[str, str]] = []
    fixed: list[str] = []
    if parts:
        first = [p.strip() for p in parts[0].split(",")]
        if len(first) >= 2:  # "Family, Given" (and perhaps ", Given2 Family2" after it)
            people.append((first[0], first[1]))
            for extra in first[2:]:
                words = extra.split()
                if words:
                    people.append((words[-1], " ".join(words[:-1])))
        else:  # one name with no comma: given first, so the family name is the last word
            words = first[0].split()
            if len(words) >= 2:
                fixed.append(first[0])
            people.append((words[-1], " ".join(words[:-1])) if words else ("", ""))
        for part in parts[1:]:
            if "," in part:
                family, given = (x.strip() for x in part.split(",", 1))
                people.append((family, given))
            else:
                words = part.split()
                people.append((words[-1], " ".join(words[:-1])))
    return [p for p in people if p[0]], others, fixed


def parse_reference(text: str) -> Parsed | None:
    text = " ".join(text.split())
    m = _QUOTED.match(text)
    if m:
        people, others, fixed = _people(m["authors"])
        fields = {"title": m["title"].strip(), "journal": m["container"].strip(), "year": m["year"]}
        for name in ("volume", "number", "pages", "doi"):
            if m[name]:
                fields[name] = re.sub(r"\s*[-\u2013]\s*", "--", m[name]) if name == "pages" else m[name]
        return Parsed("article", people, fields, others, fixed) if people else None
    # A book: "Authors. Title. Publisher, 2020.", where only initials have full stops inside a part.
    parts: list[str] = []
    for part in text.rstrip(".").split(". "):
        if parts and re.fullmatch(r"[A-Z]", part.strip()):  # an initial ("Sample, J. R."): still the names
            parts[-1] += ". " + part
        else:
            parts.append(part.strip())
    imprint = _IMPRINT.match(parts[-1]) if len(parts) == 3 else None
    if imprint:
        people, others, fixed = _people(parts[0])
        fields = {"title": parts[1], "publisher": imprint["publisher"].strip(), "year": imprint["year"]}
        return Parsed("book", people, fields, others, fixed) if people else None
    return None


def title_key(title: str) -> str:
    """A title compared across styles: letters and digits only, folded."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKD", title).casefold())


def cite_key(parsed: Parsed, taken: set[str]) -> str:
    """family + year (+ a, b, … when taken): ASCII, lower case, stable for the same reference."""
    family = unicodedata.normalize("NFKD", parsed.authors[0][0]).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]", "", family.casefold()) + parsed.fields.get("year", "")
    key, n = base or "ref", 0
    while key in taken:
        n += 1
        key = base + "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] * ((n - 1) // 26 + 1)
    return key


def _braced(value: str) -> str:
    """A BibTeX value: braces balanced (unbalanced ones dropped), specials escaped."""
    out, depth = [], 0
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                continue
            depth -= 1
        out.append("\\" + ch if ch in "%&#$_" else ch)
    return "".join(out) + "}" * depth


def bibtex(key: str, parsed: Parsed, source: str) -> str:
    names = [f"{family}, {given}" if given else family for family, given in parsed.authors]
    if parsed.others:
        names.append("others")
    fields = {"author": " and ".join(names), **parsed.fields}
    body = ",\n".join(f"  {name} = {{{_braced(value)}}}" for name, value in fields.items())
    return f"% imported from {source}\n@{parsed.kind}{{{key},\n{body}\n}}\n"
