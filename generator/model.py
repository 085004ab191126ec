"""The typed model every other module works on. Pages are views of this data."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

TIERS: tuple[str, ...] = ("fundamentals", "intermediate", "academic")
TIER_TITLES = {"fundamentals": "Fundamentals", "intermediate": "Intermediate", "academic": "Academic"}


def tier_rank(tier: str) -> int:
    return TIERS.index(tier)


@dataclass(frozen=True)
class Location:
    path: Path
    line: int


@dataclass
class Agent:
    klass: str
    mechanism: str
    routes: list[str]
    regulatory: str
    status: str  # "approved", "off-label" or "unapproved": drives the visible badge


@dataclass
class Term:
    slug: str
    term: str
    aliases: list[str]
    short: str
    definition: str
    level: str
    related: list[str]
    sources: list[str]
    agent: Agent | None
    loc: Location
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [self.term, *self.aliases]


@dataclass
class Section:
    tier: str
    body: str
    line: int  # line of the heading in the topic file


@dataclass
class Topic:
    slug: str
    title: str
    summary: str
    last_reviewed: date
    next_review: date
    protocols: list[str]
    tags: list[str]
    sections: dict[str, Section]
    reflection: Section | None
    loc: Location
    key_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class ProtocolAgent:
    agent: str
    role: str
    route: str
    frequency: str
    dose: str | None
    optional: bool
    sources: list[str]
    line: int
    status: str | None = None  # overrides the agent's status for this use (e.g. off-label in women)


@dataclass
class Protocol:
    slug: str
    name: str
    audience: str
    goal: str
    agents: list[ProtocolAgent]
    monitoring: list[str]
    sources: list[str]
    loc: Location
    key_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Reference:
    key: str
    kind: str  # BibTeX entry type, lower case
    fields: dict[str, str]
    loc: Location
    field_lines: dict[str, int] = field(default_factory=dict)
    csl: dict[str, Any] = field(default_factory=dict)  # the CSL-JSON item citeproc-py formats

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.loc.line)


@dataclass
class Site:
    root: Path
    topics: dict[str, Topic]
    terms: dict[str, Term]
    protocols: dict[str, Protocol]
    references: dict[str, Reference]
    bibliography_path: Path  # the primary (BibTeX) file, named in messages
    bibliography_paths: list[Path] = field(default_factory=list)  # every file that exists: .bib, then .json
