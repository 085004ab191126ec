"""The tier table is the one place tiers are defined: a fourth tier is one edit to it plus content.

The test copies the `generator` package, appends one tier to the copy's
data/tiers.yml (the whole diff), and builds a small project with four tier
sections in a fresh interpreter that imports the copy.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import run_process
from miniproject import TOPIC, make_project
from selectolax.lexbor import LexborHTMLParser

from generator.model import tiers

PACKAGE = Path(tiers.__file__).parents[1]  # generator/
EXPERT = """\
- name: expert
  title: Expert
  audience: MedicalResearcher
  ceiling: null
  summary: Open questions and how one would study them.
  intro: Open questions, for readers who want to design the next study.
  cite_every_section: false
"""


def test_the_table_is_consistent() -> None:
    assert tiers.TIERS == ("fundamentals", "intermediate", "academic")
    assert tiers.PLAIN == "fundamentals" and tiers.DEEPEST == "academic"
    assert tiers.HEADINGS == ("Fundamentals", "Intermediate", "Academic")
    assert [t.name for t in tiers.TABLE if t.cite_every_section] == ["academic"]


def test_no_module_spells_out_a_tier_name() -> None:
    """Outside the table, no source of the package or its assets names a tier."""
    offenders = []
    for path in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.j2"), *(PACKAGE.parent / "docs" / "assets").glob("*.js"),
                 *(PACKAGE.parent / "overrides").glob("*.html")]:
        text = path.read_text(encoding="utf-8")
        for name in ("fundamentals", "intermediate", "academic"):
            for line in text.splitlines():
                if f'"{name}"' in line or f"'{name}'" in line or f"|{name}|" in line:
                    offenders.append(f"{path.name}: {line.strip()}")
    assert offenders == []


@pytest.fixture(scope="module")
def four_tier_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("fourtiers")
    copy = tmp / "pkg" / "generator"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    table = copy / "data" / "tiers.yml"
    table.write_text(table.read_text(encoding="utf-8") + EXPERT, encoding="utf-8")  # the one edit
    topic = TOPIC + ("\n# Expert\n\nNobody has compared the two hormones head to head in randomized "
                     "pharmacokinetic investigations characterizing hepatic metabolism comprehensively [@jones2020].\n")
    root = make_project(tmp, {"content/topics/fixture-topic.md": topic})
    env = {**os.environ, "PYTHONPATH": str(copy.parent)}
    code = "import sys, generator; assert generator.__file__.startswith(sys.argv[1]), generator.__file__; " \
           "from generator.cli import main; raise SystemExit(main(['--root', sys.argv[2], 'build']))"
    result = run_process([sys.executable, "-c", code, str(copy), str(root)], env=env, cwd=tmp,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_a_fourth_tier_gets_its_page_switch_landing_page_and_metadata(four_tier_site: Path) -> None:
    page = four_tier_site / "topics/fixture-topic/expert/index.html"
    tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
    switch = [a.attributes["data-tier"] for a in tree.css("nav.tier-switch a")]
    assert switch == ["fundamentals", "intermediate", "academic", "expert"]
    assert "Nobody has compared the two hormones head to head" in tree.css_first("article").text()
    meta = tree.css_first('meta[name="reading-tiers"]')
    assert meta is not None and meta.attributes["content"] == "fundamentals,intermediate,academic,expert"
    data = json.loads(tree.css_first('script[type="application/ld+json"]').text())
    assert data["name"] == "A fixture topic (Expert)" and data["audience"]["audienceType"] == "MedicalResearcher"
    landing = LexborHTMLParser((four_tier_site / "tiers/expert/index.html").read_text(encoding="utf-8"))
    assert "Open questions, for readers who want to design the next study." in landing.css_first("article").text()
    overview = LexborHTMLParser((four_tier_site / "topics/fixture-topic/index.html").read_text(encoding="utf-8"))
    assert [a.attributes["data-tier"] for a in overview.css("a.tier-entry")] == [
        "fundamentals", "intermediate", "academic", "expert"]


@pytest.mark.parametrize("body, lifted, rest", [
    ("Intro.\n\n## The main points\n\n- One.\n\n## Next\n\nText.", "\n- One.\n", "Intro.\n\n## Next\n\nText."),
    ("Intro.\n\n## The main points\n- One.", "- One.", "Intro.\n"),
    ("```\n## The main points\n```\nText.", "", "```\n## The main points\n```\nText."),  # in a fence: not a heading
    ("## The main points of care\n\nText.", "", "## The main points of care\n\nText."),  # only the exact title
])
def test_key_points_are_lifted_whole_and_nothing_else_is_lost(body: str, lifted: str, rest: str) -> None:
    from generator.sources.mdscan import lift_section

    assert lift_section(body) == (lifted.strip("\n"), rest)
