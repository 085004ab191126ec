"""The citation style is one option, the cite extension's `style:` in mkdocs.yml, and both
engines honour it: the MkDocs build (plugin) and Zensical (the rendered tree, no plugin)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import run_cli, run_process
from miniproject import FILES, make_project
from selectolax.lexbor import LexborHTMLParser

PAGE = "topics/fixture-topic/academic/index.html"


def with_style(style: str | None) -> dict[str, str]:
    mk = FILES["mkdocs.yml"]
    if style:
        mk = mk.replace("      bibliography: content/references.bib\n",
                        f"      bibliography: content/references.bib\n      style: {style}\n")
    return {"mkdocs.yml": mk}


def references(site: Path, page: str) -> list[str]:
    """The formatted entries of a page's reference list, without their back-links to the text."""
    tree = LexborHTMLParser((site / page).read_text(encoding="utf-8"))
    for backs in tree.css("ol.references .cite-backs"):
        backs.decompose()
    return [" ".join(li.text().split()) for li in tree.css("ol.references li")]


def build_both(tmp: Path, style: str | None) -> tuple[Path, Path]:
    root = make_project(tmp, with_style(style))
    assert run_cli(root, "build") == 0
    out = root / "build" / "tree"
    assert run_cli(root, "render", "--out", str(out)) == 0
    zensical = Path(sys.executable).with_name("zensical")
    result = run_process([str(zensical), "build", "-f", "mkdocs.yml"], cwd=out,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site", out / "site"


@pytest.fixture(scope="module")
def ama(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_both(tmp_path_factory.mktemp("ama"), None)


@pytest.fixture(scope="module")
def vancouver(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_both(tmp_path_factory.mktemp("vancouver"), "elsevier-vancouver")


def test_ama_is_the_default_on_both_engines(ama: tuple[Path, Path]) -> None:
    mkdocs_site, zensical_site = ama
    expected = ["Smith A, Lee B. A trial of medicine X. Menopause. 2019;26(3):100-110. doi:10.1000/fixture.1",
                "Jones K. A review of hormones. Menopause. 2020;27(1):1-9. PMID: 12345678."]
    assert references(mkdocs_site, PAGE) == expected
    assert references(zensical_site, PAGE) == expected


def test_vancouver_reaches_every_reference_list_on_both_engines(vancouver: tuple[Path, Path],
                                                                ama: tuple[Path, Path]) -> None:
    mkdocs_site, zensical_site = vancouver
    page_refs = references(mkdocs_site, PAGE)
    assert page_refs == references(zensical_site, PAGE)  # the same style on both engines
    assert page_refs != references(ama[0], PAGE)  # and it is not AMA
    assert page_refs[0].startswith("Smith A, Lee B. A trial of medicine X. Menopause 2019;26:100")
    # The site-wide list, built by the page tree rather than the extension, follows the same option.
    site_list = (mkdocs_site / "references/index.html").read_text(encoding="utf-8")
    assert "Elsevier - NLM/Vancouver (citation-sequence)" in site_list
    assert "Menopause 2019;26:100" in site_list and "Menopause. 2019;26(3)" not in site_list
