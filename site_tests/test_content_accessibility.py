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


def _treatment_pages() -> list[str]:
    """Every page of the real site where a reader meets a treatment: each topic's overview and
    depths, each protocol, and each medicine's glossary page."""
    from pathlib import Path

    import yaml

    from generator.model import TIERS

    root = Path(__file__).resolve().parents[1]
    topics = sorted(p.stem for p in (root / "content/topics").glob("*.md"))
    pages = [f"topics/{t}/" for t in topics] + [f"topics/{t}/{tier}/" for t in topics for tier in TIERS]
    pages += [f"protocols/{p.stem}/" for p in sorted((root / "content/protocols").glob("*.yml"))]
    used = {row["agent"] for p in (root / "content/protocols").glob("*.yml")
            for row in yaml.safe_load(p.read_text(encoding="utf-8")).get("agents", [])}
    return pages + [f"glossary/{slug}/" for slug in sorted(used)]


def test_emergency_signs_are_open_on_the_first_screen_of_every_treatment_page(browser, served_site: str) -> None:
    """On a phone, the narrowest screen and so the longest page head: every real treatment page.
    Both widths and both engines are covered on the fixture (test_browser_safety.py)."""
    width, height = 390, 844
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    late = []
    try:
        for url in _treatment_pages():
            page.goto(served_site + url)
            box = page.locator("article aside.callout-urgent")
            assert box.count() == 1 and box.is_visible(), url
            # Its heading and first sign are on screen without scrolling.
            first_sign = box.locator("li").first.bounding_box()
            if first_sign is None or first_sign["y"] + first_sign["height"] > height:
                late.append((url, first_sign and round(first_sign["y"])))
    finally:
        context.close()
    assert late == []
