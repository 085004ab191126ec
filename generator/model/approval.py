"""The approval status of one use of an agent, derived from its approval data.

A status belongs to a use (agent, route, indication, population), never to an
agent: tesamorelin is approved for HIV-associated lipodystrophy and off-label
for anything else. Every page shows the status computed here.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from generator.model import Agent, Approval, ProtocolAgent
from generator.model.datefmt import longdate

APPROVED, OFF_LABEL, NOT_APPROVED, COMPOUNDED = "approved", "off-label", "not-approved", "compounded"
LABELS = {
    APPROVED: "approved for this use",
    OFF_LABEL: "off-label",
    NOT_APPROVED: "not approved",
    COMPOUNDED: "compounded / research-only",
}
# Who approves in each jurisdiction an approval may name: badges say whose approval they mean.
REGULATORS = {"US": "US FDA", "EU": "EU (EMA)", "UK": "UK (MHRA)", "AU": "Australia (TGA)",
              "CA": "Canada (Health Canada)"}
# How far a status is from "a regulator checked this exact use"; an override may move a
# row further from approval (more caution), never closer.
CAUTION = {APPROVED: 0, OFF_LABEL: 1, NOT_APPROVED: 2, COMPOUNDED: 3}


def regulator(jurisdiction: str) -> str:
    return REGULATORS.get(jurisdiction, jurisdiction)


@dataclass(frozen=True)
class Status:
    status: str
    basis: str  # why, in one sentence built from the data
    derived: str  # the status the data gives, before any override
    reason: str = ""  # the override's reason, shown next to the badge
    jurisdiction: str = "US"  # whose approval the status is about: a badge always names it

    @property
    def label(self) -> str:
        return f"{regulator(self.jurisdiction)}: {LABELS[self.status]}"

    @property
    def short(self) -> str:
        return LABELS[self.status]


def same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def matches(approval: Approval, row: ProtocolAgent) -> bool:
    return (same(approval.route, row.route) and same(approval.indication, row.indication)
            and same(approval.population, row.population))


def _near(a: str, b: str) -> bool:
    """Worded differently, but close enough that an author may mean the same thing: most of the
    words shared, or most of the letters in order."""
    words_a, words_b = set(a.casefold().split()), set(b.casefold().split())
    shared = len(words_a & words_b) / max(len(words_a | words_b), 1)
    return shared >= 0.5 or difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio() >= 0.75


def near_misses(agent: Agent, row: ProtocolAgent, jurisdiction: str) -> list[tuple[Approval, list[str]]]:
    """Approvals in `jurisdiction` that the row misses only by wording: each with the fields
    (indication, population, route) that are near but not the same. The badge depends on an
    exact match (`matches`), so a use written in other words is reported as off-label."""
    out = []
    for a in agent.approvals:
        if a.jurisdiction != jurisdiction or matches(a, row):
            continue
        pairs = {"indication": (row.indication, a.indication), "population": (row.population, a.population),
                 "route": (row.route, a.route)}
        differ = [name for name, (mine, theirs) in pairs.items() if not same(mine, theirs)]
        if differ and all(_near(*pairs[name]) for name in differ):
            out.append((a, differ))
    return out


def describe(a: Approval) -> str:
    year = f", {a.year}" if a.year else ""
    checked = f"; checked {longdate(a.as_of)}" if a.as_of else ""
    return f"{a.product} ({a.jurisdiction}{year}{checked}): {a.indication}, {a.population}, {a.route}"


def derive(agent: Agent, row: ProtocolAgent, jurisdiction: str = "US") -> Status:
    """The status the data gives this row in `jurisdiction` (the site's `approval_jurisdiction`),
    with the row's override applied when it has a reason. Approvals elsewhere do not make a use
    approved or off-label here; the basis names them."""
    here = [a for a in agent.approvals if a.jurisdiction == jurisdiction]
    elsewhere = [a for a in agent.approvals if a.jurisdiction != jurisdiction]
    if row.compounded:
        derived, basis = COMPOUNDED, "The product used is compounded or sold for research, not an approved product."
    elif (hit := next((a for a in here if matches(a, row)), None)) is not None:
        derived, basis = APPROVED, f"Matches the approval of {describe(hit)}."
    elif here:
        derived = OFF_LABEL
        basis = "Approved only for other uses: " + "; ".join(describe(a) for a in here) + "."
    elif elsewhere:
        derived = NOT_APPROVED
        basis = (f"No approval from {regulator(jurisdiction)}; approved elsewhere: "
                 + "; ".join(describe(a) for a in elsewhere) + ".")
    elif agent.compounding is not None:
        derived, basis = COMPOUNDED, ("No approved product; available only compounded or as a research chemical "
                                      f"(as of {longdate(agent.compounding.as_of)}).")
    else:
        checked = f" (checked {longdate(agent.no_approval.as_of)})" if agent.no_approval else ""
        derived, basis = NOT_APPROVED, f"No approved product{checked}."
    if row.status and row.status != derived and row.status_reason:
        return Status(row.status, basis, derived, row.status_reason, jurisdiction)
    return Status(derived, basis, derived, jurisdiction=jurisdiction)
