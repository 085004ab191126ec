"""The BibTeX and biblatex data models, as tables and small readers: entry types to CSL types,
fields to CSL variables, biblatex dates (ISO 8601-2 level 1: ranges, open ends, circa and
uncertain dates), the extended name format, and crossref/xdata inheritance.

bibtex.py parses a file (bibtexparser, lines kept) and decodes LaTeX (pylatexenc); this
module says what the decoded fields mean. Sources: the biblatex manual (sections 2.1 entry
types, 2.2 fields, 2.3.8 dates, 3.4 name format, B "default inheritance setup") and the CSL
1.0.2 specification's types and variables.
"""
from __future__ import annotations

import re
from typing import Any

# Every entry type of BibTeX and biblatex, its aliases and the "non-standard" types biblatex
# lists -> a CSL 1.0.2 type. `set` (a group of other entries) has no CSL type: a warning, and
# it is listed as a document. `xdata` entries hold fields for others and are never listed.
CSL_TYPES: dict[str, str] = {
    "article": "article-journal", "book": "book", "mvbook": "book", "inbook": "chapter",
    "bookinbook": "chapter", "suppbook": "chapter", "booklet": "pamphlet", "collection": "book",
    "mvcollection": "book", "incollection": "chapter", "suppcollection": "chapter", "dataset": "dataset",
    "manual": "book", "misc": "document", "online": "webpage", "patent": "patent", "periodical": "periodical",
    "suppperiodical": "article-journal", "proceedings": "book", "mvproceedings": "book",
    "inproceedings": "paper-conference", "reference": "book", "mvreference": "book",
    "inreference": "entry-encyclopedia", "report": "report", "software": "software", "thesis": "thesis",
    "unpublished": "manuscript",
    # aliases (biblatex 2.1.2)
    "conference": "paper-conference", "electronic": "webpage", "mastersthesis": "thesis",
    "phdthesis": "thesis", "techreport": "report", "www": "webpage",
    # non-standard types (biblatex 2.1.3)
    "artwork": "graphic", "audio": "song", "bibnote": "document", "commentary": "book",
    "image": "graphic", "jurisdiction": "legal_case", "legislation": "legislation", "legal": "treaty",
    "letter": "personal_communication", "movie": "motion_picture", "music": "song",
    "performance": "performance", "review": "review", "standard": "standard", "video": "motion_picture",
    "standalone": "document",
}
NO_CSL_TYPE = frozenset({"set"})
DATA_ONLY = frozenset({"xdata"})

# Text fields -> CSL variables. Names, dates, titles with subtitles, pages, number and the
# publisher are read apart (see csl_item).
CSL_TEXT: dict[str, str] = {
    "journal": "container-title", "journaltitle": "container-title", "booktitle": "container-title",
    "maintitle": "container-title", "volume": "volume", "doi": "DOI", "pmid": "PMID", "pmcid": "PMCID",
    "url": "URL", "edition": "edition", "isbn": "ISBN", "issn": "ISSN", "note": "note",
    "howpublished": "medium", "version": "version", "series": "collection-title",
    "address": "publisher-place", "location": "publisher-place", "eventtitle": "event-title",
    "venue": "event-place", "volumes": "number-of-volumes", "pagetotal": "number-of-pages",
    "language": "language", "langid": "language", "shorttitle": "title-short", "abstract": "abstract",
    "eprint": "number", "chapter": "chapter-number", "type": "genre", "pubstate": "status",
}
PUBLISHERS = ("publisher", "institution", "school", "organization")
DATES = {"date": "issued", "urldate": "accessed", "eventdate": "event-date", "origdate": "original-date"}
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
MONTHS = {name[:3]: i for i, name in enumerate(MONTH_NAMES, 1)}

# ---- dates ----------------------------------------------------------------------------------

_ONE_DATE = re.compile(r"(-?\d{1,4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:]+Z?)?([?~%]?)")


class DateError(ValueError):
    pass


def _one(text: str) -> tuple[list[int], bool]:
    m = _ONE_DATE.fullmatch(text.strip())
    if not m:
        raise DateError(text)
    parts = [int(m.group(1))]
    for group in (m.group(2), m.group(3)):
        if group is not None:
            parts.append(int(group))
    if len(parts) > 1 and not (1 <= parts[1] <= 12 or 21 <= parts[1] <= 24):  # 21-24: the seasons
        raise DateError(text)
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        raise DateError(text)
    if len(parts) > 1 and parts[1] > 12:  # a season: CSL has its own variable for it
        parts = parts[:1]
    return parts, bool(m.group(4))


def csl_date(text: str) -> dict[str, Any]:
    """A biblatex date ("2019", "2019-03-02", "2019/2020", "2019-03/", "1850~", "1988?")
    as a CSL date; DateError when it is none of these."""
    text = text.strip()
    start, sep, end = text.partition("/")
    first, rough = _one(start)
    out: dict[str, Any] = {"date-parts": [first]}
    if sep:
        end = end.strip()
        if end and end != "..":
            last, rough_end = _one(end)
            rough = rough or rough_end
            out["date-parts"].append(last)
    if rough:
        out["circa"] = True
    return out


SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}  # CSL's season numbers
_FIRST_WORD = re.compile(r"\s*([A-Za-z]{3,12}|\d{1,2})\b")


def year_month(year: str, month: str) -> dict[str, Any]:
    """BibTeX's `year` and `month` fields as a CSL date. The month's first word counts: "7",
    "jul", "July", "Jul.--Aug." are July; a season ("Winter") is CSL's season. DateError for a
    month that is neither."""
    out: dict[str, Any] = {"date-parts": [[int(year)]]}
    m = _FIRST_WORD.match(month)
    if month and m is None:
        raise DateError(month)
    if m:
        word = m.group(1).lower()
        number = int(word) if word.isdigit() else MONTHS.get(word[:3])
        if number is not None and 1 <= number <= 12 and (word.isdigit() or len(word) == 3
                                                         or MONTH_NAMES[number - 1].startswith(word)):
            out["date-parts"][0].append(number)
        elif word in SEASONS:
            out["season"] = SEASONS[word]
        else:
            raise DateError(month)
    return out


# ---- names ------------------------------------------------------------------------------------

# biblatex's extended name format (manual 3.4): "family=Oord, given=Aaron, prefix=van den, useprefix=true"
_EXTENDED = re.compile(r"^\s*(?:family|given|prefix|suffix|useprefix)\s*=", re.IGNORECASE)
_PAIR = re.compile(r"\s*([A-Za-z-]+)\s*=\s*(\{[^{}]*\}|\"[^\"]*\"|[^,]*)\s*(?:,|$)")


def is_extended_name(name: str) -> bool:
    return bool(_EXTENDED.match(name))


def extended_name(name: str) -> dict[str, str]:
    """The parts of a name in the extended format, as raw (undecoded) CSL name parts."""
    pairs = {k.lower(): v.strip().strip('{}"').strip() for k, v in _PAIR.findall(name)}
    out = {"family": pairs.get("family", ""), "given": pairs.get("given", ""), "suffix": pairs.get("suffix", "")}
    if pairs.get("prefix"):
        use = pairs.get("useprefix", "false").lower() == "true"
        out["non-dropping-particle" if use else "dropping-particle"] = pairs["prefix"]
    return {k: v for k, v in out.items() if v}


# ---- crossref and xdata -------------------------------------------------------------------------

# Fields a child never takes from its parent (biblatex appendix B).
NOT_INHERITED = frozenset({"ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
                           "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
                           "shorthand", "shorthandintro", "sortkey"})
_BOOKS = frozenset({"book", "collection", "proceedings", "reference", "mvbook", "mvcollection",
                    "mvproceedings", "mvreference"})
_PARTS = frozenset({"inbook", "bookinbook", "suppbook", "incollection", "suppcollection", "inproceedings",
                    "inreference"})


def inherited(child_type: str, parent_type: str, parent: dict[str, Any]) -> dict[str, Any]:
    """What a child entry takes from its crossref parent (biblatex's default inheritance): the
    parent's title becomes the child's booktitle (or maintitle, from a multi-volume parent),
    a periodical's title the article's journaltitle; other fields keep their names."""
    out = {k: v for k, v in parent.items() if k not in NOT_INHERITED}
    if parent_type in _BOOKS and child_type in _PARTS:
        target = "maintitle" if parent_type.startswith("mv") else "booktitle"
        for name in ("title", "subtitle", "titleaddon", "shorttitle"):
            out.pop(name, None)
        if "title" in parent:
            out[target] = parent["title"]
        if "subtitle" in parent:
            out[target.replace("title", "subtitle")] = parent["subtitle"]
        if child_type in ("inbook", "bookinbook", "suppbook") and "author" in parent:
            out["bookauthor"] = parent["author"]
            out.pop("author", None)
    elif parent_type == "periodical" and child_type in ("article", "suppperiodical"):
        out.pop("title", None)
        if "title" in parent:
            out["journaltitle"] = parent["title"]
    return out
