"""Markdown in, HTML out: the source scanner (generator/sources/mdscan.py) calls code exactly
what Python-Markdown renders as code, so citation counts, key checks and headings agree with
the page. Issue 26: an indented code line's `[@key]` was counted as a citation."""
from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mdcase import assert_renders

from generator.markdown.cite import CiteExtension
from generator.sources.citesyntax import citation_keys
from generator.sources.mdscan import headings, outside_code

KEYS = ("a1", "b2", "c3", "d4", "e5", "f6")
BIB = "\n".join(f"@misc{{{k}, author = {{{{Org {k}}}}}, title = {{{{Title {k}}}}}, year = {{2020}}}}" for k in KEYS)


@pytest.fixture(scope="module")
def bib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scanbib") / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


def rendered_keys(bib: Path, text: str) -> list[str]:
    """The keys the page shows as citation markers, in order."""
    html = markdown.markdown(text, extensions=["admonition", "fenced_code", CiteExtension(bibliography=str(bib))])
    body = html.split('id="references"')[0]
    return re.findall(r'<a aria-describedby="ref-([^"]+)"', body)


CASES = [
    ("an indented example after a blank line is code",
     "Cite like this:\n\n    Text [@a1].\n\nHere [@b2].", ["b2"]),
    ("a tab indents as four spaces", "Para.\n\n\t[@a1]\n\nHere [@b2].", ["b2"]),
    ("an indented line under a paragraph continues it", "Text\n    more [@a1].", ["a1"]),
    ("a code block runs on across blank lines while indented",
     "Para.\n\n    [@a1]\n\n    [@b2]\nAfter [@c3].", ["c3"]),
    ("a list item's second paragraph is indented four", "- item [@a1]\n\n    second [@b2]", ["a1", "b2"]),
    ("code inside a list item is indented eight", "- item [@a1]\n\n        code [@b2]\n\nOut [@c3].", ["a1", "c3"]),
    ("a paragraph at the margin ends the list", "- item\n\nOut [@a1].\n\n    code [@b2]", ["a1"]),
    ("an admonition's paragraphs are its content", '!!! note "N"\n    One [@a1].\n\n    Two [@b2].', ["a1", "b2"]),
    ("code inside an admonition is indented eight", "!!! note\n    One [@a1].\n\n        code [@b2]", ["a1"]),
    ("fenced code", "```\n[@a1]\n```\n\nText [@b2].", ["b2"]),
    ("code spans", "Write `[@a1]` for [@b2].", ["b2"]),
]


@pytest.mark.parametrize("name,text,keys", CASES, ids=[c[0] for c in CASES])
def test_the_scanner_counts_the_citations_the_page_shows(bib: Path, name: str, text: str, keys: list[str]) -> None:
    assert rendered_keys(bib, text) == keys
    assert list(citation_keys(text)) == keys


def test_an_indented_citation_example_renders_as_code(bib: Path) -> None:
    html = markdown.markdown("Cite like this:\n\n    Text [@a1].", extensions=[CiteExtension(bibliography=str(bib))])
    assert_renders(html.split("<h2")[0].strip(), "<p>Cite like this:</p>\n<pre><code>Text [@a1].\n</code></pre>")


def test_a_heading_inside_an_indented_code_block_is_not_a_heading() -> None:
    lines = ["Intro.", "", "    ## Not a section", "", "## A section"]
    assert list(headings(lines, 2)) == [(4, "A section")]


# Documents built from the blocks authors write: every generated document is scanned and
# rendered, and the two must list the same citations in the same order. Nothing the page
# shows is missed (a lost citation) and nothing the page shows as code is counted.
def _cite(draw: st.DrawFn) -> str:
    return f"[@{draw(st.sampled_from(KEYS))}]"


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["para", "lazy", "code", "tabcode", "item", "item2", "itemcode", "note", "notecode",
                                 "fence", "nested"]))
    c = lambda: _cite(draw)  # noqa: E731
    return {
        "para": f"Text {c()}.",
        "lazy": f"Text {c()}\n    more {c()}.",
        "code": f"    code {c()}",
        "tabcode": f"\tcode {c()}",
        "item": f"- item {c()}",
        "item2": f"1. item {c()}\n\n    second {c()}",
        "itemcode": f"- item {c()}\n\n        code {c()}",
        "note": f'!!! note "N"\n    One {c()}.\n\n    Two {c()}.',
        "notecode": f"!!! note\n    One {c()}.\n\n        code {c()}",
        "fence": f"```\n{c()}\n```",
        "nested": f"- outer {c()}\n    - inner {c()}\n\n        inner para {c()}",
    }[kind]


@settings(max_examples=150, deadline=None)
@given(st.lists(block(), min_size=1, max_size=6))
def test_scanned_and_rendered_citations_agree(bib: Path, blocks: list[str]) -> None:
    text = "\n\n".join(blocks)
    assert list(citation_keys(text)) == rendered_keys(bib, text), text


def test_on_real_public_markdown_the_scanner_and_python_markdown_agree_on_code() -> None:
    """Real inputs, not only ours: the Markdown long descriptions of the installed (pinned)
    packages. Every non-blank line the scanner calls code is inside a code block Python-Markdown
    renders, and every line it keeps as text is rendered outside code."""
    import html
    import re
    from importlib.metadata import distributions

    fence = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
    docs = [(d.metadata["Name"], d.metadata.get_payload()) for d in distributions()
            if "markdown" in (d.metadata.get("Description-Content-Type") or "").lower()
            and (d.metadata.get_payload() or "").strip()]
    assert len(docs) >= 20, len(docs)
    wrong, checked = [], 0
    for name, text in docs:
        lines = text.split("\n")
        kept = {i for i, _ in outside_code(lines)}
        out = markdown.markdown(text, extensions=["admonition", "fenced_code"])
        blocks = [html.unescape(c) for c in re.findall(r"<pre><code[^>]*>(.*?)</code></pre>", out, re.S)]
        code = "\n".join(blocks)
        prose = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<pre><code[^>]*>.*?</code></pre>", "", out, flags=re.S)))
        for i, line in enumerate(lines):
            s = line.strip()
            if not s or fence.match(line):
                continue
            checked += 1
            if i not in kept and s not in code:
                wrong.append((name, "called code, rendered as text", s[:60]))
            # A line with no Markdown markup reads the same in source and page, so it can be looked up.
            elif i in kept and len(s) > 12 and not re.search(r"[\[\]*_`<>#|\\]", s) and s in code and s not in prose:
                wrong.append((name, "kept as text, rendered as code", s[:60]))
    assert checked > 1000 and wrong == [], wrong[:10]
