"""What the site's search index holds about each page, and what it leaves out.

The search is Pagefind's (engines/searchbundle.py indexes the built site after either
engine): a chunked index that the reader's browser fetches piece by piece, only once they
open search (docs/assets/search.js). Pagefind indexes only what sits inside an element
marked `data-pagefind-body`, which the theme (overrides/main.html) puts around a page's
content when its front matter has a `search_index` entry: tier pages, topic overviews,
glossary entries and protocols. Home, lists and the references page are left out.

Inside that body, page chrome (depth switch, metadata, disclaimers, pagers) and citation
numbers carry `data-pagefind-ignore`, set where they are made, so snippets never start with
boilerplate. (Tooltip definitions are not in pages at all: tooltips.js reads them from each
term's tip.json.)

`search_index` gives the theme the page's metadata for Pagefind:
- `title` (the topic's or entry's own name) and `label` (its depth, "Fundamentals", or
  "Glossary", "Protocol", "Overview"), which the results show;
- `names`: a glossary entry's own names (aliases and brand names, from the glossary);
- `keywords`: words a reader may type that the page says another way: the other spelling
  (`data/spellings.yml`), every name of each glossary term the page uses (so "Clomid" finds
  pages that say "clomiphene"), and plain synonyms (`data/search.yml`);
- `rank`: the factor (`data/search.yml`) the results multiply Pagefind's score by, so a
  topic's plain page comes before its deeper pages and topics before glossary entries.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import yaml
from markupsafe import Markup, escape

from generator.data import data_path
from generator.model.tiers import TIERS

EXCLUDE_ATTR = "data-pagefind-ignore"
# "all": the element's text, and any metadata inside it, stay out of the index.
EXCLUDE_VALUE = "all"
EXCLUDE = Markup(f'{EXCLUDE_ATTR}="{EXCLUDE_VALUE}"')
KINDS = ("topic", "overview", "glossary", "protocol")

_WORD = re.compile(r"[a-z0-9]+")
# A keyword reaches Pagefind inside an HTML attribute, as words: nothing but these characters.
_KEYWORD_CHARS = re.compile(r"[^a-z0-9\- ]+")


@cache
def spellings() -> dict[str, str]:
    """Each spelling -> the other one (both directions)."""
    data = yaml.safe_load(data_path("spellings.yml").read_text(encoding="utf-8"))
    pairs = {str(us).lower(): str(uk).lower() for us, uk in data.items()}
    return {**pairs, **{uk: us for us, uk in pairs.items()}}


@cache
def settings() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(data_path("search.yml").read_text(encoding="utf-8"))
    return data


def client_settings() -> dict[str, Any]:
    """What the search box (search.js) reads from the page: the words it drops from a query
    ("is", "what") and the weight of each metadata field."""
    words = settings()["question_words"]
    if not all(isinstance(w, str) for w in words):  # YAML reads a bare `on` or `no` as true/false
        raise ValueError(f"data/search.yml: question_words must be strings (quote them): {words}")
    return {"question_words": sorted({w.lower() for w in words}),
            "meta_weights": {str(k): float(v) for k, v in settings()["meta_weights"].items()}}


@cache
def synonyms() -> dict[str, frozenset[str]]:
    """Each phrase of a synonym group -> the other phrases of its group."""
    out: dict[str, set[str]] = {}
    for group in settings()["synonyms"]:
        phrases = {" ".join(_WORD.findall(str(p).lower())) for p in group}
        for p in phrases:
            out.setdefault(p, set()).update(phrases - {p})
    return {p: frozenset(o) for p, o in out.items()}


def rank(kind: str, tier: str | None = None) -> float:
    """The factor a page's score is multiplied by in the results."""
    table = settings()["rank"]
    if kind == "topic":
        factors = [float(f) for f in table["tiers"]]
        return factors[min(TIERS.index(tier or TIERS[0]), len(factors) - 1)]
    return float(table[kind])


def slug_words(slug: str) -> list[str]:
    """The words of a slug an author chose ("post-trt-fertility"), as keywords: a page is found
    by the words its address was named with even where its title puts them differently."""
    return [w for w in slug.split("-") if len(w) > 2]


def _phrase(text: str) -> str:
    return " ".join(_KEYWORD_CHARS.sub(" ", text.lower()).split())


def keywords(text: str, extra: Iterable[str] = ()) -> list[str]:
    """Search keywords for a page: `extra` (e.g. the names of the terms it uses) and the other
    spelling and the synonyms of every word or phrase the page's text contains, less what
    the page already says; sorted, so a build is deterministic. Linear in the text."""
    tokens = _WORD.findall(text.lower())
    words = " " + " ".join(tokens) + " "
    token_set = set(tokens)
    found: set[str] = set()
    for table in ({k: frozenset({v}) for k, v in spellings().items()}, synonyms()):
        # A set lookup for one-word phrases, a search of the text only for longer ones.
        for phrase, others in table.items():
            if (phrase in token_set) if " " not in phrase else (f" {phrase} " in words):
                found |= others
    wanted = {p for p in (_phrase(k) for k in (*found, *extra)) if p}
    return sorted(k for k in wanted if f" {' '.join(_WORD.findall(k))} " not in words)


def front_matter(kind: str, label: str, title: str, text: str, extra: Iterable[str] = (),
                 names: Iterable[str] = (), tier: str | None = None, topic: str = "") -> str:
    """The front-matter line the theme turns into the page's Pagefind body and metadata.
    A topic's pages carry the topic's slug and their place in the order the results give
    them: the plain tier, then the overview (a hub of links), then the deeper tiers."""
    if kind not in KINDS:
        raise ValueError(f"unknown page kind {kind!r}")
    entry: dict[str, str | float] = {
        "kind": kind,
        "label": label,
        # HTML-escaped like every front-matter value (themes print it unescaped).
        "title": str(escape(" ".join(title.split()))),
        "names": " ".join(sorted({p for p in map(_phrase, names) if p})),
        "keywords": " ".join(keywords(text, extra)),
        "rank": rank(kind, tier),
    }
    if topic:
        entry["topic"] = topic
        entry["order"] = str(2 * TIERS.index(tier) if tier else 1)
    return "search_index: " + json.dumps(entry, ensure_ascii=False)
