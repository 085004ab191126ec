"""What a reader sees of a protocol row's status and warnings, measured in the page (issue 12)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
PAGE = "protocols/fixture-protocol/"


@pytest.mark.parametrize("width", [1280, 390])
def test_status_badge_and_safety_marker_are_on_screen(browser, served_fixture: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(served_fixture + PAGE)
        cell = page.locator(".protocol-table tbody tr").first.locator("td").first
        badge, marker = cell.locator(".badge"), cell.locator("a.safety-marker")
        for element in (badge, marker):
            element.scroll_into_view_if_needed()
            assert element.is_visible()
            box = element.bounding_box()
            assert box is not None and box["width"] > 0 and box["height"] > 0
            # Whole element inside the viewport: not clipped by the table's horizontal scroll.
            assert 0 <= box["x"] and box["x"] + box["width"] <= width, (width, box)
        # The badge names whose approval it reports (issue 25): readable in full at both widths.
        assert badge.inner_text() == "US FDA: approved for this use"
        assert marker.inner_text().endswith("Boxed warning")
        # The marker leads to the Safety section of the agent's term page.
        marker.click()
        page.wait_for_url("**/glossary/medicine-x/#safety")
        heading = page.locator("h2#safety")
        heading.wait_for(state="visible")
        top = heading.bounding_box()
        assert top is not None and 0 <= top["y"] < 900
    finally:
        context.close()


def test_citation_preview_shows_what_the_source_supports(page, served_fixture: str) -> None:
    page.goto(served_fixture + PAGE)
    link = page.locator(".protocol-table tbody tr").first.locator("td").last.locator("sup.cite a").first
    supports = link.locator("xpath=ancestor::sup/following-sibling::span[1]")
    assert supports.get_attribute("class") == "cite-supports" and not supports.is_visible()
    link.hover()
    tip = page.locator("#tiered-tooltip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "Supports this row:" in text and "One tablet daily was the studied schedule." in text
    assert "A trial of medicine X" in text  # the reference itself is still there


def test_compact_help_opens_from_the_keyboard(page, served_fixture: str) -> None:
    page.goto(served_fixture + "topics/fixture-topic/academic/")
    summary = page.locator("details.callout-help > summary")
    first_item = page.locator("details.callout-help li").first
    assert not first_item.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    first_item.wait_for(state="visible")
    assert page.evaluate("document.querySelector('details.callout-help').open")


def test_the_404_page_leads_home_on_whatever_host_serves_it(page, served_fixture: str) -> None:
    page.goto(served_fixture + "404.html")
    page.get_by_role("link", name="Go to the home page").click()
    page.wait_for_url(served_fixture)  # 127.0.0.1, not the site_url's host
    assert page.locator("article h1").inner_text().startswith("Understanding hormone therapy")


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_every_protocol_column_is_readable_without_scrolling_sideways(browser, served_fixture: str,
                                                                      width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(served_fixture + PAGE)
        cells = page.locator(".protocol-table td")
        assert cells.count() >= 6
        for i in range(cells.count()):
            box = cells.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (i, box)
        scroller = page.locator(".protocol-table .md-typeset__scrollwrap, .protocol-table .md-typeset__table").first
        assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
        # On a phone each cell says which column it is; on wider screens the header does.
        label = page.locator(".protocol-table .cell-label").first
        assert label.is_visible() == (width < 720)
    finally:
        context.close()



TREATMENT_PAGES = ["topics/fixture-topic/fundamentals/", "topics/fixture-topic/academic/", "topics/fixture-topic/",
                   "protocols/fixture-protocol/", "glossary/medicine-x/"]


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
def test_the_emergency_signs_are_open_and_on_the_first_screen(browser, served_fixture: str,
                                                              width: int, height: int) -> None:
    """On every kind of page where a reader meets a treatment (one browser page, visited in turn)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        for url in TREATMENT_PAGES:
            page.goto(served_fixture + url)
            box = page.locator("article aside.callout-urgent")
            sign = box.locator("li").first
            assert sign.is_visible(), url  # open: no click needed
            b = sign.bounding_box()
            assert b is not None and b["y"] + b["height"] <= height, (url, b)
            # Styled as urgent, not as a note: a red edge, unlike the blue of the clinician box.
            edge = box.evaluate("el => getComputedStyle(el).borderLeftColor")
            assert edge == "rgb(185, 28, 28)", (url, edge)
    finally:
        context.close()
