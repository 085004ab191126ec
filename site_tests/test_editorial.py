"""Editorial gates: reading level, review dates, trust metadata and structured data."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_cli
from selectolax.lexbor import LexborHTMLParser

from generator.model import TIERS
from generator.render.readability import prose, score_markdown, score_text

ROOT = Path(__file__).resolve().parents[1]
TOPIC = "content/topics/fixture-topic.md"
PLUGIN = "      funding: No funding.\n"




def plugin_option(root: Path, text: str) -> None:
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace(PLUGIN, PLUGIN + text))


def test_fkgl_on_a_pinned_passage() -> None:
    # 9 words, 2 sentences, 9 syllables: 0.39 * 4.5 + 11.8 * 1 - 15.59
    assert score_text("The cat sat on the mat. The dog ran.").fkgl == pytest.approx(-2.035, abs=0.01)


def test_smog_and_counts_on_a_fixed_passage() -> None:
    s = score_text("The cat sat on the mat. The dog ran.")
    assert (s.words, s.sentences, s.syllables, s.polysyllables) == (9, 2, 9, 0)
    assert s.smog == pytest.approx(3.1291, abs=0.001)
    assert s.minutes == 1


def test_only_prose_is_scored() -> None:
    body = ("## A very long heading with extraordinarily polysyllabic terminology\n\nShort words here [@key].\n\n"
            "| table | cell |\n|---|---|\n| incomprehensibilities | x |\n\n```\ncode block\n```\n")
    assert prose(body) == "Short words here ."
    assert score_markdown(body).words == 3


def check(root: Path, capsys, *args: str) -> tuple[int, str]:
    code = run_cli(root, "check", "--today", "2020-06-01", "--sources-only", *args)
    return code, capsys.readouterr().out


def line_of(root: Path, rel: str, needle: str) -> int:
    return next(i for i, l in enumerate((root / rel).read_text().split("\n"), 1) if needle in l)


def test_page_over_its_ceiling_is_an_error(project: Path, capsys) -> None:
    plugin_option(project, "      readability: {fundamentals: 0.5}\n")
    code, out = check(project, capsys)
    line = line_of(project, TOPIC, "# Fundamentals")
    assert code == 1
    assert re.search(rf"^{re.escape(TOPIC)}:{line}: error: Fundamentals reads at grade [\d.-]+ .*ceiling of 0\.5", out, re.M)


def test_fundamentals_harder_than_intermediate_is_a_warning(project: Path, capsys) -> None:
    path = project / TOPIC
    hard = ("Exogenous androgen administration suppresses hypothalamic gonadotropin-releasing hormone "
            "pulsatility, diminishing pituitary gonadotropin secretion and consequently intratesticular "
            "testosterone concentrations. ")
    text = path.read_text()
    head, rest = text.split("# Fundamentals\n", 1)
    path.write_text(head + "# Fundamentals\n\n" + hard * 3 + "\n\n# Intermediate" + rest.split("# Intermediate", 1)[1])
    plugin_option(project, "      readability: {fundamentals: 99.0}\n")
    _, out = check(project, capsys)
    line = line_of(project, TOPIC, "# Fundamentals")
    assert f"{TOPIC}:{line}: warning: Fundamentals (grade" in out and "does not read easier than Intermediate" in out


def test_overdue_review_is_an_error(project: Path, capsys) -> None:
    code = run_cli(project, "check", "--today", "2031-01-01")
    out = capsys.readouterr().out
    line = line_of(project, "content/reviews.yml", "- date:")
    assert code == 1 and f"content/reviews.yml:{line}: error: review overdue for" in out


@pytest.mark.parametrize("option", ["publisher", "disclaimer", "funding"])
def test_trust_metadata_is_required(project: Path, capsys, option: str) -> None:
    cfg = project / "mkdocs.yml"
    lines = cfg.read_text().split("\n")
    start = next(i for i, l in enumerate(lines) if l.strip().startswith(f"{option}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("        "):
        end += 1
    cfg.write_text("\n".join(lines[:start] + lines[end:]))
    plugin_line = next(i for i, l in enumerate(lines, 1) if l.strip() == "- tiered:")
    for cmd in ("check", "build"):
        assert run_cli(project, cmd) == 1
        captured = capsys.readouterr()
        assert f"mkdocs.yml:{plugin_line}: error: plugin 'tiered' option '{option}'" in captured.out + captured.err


def test_protocol_row_without_sources_is_an_error(project: Path, capsys) -> None:
    rel = "content/protocols/fixture-protocol.yml"
    path = project / rel
    text = path.read_text()
    block = text[text.index("    sources:\n"):text.index("monitoring:")]
    path.write_text(text.replace(block, ""))
    line = line_of(project, rel, "agent: medicine-x")
    code, out = check(project, capsys)
    assert code == 1 and f"{rel}:{line}: error: agent row 'medicine-x' has no sources" in out


def test_readability_report_lists_every_tier_page(project: Path, capsys) -> None:
    _, out = check(project, capsys, "--readability-report")
    for tier in TIERS:
        assert re.search(rf"^topics/fixture-topic/{tier}/\s+[\d.-]+\s+[\d.-]+\s+\d+\s+\d+$", out, re.M), out
    assert "FKGL" in out and "SMOG" in out


def _jsonld(html_path: Path) -> dict:
    doc = LexborHTMLParser(html_path.read_text())
    scripts = doc.css('script[type="application/ld+json"]')
    assert len(scripts) == 1, html_path
    return json.loads(scripts[0].text())


def test_tier_pages_carry_medical_web_page_json_ld(fixture_site: Path) -> None:
    audience = {"fundamentals": "Patient", "intermediate": "Clinician", "academic": "MedicalResearcher"}
    for stem in ("fixture-topic",):
        for tier in TIERS:
            data = _jsonld(fixture_site / "topics" / stem / tier / "index.html")
            assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
            for key in ("lastReviewed", "audience", "about", "citation"):
                assert key in data, key
            assert data["audience"]["audienceType"] == audience[tier]
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["lastReviewed"])
            assert isinstance(data["citation"], list)


def test_glossary_carries_defined_terms(fixture_site: Path) -> None:
    data = _jsonld(fixture_site / "glossary" / "index.html")
    assert data["@type"] == "DefinedTermSet" and [t["name"] for t in data["hasDefinedTerm"]] == ["hormone", "medicine X"]
    term = _jsonld(fixture_site / "glossary" / "hormone" / "index.html")
    assert term["@type"] == "DefinedTerm" and term["name"] == "hormone" and term["inDefinedTermSet"].endswith("/glossary/")


def test_json_ld_cannot_be_broken_out_of(project: Path) -> None:
    path = project / "glossary/hormone.yml"
    path.write_text(path.read_text().replace("short: A chemical messenger", "short: A </script><script>alert(1)</script> messenger"))
    assert run_cli(project, "build") == 0
    data = _jsonld(project / "site/glossary/hormone/index.html")
    assert "</script><script>alert(1)</script>" in data["description"]


def test_tier_landing_pages_list_every_topic(fixture_site: Path) -> None:
    topics = ["fixture-topic"]
    built_site = fixture_site
    for tier in TIERS:
        doc = LexborHTMLParser((built_site / "tiers" / tier / "index.html").read_text())
        hrefs = [a.attributes["href"] for a in doc.css("article li a[href]")]
        assert sorted(h.split("/")[-3] for h in hrefs if "/topics/" in "/" + h) == topics
        assert "Reading level: about US school grade" in doc.css_first("article").text()
    home = LexborHTMLParser((built_site / "index.html").read_text())
    assert {a.attributes["href"] for a in home.css("article a[href]")} >= {"tiers/fundamentals/", "tiers/intermediate/", "tiers/academic/"}


@pytest.mark.browser
def test_reading_level_and_review_line_are_visible(page, served_fixture: str) -> None:
    page.goto(served_fixture + "topics/fixture-topic/fundamentals/")
    level = page.locator(".reading-level")
    review = page.locator(".page-meta .review-dates")
    assert level.is_visible() and re.match(r"Reading level: about US school grade \d+ \(Flesch–Kincaid formula\) · \d+ min read", level.inner_text())
    assert review.is_visible() and "Editorial review" in review.inner_text()
    full = page.locator(".page-end-meta .review-dates")
    assert full.is_visible() and "Next review due" in full.inner_text()
    # Near the title: both sit above the first paragraph of the body.
    title_y = page.locator("article h1").bounding_box()["y"]
    assert title_y < level.bounding_box()["y"] < title_y + 300
