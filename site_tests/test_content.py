"""The real content meets the editorial bar: coverage, length, plainness, sources and honesty."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from conftest import run_cli

from generator.errors import Reporter
from generator.model import TIERS, Site
from generator.model.approval import APPROVED, COMPOUNDED, NOT_APPROVED, OFF_LABEL, derive
from generator.render.readability import score_markdown
from generator.sources.load import load_site

ROOT = Path(__file__).resolve().parents[1]
TOPIC_SLUGS = sorted(p.stem for p in (ROOT / "content" / "topics").glob("*.md"))


@functools.lru_cache(maxsize=1)
def site() -> Site:
    """The real site, loaded on first use (not when the test files are collected)."""
    loaded, _ = load_site(ROOT, Reporter(ROOT))
    return loaded
WORDS = {"fundamentals": (500, 900), "intermediate": (800, 1500), "academic": (800, 1500)}
PROMOTIONAL = re.compile(r"\b(optimi[sz]\w*|reclaim\w*|unlock\w*|boost your|miracle|revolutionary|fountain of youth)\b", re.I)
DOSE_IN_TABLE = re.compile(r"^\|.*\b\d+(\.\d+)?\s*(mg|ml|mL|units?|IU)\b", re.M)


def test_five_topics_five_protocols_eighty_terms() -> None:
    assert len(site().topics) >= 5
    assert len(site().protocols) >= 5
    assert len(site().terms) >= 80
    assert {"male-trt", "female-testosterone", "post-trt-fertility", "gh-peptides", "other-peptides"} <= set(site().protocols)


@pytest.mark.parametrize("slug", TOPIC_SLUGS)
def test_tier_lengths(slug: str) -> None:
    for tier in TIERS:
        words = score_markdown(site().topics[slug].sections[tier].body).words
        low, high = WORDS[tier]
        assert low <= words <= high, f"{slug} {tier}: {words} words, want {low}-{high}"


def test_fundamentals_are_plain() -> None:
    grades = [score_markdown(t.sections["fundamentals"].body).fkgl for t in site().topics.values()]
    assert sum(grades) / len(grades) <= 8.5
    assert max(grades) <= 8.0


@pytest.mark.parametrize("slug", TOPIC_SLUGS)
def test_intermediate_uses_protocol_data_not_typed_doses(slug: str) -> None:
    topic = site().topics[slug]
    assert "protocol_table(" in topic.sections["intermediate"].body
    for section in topic.sections.values():
        assert not DOSE_IN_TABLE.search(section.body), "dose tables belong in content/protocols/*.yml"


def test_no_promotional_language() -> None:
    for path in [*ROOT.glob("content/topics/*.md"), *ROOT.glob("glossary/*.yml"), *ROOT.glob("content/protocols/*.yml")]:
        found = PROMOTIONAL.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {found}"


def test_every_agent_is_labelled_honestly() -> None:
    for proto in site().protocols.values():
        for row in proto.agents:
            agent = site().terms[row.agent].agent
            assert agent is not None and row.sources and row.role and row.route, (proto.slug, row.agent)
            assert row.indication and row.population, (proto.slug, row.agent)
            assert agent.approvals or agent.no_approval, row.agent
    # The domain brief's unapproved agents carry no approval, whatever the row.
    for slug in ("mk-677", "pentadeca-arginate", "cjc-1295", "ipamorelin", "enclomiphene", "gonadorelin", "hexarelin"):
        agent = site().terms[slug].agent
        assert agent is not None and not agent.approvals and agent.no_approval, slug


def _statuses(proto: str, agent: str) -> list[str]:
    return [derive(site().terms[agent].agent, r).status for r in site().protocols[proto].agents if r.agent == agent]


def test_badges_follow_the_use_not_the_agent() -> None:
    """The review's cases: status belongs to a use (issue 12, section 4 item 4)."""
    assert _statuses("gh-peptides", "tesamorelin") == [APPROVED, OFF_LABEL]  # HIV lipodystrophy vs ageing
    assert _statuses("other-peptides", "pt-141") == [APPROVED, COMPOUNDED]  # Vyleesi vs compounded "PT-141"
    assert _statuses("male-trt", "testosterone-cypionate") == [APPROVED, OFF_LABEL]  # intramuscular vs subcutaneous
    assert set(_statuses("male-trt", "gonadorelin")) == {NOT_APPROVED}  # no human product; no compounding source
    assert set(_statuses("female-testosterone", "testosterone-gel")) == {OFF_LABEL}


def test_no_row_shows_an_unsupported_schedule() -> None:
    for proto in site().protocols.values():
        for row in proto.agents:
            assert not row.has_schedule or row.schedule_supported, (proto.slug, row.agent)


def test_label_warnings_reach_every_page_that_names_the_product() -> None:
    """Testosterone's pregnancy warning and the gel's boxed warning (issue 12, section 4 item 2)."""
    cyp, gel = site().terms["testosterone-cypionate"].agent, site().terms["testosterone-gel"].agent
    assert any(i.kind == "pregnancy" for i in cyp.safety)
    assert any(i.kind == "boxed-warning" for i in gel.safety)
    assert any(i.kind == "pregnancy" for i in site().terms["pt-141"].agent.safety)


def test_every_topic_says_when_to_get_help() -> None:
    for topic in site().topics.values():
        assert topic.urgent and topic.see_clinician, topic.slug


def test_glossary_shorts_are_one_plain_sentence() -> None:
    for term in site().terms.values():
        assert term.short.endswith("."), term.slug
        assert term.short.count(". ") == 0, term.slug
        assert len(term.short.split()) <= 30, term.slug


def test_check_strict_passes_on_the_real_site_and_notes_the_missing_clinical_review(capsys) -> None:
    """No clinician has reviewed the site yet: its policy is `clinical_review: recommended`, so
    `check` says so in a note per protocol and per agent outside one, and the strict gate passes."""
    code = run_cli(ROOT, "check", "--strict", "--today", "2026-12-02")
    lines = [l for l in capsys.readouterr().out.splitlines() if l.strip()]
    assert code == 0
    assert not [l for l in lines if ": error: " in l or ": warning: " in l]
    notes = [l for l in lines if ": note: no clinical review covers " in l]
    assert len(notes) == len(site().protocols) + 1  # bpc-157 is the one agent in no protocol


def test_fundamentals_warns_before_anything_else_where_a_protocol_needs_it(built_site: Path) -> None:
    from selectolax.lexbor import LexborHTMLParser

    from generator.model.safety import flags

    for topic in site().topics.values():
        flagged = any(flags(site().terms[r.agent].agent) for p in topic.protocols for r in site().protocols[p].agents)
        tree = LexborHTMLParser((built_site / f"topics/{topic.slug}/fundamentals/index.html").read_text())
        article = tree.css_first("article")
        assert (article.css_first("aside.callout-safety") is not None) == flagged, topic.slug
        # Near the top: after the key points, before the first heading of the body.
        first_h2 = next(h for h in article.css("h2") if h.attributes.get("id") != "key-points")
        help_box = article.css_first("aside.callout-help")
        assert help_box is not None and article.html.index(help_box.html) < article.html.index(first_h2.html)
        for tier in ("intermediate", "academic"):
            page = LexborHTMLParser((built_site / f"topics/{topic.slug}/{tier}/index.html").read_text())
            assert page.css_first("article details.callout-help") is not None, (topic.slug, tier)


def test_every_journal_the_bibliography_cites_has_a_first_year() -> None:
    from generator.checks.citations import journal_first_years, journal_key

    years = journal_first_years()
    for ref in site().references.values():
        journal = ref.fields.get("journal")
        if journal:
            assert journal_key(journal) in years, journal


def test_every_tier_page_opens_with_its_key_points(built_site: Path) -> None:
    """Each of the real site's tier pages has a key-points box, above the body's first heading."""
    from selectolax.lexbor import LexborHTMLParser

    for topic in site().topics.values():
        for tier in TIERS:
            article = LexborHTMLParser((built_site / f"topics/{topic.slug}/{tier}/index.html").read_text()).css_first(
                "article")
            box = article.css_first("section.key-points")
            assert box is not None and len(box.css("li")) >= 3, (topic.slug, tier)
            first_h2 = next(h for h in article.css("h2") if h.attributes.get("id") != "key-points")
            assert article.html.index(box.html) < article.html.index(first_h2.html), (topic.slug, tier)
