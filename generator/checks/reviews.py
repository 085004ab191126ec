"""Review gates: no review claimed in the future, before the content existed, or past its due date;
and pages that state doses or approval status flagged until a clinician has reviewed them."""
from __future__ import annotations

import subprocess
from collections import defaultdict
from datetime import date
from pathlib import Path

from generator.checks.context import CheckContext
from generator.errors import Reporter
from generator.model import Review, Site
from generator.model.reviews import covers, pages, status

LOG = Path("content") / "reviews.yml"


def first_appearance(root: Path) -> dict[str, date] | None:
    """Repository path -> the date of the commit that added it, from one `git log` over the
    whole history (linear in its size). None when there is no git history to ask."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "--diff-filter=A", "--format=@%as", "--name-only", "--no-renames",
             "--relative", "--", "content", "glossary"],
            capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found: dict[str, date] = {}
    day: date | None = None
    for line in out.splitlines():
        if line.startswith("@"):
            day = date.fromisoformat(line[1:])
        elif line and day is not None:
            found[line] = min(day, found.get(line, day))  # the log runs newest first; keep the oldest
    return found or None


def source_of(site: Site, page_kind: str, slug: str) -> Path:
    if page_kind == "topic":
        return site.topics[slug].loc.path
    if page_kind == "protocol":
        return site.protocols[slug].loc.path
    return site.terms[slug].loc.path


def check_reviews(ctx: CheckContext, rep: Reporter) -> None:
    site, today = ctx.site, ctx.today
    interval_months = ctx.settings.review_interval_months
    log = site.reviews_path or site.root / LOG
    for review in site.reviews:
        if today is not None and review.date > today:
            rep.error(log, review.key_lines.get("date", review.line),
                      f"review dated {review.date} is in the future (today is {today})")
    # Whether a page without a review fails a run is the site's policy (`editorial_review`).
    unreviewed_report = rep.error if ctx.settings.editorial_review == "required" else rep.note
    if not site.reviews:
        unreviewed_report(log, 0, "no review records: pages will say they have not been reviewed; add to "
                    "content/reviews.yml with the reviews that actually happened")
    _check_history(site, rep, log, None)
    overdue: dict[Review, list[str]] = defaultdict(list)
    unreviewed: list[str] = []
    for kind, slug in pages(site):
        st = status(site.reviews, kind, slug, interval_months)
        if st.decided_by is None:
            unreviewed.append(f"{kind}:{slug}")
        elif st.next_review is not None and today is not None and st.next_review < today:
            overdue[st.decided_by].append(f"{kind}:{slug}")
    for review, names in overdue.items():
        due = review.next_review or "the review interval"
        rep.error(log, review.line, f"review overdue for {len(names)} page(s) ({_some(names)}): the review of "
                  f"{review.date} was due again by {due}; review them and add a new record")
    if unreviewed:
        unreviewed_report(log, 0, f"{len(unreviewed)} page(s) have no review record and say so: {_some(unreviewed)}")
    _check_clinical(site, rep, interval_months, ctx.settings.clinical_review == "required")


def _check_history(site: Site, rep: Reporter, log: Path, added: dict[str, date] | None) -> None:
    """A review dated before the reviewed source existed here is suspicious, though content
    can be reviewed elsewhere first: a warning, at the record."""
    if added is None:
        added = first_appearance(site.root)
    if added is None:
        if site.reviews:
            rep.note(log, 0, "no git history: review dates were not compared with when the sources appeared")
        return
    for review in site.reviews:
        early: list[str] = []
        for kind, slug in pages(site):
            if not covers(review, kind, slug):
                continue
            try:
                rel = source_of(site, kind, slug).resolve().relative_to(site.root.resolve()).as_posix()
            except ValueError:
                continue
            first = added.get(rel)
            if first is not None and review.date < first:
                early.append(f"{kind}:{slug} ({first})")
        if early:
            rep.warning(log, review.key_lines.get("date", review.line),
                        f"{review.kind} review dated {review.date} is older than {len(early)} of the sources it "
                        f"covers, which first appear in the repository later: {_some(early)}")


def _check_clinical(site: Site, rep: Reporter, interval_months: int, required: bool) -> None:
    """Protocols and agents state doses and approval status: they want a clinical review. Whether
    its absence fails a run is the site's policy (`clinical_review`): `required`, an error;
    `recommended`, a note, as no author can make a clinician's review happen, and the pages say
    'Not yet clinically reviewed' either way."""
    report = rep.error if required else rep.note
    in_protocols: set[str] = set()
    for proto in site.protocols.values():
        agents = sorted({r.agent for r in proto.agents})
        in_protocols.update(agents)
        missing = [f"protocol:{proto.slug}"] if status(site.reviews, "protocol", proto.slug,
                                                       interval_months).clinical is None else []
        missing += [f"glossary:{a}" for a in agents
                    if a in site.terms and status(site.reviews, "glossary", a, interval_months).clinical is None]
        if missing:
            report(proto.loc.path, 1, f"no clinical review covers {_some(missing)}: the page states doses and "
                   "approval status (pages say 'Not yet clinically reviewed')")
    for term in site.terms.values():
        if term.agent is not None and term.slug not in in_protocols:
            if status(site.reviews, "glossary", term.slug, interval_months).clinical is None:
                report(term.loc.path, term.agent.line, f"no clinical review covers glossary:{term.slug}, an agent "
                       "whose page states approval status")


def _some(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
