"""The reading depths, from one table (generator/data/tiers.yml); everything else derives from it.

The first tier is the plain-language one (it gets the "Before you start" box, the
full "When to get help" box, and the pages that belong to no tier); the last is
the deepest (a topic's Reflection is published with it, and a glossary term with
no `level` is explained up to it).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.data import data_path

TABLE_PATH = data_path("tiers.yml")


@dataclass(frozen=True)
class Tier:
    name: str
    title: str
    audience: str
    ceiling: float | None
    summary: str
    intro: str
    cite_every_section: bool


def _load(path: Path) -> tuple[Tier, ...]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    table = tuple(Tier(str(r["name"]), str(r["title"]), str(r["audience"]),
                       None if r.get("ceiling") is None else float(r["ceiling"]),
                       str(r["summary"]), str(r["intro"]), bool(r.get("cite_every_section", False))) for r in rows)
    if not table or len({t.name for t in table}) != len(table) or len({t.title for t in table}) != len(table):
        raise ValueError(f"{path}: tiers need unique names and titles, at least one")
    return table


TABLE: tuple[Tier, ...] = _load(TABLE_PATH)
TIERS: tuple[str, ...] = tuple(t.name for t in TABLE)
TIER_TITLES: dict[str, str] = {t.name: t.title for t in TABLE}
HEADINGS: tuple[str, ...] = tuple(t.title for t in TABLE)
BY_NAME: dict[str, Tier] = {t.name: t for t in TABLE}
PLAIN: str = TIERS[0]
DEEPEST: str = TIERS[-1]
DEFAULT_CEILINGS: dict[str, float | None] = {t.name: t.ceiling for t in TABLE}


def tier_rank(tier: str) -> int:
    return TIERS.index(tier)


def order_words() -> str:
    """"Fundamentals, Intermediate, Academic", for messages."""
    return ", ".join(HEADINGS)
