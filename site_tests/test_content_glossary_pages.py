"""Content quality (real site): every glossary page has the structure readers expect."""
from __future__ import annotations

from pathlib import Path

import yaml
from conftest import ROOT
from selectolax.lexbor import LexborHTMLParser

from generator.render.pages import heading_case


def test_every_glossary_page_is_well_formed(built_site: Path) -> None:
    terms = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "glossary").glob("*.yml"))}
    assert terms
    for slug, data in terms.items():
        tree = LexborHTMLParser((built_site / "glossary" / slug / "index.html").read_text(encoding="utf-8"))
        article = tree.css_first("article")
        assert article is not None, slug
        h1 = article.css_first("h1")
        assert h1 is not None and heading_case(data["term"]) in h1.text() and not h1.css("a.term"), slug
        short = article.css_first("p.term-short")
        assert short is not None and short.text().strip() == data["short"].strip(), slug
        also = [p for p in article.css("p") if p.text().startswith("Also called:")]
        if data.get("aliases"):
            assert len(also) == 1, f"{slug}: 'Also called' is not a paragraph of its own"
            text = also[0].text()
            assert text == "Also called: " + ", ".join(data["aliases"]), (slug, text)
            assert not also[0].css("a"), f"{slug}: part of an alias is linked on its own page"
        else:
            assert also == [], slug
