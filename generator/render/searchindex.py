"""What the site's search index holds, and what it leaves out.

Material's search plugin indexes a page's HTML. It skips any element carrying
`data-search-exclude` (and strips the attribute from the output), so page chrome (depth
switch, metadata, disclaimers, pagers) and citation numbers are marked with it where they
are made; otherwise every snippet would start with boilerplate. (Tooltip definitions are
not in pages at all: tooltips.js reads them from each term's tip.json.)

A page's front-matter `tags` are indexed as a separate field that readers never see (the
tags plugin is off). The site puts search keywords there: a glossary term's aliases, and the
other spelling (US or UK, `data/spellings.yml`) of words the page uses, so "oestrogen" finds
pages written with "estrogen". `search.boost` ranks glossary and protocol pages, which
answer a one-word query best, above topic sections that merely mention the word.

Material's worker scores with BM25 at b = 0 (no field-length normalisation), so a title that
is exactly the query scores the same as a longer title that contains it: "testosterone"
ties with "testosterone gel", and the page whose body repeats the word more wins. A
one-word glossary term that is a word of other terms' names (a headword) is the general
entry that one-word query wants, so it gets a higher boost than its compounds. For a query
of a compound's own words the compound still wins: it matches every query word, which
Material's worker rewards far more than the boost's difference.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import yaml
from markupsafe import Markup, escape

from generator.data import data_path

EXCLUDE_ATTR = "data-search-exclude"
# A value is needed: Material strips `data-search-*="…"` from the page only when it has one.
EXCLUDE = Markup(f'{EXCLUDE_ATTR}="true"')

# Page kinds above topic pages (boost 1); a "headword" is a glossary term (see headwords()).
BOOST = {"glossary": 3.0, "protocol": 3.0, "headword": 4.0}

_WORD = re.compile(r"[a-z0-9]+")


@cache
def spellings() -> dict[str, str]:
    """Each spelling -> the other one (both directions)."""
    data = yaml.safe_load(data_path("spellings.yml").read_text(encoding="utf-8"))
    pairs = {str(us).lower(): str(uk).lower() for us, uk in data.items()}
    return {**pairs, **{uk: us for us, uk in pairs.items()}}


def slug_words(slug: str) -> list[str]:
    """The words of a slug an author chose ("post-trt-fertility"), as keywords: a page is found
    by the words its address was named with even where its title puts them differently."""
    return [w for w in slug.split("-") if len(w) > 2]


def front_matter(text: str, extra: Iterable[str] = (), kind: str = "") -> str:
    """The front-matter lines that tune a page's search entry: its keywords and boost."""
    import json

    # HTML-escaped like every front-matter value (themes may print it unescaped).
    lines = [f"tags: {json.dumps([str(escape(k)) for k in keywords(text, extra)], ensure_ascii=False)}"]
    if kind in BOOST:
        lines.append(f"search: {{boost: {BOOST[kind]}}}")
    return "\n".join(lines)


def keywords(text: str, extra: Iterable[str] = ()) -> list[str]:
    """Search keywords for a page: `extra` (e.g. a term's aliases) and the other spelling of
    every word or phrase of `spellings()` that the page's text contains; sorted, so a build
    is deterministic."""
    tokens = _WORD.findall(text.lower())
    words = " " + " ".join(tokens) + " "
    pairs = spellings()
    # A set lookup for one-word spellings, a search of the text only for phrases ("hot flashes").
    found = {pairs[w] for w in pairs.keys() & set(tokens)}
    found |= {other for spelling, other in pairs.items() if " " in spelling and f" {spelling} " in words}
    # Only words the page does not already say: Material copies a page's tags onto every
    # section, so a repeated word would outrank pages whose title is exactly that word.
    wanted = found | {e.strip().lower() for e in extra if e.strip()}
    return sorted(k for k in wanted if f" {' '.join(_WORD.findall(k))} " not in words)


def headwords(names: Iterable[str]) -> frozenset[str]:
    """The one-word names that are a word of another name: "testosterone" in "free
    testosterone" and "testosterone gel". One word only: a one-word query is where titles
    tie, and boosting a longer name ("growth hormone") pushed the protocol that matches every
    word of "growth hormone peptides" out of that query's top three (measured with Material's
    own worker). Linear in the names' words."""
    split = [_WORD.findall(n.lower()) for n in names]
    single = {w[0] for w in split if len(w) == 1}
    return frozenset(word for w in split if len(w) > 1 for word in w if word in single)


def is_headword(name: str, heads: frozenset[str]) -> bool:
    return " ".join(_WORD.findall(name.lower())) in heads
