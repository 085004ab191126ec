"""Citations as a reader meets them: hover or focus previews the reference; a click jumps to it."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
PAGE = "topics/fixture-topic/academic/"


def test_hover_and_focus_preview_the_formatted_reference(page, served_fixture: str) -> None:
    page.goto(served_fixture + PAGE)
    link = page.locator("article sup.cite a").first
    key = link.get_attribute("href").removeprefix("#ref-")
    entry = page.locator(f"li#ref-{key}").inner_text()
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
