"""The same sources on two engines: Material for MkDocs (with our plugin) and Zensical (no plugins).

Terms and citations live in Python-Markdown extensions, so the rendered tree
must annotate identically on both. Differences the test allows are named below.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import run_cli, run_process
from miniproject import make_project
from generator.model import TIERS
from generator.outdir import MARKER

ROOT = Path(__file__).resolve().parents[1]
SELECTORS = ("a.term", "sup.cite", "ol.references")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    zensical = Path(sys.executable).with_name("zensical")
    if not zensical.exists():
        pytest.fail("zensical is missing from the venv: it is a pinned test dependency (`make test` installs it)")
    root = make_project(tmp_path_factory.mktemp("zensical"))
    out = root / "build" / "zensical"
    assert run_cli(root, "render", "--out", str(out)) == 0
    assert "tiered" not in (out / "mkdocs.yml").read_text()  # no plugin: the engine gets Markdown only
    result = run_process([str(zensical), "build", "-f", "mkdocs.yml"], cwd=out,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "site"


def tier_pages() -> list[str]:
    return [f"topics/fixture-topic/{t}/index.html" for t in TIERS]


def test_every_tier_page_exists_on_zensical(zensical_site: Path) -> None:
    for rel in tier_pages():
        assert (zensical_site / rel).is_file(), rel


def test_terms_and_citations_match_between_engines(fixture_site: Path, zensical_site: Path) -> None:
    compared = 0
    for rel in tier_pages():
        a = LexborHTMLParser((fixture_site / rel).read_text())
        b = LexborHTMLParser((zensical_site / rel).read_text())
        for selector in SELECTORS:
            left, right = [e.html for e in a.css(selector)], [e.html for e in b.css(selector)]
            assert left == right, f"{rel} {selector}"
            compared += len(left)
    assert compared >= 5  # terms, citations and reference lists of the fixture pages
    # The tooltips' text: each term's file, the same on both.
    tips = sorted(p.relative_to(fixture_site) for p in fixture_site.glob("glossary/*/tip.json"))
    assert tips and tips == sorted(p.relative_to(zensical_site) for p in zensical_site.glob("glossary/*/tip.json"))
    assert all((fixture_site / t).read_bytes() == (zensical_site / t).read_bytes() for t in tips)
    # Named, allowed differences: the page chrome (header, nav, footer, search index and asset
    # fingerprints) comes from each engine's own theme build and is not compared.


def test_tree_links_resolve_the_same_on_both(zensical_site: Path) -> None:
    from generator.checks import links

    pages = links.scan_site(zensical_site)
    assert links.check_internal(pages, zensical_site, "/fixture/") == []


def test_render_replaces_only_what_it_wrote(tmp_path: Path, capsys) -> None:
    from miniproject import make_project

    root = make_project(tmp_path)
    out = tmp_path / "out"
    (out / "stale").mkdir(parents=True)
    (out / "notes.txt").write_text("mine")
    # A folder render did not write is never deleted without --force.
    assert run_cli(root, "render", "--out", str(out)) == 1
    assert "not empty and was not written by this tool" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "mine"
    # The project itself can never be the output.
    assert run_cli(root, "render", "--out", str(root)) == 1
    assert (root / "mkdocs.yml").exists() and (root / "content").is_dir()
    assert run_cli(root, "render", "--out", str(out), "--force") == 0
    assert not (out / "stale").exists() and (out / MARKER).is_file()
    assert (out / "docs" / "topics").is_dir() and (out / "docs" / "robots.txt").is_file()
    # A folder render wrote is replaced on the next run, with stale files gone.
    (out / "docs" / "stale.md").write_text("old")
    assert run_cli(root, "render", "--out", str(out)) == 0
    assert not (out / "docs" / "stale.md").exists()
    assert "generator.markdown.sanitize" in (out / "mkdocs.yml").read_text()
