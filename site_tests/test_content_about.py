"""Content-quality tests of the real site: the About / editorial policy page (issue 25, item 14)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import visible_text
from selectolax.lexbor import LexborHTMLParser


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_the_about_page_is_reachable_from_home_and_from_a_tier_page(browser, served_site: str, width: int) -> None:
    """Issue 25, item 14: the About / editorial policy page is linked from the home page and from
    every page's footer; the link is on screen once scrolled to, and it leads to the policy."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for start in ("", "topics/serms-vs-trt/fundamentals/"):
            page.goto(served_site + start)
            link = page.locator("article a.about-link").last  # the footer's: every page has it
            link.scroll_into_view_if_needed()
            assert link.is_visible()
            box = link.bounding_box()
            assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= width, box
            link.click()
            page.wait_for_url("**/about/")
            heading = page.locator("article h1")
            assert heading.inner_text().startswith("About this site and our editorial policy")
            assert page.locator("article .policy-changed time").get_attribute("datetime")
            assert page.locator("article h2#sources").is_visible()
        page.goto(served_site)
        assert page.locator("article a.about-link").count() == 2  # the home page's list and its footer
    finally:
        context.close()


def test_the_about_page_says_what_a_reader_needs_to_trust_the_site(built_site: Path) -> None:
    page = LexborHTMLParser((built_site / "about/index.html").read_text(encoding="utf-8"))
    text = visible_text(page.css_first("article"))
    for needed in ("the editorial team", "DailyMed", "review log", "no advertising", "tell us",
                   "last changed on", "educational"):
        assert needed.casefold() in text.casefold(), needed
    # The allow-list on the page is the one `check` uses.
    from generator.model.authority import hosts
    shown = {c.text() for c in page.css("article #sources ~ ul code")}
    assert {h.host for h in hosts()} <= shown


def test_no_page_of_the_real_site_shows_a_placeholder_address(built_site: Path) -> None:
    for path in built_site.rglob("*.html"):
        assert "example.org" not in path.read_text(encoding="utf-8"), path

