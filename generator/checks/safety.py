"""Safety and approval gates: approval data that exists, is current, and backs each row."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from generator.checks.context import CheckContext
from generator.errors import Reporter
from generator.model import Approval, Dated


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (a month is complete on the same day number)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


def check_approval_data(ctx: CheckContext, rep: Reporter) -> None:
    site, today, max_age_months = ctx.site, ctx.today, ctx.settings.approval_max_age_months
    used: dict[str, tuple[str, int]] = {}
    for proto in site.protocols.values():
        for row in proto.agents:
            used.setdefault(row.agent, (str(proto.loc.path), row.line))
            term = site.terms.get(row.agent)
            if term is None or term.agent is None:
                continue
            if not term.agent.approvals and term.agent.no_approval is None:
                rep.error(proto.loc.path, row.line, f"agent '{row.agent}' has no approval data: add 'approvals' "
                          f"or a dated 'no_approval' statement to glossary/{row.agent}.yml")
    for term in site.terms.values():
        agent = term.agent
        if agent is None:
            continue
        if not agent.approvals and agent.no_approval is None and term.slug not in used:
            rep.warning(term.loc.path, agent.line, "agent block has no approval data: add 'approvals' or a dated "
                        "'no_approval' statement")
        dated: list[tuple[str, Dated | Approval | None]] = [
            ("no_approval", agent.no_approval), ("compounding", agent.compounding), ("controlled", agent.controlled),
            *((f"approval of {a.product}", a) for a in agent.approvals)]
        for key, item in dated:
            if item is not None and item.as_of is not None and today is not None:
                _check_age(term.loc.path, key, item.as_of, item.line, today, max_age_months, rep)


def _check_age(path: Path, key: str, as_of: date, line: int, today: date, max_age_months: int,
               rep: Reporter) -> None:
    if as_of > today:
        rep.error(path, line, f"'{key}' is dated {as_of}, which is in the future")
    elif months_between(as_of, today) >= max_age_months:
        rep.error(path, line, f"'{key}' was last checked on {as_of}, over {max_age_months} months ago: "
                  "check its sources again and update 'as_of' (plugin option approval_max_age_months)")


# An amount with a unit, as a dose is written ("25 mg", "0.5 mL", "100 IU"): in a row of an agent
# with no approved product, even the role text may not carry one.
DOSE_TEXT = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|micrograms?|milligrams?|iu|units?|ml)\b", re.IGNORECASE)


def check_schedules(ctx: CheckContext, rep: Reporter) -> None:
    """A dose or frequency needs a source that says it; otherwise the page shows no schedule.
    An agent with no approved product for any use gets no schedule at all: a trial's dose in a
    protocol table reads as a recommendation, so it belongs in the evidence text."""
    for proto in ctx.site.protocols.values():
        for row in proto.agents:
            term = ctx.site.terms.get(row.agent)
            if row.has_schedule and term is not None and term.agent is not None and not term.agent.approvals:
                key = "dose" if row.dose else "frequency"
                rep.error(proto.loc.path, row.key_lines.get(key, row.line),
                          f"'{row.agent}' has no approved product for any use, so its row may not give a {key}: "
                          "remove 'dose' and 'frequency' and describe the studied doses in the evidence text")
                continue
            if term is not None and term.agent is not None and not term.agent.approvals \
                    and (m := DOSE_TEXT.search(row.role)):
                rep.error(proto.loc.path, row.key_lines.get("role", row.line),
                          f"'{row.agent}' has no approved product for any use, but its role gives an amount "
                          f"({m.group(0)!r}): put studied doses in the evidence's 'supports' text, not in the table")
            if row.has_schedule and not row.schedule_supported:
                what = " and ".join(x for x in (row.frequency and f"frequency {row.frequency!r}",
                                               row.dose and f"dose {row.dose!r}") if x)
                rep.warning(proto.loc.path, row.line, f"{what} of '{row.agent}' has no supporting source, so the "
                            "page shows 'as prescribed; no standard schedule': add a source as "
                            "{key, locator, supports} or remove the schedule")
