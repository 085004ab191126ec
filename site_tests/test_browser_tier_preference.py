"""A reader's chosen depth follows them to the next topic; without JavaScript links go to overviews."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
TOPICS = ["another-topic", "fixture-topic"]  # the served fixture project's topics


def test_choosing_academic_carries_to_the_next_topic_from_the_nav(browser, served_fixture: str) -> None:
    first, second = TOPICS[0], TOPICS[1]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(served_fixture + f"topics/{first}/fundamentals/")
    page.locator('nav.tier-switch a[data-tier="academic"]').click()
    page.wait_for_url(f"**/topics/{first}/academic/")
    assert page.evaluate("localStorage.getItem('tiered.tier')") == "academic"
    assert page.evaluate("document.cookie") == ""  # remembered without cookies
    link = page.locator(f'nav.md-nav--primary a[href*="/{second}/"]').first
    link.evaluate("a => a.scrollIntoView()")
    link.click(force=True)
    page.wait_for_url(f"**/topics/{second}/academic/")
    assert page.locator("nav.tier-switch a.tier-current").inner_text() == "Academic"
    context.close()


def test_home_page_topic_links_honour_the_choice_and_say_so(browser, served_fixture: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_fixture + f"topics/{TOPICS[0]}/fundamentals/")
    page.locator('nav.tier-switch a[data-tier="intermediate"]').click()
    page.wait_for_url(f"**/topics/{TOPICS[0]}/intermediate/")
    page.goto(served_fixture)
    hrefs = page.eval_on_selector_all("a.topic-link", "els => els.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.endswith("/intermediate/") for h in hrefs)
    notice = page.locator(".depth-notice")
    assert notice.is_visible() and "Intermediate depth" in notice.inner_text()
    # The reset forgets the choice and puts the links back to each topic's overview.
    notice.locator("button").click()
    notice.wait_for(state="detached")
    hrefs = page.eval_on_selector_all("a.topic-link", "els => els.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == sorted(f"topics/{slug}/" for slug in TOPICS)
    assert page.evaluate("localStorage.getItem('tiered.tier')") is None
    context.close()


def test_arriving_on_a_tier_page_is_not_a_choice(browser, served_fixture: str) -> None:
    """A reader who lands on an Academic page from a search result has not chosen Academic."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_fixture + f"topics/{TOPICS[0]}/academic/")
    assert page.evaluate("localStorage.getItem('tiered.tier')") is None
    page.goto(served_fixture)
    hrefs = page.eval_on_selector_all("a.topic-link", "els => els.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == sorted(f"topics/{slug}/" for slug in TOPICS)
    assert page.locator(".depth-notice").count() == 0
    context.close()


def test_without_javascript_links_go_to_the_overview(browser, served_fixture: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_fixture)
    hrefs = page.eval_on_selector_all("a.topic-link", "els => els.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == sorted(f"topics/{slug}/" for slug in TOPICS)
    page.goto(served_fixture + f"topics/{TOPICS[0]}/")
    assert page.locator("a.tier-entry").count() == 3  # the overview offers every depth
    context.close()


def test_breadcrumbs_and_the_pager_move_between_depths(browser, served_fixture: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(served_fixture + f"topics/{TOPICS[1]}/intermediate/")
    crumbs = page.locator("nav.breadcrumbs")
    assert crumbs.is_visible() and crumbs.inner_text() == "Home › A fixture topic › Intermediate"
    # Above the title: the reader sees where they are first.
    assert crumbs.bounding_box()["y"] < page.locator("article h1").bounding_box()["y"]
    page.locator("nav.tier-pager a.tier-next").click()
    page.wait_for_url(f"**/topics/{TOPICS[1]}/academic/")
    assert page.locator("nav.tier-pager a.tier-next").count() == 0  # the deepest has no "more detail"
    page.locator("nav.tier-pager a.tier-prev").click()
    page.wait_for_url(f"**/topics/{TOPICS[1]}/intermediate/")
    page.locator("nav.breadcrumbs a").first.click()
    page.wait_for_url(served_fixture)
    context.close()


def test_the_title_outweighs_the_section_headings(page, served_fixture: str) -> None:
    page.goto(served_fixture + f"topics/{TOPICS[1]}/academic/")
    weight = "el => parseInt(getComputedStyle(el).fontWeight, 10)"
    assert page.locator("article h1").evaluate(weight) > page.locator("article h2").first.evaluate(weight)


def test_the_sidebar_names_each_depth_once_and_shows_every_reading_level(browser, served_fixture: str) -> None:
    """At 1280 px the sidebar lists a topic's depths by name under its title (the title once,
    not four times), and "Reading levels" has its own page, so Fundamentals is a visible link."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(served_fixture + f"topics/{TOPICS[1]}/fundamentals/")
        links = page.eval_on_selector_all(
            ".md-sidebar--primary a.md-nav__link",
            "els => els.filter(a => a.offsetParent !== null).map(a => a.innerText.trim())")
        assert links.count("A fixture topic") == 1, links
        assert not any("(Fundamentals)" in text for text in links), links
        assert {"Fundamentals", "Intermediate", "Academic"} <= set(links)
        page.goto(served_fixture + "tiers/")
        assert page.locator("article h1").inner_text().startswith("Reading levels")
        nav = page.locator(".md-sidebar--primary a.md-nav__link", has_text="Fundamentals").first
        assert nav.is_visible()
        nav.click()
        page.wait_for_url("**/tiers/fundamentals/")
    finally:
        context.close()


def test_a_tier_page_links_to_its_protocols_and_related_topics_at_the_same_depth(page, served_fixture: str) -> None:
    page.goto(served_fixture + f"topics/{TOPICS[1]}/intermediate/")
    related = page.locator("nav.related-pages")
    assert related.is_visible()
    hrefs = related.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert any(h.endswith("protocols/fixture-protocol/") for h in hrefs), hrefs
    assert any(h.endswith("another-topic/intermediate/") for h in hrefs), hrefs  # shares a tag
    related.get_by_role("link", name="Another fixture topic").click()
    page.wait_for_url("**/topics/another-topic/intermediate/")
