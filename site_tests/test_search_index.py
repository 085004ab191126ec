"""What Material's search index holds for a fixture site built with Material for MkDocs:
content, not chrome or hidden definitions; the depth in each tier page's title; keywords for
the other spelling. (Zensical's own search index is another format; see test_engines.py.)"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.render import searchindex


@pytest.fixture(scope="module")
def index(fixture_site_mkdocs: Path) -> list[dict]:
    return json.loads((fixture_site_mkdocs / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def _text(entries: list[dict]) -> str:
    return " ".join(e["title"] + " " + e["text"] for e in entries)


def test_no_hidden_definitions_citation_numbers_or_page_chrome(index: list[dict]) -> None:
    tier = [e for e in index if e["location"].startswith(("topics/fixture-topic/fundamentals/",
                                                          "topics/fixture-topic/intermediate/",
                                                          "topics/fixture-topic/academic/"))]
    text = _text(tier)
    assert "A chemical messenger carried in the blood" not in text  # the tooltip text of "hormone"
    for chrome in ("Depth:", "Reading level", "not medical advice", "Editorial review", "Home ›",
                   "more detail", "Published by"):
        assert chrome not in text, chrome
    assert not any(e["location"].endswith("#references") for e in index)
    # ...and the content is all there: the words of the body and of the key points.
    assert "A hormone is a messenger" in text and "carries a message in the blood" in text


def test_the_references_page_is_found_by_its_sources_not_by_the_pages_citing_them(index: list[dict]) -> None:
    refs = _text([e for e in index if e["location"].startswith("references/")])
    assert "A trial of medicine X" in refs  # the reference itself
    assert "Cited on" not in refs and "A fixture topic" not in refs  # its back-links


@pytest.mark.parametrize("tier, title", [("fundamentals", "Fundamentals"), ("academic", "Academic")])
def test_each_tier_page_is_one_entry_titled_with_its_depth_and_led_by_its_summary(
        index: list[dict], tier: str, title: str) -> None:
    page = [e for e in index if e["location"] == f"topics/fixture-topic/{tier}/"]
    assert len(page) == 1
    assert page[0]["title"] == f"A fixture topic ({title})"
    assert page[0]["text"].startswith("<p>A short topic used by the tests.</p>")


def test_glossary_and_protocol_pages_rank_above_topic_sections(index: list[dict]) -> None:
    def boosts(prefix: str) -> set[float | None]:
        return {e.get("boost") for e in index if e["location"].startswith(prefix)}

    assert boosts("glossary/hormone/") == boosts("protocols/fixture-protocol/") == {3.0}
    assert boosts("topics/fixture-topic/fundamentals/") == {None}


@pytest.mark.parametrize("names, expected", [
    (["testosterone", "testosterone gel", "free testosterone"], {"testosterone"}),
    (["Hormone", "growth hormone", "growth hormone secretagogue"], {"hormone"}),  # one-word names only
    (["gel", "testosterone"], set()),  # no compound, no headword
    (["estradiol", "oestradiol valerate"], set()),  # a word, not a prefix of a word
    (["hcg", "hCG-based combination"], {"hcg"}),  # split as the index splits (on - and space)
])
def test_headwords_are_one_word_names_found_inside_other_names(names: list[str], expected: set[str]) -> None:
    assert searchindex.headwords(names) == expected


@pytest.mark.parametrize("text, extra, expected", [
    ("Estrogen falls at menopause.", [], ["oestrogen"]),
    ("Oestrogen falls.", [], ["estrogen"]),
    ("Hot flashes at night.", [], ["hot flushes"]),
    ("A hot day; flashes of light.", [], []),  # a phrase only as words in a row
    ("Estrogen and oestrogen both appear.", [], []),  # nothing the page already says
    ("Plain words.", ["post", "fertility"], ["fertility", "post"]),  # extras kept, sorted
    ("Fertility clinics.", ["fertility"], []),
])
def test_keywords_add_the_other_spelling_and_keep_extras(text: str, extra: list[str], expected: list[str]) -> None:
    assert searchindex.keywords(text, extra) == expected


def test_every_spelling_pair_works_both_ways() -> None:
    pairs = searchindex.spellings()
    for a, b in pairs.items():
        assert pairs[b] == a
        assert b in searchindex.keywords(f"The {a} here.")


def test_keywords_are_escaped_in_front_matter() -> None:
    assert searchindex.front_matter("x", ["<b>bold</b>"]) == 'tags: ["&lt;b&gt;bold&lt;/b&gt;"]'
