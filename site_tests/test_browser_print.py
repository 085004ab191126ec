"""Every kind of page printed for an appointment (issue 27): nothing is cut at the paper's
edge, folded parts print open, and no link prints as a word that means nothing on paper.
Measured in Chromium with print media at an A4 page's printable width, on both engines."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

A4_WIDTH = 718  # 190 mm of printable width at 96 CSS px to the inch
PAGES = ["topics/fixture-topic/fundamentals/", "topics/fixture-topic/intermediate/",
         "topics/fixture-topic/academic/", "topics/fixture-topic/", "protocols/fixture-protocol/",
         "glossary/medicine-x/", "glossary/", "references/", ""]

# What sticks out of the article, and what visible link text means nothing on paper.
_PRINTED = """() => {
  const article = document.querySelector('article'), right = article.getBoundingClientRect().right;
  const wide = [...article.querySelectorAll('*')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > right + 1;
  }).map(el => el.tagName + '.' + el.className);
  const words = [...article.querySelectorAll('a')].filter(a => a.offsetParent !== null)
    .map(a => a.innerText.trim()).filter(t => /^(details|read more)$/i.test(t));
  const folded = [...article.querySelectorAll('details')].filter(d => !d.open).length;
  return {wide, words, folded};
}"""


def test_every_printed_page_fits_the_paper_and_says_nothing_only_a_screen_can_use(browser,
                                                                                 served_fixture: str) -> None:
    context = browser.new_context(viewport={"width": A4_WIDTH, "height": 1000})
    page = context.new_page()
    try:
        for url in PAGES:
            page.emulate_media(media="screen")
            page.goto(served_fixture + url)
            page.emulate_media(media="print")
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # as the print dialog does
            printed = page.evaluate(_PRINTED)
            assert printed == {"wide": [], "words": [], "folded": 0}, (url, printed)
    finally:
        context.close()


def test_a_printed_glossary_line_names_the_entry_and_never_repeats_its_label(browser, served_fixture: str) -> None:
    page = browser.new_page()
    try:
        page.goto(served_fixture + "topics/another-topic/fundamentals/")
        page.wait_for_selector("html[data-print-ready]", state="attached")
        page.emulate_media(media="print")
        lines = page.evaluate("""() => [...document.querySelectorAll('.print-glossary dt')].map(dt =>
            [dt.innerText.trim(), dt.nextElementSibling.innerText.trim()])""")
        assert ["libido (sex drive)", "How much interest a person has in sex."] in lines, lines
        for label, text in lines:
            assert not text.lower().startswith(label.split(" (")[0].lower() + ":"), (label, text)
    finally:
        page.close()
