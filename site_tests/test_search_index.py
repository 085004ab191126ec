"""What the search index is built from, on a fixture site built by each engine: Pagefind's
bundle is written after the engine, the engine's own search is off, and the theme marks the
pages and metadata Pagefind indexes and the chrome it leaves out (searchindex.py,
engines/searchbundle.py). What a reader finds through the search box is
test_browser_search.py's."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from generator.engines import searchbundle
from generator.render import searchindex

INDEXED = ["topics/fixture-topic/fundamentals/", "topics/fixture-topic/academic/", "topics/fixture-topic/",
           "glossary/hormone/", "glossary/medicine-x/", "protocols/fixture-protocol/"]
NOT_INDEXED = ["", "glossary/", "references/", "protocols/", "tiers/fundamentals/"]


@pytest.fixture(scope="module", params=["zensical", "mkdocs"])
def site(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue("fixture_site" if request.param == "zensical" else "fixture_site_mkdocs")


def _page(site: Path, url: str) -> HTMLParser:
    return HTMLParser((site / url / "index.html").read_text(encoding="utf-8"))


def _meta(tree: HTMLParser) -> dict[str, str]:
    out = {}
    for node in tree.css("[data-pagefind-meta]"):
        key = (node.attributes["data-pagefind-meta"] or "").split("[")[0]
        out[key] = node.attributes.get("data-value") or ""
    return out


def test_the_bundle_is_written_after_the_engine_and_the_engine_search_is_off(site: Path) -> None:
    assert (site / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(INDEXED) + 1  # and Intermediate
    assert {p.parent.relative_to(site).as_posix() + "/" for p in searchbundle.searchable(site)} == {
        *INDEXED, "topics/fixture-topic/intermediate/"}
    assert not (site / "search" / "search_index.json").exists()  # Material's
    if (site / "search.json").exists():  # Zensical writes an empty one with its search off
        assert json.loads((site / "search.json").read_text(encoding="utf-8"))["items"] == []
    html = (site / "topics/fixture-topic/fundamentals/index.html").read_text(encoding="utf-8")
    assert 'for="__search"' not in html and "md-search__input" not in html  # no engine search box
    assert "assets/search.js" in html


@pytest.mark.parametrize("url", INDEXED)
def test_content_pages_are_indexed_with_a_title_a_depth_and_a_rank(site: Path, url: str) -> None:
    tree = _page(site, url)
    meta = _meta(tree)
    assert meta["title"] and meta["label"] and float(meta["rank"]) > 0
    # In the article, which Pagefind indexes, with the page's own title; nothing marks the page.
    assert all(n.parent is not None and n.parent.tag == "article" for n in tree.css("[data-pagefind-meta]"))
    assert tree.css_first("article h1") is not None and not tree.css("[data-pagefind-body]")


def test_each_page_is_titled_without_its_depth_and_labelled_with_it(site: Path) -> None:
    assert _meta(_page(site, "topics/fixture-topic/academic/")) | {"keywords": ""} == {
        "title": "A fixture topic", "label": "Academic", "topic": "fixture-topic", "order": "4", "keywords": "",
        "rank": str(searchindex.rank("topic", "academic"))}
    assert _meta(_page(site, "topics/fixture-topic/fundamentals/"))["order"] == "0"
    assert _meta(_page(site, "topics/fixture-topic/"))["label"] == "Overview"
    glossary = _meta(_page(site, "glossary/hormone/"))
    assert (glossary["title"], glossary["label"], glossary["names"]) == ("Hormone", "Glossary", "hormone hormones")
    assert _meta(_page(site, "protocols/fixture-protocol/"))["label"] == "Protocol"


@pytest.mark.parametrize("url", NOT_INDEXED)
def test_lists_home_and_references_are_not_indexed(site: Path, url: str) -> None:
    assert not _page(site, url).css("[data-pagefind-meta]")


def test_chrome_citation_numbers_and_reference_lists_are_left_out(site: Path) -> None:
    body = _page(site, "topics/fixture-topic/academic/").css_first("article")
    ignored = " ".join(n.text() for n in body.css("[data-pagefind-ignore]"))
    for chrome in ("Depth:", "Reading level", "not medical advice", "Home ›", "simpler"):
        assert chrome in ignored, chrome
    assert all(n.attributes.get("data-pagefind-ignore") == "all" for n in body.css("sup.cite, ol.references"))
    assert body.css("sup.cite") and body.css("ol.references")
    # ...and the content itself is not: the body's text outside every ignored element.
    for node in body.css("[data-pagefind-ignore]"):
        node.decompose()
    assert "The medicine was studied in one trial" in body.text()


def test_a_page_is_found_by_the_names_of_the_terms_it_uses(site: Path) -> None:
    # The fixture topic says "hormone"; the glossary's alias "hormones" is not in its text.
    assert "hormones" in _meta(_page(site, "topics/fixture-topic/fundamentals/"))["keywords"].split()


@pytest.mark.parametrize("text, extra, expected", [
    ("Estrogen falls at menopause.", [], ["oestrogen"]),
    ("Oestrogen falls.", [], ["estrogen"]),
    ("Hot flashes at night.", [], ["hot flushes"]),
    ("A hot day; flashes of light.", [], []),  # a phrase only as words in a row
    ("Estrogen and oestrogen both appear.", [], []),  # nothing the page already says
    ("Plain words.", ["post", "fertility"], ["fertility", "post"]),  # extras kept, sorted
    ("Fertility clinics.", ["fertility"], ["fertile", "having children", "sperm count"]),  # a synonym group
    ("Is it safe?", [], ["harm", "risk", "risks", "safety"]),
    ("Vyleesi", ["PT-141", "<b>x</b>"], ["b x b", "pt-141"]),  # as words: no markup survives
])
def test_keywords_add_spellings_synonyms_and_extras(text: str, extra: list[str], expected: list[str]) -> None:
    assert searchindex.keywords(text, extra) == expected


def test_every_spelling_pair_and_synonym_works_both_ways() -> None:
    pairs = searchindex.spellings()
    for a, b in pairs.items():
        assert pairs[b] == a
        assert b in searchindex.keywords(f"The {a} here.")
    for phrase, others in searchindex.synonyms().items():
        assert others and phrase not in others
        for other in others:
            assert phrase in searchindex.synonyms()[other]
            # Added unless the text already says it (its words in a row: "clots" in "blood clots").
            said = f" {other} " in f" {phrase} "
            assert (other in searchindex.keywords(f"About {phrase} here.")) != said


def test_the_front_matter_is_escaped_and_ranks_plain_pages_and_topics_first() -> None:
    line = searchindex.front_matter("topic", "Fundamentals", 'A <b>"bold"</b> & title', "Text.",
                                    tier="fundamentals", topic="t")
    entry = json.loads(line.removeprefix("search_index: "))
    assert entry["title"] == "A &lt;b&gt;&#34;bold&#34;&lt;/b&gt; &amp; title"
    ranks = [searchindex.rank("topic", t) for t in ("fundamentals", "intermediate", "academic")]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]
    assert min(ranks) > searchindex.rank("protocol") > searchindex.rank("glossary")
    with pytest.raises(ValueError):
        searchindex.front_matter("headword", "x", "x", "x")


def test_the_search_box_settings_are_strings_and_numbers() -> None:
    settings = searchindex.client_settings()
    assert "is" in settings["question_words"] and "on" in settings["question_words"]  # not YAML's true
    assert all(isinstance(w, str) for w in settings["question_words"])
    assert settings["meta_weights"]["title"] > 0
