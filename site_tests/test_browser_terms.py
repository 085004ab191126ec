"""What a reader sees and does with glossary terms, in headless Chromium."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
TIER_PAGE = "topics/fixture-topic/fundamentals/"


def first_term(page):  # type: ignore[no-untyped-def]
    # The definitions are read from each term's tip.json after the page loads.
    page.locator("html[data-terms-ready]").wait_for(state="attached")
    term = page.locator("article a.term").first
    slug = term.get_attribute("data-term")
    short = page.locator(f"#{term.get_attribute('aria-describedby')}").text_content()
    return term, slug, short


def test_hover_shows_definition_and_it_stays_while_pointer_is_on_it(page, served_fixture: str) -> None:
    page.clock.install()  # timers run only when the test advances the clock: no sleeping
    page.goto(served_fixture + TIER_PAGE)
    term, _, short = first_term(page)
    tip = page.locator("#tiered-tooltip")
    term.hover()
    tip.wait_for(state="visible")
    assert tip.text_content().strip() == short.strip()
    tip.hover()  # moving onto the tooltip keeps it open (WCAG 1.4.13 "hoverable")
    page.clock.run_for(1000)  # well past the 250 ms hide delay, on the page's own (controlled) clock
    assert tip.is_visible()
    page.mouse.move(5, 5)
    page.clock.run_for(1000)
    tip.wait_for(state="hidden")


def test_keyboard_focus_shows_it_and_escape_hides_it(page, served_fixture: str) -> None:
    page.goto(served_fixture + TIER_PAGE)
    term, _, short = first_term(page)
    term.focus()
    tip = page.locator("#tiered-tooltip")
    tip.wait_for(state="visible")
    assert short.strip() in tip.text_content()
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.classList.contains('term')")  # focus stays put


def test_tab_reaches_a_term(page, served_fixture: str) -> None:
    page.goto(served_fixture + TIER_PAGE)
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('term')"):
            break
    else:
        pytest.fail("Tab never reached a term")
    assert page.locator("#tiered-tooltip").is_visible()


def test_the_definition_comes_from_the_terms_own_file_not_the_page(page, served_fixture: str) -> None:
    """The page's HTML has no definition text; the tooltip shows the one in glossary/<slug>/tip.json."""
    import json
    from urllib.request import urlopen

    with urlopen(served_fixture + TIER_PAGE) as response:
        html = response.read().decode("utf-8")
    page.goto(served_fixture + TIER_PAGE)
    term, slug, short = first_term(page)
    with urlopen(f"{served_fixture}glossary/{slug}/tip.json") as response:
        data = json.load(response)
    assert short == data["short"] and data["short"] not in html


def test_a_term_focused_before_its_text_arrives_shows_it_when_it_does(page, served_fixture: str) -> None:
    held: list = []
    page.route("**/tip.json", lambda route: held.append(route))  # each file waits until the test lets it through
    page.goto(served_fixture + TIER_PAGE)
    term = page.locator("article a.term").first
    term.focus()
    tip = page.locator("#tiered-tooltip")
    assert held and not tip.is_visible() and term.get_attribute("aria-describedby") is None
    for route in held:
        route.continue_()
    tip.wait_for(state="visible")
    assert tip.text_content().strip() == page.locator(f"#{term.get_attribute('aria-describedby')}").text_content().strip()


def test_term_links_to_its_glossary_page(page, served_fixture: str) -> None:
    page.goto(served_fixture + TIER_PAGE)
    term, slug, _ = first_term(page)
    term.click()
    page.wait_for_url(f"**/glossary/{slug}/")
    assert page.locator("article h1").first.is_visible()


def test_screen_readers_get_the_definition(page, served_fixture: str) -> None:
    page.goto(served_fixture + TIER_PAGE)
    term, _, short = first_term(page)
    described = page.evaluate("el => document.getElementById(el.getAttribute('aria-describedby')).textContent", term.element_handle())
    assert described == short


def test_touch_first_tap_shows_second_tap_follows(browser, served_fixture: str) -> None:
    context = browser.new_context(has_touch=True, is_mobile=True, viewport={"width": 400, "height": 800})
    page = context.new_page()
    page.goto(served_fixture + TIER_PAGE)
    term, slug, _ = first_term(page)
    term.scroll_into_view_if_needed()
    term.tap()
    page.locator("#tiered-tooltip").wait_for(state="visible")
    assert TIER_PAGE in page.url
    term.tap()
    page.wait_for_url(f"**/glossary/{slug}/")
    context.close()


def test_print_is_a_clean_handout(page, served_fixture: str) -> None:
    """Printed, a tier page names its depth, its address and the print date, shows no inline
    definitions (so no doubled punctuation), and lists each term's definition once at the end."""
    page.goto(served_fixture + TIER_PAGE)
    term, _, short = first_term(page)
    glossary = page.locator(".print-glossary")
    meta = page.locator(".print-meta")
    assert not glossary.is_visible() and not meta.is_visible()  # on screen: neither
    page.emulate_media(media="print")
    assert page.locator("article .term-def").count() and not page.locator("article .term-def").first.is_visible()
    assert meta.is_visible()
    meta_text = meta.inner_text()
    assert "Fundamentals page" in meta_text and TIER_PAGE in meta_text
    assert page.locator(".print-date").first.inner_text().strip() != ""
    assert glossary.is_visible()
    assert glossary.locator("dt").first.inner_text() == term.inner_text()
    assert glossary.locator("dd").first.inner_text().strip() == short.strip()
    terms = glossary.locator("dt").all_inner_texts()
    assert len(terms) == len(set(t.lower() for t in terms))  # once each
    printed = page.locator("article").inner_text()
    assert ".)." not in printed and "))" not in printed
    assert page.locator("article .tier-switch").is_hidden()
    # The glossary comes after the text and before the page footer.
    order = page.evaluate("""() => {
        const g = document.querySelector('.print-glossary'), f = document.querySelector('.page-footer');
        return f ? !!(g.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) : true; }""")
    assert order


def _inside(box: dict, width: int, height: int, margin: int = 8) -> bool:
    return (box["x"] >= margin and box["x"] + box["width"] <= width - margin
            and box["y"] >= 0 and box["y"] + box["height"] <= height)


@pytest.mark.parametrize("where", ["end", "start"])
def test_tooltip_stays_inside_a_phone_screen(browser, served_fixture: str, where: str) -> None:
    """At 390 x 844, a term scrolled to the bottom (or top) edge opens its tooltip fully on screen:
    above the term near the bottom, below it near the top, with a margin at the sides."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(served_fixture + TIER_PAGE)
        term, _, _ = first_term(page)
        if where == "end":  # room above the term, so that scrolling can put it at the bottom edge
            page.evaluate("document.querySelector('article').style.paddingTop = '1500px'")
        term.evaluate(f"el => el.scrollIntoView({{block: '{where}'}})")
        assert abs(term.bounding_box()["y"] + term.bounding_box()["height"] - (844 if where == "end" else 0)) < 40
        term.focus()
        tip = page.locator("#tiered-tooltip")
        tip.wait_for(state="visible")
        box, anchor = tip.bounding_box(), term.bounding_box()
        assert box is not None and anchor is not None and _inside(box, 390, 844), box
        if where == "end":
            assert box["y"] + box["height"] <= anchor["y"]  # flipped above the term
        else:
            assert box["y"] >= anchor["y"] + anchor["height"]  # below it
    finally:
        context.close()
