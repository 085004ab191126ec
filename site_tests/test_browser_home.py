"""The home page as a lay reader meets it: one "Start here", the emergency box, and topics on
the first screen, on a phone and a desktop, on both engines (issue 27)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from miniproject import make_project

SCREENS = [(390, 844), (1280, 800)]


def _first_screen(page, selector: str, height: int) -> bool:  # type: ignore[no-untyped-def]
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] + box["height"] <= height


@pytest.mark.browser
@pytest.mark.parametrize("width, height", SCREENS)
def test_start_here_the_emergency_box_and_a_topic_are_on_the_first_screen(browser, served_fixture: str,
                                                                         width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(served_fixture)
        start = page.locator("article a.start-here")
        assert start.count() == 1  # one "Start here", not several
        for selector in ("article a.start-here", "article aside.callout-urgent", "article a.topic-link"):
            assert _first_screen(page, selector, height), selector
        assert "emergency" in page.locator("article aside.callout-urgent").inner_text().lower()
        start.click()
        page.wait_for_url("**/tiers/fundamentals/")  # the fixture names no start_here: the plain list
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width, height", SCREENS)
def test_the_real_home_page_starts_a_lay_reader_on_the_overview(browser, served_site: str, width: int,
                                                                height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(served_site)
        for selector in ("article a.start-here", "article aside.callout-urgent"):
            assert _first_screen(page, selector, height), selector
        assert _first_screen(page, "article a.topic-link", height)  # the first topic, not only its heading
        page.locator("article a.start-here").click()
        page.wait_for_url("**/topics/hormone-replacement-overview/fundamentals/")
    finally:
        context.close()


def test_start_here_must_name_a_published_topic(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("      funding: No funding.\n",
                                                 "      funding: No funding.\n      start_here: no-such-topic\n"))
    assert run_cli(root, "check", "--sources-only", "--today", "2020-06-01") == 1
    line = config.read_text().split("\n").index("      start_here: no-such-topic") + 1
    assert (f"mkdocs.yml:{line}: error: plugin 'tiered' option 'start_here': no published topic 'no-such-topic'; "
            "topics: fixture-topic") in capsys.readouterr().out
