"""Citations as a reader meets them: hover or focus previews the reference; a click jumps to it."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
PAGE = "topics/fixture-topic/academic/"


def test_hover_and_focus_preview_the_formatted_reference(page, served_fixture: str) -> None:
    page.goto(served_fixture + PAGE)
    link = page.locator("article sup.cite a").first
    key = link.get_attribute("href").removeprefix("#ref-")
    entry = page.locator(f"li#ref-{key}").evaluate(
        "li => { const c = li.cloneNode(true); c.querySelector('.cite-backs')?.remove(); return c.innerText; }")
    tip = page.locator("#tiered-tooltip")
    link.hover()
    tip.wait_for(state="visible")
    assert tip.inner_text().strip() == entry.strip()
    assert tip.locator("a.doi, a.pmid").count() >= 1  # the preview keeps DOI/PMID links
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    link.focus()
    tip.wait_for(state="visible")


def test_click_jumps_to_the_list_item(page, served_fixture: str) -> None:
    page.goto(served_fixture + PAGE)
    link = page.locator("article sup.cite a").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_function(f"location.hash === '{target}'")
    assert page.locator(f"li{target}").is_visible()
    assert page.evaluate(f"document.querySelector('li{target}').matches(':target')")


def test_numbers_match_list_positions(page, served_fixture: str) -> None:
    page.goto(served_fixture + PAGE)
    order = page.eval_on_selector_all("ol.references > li", "els => els.map(e => e.id)")
    for a in page.locator("article sup.cite a").all():
        number = int(a.inner_text())
        assert order[number - 1] == a.get_attribute("href")[1:]


def test_a_reference_links_back_to_where_it_was_cited(page, served_fixture: str) -> None:
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto(served_fixture + PAGE)
    marker = page.locator("article sup.cite").last
    key = marker.locator("a").first.get_attribute("href")
    back = page.locator(f"li{key} a.cite-back").first
    back.scroll_into_view_if_needed()
    back.click()
    page.wait_for_function("location.hash.startsWith('#cite-')")
    assert page.evaluate("document.querySelector(location.hash).matches('sup.cite')")
    box = page.locator(page.evaluate("location.hash")).bounding_box()
    assert 0 <= box["y"] <= 700  # the citation is on screen again


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("url, selector", [
    (PAGE, "article sup.cite a"), (PAGE, "a.cite-back"), ("glossary/", ".az-index a")])
def test_small_links_are_big_enough_to_tap(browser, served_fixture: str, width: int, url: str,
                                           selector: str) -> None:
    """WCAG 2.2 target size: citation markers, their back-links and the A-Z letters are at
    least 24 x 24 CSS px, measured in the page."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(served_fixture + url)
        boxes = [el.bounding_box() for el in page.locator(selector).all()]
        assert boxes
        small = [b for b in boxes if b["width"] < 24 or b["height"] < 24]
        assert not small, small
    finally:
        context.close()
