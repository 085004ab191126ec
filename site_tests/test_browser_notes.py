"""What a reader meets on a page in a note style (Chicago notes and bibliography), on both
engines, measured in Chromium: the note number previews its note, is big enough to tap, leads
to the note and back, and the bibliography is an unnumbered list sorted by author."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ENGINES, _serve, run_cli
from miniproject import make_project, with_style
from selectolax.lexbor import LexborHTMLParser

pytestmark = pytest.mark.browser
PAGE = "topics/fixture-topic/academic/"


@pytest.fixture(scope="module", params=ENGINES)
def notes_site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The fixture project in Chicago notes and bibliography, built by the gate (its link check
    included) with each engine."""
    root = make_project(tmp_path_factory.mktemp(f"notes-{request.param}"),
                        with_style("chicago-notes-bibliography-17th-edition"))
    assert run_cli(root, "build", "--engine", request.param) == 0
    return root / "site"


@pytest.fixture(scope="module")
def served_notes(notes_site: Path):  # type: ignore[no-untyped-def]
    yield from _serve(notes_site, "/fixture/")


def test_each_citation_is_a_numbered_note_and_the_links_land_on_the_page(notes_site: Path) -> None:
    tree = LexborHTMLParser((notes_site / PAGE / "index.html").read_text(encoding="utf-8"))
    markers = tree.css("article sup.cite-note a")
    notes = tree.css("article ol.cite-notes > li")
    assert markers and len(markers) == len(notes), (len(markers), len(notes))
    ids = {n.attributes.get("id") for n in tree.css("article [id]")}
    for a in [*markers, *tree.css("article ol.cite-notes a.cite-back")]:
        assert (a.attributes.get("href") or "")[1:] in ids, a.html
    first = " ".join(notes[0].text().split())
    assert first.startswith("A. Smith and B. Lee,"), first  # the full note: given names first
    assert tree.css("article ol.references-by-author > li")


def test_a_note_number_previews_its_note_and_is_big_enough_to_tap(page, served_notes: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(served_notes + PAGE)
    link = page.locator("article sup.cite-note a").first
    note = page.locator(link.get_attribute("href") or "").evaluate(
        "li => { const c = li.cloneNode(true); c.querySelector('.cite-backs')?.remove(); return c.innerText; }")
    tip = page.locator("#tiered-tooltip")
    link.hover()
    tip.wait_for(state="visible")
    assert tip.inner_text().strip() == note.strip() and note.strip()
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    # A 24 x 24 px target around the number (WCAG 2.2 2.5.8), whatever the digit's own size.
    box = link.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((0, 0), (-11, 0), (11, 0), (0, -11), (0, 11)):
        hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('sup.cite-note')?.id",
                            [x + dx, y + dy])
        assert hit == link.evaluate("a => a.closest('sup').id"), (dx, dy, hit)


def test_a_note_number_leads_to_its_note_and_the_note_back(page, served_notes: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto(served_notes + PAGE)
    marker = page.locator("article sup.cite-note").last
    target = marker.locator("a").get_attribute("href")
    marker.locator("a").click()
    page.wait_for_function(f"location.hash === '{target}'")
    note = page.locator(f"li{target}")
    assert note.is_visible() and note.evaluate("li => li.matches(':target')")
    top = note.bounding_box()
    assert top is not None and 0 <= top["y"] < 700  # in the viewport, not under the header
    note.locator("a.cite-back").click()
    page.wait_for_function(f"location.hash === '#{marker.get_attribute('id')}'")
    mark = marker.bounding_box()
    assert mark is not None and 0 <= mark["y"] < 700


def test_the_bibliography_is_unnumbered_and_sorted_by_author(page, served_notes: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(served_notes + PAGE)
    items = page.locator("article ol.references-by-author > li")
    assert items.count() >= 2
    assert items.first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    names = [t.split(",")[0] for t in items.all_inner_texts()]
    assert names == sorted(names), names
    # Each entry's later lines are indented under its first (a hanging indent), inside the article.
    indent = items.first.evaluate("li => [parseFloat(getComputedStyle(li).textIndent), "
                                  "parseFloat(getComputedStyle(li).paddingLeft)]")
    assert indent[0] < 0 < indent[1] and indent[0] == -indent[1], indent
