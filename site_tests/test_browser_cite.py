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
@pytest.mark.parametrize("url, selector", [(PAGE, "a.cite-back"), ("glossary/", ".az-index a")])
def test_small_links_are_big_enough_to_tap(browser, served_fixture: str, width: int, url: str,
                                           selector: str) -> None:
    """WCAG 2.2 target size: back-links and the A-Z letters are at least 24 x 24 CSS px,
    measured in the page (citation markers: the next test)."""
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


# For each citation marker: each link's box, and which element takes a tap at the link's
# centre and 11 px above and below it; for a marker of one link also 11 px left and right
# (a 24 px square's edge, less a pixel); for a group, the width the group's taps span.
_HIT_AREA = """() => [...document.querySelectorAll('article sup.cite')].map(sup => {
  sup.scrollIntoView({block: 'center'});
  const takes = (a, x, y) => { const el = document.elementFromPoint(x, y); return !!el && (el === a || a.contains(el)); };
  const links = [...sup.querySelectorAll('a')].map(a => {
    const r = a.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    const around = [[0, 0], [0, 11], [0, -11]].concat(sup.querySelectorAll('a').length === 1 ? [[11, 0], [-11, 0]] : []);
    return {text: a.textContent, width: r.width, fontPx: parseFloat(getComputedStyle(a).fontSize),
            hits: around.map(([dx, dy]) => takes(a, x + dx, y + dy))};
  });
  const r = sup.getBoundingClientRect(), y = r.top + r.height / 2;
  let left = r.left, right = r.right;
  while (left > r.left - 30 && sup.contains(document.elementFromPoint(left - 1, y))) left -= 1;
  while (right < r.right + 30 && sup.contains(document.elementFromPoint(right + 1, y))) right += 1;
  return {id: sup.id, links, span: right - left};
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_citation_markers_take_taps_on_24_px_without_widening_the_text(browser, served_fixture: str,
                                                                        width: int) -> None:
    """WCAG 2.2 target size through an invisible hit area: a tap within the 24 x 24 px around a
    marker reaches it, each number of a group keeps its own centre, and each number's box is
    only as wide as its digits (no 24 px box around an 11 px digit)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(served_fixture + PAGE)
        markers = page.evaluate(_HIT_AREA)
        assert markers and any(len(m["links"]) > 1 for m in markers)  # the fixture has both kinds
        for m in markers:
            assert m["span"] >= 24, m
            for link in m["links"]:
                assert all(link["hits"]), m
                assert link["width"] <= len(link["text"]) * link["fontPx"] * 0.75 + 2, m
    finally:
        context.close()


# For each marker: is the character before it, and the punctuation after it, on its line?
_SAME_LINE = r"""() => {
  const mid = r => (r.top + r.bottom) / 2;
  const charRect = (node, i) => { const g = document.createRange(); g.setStart(node, i); g.setEnd(node, i + 1);
                                  return g.getBoundingClientRect(); };
  const out = [];
  for (const sup of document.querySelectorAll('article sup.cite')) {
    const s = sup.getClientRects(), first = s[0], last = s[s.length - 1];  // a group may break after a comma
    const line = parseFloat(getComputedStyle(sup.parentElement).lineHeight) || 20;
    const before = sup.previousSibling, after = sup.nextSibling;
    if (before && before.nodeType === 3 && before.data.trimEnd().length && !/\s$/.test(before.data)) {
      const r = charRect(before, before.data.length - 1);
      if (Math.abs(mid(r) - mid(first)) > line / 2) out.push({id: sup.id, why: 'word on another line'});
    }
    if (after && after.nodeType === 3 && /^[.,;:!?)]/.test(after.data)) {
      const r = charRect(after, 0);
      if (Math.abs(mid(r) - mid(last)) > line / 2) out.push({id: sup.id, why: 'punctuation on another line'});
    }
  }
  return out;
}"""


def test_a_marker_never_leaves_its_word_or_its_punctuation(browser, served_fixture: str) -> None:
    """At every width from 300 to 520 px, in steps of 4 px (so markers land at every point of a
    line, its end included), each marker is on the line of the word before it and of the full
    stop or comma after it."""
    context = browser.new_context(viewport={"width": 300, "height": 900})
    page = context.new_page()
    try:
        page.goto(served_fixture + PAGE)
        for width in range(300, 524, 4):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_function(f"window.innerWidth === {width}")
            assert page.evaluate(_SAME_LINE) == [], width
    finally:
        context.close()
