"""Property tests: annotation never loses, duplicates or reorders a reader-visible word."""
from __future__ import annotations

from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from generator.glossary import load_glossary
from generator.markdown.cite import CiteExtension
from generator.markdown.terms import TermsExtension
from generator.model import TIERS

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = load_glossary(ROOT / "glossary")
NAMES = sorted({n for t in GLOSSARY.terms.values() for n in t.names} |
               {n + "s" for t in GLOSSARY.terms.values() for n in t.names})
FILLER = ["the", "and", "body", "makes", "less", "over", "time", "pro", "x", "axis", "-", ",", ".", "(", ")", "’s"]
KEYS = ["bhasin2018", "davis2019", "nass2008", "snyder2016"]

word = st.one_of(st.sampled_from(NAMES), st.sampled_from(FILLER))


@st.composite
def inline(draw: st.DrawFn) -> str:
    words = " ".join(draw(st.lists(word, min_size=1, max_size=6)))
    kind = draw(st.sampled_from(["plain", "em", "strong", "code", "link", "attrs"]))
    return {"plain": words, "em": f"*{words}*", "strong": f"**{words}**", "code": f"`{words}`",
            "link": f"[{words}](https://example.org/)",
            "attrs": f'[{words}](https://example.org/){{ .c data-x="{words}" }}'}[kind]


@st.composite
def document(draw: st.DrawFn) -> str:
    paragraphs = []
    for _ in range(draw(st.integers(1, 4))):
        parts = draw(st.lists(inline(), min_size=1, max_size=6))
        prefix = draw(st.sampled_from(["", "## ", "- ", "> "]))
        paragraphs.append(prefix + " ".join(parts))
    return "\n\n".join(paragraphs)


def visible(html: str) -> str:
    tree = LexborHTMLParser(f"<body>{html}</body>")
    for node in tree.css(".term-def"):
        node.decompose()
    return " ".join(tree.body.text(separator=" ").split())


@settings(max_examples=300, deadline=None)
@given(document(), st.sampled_from(TIERS), st.booleans())
def test_terms_never_lose_a_word(source: str, tier: str, first_only: bool) -> None:
    plain = markdown.markdown(source, extensions=["attr_list"])
    annotated = markdown.markdown(source, extensions=["attr_list", TermsExtension(glossary=GLOSSARY, tier=tier,
                                                                                   first_only=first_only)])
    assert visible(annotated) == visible(plain)


@st.composite
def cited_document(draw: st.DrawFn) -> tuple[str, str]:
    """(text with citations, the same text without them); citations sit between words or after emphasis.
    Both start with a plain word: a leading "-" would make one a list item and the other a paragraph."""
    with_cites, without = ["Text"], ["Text"]
    for _ in range(draw(st.integers(1, 12))):
        token = draw(st.one_of(word, st.builds(lambda w: f"*{w}*", word)))
        with_cites.append(token)
        without.append(token)
        if draw(st.integers(0, 3)) == 0:
            keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3))
            loc = draw(st.sampled_from(["", ", p. 12"]))
            with_cites.append("[" + "; ".join("@" + k for k in keys) + loc + "]")
    return " ".join(with_cites), " ".join(without)


@settings(max_examples=200, deadline=None)
@given(cited_document())
def test_citations_never_drop_surrounding_text(doc: tuple[str, str]) -> None:
    cited, uncited = doc
    html = markdown.markdown(cited, extensions=[CiteExtension(bibliography=str(ROOT / "content/references.bib"))])
    tree = LexborHTMLParser(f"<body>{html}</body>")
    for node in tree.css("sup.cite, #references, ol.references"):
        node.decompose()
    assert " ".join(tree.body.text(separator=" ").split()) == visible(markdown.markdown(uncited))
