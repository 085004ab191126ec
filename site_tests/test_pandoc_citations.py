"""Real inputs: Pandoc's own citation tests, as Pandoc reads them and as we do.

`make test-data` keeps Pandoc's reading of every Markdown input of its test suite that holds
an "@" (test/markdown-citations.txt and test/command/*.md of Debian's pandoc source package,
read by the pandoc binary of the same version: see pandoc_corpus.py). Here the same inputs go
through our scanner (what `check` counts) and through Python-Markdown with the cite extension
(what the page shows), and each must find exactly Pandoc's citations: the same keys, modes,
prefixes and suffixes, none lost and none added.
"""
from __future__ import annotations

import collections
import html
import json
import re
from pathlib import Path
from typing import Any

import markdown
import pytest

from generator.markdown.cite import CiteExtension
from generator.sources.citesyntax import scan

CORPUS = Path(__file__).resolve().parents[1] / ".cache" / "test-data" / "pandoc-citations.json"

pytestmark = pytest.mark.skipif(not CORPUS.is_file(), reason=f"{CORPUS.name} is absent: `make test-data` "
                                "fetches Pandoc's tests and pandoc from Debian's packages")


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    return list(json.loads(CORPUS.read_text(encoding="utf-8"))["documents"])


MINIMAL_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Minimal author-date</title><id>minimal</id><updated>2026-12-03T00:00:00+00:00</updated>
    <category citation-format="author-date"/></info>
  <citation><layout prefix="(" suffix=")" delimiter="; "><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>
"""


def _body(text: str) -> str:
    """The text after a YAML metadata block, its lines kept so line numbers stay."""
    if not text.startswith("---\n"):
        return text
    ends = [i for i in (text.find("\n---\n", 4), text.find("\n...\n", 4)) if i > 0]
    if not ends:
        return text
    end = min(ends) + 5
    return "\n" * text[:end].count("\n") + text[end:]


def _same(text: str, suffix: bool = False) -> str:
    """Prefix or suffix text with Pandoc's typography undone (smart dashes and quotes, the
    no-break space after an abbreviation, math and emphasis markers): no part of citation syntax."""
    text = text.replace("\u00a0", " ").replace("--", "\u2013")
    text = re.sub("[$\"'\u2018\u2019\u201c\u201d]", "", text)
    text = " ".join(re.sub(r"[*_]", "", text).split())
    return text.lstrip(",").strip() if suffix else text


def _ours(text: str) -> list[tuple[str, str, str, str]]:
    found = []
    for c in scan(_body(text)):
        for i, item in enumerate(c.items):
            mode = "AuthorInText" if c.in_text and i == 0 else \
                "SuppressAuthor" if item.suppress_author else "NormalCitation"
            found.append((item.key, mode, _same(item.prefix), _same(item.locator, suffix=True)))
    return sorted(found)


def _pandocs(document: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return sorted((key, mode, _same(prefix), _same(suffix, suffix=True))
                  for key, mode, prefix, suffix in document["citations"])


def test_the_scanner_reads_every_pandoc_test_citation_as_pandoc_does(documents: list[dict[str, Any]]) -> None:
    total = sum(len(d["citations"]) for d in documents)
    assert len(documents) > 100 and total > 400, (len(documents), total)  # the corpus is all there
    modes = collections.Counter(mode for d in documents for _, mode, *_ in d["citations"])
    assert min(modes.values()) > 10, modes  # bracketed, in-text and author-suppressed all met
    wrong = [(d["name"], _pandocs(d), _ours(d["text"])) for d in documents if _pandocs(d) != _ours(d["text"])]
    assert not wrong, "\n".join(f"{name}:\n  pandoc {p}\n  ours   {o}" for name, p, o in wrong)


def test_every_pandoc_test_citation_is_rendered_once_with_its_key(documents: list[dict[str, Any]],
                                                                  tmp_path: Path) -> None:
    """In an author-date style every item is its own link to its reference, so the links the
    page shows can be counted against Pandoc's citations. (The smallest such style: what is
    measured is the syntax, and citeproc-py takes 4 s over these pages with APA's.)"""
    style = tmp_path / "minimal-author-date.csl"
    style.write_text(MINIMAL_STYLE, encoding="utf-8")
    keys = sorted({c[0] for d in documents for c in d["citations"]})
    bib = tmp_path / "all.json"  # CSL-JSON takes any key, URLs included
    bib.write_text(json.dumps([{"id": k, "type": "book", "title": f"Work {i}", "author": [{"family": "Doe"}],
                                "issued": {"date-parts": [[2001]]}} for i, k in enumerate(keys)]), encoding="utf-8")
    wrong = []
    for d in documents:
        page = markdown.markdown(_body(d["text"]), extensions=[CiteExtension(bibliography=str(bib), style=str(style)),
                                                               "footnotes", "attr_list"])
        shown = collections.Counter(html.unescape(k) for k in
                                    re.findall(r'<a aria-describedby="ref-([^"]+)" href="#ref-', page))
        if shown != collections.Counter(c[0] for c in d["citations"]):
            wrong.append((d["name"], dict(shown), [c[0] for c in d["citations"]]))
    assert not wrong, wrong
