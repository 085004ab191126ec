"""Content quality of the real site as built: every page a reader can reach exists and carries
the disclaimer. (Tests of the tool build small fixture projects instead.)"""
from __future__ import annotations

import json
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from generator.model import TIERS

ROOT = Path(__file__).resolve().parents[1]


def test_every_topic_term_and_protocol_has_its_page(built_site: Path) -> None:
    topics = sorted(p.stem for p in (ROOT / "content/topics").glob("*.md"))
    terms = sorted(p.stem for p in (ROOT / "glossary").glob("*.yml"))
    protocols = sorted(p.stem for p in (ROOT / "content/protocols").glob("*.yml"))
    expected = [f"topics/{s}" for s in topics] + [f"topics/{s}/{t}" for s in topics for t in TIERS]
    expected += [f"glossary/{s}" for s in terms] + [f"protocols/{s}" for s in protocols]
    assert [u for u in expected if not (built_site / u / "index.html").is_file()] == []


def test_every_real_page_says_it_is_not_medical_advice(built_site: Path) -> None:
    pages = [p for p in built_site.rglob("index.html") if "search" not in p.parts and p.parent.name != "404"]
    assert len(pages) > 100
    assert [p for p in pages if "not medical advice" not in p.read_text(encoding="utf-8")] == []


def test_the_real_site_has_no_broken_internal_links(built_site: Path) -> None:
    from generator.checks import links

    pages = links.scan_site(built_site)
    assert len(pages) > 100
    assert links.check_internal(pages, built_site, "/hormone-therapy/") == []


def test_the_real_site_claims_only_the_review_that_happened(built_site: Path) -> None:
    tree = LexborHTMLParser((built_site / "protocols/male-trt/index.html").read_text())
    assert tree.css_first(".review-dates").text().startswith(
        "Editorial review 2 December 2026 · Not yet clinically reviewed")
    for path in built_site.glob("topics/*/*/index.html"):
        scripts = LexborHTMLParser(path.read_text()).css('script[type="application/ld+json"]')
        for s in scripts:
            assert "reviewedBy" not in json.loads(s.text()), path
