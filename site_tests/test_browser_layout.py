"""Page layout as a reader sees it: line length, and a dark scheme that follows the system
setting with the same WCAG 2.2 AA guarantees (axe-core) as the light one."""
from __future__ import annotations

import pytest
from conftest import axe_violations

pytestmark = pytest.mark.browser
TIER_PAGE = "topics/fixture-topic/fundamentals/"
PAGE_TYPES = ["", TIER_PAGE, "topics/fixture-topic/academic/", "topics/fixture-topic/", "glossary/",
              "glossary/medicine-x/", "protocols/fixture-protocol/", "references/"]

# Characters per line of running text, from the paragraph's width and its font's average glyph
# width (canvas measureText), so the figure does not depend on how long the fixture's text is.
CHARS_PER_LINE = """() => {
  const c = document.createElement('canvas').getContext('2d'), out = [];
  for (const p of document.querySelectorAll('article.md-typeset > p')) {
    const t = p.innerText.trim(); if (t.length < 20 || !p.clientWidth) continue;  // hidden: print-only
    const s = getComputedStyle(p);
    c.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    out.push(p.clientWidth / (c.measureText(t).width / t.length));
  }
  return out; }"""


def test_running_text_is_60_to_75_characters_wide_on_a_desktop(browser, served_fixture: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(served_fixture + "topics/fixture-topic/academic/")
        widths = page.evaluate(CHARS_PER_LINE)
    finally:
        context.close()
    assert widths and all(60 <= w <= 76 for w in widths), widths  # 75 plus rounding of glyph widths


def _luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("width", [390, 1280])
def test_dark_scheme_follows_the_system_and_passes_axe(browser, served_fixture: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="dark")
    page = context.new_page()
    try:
        failures = {}
        for url in PAGE_TYPES:
            page.goto(served_fixture + url)
            page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert _luminance(background) < 0.2, (url, background)
            violations = axe_violations(page)
            if violations:
                failures[url] = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    finally:
        context.close()
    assert not failures, failures


def test_light_scheme_is_the_default_for_a_light_system(browser, served_fixture: str) -> None:
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    try:
        page.goto(served_fixture + TIER_PAGE)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
        assert _luminance(page.evaluate("getComputedStyle(document.body).backgroundColor")) > 0.9
    finally:
        context.close()


def test_a_phone_reader_meets_the_key_points_on_the_first_screen(browser, served_fixture: str) -> None:
    """At 390 x 844 the page head is compact (one metadata block, a one-line disclaimer that
    links to the full notice) and the key points, written at the end of the tier, open the page."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(served_fixture + TIER_PAGE)
        key_points = page.locator("article section.key-points")
        assert key_points.locator("h2").inner_text().startswith("The main points")
        box = key_points.bounding_box()
        assert box is not None and box["y"] < 844
        # Before the body's first paragraph, and said once (not again at the end).
        first_text = page.locator("article.md-typeset > p", has_text="A hormone is a messenger").bounding_box()
        assert box["y"] < first_text["y"]
        assert page.locator("article h2", has_text="The main points").count() == 1
        disclaimer = page.locator("article .disclaimer-compact")
        assert disclaimer.bounding_box()["height"] < 60 and "not medical advice" in disclaimer.inner_text()
        disclaimer.get_by_role("link").click()
        page.wait_for_function("location.hash === '#disclaimer'")
        full = page.locator("#disclaimer")
        assert full.is_visible() and "This fixture explains nothing" in full.inner_text()
    finally:
        context.close()


# A sticky title in a sidebar that covers part of a menu item, measured in the page: the
# point inside the item that the title overlaps belongs to the title, not the item.
COVERED_LINKS = """() => { const out = [];
  for (const sidebar of document.querySelectorAll('.md-sidebar')) {
    const titles = [...sidebar.querySelectorAll('.md-nav__title')].filter(t =>
      t.getBoundingClientRect().height > 0 && getComputedStyle(t).position === 'sticky');
    const links = [...sidebar.querySelectorAll('.md-nav__link')].filter(l => l.getBoundingClientRect().height > 0);
    for (const t of titles) { const a = t.getBoundingClientRect();
      for (const l of links) { if (t.contains(l) || l.contains(t)) continue; const b = l.getBoundingClientRect();
        const v = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top), h = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        if (v > 1 && h > 1) {
          const hit = document.elementFromPoint(Math.max(a.left, b.left) + h / 2, Math.max(a.top, b.top) + v / 2);
          if (!l.contains(hit)) out.push([t.innerText.trim(), l.innerText.trim()]); } } } }
  return out; }"""


@pytest.mark.parametrize("path", ["protocols/fixture-protocol/", "topics/another-topic/academic/", "references/"])
def test_no_sticky_sidebar_title_covers_a_menu_item_on_a_desktop(browser, served_fixture: str, path: str) -> None:
    # A short window, so the menu scrolls to the current page as it does on a long site.
    context = browser.new_context(viewport={"width": 1280, "height": 420})
    page = context.new_page()
    try:
        page.goto(served_fixture + path)
        for y in (0, 600, 3000):
            page.evaluate("y => window.scrollTo(0, y)", y)
            page.wait_for_function("y => Math.abs(window.scrollY - Math.min(y, document.documentElement.scrollHeight"
                                   " - innerHeight)) < 2", arg=y)
            # As the theme leaves the menus: scrolled to the current page and section.
            assert page.evaluate(COVERED_LINKS) == [], (path, y)
    finally:
        context.close()
