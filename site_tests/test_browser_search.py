"""The site's search as a reader uses it (docs/assets/search.js over Pagefind's bundle), on a
phone and a desktop, on the fixture site each engine builds: nothing loads until search is
opened; the keyboard opens, moves through and closes it; results name the page and its
depth with a snippet, plain pages and topics first; it passes axe in light and dark mode;
and nothing in a page's text can become markup in the results."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import _serve, axe_violations, main
from miniproject import make_project
from search_ui import open_search, query

pytestmark = pytest.mark.browser
SCREENS = [(390, 844), (1280, 800)]


@pytest.mark.parametrize("width, height", SCREENS)
def test_nothing_loads_until_search_opens_and_the_keyboard_works_it(browser, served_fixture: str,
                                                                     width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    try:
        page.goto(served_fixture + "topics/fixture-topic/academic/", wait_until="networkidle")
        assert not [u for u in fetched if "/pagefind/" in u]  # the page alone loads nothing of search
        button = page.locator(".site-search-open")
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= 80
        assert box["width"] >= 24 and box["height"] >= 24
        assert button.evaluate("b => b.closest('.md-header') !== null")
        page.keyboard.press("/")
        page.wait_for_selector("dialog.site-search[open] input:focus")
        results = query(page, "messenger")
        assert [u for u in fetched if "/pagefind/" in u]
        assert results, "no results"
        dialog = page.locator("dialog.site-search").bounding_box()
        assert dialog and dialog["x"] >= 0 and dialog["x"] + dialog["width"] <= width
        # Arrow keys move from the box into the results and back; Escape closes and returns focus.
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.classList.contains('site-search__link')")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.id") == "site-search-input"
        page.keyboard.press("Escape")
        page.wait_for_selector("dialog.site-search:not([open])", state="attached")
        page.wait_for_function("() => document.activeElement.classList.contains('site-search-open')")
        # Ctrl+K opens it again, and Enter goes to the first result.
        page.keyboard.press("Control+k")
        page.wait_for_selector("dialog.site-search[open] input:focus")
        query(page, "messenger")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{results[0]['href']}")
    finally:
        context.close()


@pytest.mark.parametrize("width, height", SCREENS)
def test_results_show_title_depth_and_snippet_plain_pages_and_topics_first(browser, served_fixture: str,
                                                                           width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(served_fixture)
        open_search(page)
        results = query(page, "messenger")
        hrefs = [r["href"] for r in results]
        assert all(h.startswith("/fixture/") for h in hrefs), hrefs  # the site's own sub-path
        # Both topics say "messenger" at every depth it is said; the glossary entry defines it.
        assert results[0]["depth"] == "Fundamentals", results
        kinds = ["glossary" if "/glossary/" in h else "topic" for h in hrefs]
        assert "glossary" in kinds and kinds.index("glossary") > max(i for i, k in enumerate(kinds) if k == "topic")
        for r in results:
            assert r["title"] and r["depth"] in {"Fundamentals", "Intermediate", "Academic", "Overview",
                                                 "Glossary", "Protocol"}, r
            assert "messenger" in r["snippet"].lower(), r
            # Nothing else: no tags, no page chrome.
            assert r["text"].split() == f"{r['title']} {r['depth']} {r['snippet']}".split(), r
        marks = page.locator(".site-search__snippet mark")
        assert marks.count() and "messenger" in marks.first.inner_text().lower()
        # A topic's pages appear in depth order.
        for topic in ("fixture-topic", "another-topic"):
            depths = [r["depth"] for r in results if f"/topics/{topic}/" in r["href"]]
            order = ["Fundamentals", "Overview", "Intermediate", "Academic"]
            assert depths == sorted(depths, key=order.index), depths
        # A query nothing matches says so.
        assert query(page, "zzzqqq") == []
        assert "No pages match" in page.locator(".site-search__status").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_with_results_passes_axe_in_light_and_dark_mode(browser, served_fixture: str,
                                                                     scheme: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(served_fixture)
        open_search(page)
        assert query(page, "hormone")
        assert axe_violations(page) == []
        background = page.evaluate("""() => getComputedStyle(document.querySelector('dialog.site-search'))
            .backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)""")
        lightness = sum(background) / 3
        assert (lightness < 80) if scheme == "dark" else (lightness > 200), background
    finally:
        context.close()


HOSTILE_TITLE = 'Bold <b>claims</b> & <img src=x onerror="window.pwned=1"> messages'


def test_no_page_text_becomes_markup_in_the_results_and_a_missing_index_is_explained(
        browser, tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/topics/hostile.md": f"""\
---
title: '{HOSTILE_TITLE}'
summary: A topic whose title and text look like markup.
urgent: [you faint.]
see_clinician: [you feel unwell for a week.]
---
# Fundamentals

Type &lt;script&gt;window.pwned=2&lt;/script&gt; and `<img src=x onerror="window.pwned=3">` messages here.

# Intermediate

More messages.

# Academic

## Evidence

Messages were studied [@jones2020].
"""})
    assert main(["--root", str(root), "build"]) == 0
    gen = _serve(root / "site", "/fixture/")
    base = next(gen)
    page = browser.new_page()
    try:
        page.goto(base)
        open_search(page)
        results = query(page, "messages")
        hostile = [r for r in results if "/topics/hostile/" in r["href"]]
        assert hostile and hostile[0]["title"] == HOSTILE_TITLE
        assert page.locator(".site-search__results img, .site-search__results script, .site-search__results b").count() == 0
        assert page.evaluate("window.pwned") is None
        # Without the bundle (the engine's preview, or a host that dropped it) search says why.
        # A new context: an empty cache, as a reader who never loaded the bundle has.
        shutil.rmtree(root / "site" / "pagefind")
        fresh = browser.new_context()
        other = fresh.new_page()
        other.goto(base + "glossary/")
        open_search(other)
        other.wait_for_function("() => document.querySelector('.site-search__status').textContent"
                                ".startsWith('Search is not available')")
        fresh.close()
    finally:
        page.close()
        next(gen, None)
