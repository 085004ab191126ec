"""Markdown in, HTML out: citations, numbering and the reference list."""
from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import markdown
import pytest
from mdcase import assert_renders

from generator.markdown.cite import CitationError, CiteExtension, ranges

BIB = """
@article{a1, author = {Alpha, Ann}, title = {First}, journal = {J One}, year = {2001}, volume = {1}, pages = {1--2}, doi = {10.1000/one}}
@article{b2, author = {Beta, Bob}, title = {Second}, journal = {J Two}, year = {2002}, volume = {2}, pages = {3--4}, pmid = {12345}}
@article{c3, author = {Gamma, Cy}, title = {Third}, journal = {J Three}, year = {2003}, volume = {3}, pages = {5--6}}
@article{d4, author = {Delta, Di}, title = {Fourth}, journal = {J Four}, year = {2004}, volume = {4}, pages = {7--8}}
@article{x5, author = {Evil, Eve}, title = {Title "><script>alert(1)</script> & co}, journal = {J Five}, year = {2005}, volume = {5}, pages = {9}}
@misc{l6, author = {{Maker}}, title = {{LABEL: prescribing information}}, url = {https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=LABEL}}
@misc{j7, author = {{Maker}}, title = {{Other label}}, url = {javascript:alert(1)}}
"""


@pytest.fixture(scope="module")
def bib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bib") / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


def body(bib: Path, text: str) -> tuple[str, str]:
    """(HTML before the reference list, the reference list)."""
    html = markdown.markdown(dedent(text).strip(), extensions=[CiteExtension(bibliography=str(bib))])
    head, _, refs = html.partition('<h2 data-pagefind-ignore="all" id="references">References</h2>')
    return head.strip(), refs.strip()


SUP = '<sup class="cite" data-pagefind-ignore="all" id="cite-{n}"><a aria-describedby="ref-{k}" href="#ref-{k}">{m}</a>'

CASES = [
    ("one key", "Text [@a1].",
     '<p>Text<sup class="cite" data-pagefind-ignore="all" id="cite-1"><a aria-describedby="ref-a1" href="#ref-a1">1</a></sup>.</p>'),
    ("numbers follow first citation", "X [@c3]. Y [@a1].",
     '<p>X<sup class="cite" data-pagefind-ignore="all" id="cite-1"><a aria-describedby="ref-c3" href="#ref-c3">1</a></sup>. '
     'Y<sup class="cite" data-pagefind-ignore="all" id="cite-2"><a aria-describedby="ref-a1" href="#ref-a1">2</a></sup>.</p>'),
    ("a repeated key reuses its number", "X [@b2]. Y [@a1]. Z [@b2].",
     '<p>X<sup class="cite" data-pagefind-ignore="all" id="cite-1"><a aria-describedby="ref-b2" href="#ref-b2">1</a></sup>. '
     'Y<sup class="cite" data-pagefind-ignore="all" id="cite-2"><a aria-describedby="ref-a1" href="#ref-a1">2</a></sup>. '
     'Z<sup class="cite" data-pagefind-ignore="all" id="cite-3"><a aria-describedby="ref-b2" href="#ref-b2">1</a></sup>.</p>'),
    ("two keys", "X [@a1; @b2].",
     '<p>X<sup class="cite" data-pagefind-ignore="all" id="cite-1"><a aria-describedby="ref-a1" href="#ref-a1">1</a>,'
     '<a aria-describedby="ref-b2" href="#ref-b2">2</a></sup>.</p>'),
    ("three consecutive collapse to a range", "X [@a1; @b2; @c3].",
     '<p>X<sup class="cite" data-pagefind-ignore="all" id="cite-1"><a aria-describedby="ref-a1" href="#ref-a1">1</a>\u2013'
     '<a aria-describedby="ref-c3" href="#ref-c3">3</a></sup>.</p>'),
    ("ranges sort numbers and keep gaps", "A [@a1; @b2; @c3; @d4]. B [@d4; @a1; @c3].",
     '<p>A<sup class="cite" data-pagefind-ignore="all" id="cite-1"><a aria-describedby="ref-a1" href="#ref-a1">1</a>\u2013'
     '<a aria-describedby="ref-d4" href="#ref-d4">4</a></sup>. '
     'B<sup class="cite" data-pagefind-ignore="all" id="cite-2"><a aria-describedby="ref-a1" href="#ref-a1">1</a>,'
     '<a aria-describedby="ref-c3" href="#ref-c3">3</a>,<a aria-describedby="ref-d4" href="#ref-d4">4</a></sup>.</p>'),
    ("locator", "X [@a1, p. 12].",
     '<p>X<sup class="cite" data-pagefind-ignore="all" id="cite-1"><a aria-describedby="ref-a1" href="#ref-a1">1</a>'
     '<span class="cite-loc">(p. 12)</span></sup>.</p>'),
    ("locator with another key", "X [@b2; @a1, pp. 3-4].",
     '<p>X<sup class="cite" data-pagefind-ignore="all" id="cite-1"><a aria-describedby="ref-b2" href="#ref-b2">1</a>,'
     '<a aria-describedby="ref-a1" href="#ref-a1">2</a><span class="cite-loc">(pp. 3-4)</span></sup>.</p>'),
    ("not a citation: an address in brackets, a URL path, raw code, an @ in a word",
     "Mail [me@x.org], https://example.org/[@a1], <code>x [@a1]</code> and me@a1.",
     "<p>Mail [me@x.org], https://example.org/[@a1], <code>x [@a1]</code> and me@a1.</p>"),
    ("not in code", "`[@a1]`", "<p><code>[@a1]</code></p>"),
    # Pandoc's forms
    ("a prefix reads before the marker, the suffix is its locator", "As shown [see @a1, p. 12].",
     '<p>As shown <span class="cite-prefixed">see' + SUP.format(n=1, k="a1", m=1)
     + '<span class="cite-loc">(p. 12)</span></sup></span>.</p>'),
    ("a suffix without a comma", "X [@a1 and elsewhere].",
     '<p>X' + SUP.format(n=1, k="a1", m=1) + '<span class="cite-loc">(and elsewhere)</span></sup>.</p>'),
    ("suppressed author: the same marker in a numbered style", "Alpha says so [-@a1].",
     '<p>Alpha says so' + SUP.format(n=1, k="a1", m=1) + '</sup>.</p>'),
    ("author in text", "@a1 found it, as did @b2 [p. 4].",
     '<p><span class="cite-author">Alpha' + SUP.format(n=1, k="a1", m=1) + '</sup></span> found it, as did '
     '<span class="cite-author">Beta' + SUP.format(n=2, k="b2", m=2) + '<span class="cite-loc">(p. 4)</span>'
     '</sup></span>.</p>'),
    ("an @handle that is no key stays text", "Follow @nhsuk for news.", "<p>Follow @nhsuk for news.</p>"),
    ("a braced key", "X [@{a1}].", '<p>X' + SUP.format(n=1, k="a1", m=1) + '</sup>.</p>'),
    ("a citation wrapped across two lines", "X [@a1;\n@b2, ch. 3].",
     '<p>X' + SUP.format(n=1, k="a1", m=1) + ',<a aria-describedby="ref-b2" href="#ref-b2">2</a>'
     '<span class="cite-loc">(ch. 3)</span></sup>.</p>'),
    ("a later item's prefix reads in its parenthesis", "X [@a1; also @b2, p. 3].",
     '<p>X' + SUP.format(n=1, k="a1", m=1) + ',<a aria-describedby="ref-b2" href="#ref-b2">2</a>'
     '<span class="cite-loc">(also, p. 3)</span></sup>.</p>'),
]


@pytest.mark.parametrize("name, source, expected", CASES, ids=[c[0] for c in CASES])
def test_citations(bib: Path, name: str, source: str, expected: str) -> None:
    assert_renders(body(bib, source)[0], expected)


def test_reference_list_in_citation_order_with_links(bib: Path) -> None:
    _, refs = body(bib, "X [@b2; @a1].")
    assert refs.startswith('<ol class="references" data-pagefind-ignore="all">')
    assert refs.index('id="ref-b2"') < refs.index('id="ref-a1"')
    assert '<a class="doi" href="https://doi.org/10.1000/one">10.1000/one</a>' in refs
    assert '<a class="pmid" href="https://pubmed.ncbi.nlm.nih.gov/12345/">12345</a>' in refs
    assert "<li" in refs and not refs.split('">', 2)[1].startswith("1.")  # citeproc's "1." prefix is gone


def test_each_reference_links_back_to_every_marker_citing_it(bib: Path) -> None:
    _, refs = body(bib, "X [@b2]. Y [@a1; @b2]. Z [@b2].")
    b2 = refs[refs.index('id="ref-b2"'):refs.index('id="ref-a1"')]
    a1 = refs[refs.index('id="ref-a1"'):]
    assert '<span aria-hidden="true">\u21a9</span>' in b2
    assert [m for m in ("#cite-1", "#cite-2", "#cite-3") if m in b2] == ["#cite-1", "#cite-2", "#cite-3"]
    assert ">a</a>" in b2 and ">c</a>" in b2 and 'aria-label="Back to citation 2 of reference 1"' in b2
    assert ('<a aria-label="Back to where reference 2 is cited" class="cite-back" href="#cite-2">\u21a9</a>'
            in a1)
    assert "#cite-1" not in a1 and "#cite-3" not in a1


def test_ama_format(bib: Path) -> None:
    _, refs = body(bib, "X [@a1].")
    assert "Alpha A. First. <i>J One</i>. 2001;1:1-2. doi:" in refs


def test_no_list_without_citations(bib: Path) -> None:
    assert body(bib, "Nothing cited.") == ("<p>Nothing cited.</p>", "")


def test_list_goes_where_refs_div_is(bib: Path) -> None:
    html = markdown.markdown('X [@a1].\n\n<div id="refs" markdown="1"></div>\n\nAfter.',
                             extensions=["md_in_html", CiteExtension(bibliography=str(bib))])
    assert html.index('<div id="refs">') < html.index('id="ref-a1"') < html.index("After.")


def test_bibliography_fields_cannot_inject_markup(bib: Path) -> None:
    _, refs = body(bib, "X [@x5].")
    assert "<script>" not in refs
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in refs


def test_unknown_key_fails(bib: Path) -> None:
    with pytest.raises(CitationError, match="unknown citation key 'nope'"):
        body(bib, "X [@nope].")


@pytest.mark.parametrize("numbers, expected", [
    ([1], [(1, 1)]), ([1, 2], [(1, 1), (2, 2)]), ([3, 1, 2], [(1, 3)]), ([1, 2, 3, 5, 6], [(1, 3), (5, 5), (6, 6)]),
])
def test_ranges(numbers: list[int], expected: list[tuple[int, int]]) -> None:
    assert ranges(numbers) == expected


CSL_JSON = """[
  {"id": "json1", "type": "article-journal", "title": "From CSL-JSON <i>too</i>", "container-title": "Menopause",
   "author": [{"family": "Jones", "given": "Kim"}], "issued": {"date-parts": [[2021]]},
   "volume": "28", "page": "10-20", "DOI": "10.1000/json"}
]"""


def test_csl_json_bibliography(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(CSL_JSON, encoding="utf-8")
    head, refs = body(path, "X [@json1].")
    assert 'href="#ref-json1"' in head
    # Zotero rich text: a bare <i> is italics; anything with attributes would stay text.
    assert "Jones K. From CSL-JSON <i>too</i>. <i>Menopause</i>. 2021;28:10-20." in refs
    assert 'href="https://doi.org/10.1000/json"' in refs


def test_a_reference_whose_address_is_a_web_page_is_a_link(bib: Path) -> None:
    """Issue 25: a label on DailyMed is a link to follow, not text to copy (the & survives escaped)."""
    _, refs = body(bib, "X [@l6].")
    url = "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&amp;query=LABEL"
    assert f'<a class="url" href="{url}">{url}</a>' in refs


def test_only_web_addresses_become_links(bib: Path) -> None:
    _, refs = body(bib, "X [@j7].")
    assert 'class="url"' not in refs and 'href="javascript' not in refs


def test_a_citation_in_a_heading_leaves_its_id_alone(bib: Path) -> None:
    html = markdown.markdown("## Evidence [@a1]\n\n## Evidence [@b2; @a1]\n\nText [@c3].",
                             extensions=["toc", CiteExtension(bibliography=str(bib))])
    assert '<h2 id="evidence">Evidence<sup' in html and '<h2 id="evidence_1">Evidence<sup' in html


def test_a_citation_in_a_links_text_follows_the_link(bib: Path) -> None:
    head, _ = body(bib, "See [the first trial [@a1]](https://example.org/t) here.")
    assert_renders(head, '<p>See <a href="https://example.org/t">the first trial </a>' + SUP.format(n=1, k="a1", m=1)
                   + '</sup> here.</p>')


@pytest.mark.parametrize("source", ["Text\n\n    [@a1] as an example", "```\n[@a1]\n```", "Text ``[@a1] `x` ``."])
def test_code_is_never_a_citation(bib: Path, source: str) -> None:
    head, refs = body(bib, source)
    assert "cite" not in head and refs == ""


# One paragraph is read once for code and brackets, and that reading is reused as its
# citations are replaced one by one: code and brackets after several citations still count.
@pytest.mark.parametrize("source, keys", [
    ("A [@a1] B [@b2] <code>[@c3]</code> C [@d4] <kbd>@a1</kbd>.", ["a1", "b2", "d4"]),
    ("@a1 says [@b2] and [see also; @c3] then @d4 and <samp>@c3 [@c3]</samp> @b2.", ["a1", "b2", "d4", "b2"]),
    ("<code>[@a1]</code> [@b2] <code>x</code> [@c3] <code>@d4</code> @a1", ["b2", "c3", "a1"]),
    # Two paragraphs that end alike: the first one's reading of code is not the second one's.
    ("A <code>x [@a1] y</code>\n\nB [@a1] y</code>", ["a1"]),
])
def test_code_and_brackets_after_earlier_citations_in_the_paragraph(bib: Path, source: str, keys: list[str]) -> None:
    import re

    from generator.sources.citesyntax import citation_keys

    head, _ = body(bib, source)
    assert re.findall(r'href="#ref-([a-z0-9]+)"', head) == keys
    assert list(citation_keys(source, known=frozenset({"a1", "b2", "c3", "d4"}))) == keys


# More of Pandoc's syntax, the scanner (what `check` counts) and the page agreeing on each.
@pytest.mark.parametrize("source, keys", [
    ("@a1 [p. 33; see @b2] says so.", ["a1", "b2"]),  # more citations after an in-text one's suffix
    ("See [the review by @a1](https://example.org/r).", ["a1"]),  # in a link's text: cited, after the link
    ("A note.^[@b2 says so.] And ^[[@c3].]", ["b2", "c3"]),  # Pandoc's inline note: its text cites
    ("[@a1, V.9]: \"competentius est\"", ["a1"]),  # not a reference definition (no address)
    ("[@a1]: https://example.org/x\n\nText [@a1].", ["a1"]),  # a definition first, then a citation
    ("(@a1) An example.\n\nAs @a1 shows [@b2].", ["b2"]),  # Pandoc example list: @a1 is the example
    ("[@a1]{.class} and [@b2](url)", ["a1", "b2"]),  # a span's or a link's text reads as running text
])
def test_more_of_pandocs_syntax(bib: Path, source: str, keys: list[str]) -> None:
    from generator.sources.citesyntax import citation_keys

    head, _ = body(bib, source)
    assert re.findall(r'href="#ref-([a-z0-9]+)"', head) == keys
    assert list(citation_keys(source, known=frozenset({"a1", "b2", "c3", "d4"}))) == keys


def test_an_in_text_citations_bracket_is_not_also_a_malformed_one() -> None:
    from generator.sources.citesyntax import scan

    assert [(c.items[1].key, c.error) for c in scan("@a1 [p. 33; see @b2] says so.")] == [("b2", "")]


def test_an_example_list_item_is_reported_not_dropped() -> None:
    from generator.sources.citesyntax import scan

    found = list(scan("(@a1) An example.\n\nAs @a1 shows."))
    assert [(c.line, c.items, "example list" in c.error) for c in found] == [(0, (), True)]


def test_escapes_in_a_locator_and_what_follows_an_in_text_suffix(bib: Path) -> None:
    head, _ = body(bib, "Text [@a1, p. \\[89\\]]. @b2 [p. 33; see @c3] agrees.")
    assert_renders(head, '<p>Text' + SUP.format(n=1, k="a1", m=1) + '<span class="cite-loc">(p. [89])</span></sup>. '
                   '<span class="cite-author">Beta' + SUP.format(n=2, k="b2", m=2)
                   + '<span class="cite-loc">(p. 33)</span>,<a aria-describedby="ref-c3" href="#ref-c3">3</a>'
                   '<span class="cite-loc">(see)</span></sup></span> agrees.</p>')


def test_the_scanner_finds_what_the_extension_renders() -> None:
    from generator.sources.citesyntax import citation_keys, scan

    text = "A [see @a1, p. 2] and [-@b2].\nWrapped [@c3;\n@d4] then @x5 and me@not.\n\n`[@no]` https://e.org/[@no]"
    assert list(citation_keys(text)) == ["a1", "b2", "c3", "d4", "x5"]
    assert list(citation_keys(text, known=frozenset({"a1", "b2", "c3", "d4"}))) == ["a1", "b2", "c3", "d4"]
    wrapped = [c for c in scan(text) if c.items and c.items[0].key == "c3"][0]
    assert (wrapped.line, wrapped.end_line) == (1, 2)
    bad = list(scan("[see also; @a1] and [email me@x.org]"))
    assert [bool(c.error) for c in bad] == [True, True]


AUTHOR_DATE = [
    ("apa", "Text [@a1].",
     '<p>Text <span class="cite cite-author-date" data-pagefind-ignore="all" id="cite-1">(<a aria-describedby="ref-a1" '
     'href="#ref-a1">Alpha, 2001</a>)</span>.</p>'),
    ("apa", "More [see @a1, p. 12; @b2].",
     '<p>More <span class="cite-prefixed"><span class="cite cite-author-date" data-pagefind-ignore="all" '
     'id="cite-1">(see <a aria-describedby="ref-a1" href="#ref-a1">Alpha, 2001, p. 12</a>; '
     '<a aria-describedby="ref-b2" href="#ref-b2">Beta, 2002</a>)</span></span>.</p>'),
    ("apa", "@b2 [p. 4] says so; Alpha agrees [-@a1].",
     '<p><span class="cite-author">Beta <span class="cite cite-author-date" data-pagefind-ignore="all" id="cite-1">'
     '(<a aria-describedby="ref-b2" href="#ref-b2">2002, p. 4</a>)</span></span> says so; Alpha agrees '
     '<span class="cite cite-author-date" data-pagefind-ignore="all" id="cite-2">(<a aria-describedby="ref-a1" '
     'href="#ref-a1">2001</a>)</span>.</p>'),
    ("chicago-author-date", "Text [@a1, p. 3].",
     '<p>Text <span class="cite cite-author-date" data-pagefind-ignore="all" id="cite-1">(<a aria-describedby="ref-a1" '
     'href="#ref-a1">Alpha 2001, 3</a>)</span>.</p>'),
    # The author in the text: the locator in the style's form after the year, as Pandoc writes it.
    ("chicago-author-date", "@b2 [p. 4] says so.",
     '<p><span class="cite-author">Beta <span class="cite cite-author-date" data-pagefind-ignore="all" id="cite-1">'
     '(<a aria-describedby="ref-b2" href="#ref-b2">2002, 4</a>)</span></span> says so.</p>'),
    # A locator, then the rest of the suffix; a suffix with no locator keeps the space it was typed with.
    ("apa", "Text [@a1 pp. 33, 35-37, and nowhere else].",
     '<p>Text <span class="cite cite-author-date" data-pagefind-ignore="all" id="cite-1">(<a aria-describedby="ref-a1" '
     'href="#ref-a1">Alpha, 2001, pp. 33, 35\u201337, and nowhere else</a>)</span>.</p>'),
    ("apa", "Text [@a1 and nowhere else] or [@b2, and later].",
     '<p>Text <span class="cite cite-author-date" data-pagefind-ignore="all" id="cite-1">(<a aria-describedby="ref-a1" '
     'href="#ref-a1">Alpha, 2001 and nowhere else</a>)</span> or <span class="cite cite-author-date" '
     'data-pagefind-ignore="all" id="cite-2">(<a aria-describedby="ref-b2" href="#ref-b2">Beta, 2002, and later</a>)'
     '</span>.</p>'),
    ("apa", "Text [@a1, sec. 4; @b2, {Introduction}].",
     '<p>Text <span class="cite cite-author-date" data-pagefind-ignore="all" id="cite-1">(<a aria-describedby="ref-a1" '
     'href="#ref-a1">Alpha, 2001, Section 4</a>; <a aria-describedby="ref-b2" href="#ref-b2">Beta, 2002, '
     'p. Introduction</a>)</span>.</p>'),
]


# A suffix's locator, read as Pandoc reads it: label (from the locale's terms), the numbers, the rest.
@pytest.mark.parametrize("suffix, label, value, rest", [
    ("p. 12", "page", "12", ""),
    ("pp. 33, 35-37, and nowhere else", "page", "33, 35-37", ", and nowhere else"),
    ("p. 30, with suffix", "page", "30", ", with suffix"),
    ("chap. 3", "chapter", "3", ""),
    ("Chapter 3", "chapter", "3", ""),
    ("§ 4", "section", "4", ""),
    ("¶¶ 2–3", "paragraph", "2–3", ""),
    ("vol. iv, p. 3", "volume", "iv", ", p. 3"),
    ("fig. 2b", "figure", "2b", ""),
    ("p.\u00a030", "page", "30", ""),
    ("33", "page", "33", ""),
    ("12(a) and on", "page", "12(a)", " and on"),
    ("p. 1.2.", "page", "1.2", "."),
    ("{Introduction}", "page", "Introduction", ""),
    ("{sec. A–B} here", "section", "A–B", " here"),
    ("and nowhere else", "", "", "and nowhere else"),
    ("page ten", "", "", "page ten"),
    ("see p. 3", "", "", "see p. 3"),
    ("iv", "", "", "iv"),  # a roman numeral is a locator only after a label
])
def test_a_suffix_splits_into_locator_and_rest(suffix: str, label: str, value: str, rest: str) -> None:
    from generator.sources.citesyntax import Locator, split_locator

    assert split_locator(suffix) == Locator(label, value, rest)


NOTES = dedent("""
    One [@a1, p. 3]. Two [see @b2, chap. 2]. Three [@b2, p. 6]. @a1 agrees.
""").strip()


def test_a_note_style_puts_each_citation_in_a_numbered_note(bib: Path) -> None:
    html = markdown.markdown(NOTES, extensions=[CiteExtension(bibliography=str(bib),
                                                              style="chicago-notes-bibliography-17th-edition")])
    head, _, rest = html.partition('<h2 data-pagefind-ignore="all" id="notes">Notes</h2>')
    note = '<sup class="cite cite-note" data-pagefind-ignore="all" id="cite-{n}"><a aria-describedby="note-{n}" ' \
           'href="#note-{n}">{n}</a></sup>'
    # Each number after the punctuation that followed its citation, as Chicago and Pandoc place notes.
    assert_renders(head.strip(), f'<p>One.{note.format(n=1)} Two<span class="cite-prefixed">.{note.format(n=2)}'
                                 f'</span> Three.{note.format(n=3)} <span class="cite-author">Alpha'
                                 f'{note.format(n=4)}</span> agrees.</p>')
    notes, _, refs = rest.partition('<h2 data-pagefind-ignore="all" id="references">References</h2>')
    from selectolax.lexbor import LexborHTMLParser

    def items(fragment: str) -> list[str]:
        tree = LexborHTMLParser(fragment)
        for backs in tree.css(".cite-backs"):
            backs.decompose()
        return [" ".join(li.text().split()) for li in tree.css("li")]

    # The full note first, short ones after; the prefix opens its note; the style's own locator forms.
    assert items(notes) == ["A. Alpha, “First”, J One 1 (2001): 3, https://doi.org/10.1000/one.",
                            "See B. Beta, “Second”, J Two 2 (2002): 2.", "Beta, 6.", "Alpha, “First”."]
    assert 'href="#cite-3"' in notes and 'id="note-3"' in notes  # each note leads back to its marker
    # The list is the style's bibliography, sorted by author, not numbered; no label for a missing edition.
    assert items(refs)[0].startswith("Alpha, A.") and items(refs)[1].startswith("Beta, B.")
    assert 'class="references references-by-author"' in refs and "edition" not in html


def test_a_styles_own_angle_brackets_are_text_and_its_doi_a_link(bib: Path) -> None:
    """OSCOLA prints a DOI in angle brackets: they are text, and the DOI is still one link."""
    html = markdown.markdown("Text [@a1].", extensions=[CiteExtension(bibliography=str(bib), style="oscola")])
    assert '&lt;<a class="doi" href="https://doi.org/10.1000/one">https://doi.org/10.1000/one</a>&gt;' in html


@pytest.mark.parametrize("style, source, expected", AUTHOR_DATE)
def test_an_author_date_style_puts_author_and_year_in_the_text(bib: Path, style: str, source: str,
                                                               expected: str) -> None:
    html = markdown.markdown(source, extensions=[CiteExtension(bibliography=str(bib), style=style)])
    head, _, refs = html.partition('<h2 data-pagefind-ignore="all" id="references">References</h2>')
    assert_renders(head.strip(), expected)
    for key in set(re.findall(r'href="#ref-(\w+)"', head)):
        assert f'id="ref-{key}"' in refs  # the markers' links lead to the list
