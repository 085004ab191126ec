"""Review records -> what each page may claim about its review.

A page claims a review only where a record in content/reviews.yml covers it.
Editorial and clinical reviews are kept apart: a page says "Not yet clinically
reviewed" until a clinical record covers it, and its JSON-LD names a reviewer only
then. The next review is due a policy interval after the newest covering record,
unless that record sets its own `next_review`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.model import Review, Site

KINDS = ("editorial", "clinical")
PAGE_KINDS = ("topic", "protocol", "glossary")  # the scope prefixes, one per kind of source


@dataclass(frozen=True)
class ReviewStatus:
    editorial: Review | None
    clinical: Review | None
    next_review: date | None
    decided_by: Review | None  # the record that set next_review

    @property
    def last(self) -> Review | None:
        found = [r for r in (self.editorial, self.clinical) if r is not None]
        return max(found, key=lambda r: r.date) if found else None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):  # 31 Jan + 1 month is 28/29 Feb
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def covers(review: Review, page_kind: str, slug: str) -> bool:
    return "all" in review.scope or f"{page_kind}:{slug}" in review.scope


def status(reviews: list[Review], page_kind: str, slug: str, interval_months: int) -> ReviewStatus:
    newest: dict[str, Review] = {}
    for r in reviews:
        if covers(r, page_kind, slug) and (r.kind not in newest or r.date >= newest[r.kind].date):
            newest[r.kind] = r
    found = list(newest.values())
    if not found:
        return ReviewStatus(None, None, None, None)
    latest = max(found, key=lambda r: r.date)
    due = latest.next_review or add_months(latest.date, interval_months)
    return ReviewStatus(newest.get("editorial"), newest.get("clinical"), due, latest)


def pages(site: Site) -> list[tuple[str, str]]:
    """Every page kind and slug that review records can cover."""
    return ([("topic", s) for s in sorted(site.topics)] + [("protocol", s) for s in sorted(site.protocols)]
            + [("glossary", s) for s in sorted(site.terms)])
