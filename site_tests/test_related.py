"""Related topics on a tier page: shared protocols and tags, most shared first."""
from __future__ import annotations

from pathlib import Path

from generator.model import Location, Topic
from generator.render.pages import _related_topics


def topic(slug: str, protocols: list[str] = [], tags: list[str] = []) -> Topic:  # noqa: B006 (read only)
    return Topic(slug, slug.title(), "", list(protocols), list(tags), {}, None, Location(Path("x.md"), 1))


def test_most_shared_first_then_by_title_and_never_itself() -> None:
    topics = [topic("a", ["p1"], ["fertility", "Men"]), topic("b", ["p1"], ["men"]), topic("c", [], ["fertility"]),
              topic("d", ["p9"], ["other"])]
    related = _related_topics(topics, most=5)
    assert [t.slug for t in related["a"]] == ["b", "c"]  # b shares two (p1, men: case-insensitive), c one
    assert [t.slug for t in related["c"]] == ["a"]
    assert related["d"] == []
    assert all(t.slug != slug for slug, ts in related.items() for t in ts)


def test_at_most_the_limit_and_a_tag_on_every_topic_says_nothing() -> None:
    many = [topic(f"t{i:03d}", [], ["everyone"] + (["pair"] if i < 2 else [])) for i in range(200)]
    related = _related_topics(many, most=3)
    assert [t.slug for t in related["t000"]] == ["t001"]  # "everyone" is on 200 topics: ignored
    assert related["t150"] == []
    few = [topic(f"s{i}", [], ["shared"]) for i in range(10)]
    assert len(_related_topics(few, most=3)["s0"]) == 3
