"""The real content meets the editorial bar: coverage, length, plainness, sources and honesty."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli
from generator.errors import Reporter
from generator.load import load_site
from generator.model import TIERS
from generator.readability import score_markdown

ROOT = Path(__file__).resolve().parents[1]
SITE, _ = load_site(ROOT, Reporter(ROOT))
WORDS = {"fundamentals": (500, 900), "intermediate": (800, 1500), "academic": (800, 1500)}
PROMOTIONAL = re.compile(r"\b(optimi[sz]\w*|reclaim\w*|unlock\w*|boost your|miracle|revolutionary|fountain of youth)\b", re.I)
DOSE_IN_TABLE = re.compile(r"^\|.*\b\d+(\.\d+)?\s*(mg|ml|mL|units?|IU)\b", re.M)


def test_five_topics_five_protocols_eighty_terms() -> None:
    assert len(SITE.topics) >= 5
    assert len(SITE.protocols) >= 5
    assert len(SITE.terms) >= 80
    assert {"male-trt", "female-testosterone", "post-trt-fertility", "gh-peptides", "other-peptides"} <= set(SITE.protocols)


@pytest.mark.parametrize("slug", sorted(SITE.topics))
def test_tier_lengths(slug: str) -> None:
    for tier in TIERS:
        words = score_markdown(SITE.topics[slug].sections[tier].body).words
        low, high = WORDS[tier]
        assert low <= words <= high, f"{slug} {tier}: {words} words, want {low}-{high}"


def test_fundamentals_are_plain() -> None:
    grades = [score_markdown(t.sections["fundamentals"].body).fkgl for t in SITE.topics.values()]
    assert sum(grades) / len(grades) <= 8.5
    assert max(grades) <= 9.0


@pytest.mark.parametrize("slug", sorted(SITE.topics))
def test_intermediate_uses_protocol_data_not_typed_doses(slug: str) -> None:
    topic = SITE.topics[slug]
    assert "protocol_table(" in topic.sections["intermediate"].body
    for section in topic.sections.values():
        assert not DOSE_IN_TABLE.search(section.body), "dose tables belong in content/protocols/*.yml"


def test_no_promotional_language() -> None:
    for path in [*ROOT.glob("content/topics/*.md"), *ROOT.glob("glossary/*.yml"), *ROOT.glob("content/protocols/*.yml")]:
        found = PROMOTIONAL.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {found}"


def test_every_agent_is_labelled_honestly() -> None:
    for proto in SITE.protocols.values():
        for row in proto.agents:
            agent = SITE.terms[row.agent].agent
            assert agent is not None and agent.regulatory and row.sources and row.role and row.route and row.frequency
            text = agent.regulatory.lower()
            if agent.status == "unapproved":
                assert "not an approved" in text or "not approved" in text or "no approved" in text
    # The domain brief's unapproved agents must carry that status.
    for slug in ("mk-677", "pentadeca-arginate", "cjc-1295", "ipamorelin", "enclomiphene"):
        assert SITE.terms[slug].agent.status == "unapproved", slug


def test_glossary_shorts_are_one_plain_sentence() -> None:
    for term in SITE.terms.values():
        assert term.short.endswith("."), term.slug
        assert term.short.count(". ") == 0, term.slug
        assert len(term.short.split()) <= 30, term.slug


def test_strict_check_passes_on_the_real_site(capsys) -> None:
    code = run_cli(ROOT, "check", "--strict", "--today", "2026-11-22")
    out = capsys.readouterr().out
    assert code == 0, out
