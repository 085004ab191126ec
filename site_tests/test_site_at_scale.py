"""A site with many topics lists them on A-Z pages, so no page grows with the number of topics.

Above render.AZ_OVER topics the sidebar holds the A-Z pages instead of every topic, and the
home page and depth indexes link the letters; every topic page is still reached (from its
letter page, which links its overview and each depth), and the strict build has nothing to
say about pages missing from the navigation. Fixture projects; the real site has 5 topics.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli
from miniproject import TOPIC, make_project
from selectolax.lexbor import LexborHTMLParser

from generator.model.tiers import TIERS
from generator.render.pages import AZ_OVER

WORDS = ["Apple", "Birch", "Cedar", "Delta", "Ember", "2nd"]


def _project(tmp_path: Path, count: int, name: str) -> Path:
    files: dict[str, str | bytes | None] = {}
    for i in range(count):
        title = f"{WORDS[i % len(WORDS)]} topic number {i}"
        files[f"content/topics/extra-{i:03d}.md"] = TOPIC.replace("title: A fixture topic", f"title: {title}")
    return make_project(tmp_path, files, name=name)


def _sidebar_links(html: str) -> list[str]:
    tree = LexborHTMLParser(html)
    return [a.attributes.get("href") or "" for a in tree.css(".md-sidebar--primary a.md-nav__link")]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two large sites, one twice the other, built strictly (a warning would fail the build)."""
    roots = []
    for count in (AZ_OVER + 1, 2 * AZ_OVER + 2):
        root = _project(tmp_path_factory.mktemp("scale"), count, f"n{count}")
        assert run_cli(root, "build") == 0
        roots.append(root / "site")
    return roots[0], roots[1]


def test_no_page_grows_with_the_number_of_topics(large: tuple[Path, Path]) -> None:
    small, big = large
    page = "topics/extra-001/fundamentals/index.html"
    a, b = (_sidebar_links((s / page).read_text(encoding="utf-8")) for s in (small, big))
    assert len(a) == len(b) and a == b  # the same sidebar at twice the topics
    assert not [h for h in a if re.search(r"topics/extra-\d+", h)]  # no topic in it
    assert any(h.rstrip("/").endswith("a-z") for h in a) and any("a-z/b" in h for h in a)
    for name in ("index.html", "tiers/fundamentals/index.html"):
        html_small = (small / name).read_text(encoding="utf-8")
        html_big = (big / name).read_text(encoding="utf-8")
        assert "extra-001" not in html_big  # topics are linked from their letter page
        assert abs(len(html_big) - len(html_small)) < 200, name  # only the counts differ


def test_every_topic_page_is_reached_from_its_letter_page(large: tuple[Path, Path]) -> None:
    _, site = large
    topics = sorted(p.name for p in (site / "topics").iterdir() if p.is_dir())
    assert len(topics) == 2 * AZ_OVER + 3  # the fixture's own topic too
    linked: set[str] = set()
    letters = sorted(p for p in (site / "a-z").iterdir() if p.is_dir())
    assert [p.name for p in letters] == ["0-9", "a", "b", "c", "d", "e"]
    for letter in letters:
        tree = LexborHTMLParser((letter / "index.html").read_text(encoding="utf-8"))
        for a in tree.css("article a[href]"):
            target = (letter / (a.attributes.get("href") or "")).resolve()
            if target.is_relative_to((site / "topics").resolve()):
                assert (target / "index.html").is_file(), target
                linked.add(target.relative_to((site / "topics").resolve()).as_posix())
    for slug in topics:
        assert {slug, *(f"{slug}/{tier}" for tier in TIERS)} <= linked, slug
    cedar = (site / "a-z/c/index.html").read_text(encoding="utf-8")
    assert "Cedar topic number 2" in cedar and "Apple topic number 0" not in cedar


def test_a_small_site_keeps_its_topics_in_the_sidebar(tmp_path: Path) -> None:
    root = _project(tmp_path, 2, "small")
    assert run_cli(root, "build") == 0
    links = _sidebar_links((root / "site/index.html").read_text(encoding="utf-8"))
    assert any("topics/extra-001/" in h for h in links)
    assert not (root / "site/a-z").exists()
