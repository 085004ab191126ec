"""Editorial gates: reading level per tier, review currency, trust metadata."""
from __future__ import annotations

from generator.checks.context import CheckContext
from generator.config import ceilings
from generator.errors import Reporter
from generator.model import Site
from generator.model.tiers import TIER_TITLES, TIERS
from generator.render import urls
from generator.render.readability import Score


def check_readability(ctx: CheckContext, rep: Reporter) -> None:
    scores, limits = ctx.prepared.rendered.scores, ceilings(ctx.settings)
    for topic in ctx.site.topics.values():
        for tier in TIERS:
            score, ceiling = scores.get((topic.slug, tier)), limits.get(tier)
            if score is None or ceiling is None:
                continue
            if score.fkgl > ceiling:
                rep.error(topic.loc.path, topic.sections[tier].line,
                          f"{TIER_TITLES[tier]} reads at grade {score.fkgl:.1f} (Flesch-Kincaid), above its ceiling "
                          f"of {ceiling:.1f}: use shorter sentences and everyday words")
        for shallow, deep in zip(TIERS, TIERS[1:]):  # each depth should read easier than the next
            a, b = scores.get((topic.slug, shallow)), scores.get((topic.slug, deep))
            if a and b and a.fkgl >= b.fkgl:
                rep.warning(topic.loc.path, topic.sections[shallow].line,
                            f"{TIER_TITLES[shallow]} (grade {a.fkgl:.1f}) does not read easier than "
                            f"{TIER_TITLES[deep]} (grade {b.fkgl:.1f})")


def readability_report(site: Site, scores: dict[tuple[str, str], Score | None]) -> str:
    rows = [("page", "FKGL", "SMOG", "words", "min")]
    for topic in sorted(site.topics.values(), key=lambda t: t.slug):
        for tier in TIERS:
            s = scores.get((topic.slug, tier))
            if s:
                rows.append((urls.topic(topic.slug, tier), f"{s.fkgl:.1f}", f"{s.smog:.1f}", str(s.words),
                             str(s.minutes)))
    for tier in TIERS:
        tier_scores = [s for (_, t), s in scores.items() if t == tier and s]
        if tier_scores:
            mean = sum(s.fkgl for s in tier_scores) / len(tier_scores)
            rows.append((f"average {tier}", f"{mean:.1f}", "", "", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def check_trust(ctx: CheckContext, rep: Reporter) -> None:
    for proto in ctx.site.protocols.values():
        for row in proto.agents:
            if not row.sources:
                rep.error(proto.loc.path, row.line, f"agent row '{row.agent}' has no sources: every protocol row "
                          "needs at least one citation")
