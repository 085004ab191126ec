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


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_every_real_approval_table_fits_its_column(browser, served_site: str, width: int) -> None:
    """A term page's approval table (where, product, use, group, route, date checked, source)
    is a card per approval on a phone, like a protocol table: nothing to scroll sideways."""
    from pathlib import Path

    glossary = Path(__file__).resolve().parents[1] / "glossary"
    terms = sorted(p.stem for p in glossary.glob("*.yml") if "\n  approvals:\n" in p.read_text(encoding="utf-8"))
    assert len(terms) >= 5
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for slug in terms:
            page.goto(served_site + f"glossary/{slug}/")
            cells = page.eval_on_selector_all(".approval-table td", "els => els.map(e => e.getBoundingClientRect().right)")
            assert cells and max(cells) <= width, (slug, max(cells))
            overflow = page.eval_on_selector_all(
                ".approval-table .md-typeset__scrollwrap", "els => els.map(e => e.scrollWidth - e.clientWidth)")
            assert overflow and max(overflow) <= 1, (slug, overflow)
            assert page.locator(".approval-table .cell-label").first.is_visible() == (width < 720)
    finally:
        context.close()
