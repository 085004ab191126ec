"""Whole-site tests: build a small fixture project and assert on the HTML readers get.
(The real site's pages are checked by the content-quality tests, test_content*.py.)"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import run_cli, run_process, visible_text
from miniproject import make_project
from selectolax.lexbor import LexborHTMLParser

from generator.model import TIERS

TOPICS = ["fixture-topic"]
TERMS = ["hormone", "medicine-x"]
PROTOCOLS = ["fixture-protocol"]


@pytest.fixture
def built_site(fixture_site: Path) -> Path:
    return fixture_site




def page(site: Path, url: str) -> LexborHTMLParser:
    path = site / url / "index.html"
    assert path.is_file(), f"missing page {url}"
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


def test_contract_urls_exist(built_site: Path) -> None:
    assert TOPICS and TERMS and PROTOCOLS
    for slug in TOPICS:
        page(built_site, f"topics/{slug}")
        for tier in TIERS:
            page(built_site, f"topics/{slug}/{tier}")
    for slug in TERMS:
        page(built_site, f"glossary/{slug}")
    for slug in PROTOCOLS:
        page(built_site, f"protocols/{slug}")
    for url in ("glossary", "protocols", "references", ""):
        assert (built_site / url / "index.html").is_file()


@pytest.mark.parametrize("tier", TIERS)
def test_tier_page_has_switch_review_dates_and_disclaimer(built_site: Path, tier: str) -> None:
    for slug in TOPICS:
        doc = page(built_site, f"topics/{slug}/{tier}")
        links = doc.css("nav.tier-switch a")
        assert [a.attributes["data-tier"] for a in links] == list(TIERS)
        current = [a for a in links if a.attributes.get("aria-current") == "page"]
        assert len(current) == 1 and current[0].attributes["data-tier"] == tier
        for a in links:
            target = (built_site / f"topics/{slug}/{tier}" / a.attributes["href"] / "index.html").resolve()
            assert target.is_file(), a.attributes["href"]
        assert "Editorial review 2 January 2020 · Not yet clinically reviewed" in doc.css_first(".review-dates").text()
        assert "Next review due" in doc.css(".review-dates")[-1].text()  # in the full line at the end
        assert "not medical advice" in doc.css_first(".disclaimer").text()


def test_every_page_says_it_is_not_medical_advice(built_site: Path) -> None:
    pages = [p for p in built_site.rglob("index.html") if "search" not in p.parts]
    assert len(pages) >= 14  # every page of the fixture site
    for path in pages:
        if path.parent.name == "404":
            continue
        assert "not medical advice" in path.read_text(encoding="utf-8"), path


def test_protocol_table_takes_agent_facts_from_the_glossary(built_site: Path) -> None:
    doc = page(built_site, "protocols/fixture-protocol")
    rows = doc.css(".protocol-table tbody tr")
    assert rows
    first = rows[0].css("td")
    assert first[0].css_first("a").attributes["href"].endswith("glossary/medicine-x/")
    assert visible_text(first[0].css_first("a")) == "medicine X"  # the glossary's name
    assert visible_text(first[0].css_first(".badge")) == "US FDA: approved for this use"  # derived from its approvals


def test_topic_overview_lists_three_tiers(built_site: Path) -> None:
    for slug in TOPICS:
        doc = page(built_site, f"topics/{slug}")
        entries = [a.attributes.get("data-tier") for a in doc.css("a.tier-entry")]
        assert entries == list(TIERS)


def test_glossary_short_with_markup_renders_as_text(project: Path) -> None:
    evil = '"><script>alert(1)</script>'
    path = project / "glossary/hormone.yml"
    text = path.read_text(encoding="utf-8").replace(
        "short: A chemical messenger carried in the blood.", f"short: 'A chemical messenger {evil} carried in the blood.'")
    path.write_text(text, encoding="utf-8")
    assert run_cli(project, "build") == 0
    for url in ("glossary/hormone", "glossary", "topics/fixture-topic/fundamentals"):
        html = (project / "site" / url / "index.html").read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html
        doc = LexborHTMLParser(html)
        # Only the JSON-LD block may mention it, and there it is data (escaped "<"), not code.
        assert not [s for s in doc.css("script") if "alert(1)" in (s.text() or "")
                    and s.attributes.get("type") != "application/ld+json"]
    doc = page(project / "site", "glossary/hormone")
    assert evil in doc.css_first(".term-short").text()


def _digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_same_sources_give_byte_identical_sites(tmp_path: Path, built_site: Path) -> None:
    root = make_project(tmp_path / "again")
    assert run_cli(root, "build") == 0
    assert _digest(root / "site") == _digest(built_site)


def test_references_page_lists_every_entry_with_back_links(built_site: Path) -> None:

    keys = ["jones2020", "smith2019", "xenolabel"]
    doc = page(built_site, "references")
    items = {li.attributes["id"]: li for li in doc.css("ol.references > li")}
    assert sorted(items) == sorted(f"ref-{k}" for k in keys)
    cited = items["ref-smith2019"].css(".cited-by a")
    assert cited, "smith2019 is cited, so it needs back-links"
    for a in cited:
        assert (built_site / "references" / a.attributes["href"] / "index.html").resolve().is_file()


def test_term_and_protocol_sources_join_page_numbering(built_site: Path) -> None:
    doc = page(built_site, "glossary/medicine-x")
    assert doc.css("sup.cite a") and doc.css("ol.references li#ref-smith2019")
    doc = page(built_site, "topics/fixture-topic/academic")
    numbers = [int(a.text()) for a in doc.css("sup.cite a")]
    items = doc.css("ol.references > li")
    assert max(numbers) == len(items)
    assert sorted(set(numbers)) == list(range(1, len(items) + 1))


def test_plain_mkdocs_build_strict_works_from_the_root(project: Path) -> None:
    import sys

    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = run_process([str(mkdocs), "build", "--strict", "-d", str(project / "out")], cwd=project,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert (project / "out/topics/fixture-topic/academic/index.html").is_file()


def test_shared_links_get_open_graph_and_twitter_cards(tmp_path: Path) -> None:
    from miniproject import TOPIC

    hostile = 'A "quoted" <b>topic</b> & more'
    root = make_project(tmp_path, {"content/topics/fixture-topic.md": TOPIC.replace(
        "title: A fixture topic", f"title: '{hostile}'")})
    assert run_cli(root, "build") == 0
    doc = page(root / "site", "topics/fixture-topic/intermediate")
    meta = {m.attributes.get("property") or m.attributes.get("name"): m.attributes.get("content")
            for m in doc.css("head meta")}
    assert meta["og:title"] == f"{hostile} (Intermediate)"  # the text itself: escaped once, not twice
    assert meta["twitter:title"] == meta["og:title"] and meta["twitter:card"] == "summary"
    assert meta["og:description"] == "A short topic used by the tests."
    assert meta["og:url"] == "https://example.org/fixture/topics/fixture-topic/intermediate/"
    assert meta["og:type"] == "article" and meta["og:site_name"] == "Fixture site"


def test_a_term_the_prose_defines_gets_no_tooltip_on_that_page(tmp_path: Path) -> None:
    """`*hormone*{.dfn}` marks the sentence that defines the term: the built page shows a bold
    <dfn> there, and "hormone" is annotated nowhere on that page (not in its key points either),
    but still on the topic's other pages that explain it."""
    from miniproject import TOPIC

    root = make_project(tmp_path, {"content/topics/fixture-topic.md": TOPIC.replace(
        "A hormone is a messenger.", "A *hormone*{.dfn} is a messenger.")})
    assert run_cli(root, "build") == 0
    doc = page(root / "site", "topics/fixture-topic/fundamentals")
    assert [d.text() for d in doc.css("article dfn")] == ["hormone"]
    assert not doc.css('article a.term[data-term="hormone"]')
    assert "{.dfn}" not in doc.css_first("article").text()
    assert "A hormone carries a message" in doc.css_first("article .key-points").text()



@pytest.mark.parametrize("name, heading", [
    ("clomiphene citrate", "Clomiphene citrate"), ("hCG", "hCG"), ("pH", "pH"), ("GnRH analog", "GnRH analog"),
    ("testosterone", "Testosterone"), ("17β-estradiol", "17β-estradiol"), ("", "")])
def test_a_glossary_heading_starts_with_a_capital_unless_it_is_an_abbreviation(name: str, heading: str) -> None:
    from generator.render.pages import heading_case

    assert heading_case(name) == heading


def test_a_term_page_title_is_a_heading_and_its_text_keeps_the_term(built_site: Path) -> None:
    doc = page(built_site, "glossary/hormone")
    assert doc.css_first("article h1").text().strip().removesuffix("¶").strip() == "Hormone"
    assert "<title>Hormone" in (built_site / "glossary/hormone/index.html").read_text()


def test_the_questions_for_a_clinician_are_open_once_on_fundamentals_and_folded_deeper(tmp_path: Path) -> None:
    """The source's `# Reflection` is one list for the topic: a section in plain words on
    Fundamentals, folded on the deeper pages (not a repeated 'Reflection' on every depth)."""
    from miniproject import TOPIC

    root = make_project(tmp_path, {"content/topics/fixture-topic.md":
                                   TOPIC.rstrip("\n") + "\n\n# Reflection\n\n- What will we check, and how often?\n"})
    assert run_cli(root, "build") == 0
    site = root / "site"
    plain = page(site, "topics/fixture-topic/fundamentals").css_first("article")
    heading = plain.css_first("h2#questions")
    assert heading is not None and heading.text().strip().removesuffix("¶").strip() == "Questions to ask your clinician"
    assert "What will we check, and how often?" in plain.text() and "Reflection" not in plain.text()
    for tier in TIERS[1:]:
        deeper = page(site, f"topics/fixture-topic/{tier}").css_first("article")
        folded = deeper.css_first("details.questions")
        assert folded is not None and "open" not in folded.attributes, tier
        assert "What will we check, and how often?" in folded.text() and deeper.css_first("h2#questions") is None
