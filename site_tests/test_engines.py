"""The same sources on both engines: Zensical (the default) and Material for MkDocs.

Both build the one rendered tree (generator/render/tree.py); terms and citations live in
Python-Markdown extensions, so the pages must carry the same annotations and the same
article text. Differences the test allows are named below.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from miniproject import make_project
from selectolax.lexbor import LexborHTMLParser

from generator.model import TIERS
from generator.outdir import MARKER

ROOT = Path(__file__).resolve().parents[1]
SELECTORS = ("a.term", "sup.cite", "ol.references")


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("mkdocs"))
    assert run_cli(root, "build", "--engine", "mkdocs") == 0
    return root / "site"


def tier_pages() -> list[str]:
    return [f"topics/fixture-topic/{t}/index.html" for t in TIERS]


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "assets" not in p.parts)


def _article(path: Path) -> str:
    node = LexborHTMLParser(path.read_text()).css_first("article")
    return " ".join(node.text().split()) if node else ""


def test_the_default_engine_is_zensical(fixture_site: Path) -> None:
    assert 'name="generator" content="zensical' in (fixture_site / "index.html").read_text().lower() or \
        "bundle" in (fixture_site / "index.html").read_text()
    assert (fixture_site / "search.json").is_file()  # Zensical's search index; MkDocs writes search/


def test_both_engines_give_the_same_pages_and_the_same_text(fixture_site: Path, mkdocs_site: Path) -> None:
    assert _pages(fixture_site) == _pages(mkdocs_site)
    for rel in _pages(fixture_site):
        # The theme's own skip link and chrome aside, a reader reads the same words on both.
        assert _article(fixture_site / rel) == _article(mkdocs_site / rel), rel


def test_terms_and_citations_match_between_engines(fixture_site: Path, mkdocs_site: Path) -> None:
    compared = 0
    for rel in tier_pages():
        a = LexborHTMLParser((mkdocs_site / rel).read_text())
        b = LexborHTMLParser((fixture_site / rel).read_text())
        for selector in SELECTORS:
            left, right = [e.html for e in a.css(selector)], [e.html for e in b.css(selector)]
            assert left == right, f"{rel} {selector}"
            compared += len(left)
    assert compared >= 5  # terms, citations and reference lists of the fixture pages
    # The tooltips' text: each term's file, the same on both.
    tips = sorted(p.relative_to(mkdocs_site) for p in mkdocs_site.glob("glossary/*/tip.json"))
    assert tips and tips == sorted(p.relative_to(fixture_site) for p in fixture_site.glob("glossary/*/tip.json"))
    assert all((mkdocs_site / t).read_bytes() == (fixture_site / t).read_bytes() for t in tips)
    # Named, allowed differences: the page chrome (header, nav, footer, search index and asset
    # fingerprints) comes from each engine's own theme build and is not compared.


@pytest.mark.parametrize("engine", ["zensical", "mkdocs"])
def test_links_resolve_on_both(fixture_site: Path, mkdocs_site: Path, engine: str) -> None:
    from generator.checks import links

    site = fixture_site if engine == "zensical" else mkdocs_site
    pages = links.scan_site(site)
    assert links.check_internal(pages, site, "/fixture/") == []


@pytest.mark.parametrize("engine", ["zensical", "mkdocs"])
def test_a_csl_json_bibliography_and_a_style_work_the_same_on_both(tmp_path: Path, engine: str) -> None:
    """The cite extension's options are read in one place and reach the tree (issue 26): a
    CSL-JSON file alone, and a non-default style, on each engine."""
    import json

    from miniproject import FILES

    from generator.errors import Reporter
    from generator.sources.bibtex import parse_bibtex

    root = make_project(tmp_path)
    bib = root / "content/references.bib"
    entries = parse_bibtex(bib, Reporter(root))
    records = [{**ref.csl, "id": key} for key, ref in entries.items()]
    for record in records:
        record["title"] = f"{record.get('title', '')} (read from CSL-JSON)"
    (root / "content/references.json").write_text(json.dumps(records, indent=1), encoding="utf-8")
    bib.unlink()
    (root / "mkdocs.yml").write_text(FILES["mkdocs.yml"].replace(
        "bibliography: content/references.bib", "bibliography: content/references.json\n      style: apa"))
    assert run_cli(root, "build", "--no-strict", "--engine", engine) == 0
    page = (root / "site/topics/fixture-topic/academic/index.html").read_text()
    listed = LexborHTMLParser(page).css_first("ol.references").text()
    assert "(read from CSL-JSON)" in listed  # the JSON file, not a .bib
    assert "(2019)" in listed  # APA's author-date list, not AMA's "2019;"


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


# Every `tiered` option a reader can see on a page, set away from its default, and the text
# that shows it. The others (external links, registries, check thresholds) are read by `check`,
# which runs no engine.
VISIBLE_OPTIONS = {
    "publisher": ("Option Publisher Ltd", "Option Publisher Ltd"),
    "disclaimer": ("Option disclaimer: read nothing here as advice.", "read nothing here as advice"),
    "funding": ("Option funding: paid for by nobody at all.", "paid for by nobody"),
    "emergency": ("Option emergency: ring the option number now.", "ring the option number now"),
    "approval_jurisdiction": ("EU", "EU (EMA)"),
}


def _option_pages(tmp_path: Path, engine: str) -> dict[str, list[str]]:
    """The pages that show each visible option, in a build by `engine`."""
    root = make_project(tmp_path / engine)
    config = root / "mkdocs.yml"
    text = config.read_text()
    block = "".join(f"      {name}: '{value}'\n" for name, (value, _) in VISIBLE_OPTIONS.items())
    config.write_text(text[:text.index("      publisher:")] + block + text[text.index("markdown_extensions:"):])
    assert run_cli(root, "build", "--engine", engine) == 0
    site = root / "site"
    return {name: [page for page in _pages(site) if shown in (site / page).read_text()]
            for name, (_, shown) in VISIBLE_OPTIONS.items()}


def test_every_visible_tiered_option_reaches_the_same_pages_on_both(tmp_path: Path) -> None:
    from generator.config import OPTIONS

    assert set(VISIBLE_OPTIONS) <= set(OPTIONS)
    zensical, mkdocs = _option_pages(tmp_path, "zensical"), _option_pages(tmp_path, "mkdocs")
    assert zensical == mkdocs
    for name, pages in zensical.items():
        assert pages, f"no page shows the '{name}' option"
    # The notice, the publisher and the funding statement are on every page but the 404 page.
    content = [p for p in _pages(tmp_path / "zensical" / "project" / "site") if p != "404.html"]
    assert zensical["disclaimer"] == zensical["publisher"] == zensical["funding"] == content
