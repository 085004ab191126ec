"""Property tests, both ways: annotation never loses, duplicates or reorders a reader-visible
word, and what should happen does (each wanted term's first use is annotated, each cited key
numbered in order of first citation). The data is a fixture glossary and bibliography."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from miniproject import make_project
from selectolax.lexbor import LexborHTMLParser

from generator.markdown.cite import CiteExtension
from generator.markdown.glossary import load_glossary
from generator.markdown.terms import TermsExtension
from generator.model import TIERS

TERMS = {  # slug: (name, aliases, level): overlapping names, multi-word names, acronyms
    "hormone": ("hormone", [], "fundamentals"),
    "growth-hormone": ("growth hormone", ["GH"], "intermediate"),
    "testosterone": ("testosterone", [], "fundamentals"),
    "free-testosterone": ("free testosterone", [], "academic"),
    "hpg-axis": ("HPG axis", ["hypothalamic-pituitary-gonadal axis"], "intermediate"),
    "luteinizing-hormone": ("luteinizing hormone", ["LH"], "academic"),
}
EXTRA_BIB = "".join(f"""
@article{{{k}, author = {{Doe, Jane}}, title = {{Record {k}}}, journal = {{Menopause}}, year = {{2020}},
  volume = {{1}}, pages = {{1--9}}, pmid = {{{n}}}}}
""" for n, k in enumerate(["doe2020a", "doe2020b"], 11))
_FIXTURE = make_project(Path(tempfile.mkdtemp(prefix="properties-")), {
    **{f"glossary/{slug}.yml": f"term: {name}\naliases: {aliases}\nshort: A fixture term.\nlevel: {level}\n"
       for slug, (name, aliases, level) in TERMS.items()},
    "glossary/medicine-x.yml": None,
})
(_FIXTURE / "content/references.bib").write_text((_FIXTURE / "content/references.bib").read_text() + EXTRA_BIB)
GLOSSARY = load_glossary(_FIXTURE / "glossary")
BIB = str(_FIXTURE / "content/references.bib")
NAMES = sorted({n for t in GLOSSARY.terms.values() for n in t.names} |
               {n + "s" for t in GLOSSARY.terms.values() for n in t.names})
FILLER = ["the", "and", "body", "makes", "less", "over", "time", "pro", "x", "axis", "-", ",", ".", "(", ")", "’s"]
KEYS = ["smith2019", "jones2020", "doe2020a", "doe2020b"]

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
    html = markdown.markdown(cited, extensions=[CiteExtension(bibliography=BIB)])
    tree = LexborHTMLParser(f"<body>{html}</body>")
    for node in tree.css("sup.cite, #references, ol.references"):
        node.decompose()
    assert " ".join(tree.body.text(separator=" ").split()) == visible(markdown.markdown(uncited))


# -- what should happen does ---------------------------------------------------------------

OWNER = {name.casefold(): slug for slug, t in GLOSSARY.terms.items() for name in t.names}
PLAIN_FILLER = ["the", "and", "makes", "less", "over", "time", "body", "levels"]  # in no term's name


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(sorted(OWNER)), st.sampled_from(PLAIN_FILLER)), min_size=1, max_size=30),
       st.sampled_from(TIERS))
def test_the_first_use_of_each_wanted_term_is_annotated(tokens: list[str], tier: str) -> None:
    # Terms whose names are all in the text, tier-gated; words are separated by filler so no
    # two names can run together into a longer one.
    text = " and ".join(tokens)
    html = markdown.markdown(text, extensions=[TermsExtension(glossary=GLOSSARY, tier=tier, first_only=True)])
    annotated = re.findall(r'data-term="([^"]+)"', html)
    wanted = GLOSSARY.explained_at(tier)
    first_uses = list(dict.fromkeys(OWNER[t] for t in tokens if t in OWNER))
    assert annotated == [slug for slug in first_uses if slug in wanted]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3), min_size=1, max_size=8))
def test_each_cited_key_is_numbered_in_order_of_first_citation(citations: list[list[str]]) -> None:
    text = " ".join(f"Claim {i} [" + "; ".join("@" + k for k in keys) + "]." for i, keys in enumerate(citations))
    html = markdown.markdown(text, extensions=[CiteExtension(bibliography=BIB)])
    tree = LexborHTMLParser(f"<body>{html}</body>")
    order = list(dict.fromkeys(k for keys in citations for k in keys))
    numbers = {a.attributes["href"][len("#ref-"):]: int(a.text()) for a in tree.css("sup.cite a")}
    # Every cited key has its number, 1..n by first citation; ranges may hide middle numbers.
    assert all(numbers.get(k, i + 1) == i + 1 for i, k in enumerate(order))
    assert [li.attributes["id"] for li in tree.css("ol.references li")] == [f"ref-{k}" for k in order]


def _relpath_url(from_url: str, to_url: str) -> str:
    """The reference: relative_url as it was written with posixpath.relpath."""
    import posixpath

    rel = posixpath.relpath("/" + to_url.strip("/"), "/" + from_url.strip("/"))
    return "./" if rel == "." else (rel + "/" if to_url.endswith("/") else rel)


_SEGMENTS = st.lists(st.sampled_from(["topics", "glossary", "a-z", "x", "hormone", "", ".", ".."]), max_size=5)


@settings(max_examples=500, deadline=None)
@given(_SEGMENTS, _SEGMENTS, st.booleans(), st.booleans())
def test_relative_url_agrees_with_relpath(here: list[str], there: list[str], slash_here: bool, slash_there: bool) -> None:
    from generator.markdown.pagemeta import relative_url

    from_url = "/".join(here) + ("/" if slash_here else "")
    to_url = "/".join(there) + ("/" if slash_there else "")
    assert relative_url(from_url, to_url) == _relpath_url(from_url, to_url)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("ab {}#%-\n\r\t<>*é") + ["{{", "{%", "{##", "##}", "%}", "}}"]), max_size=40)
       .map("".join))
def test_a_body_without_template_syntax_renders_as_itself(text: str) -> None:
    """The shortcut that skips Jinja for plain bodies gives exactly what Jinja would; and a
    body with a template start string is never taken for plain."""
    from generator.render import bodytemplate

    env = bodytemplate.environment()
    if bodytemplate.plain(env, text):
        assert env.from_string(text).render() == text
    else:
        assert any(s in text for s in ("{{", "{%", "{##", "\r"))


def _scan_cost_by_character(text: str) -> int:
    """The parse-limit cost as first defined: every character visited (mdlimits.scan_cost
    visits only the brackets; both must agree on every text)."""
    cost, stacks, next_gt = 0, {"[": [], "(": []}, len(text)
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ">":
            next_gt = i
        elif text[i] == "<" and i + 1 < len(text) and (text[i + 1].isalpha() or text[i + 1] in "/!?"):
            cost += next_gt - i
    escaped = False
    for i, c in enumerate(text):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c in stacks:
            stacks[c].append(i)
        elif c in ")]" and stacks["(" if c == ")" else "["]:
            cost += i - stacks["(" if c == ")" else "["].pop()
    return cost + sum(len(text) - i for s in stacks.values() for i in s)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("[]()<>\\/!?ab5 é²\n"), max_size=60))
def test_the_parse_limit_cost_visits_brackets_only_and_agrees(text: str) -> None:
    from generator.sources.mdlimits import scan_cost

    assert scan_cost(text) == _scan_cost_by_character(text)
