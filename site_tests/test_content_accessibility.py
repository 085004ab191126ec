"""Content quality: the real site's pages have no WCAG 2.2 AA violations (axe-core), on a phone and a desktop."""
from __future__ import annotations

import pytest

from conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("url", ["topics/stopping-hormone-therapy/fundamentals/", "glossary/hpg-axis/", "glossary/",
                                 "", "topics/serms-vs-trt/", "protocols/male-trt/", "references/", "tiers/academic/",
                                 "404.html", "glossary/testosterone-gel/", "topics/serms-vs-trt/fundamentals/",
                                 "topics/serms-vs-trt/intermediate/"])
@pytest.mark.parametrize("width", [390, 1280])
def test_no_wcag22_aa_violations(browser, served_site: str, url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(served_site + url)
        violations = axe_violations(page)
    finally:
        context.close()
    assert not violations, [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_every_real_protocol_table_fits_its_column(browser, served_site: str, width: int) -> None:
    from pathlib import Path

    protocols = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "content/protocols").glob("*.yml"))
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for slug in protocols:
            page.goto(served_site + f"protocols/{slug}/")
            overflow = page.eval_on_selector_all(
                ".protocol-table .md-typeset__scrollwrap", "els => els.map(e => e.scrollWidth - e.clientWidth)")
            assert overflow and max(overflow) <= 1, (slug, overflow)
    finally:
        context.close()
