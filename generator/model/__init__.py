"""The typed model every other module works on. Pages are views of this data."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from datetime import date as _date
from pathlib import Path
from typing import Any

from generator.model.tiers import TIER_TITLES as TIER_TITLES  # re-exported vocabulary
from generator.model.tiers import TIERS as TIERS
from generator.model.tiers import tier_rank as tier_rank


@dataclass(frozen=True)
class Location:
    path: Path
    line: int


@dataclass(frozen=True)
class Approval:
    """One approved product for one use, from a label or an agency page."""

    jurisdiction: str  # "US", "EU", "UK", "AU"…
    product: str
    indication: str
    population: str
    route: str  # one of the agent's routes
    source: str  # bibliography key of the label or agency page
    line: int
    year: int | None = None
    as_of: date | None = None  # when it was last checked against its source (required in sources)


@dataclass(frozen=True)
class Dated:
    """A statement that goes stale: no approved product, or a compounding status."""

    text: str
    as_of: date
    sources: list[str]
    line: int


@dataclass(frozen=True)
class SafetyItem:
    kind: str  # a key of safety.KINDS
    text: str  # one plain sentence
    detail: str
    sources: list[str]
    line: int
    applies_to: tuple[str, ...] = ()  # the readers it concerns (safety.GROUPS); empty: everyone


@dataclass
class Agent:
    klass: str
    mechanism: str
    routes: list[str]
    approvals: list[Approval] = field(default_factory=list)
    no_approval: Dated | None = None  # the explicit statement that no product is approved
    compounding: Dated | None = None
    controlled: Dated | None = None  # controlled-substance scheduling
    safety: list[SafetyItem] = field(default_factory=list)
    line: int = 1  # the `agent:` key


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
    protocols: list[str]
    tags: list[str]
    sections: dict[str, Section]
    reflection: Section | None
    loc: Location
    key_lines: dict[str, int] = field(default_factory=dict)
    urgent: list[str] = field(default_factory=list)  # go to emergency care now
    see_clinician: list[str] = field(default_factory=list)  # contact a clinician soon
    population: tuple[str, ...] = ()  # the readers it is written for (safety.GROUPS); empty: everyone


@dataclass(frozen=True)
class Evidence:
    """A source behind a protocol row; `supports` says what it says about the schedule."""

    key: str
    locator: str = ""
    supports: str = ""

    @property
    def backs_schedule(self) -> bool:
        return bool(self.locator and self.supports)


@dataclass
class ProtocolAgent:
    agent: str
    role: str
    route: str  # one of the agent's routes
    frequency: str
    dose: str | None
    optional: bool
    evidence: list[Evidence]
    line: int
    indication: str = ""
    population: str = ""
    compounded: bool = False  # the product used is compounded or sold for "research"
    choose: str = ""  # rows sharing this label are alternatives: choose one
    status: str | None = None  # a declared status; must agree with the data unless a reason is given
    status_reason: str = ""
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def sources(self) -> list[str]:
        return [e.key for e in self.evidence]

    @property
    def has_schedule(self) -> bool:
        return bool(self.frequency or self.dose)

    @property
    def schedule_supported(self) -> bool:
        return any(e.backs_schedule for e in self.evidence)


@dataclass(frozen=True)
class Combination:
    """Which agents a source actually studied together."""

    agents: list[str]
    text: str
    sources: list[str]
    line: int


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
    combinations: list[Combination] = field(default_factory=list)
    # Who should not start without specialist assessment: one list per protocol, shown on its page and
    # wherever a topic calls do_not_start("<slug>"), so two pages can never give two different lists.
    do_not_start: list[str] = field(default_factory=list)
    do_not_start_sources: list[str] = field(default_factory=list)


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


@dataclass(frozen=True)
class Reviewer:
    """As the site owner enters them: a role always, credentials and a name only when given."""

    role: str
    credentials: str = ""
    name: str = ""

    def describe(self) -> str:
        return ", ".join(x for x in (self.name, self.role, self.credentials) if x)


@dataclass(frozen=True)
class Review:
    """One review record from content/reviews.yml."""

    date: _date  # the alias: a field named "date" would shadow the type in later annotations
    kind: str  # "editorial" or "clinical"
    scope: tuple[str, ...]  # "all", "topic:<slug>", "protocol:<slug>", "glossary:<slug>"
    reviewer: Reviewer
    note: str
    line: int
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    next_review: _date | None = None  # overrides the site's review interval


@dataclass(frozen=True)
class About:
    """content/about.md: who writes the site and how (its editorial policy)."""

    title: str
    summary: str
    changed: _date  # when the policy last changed, shown on the page
    body: str
    loc: Location
    body_line: int  # file line of the body's first line


@dataclass
class Site:
    root: Path
    topics: dict[str, Topic]
    terms: dict[str, Term]
    protocols: dict[str, Protocol]
    references: dict[str, Reference]
    bibliography_path: Path  # the primary (BibTeX) file, named in messages
    bibliography_paths: list[Path] = field(default_factory=list)  # every file that exists: .bib, then .json
    reviews: list[Review] = field(default_factory=list)
    reviews_path: Path | None = None
    jurisdiction: str = "US"  # whose approvals the badges report (plugin option approval_jurisdiction)
    about: About | None = None  # content/about.md, when the project has one
    # What failed to load, so is missing: page kind ("topic", "glossary", "protocol") -> slugs,
    # and "bibliography" -> the files with errors. A reference to something unavailable is
    # not an error of its own: the file's own error says it (no cascade of false errors).
    unavailable: dict[str, set[str]] = field(default_factory=dict)

    def is_unavailable(self, kind: str, slug: str) -> bool:
        return slug in self.unavailable.get(kind, set())

    @property
    def bibliography_unavailable(self) -> bool:
        """A bibliography file had errors, so an unknown key may be one of its broken entries."""
        return bool(self.unavailable.get("bibliography"))
