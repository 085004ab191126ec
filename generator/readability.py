"""Reading level of prose, offline: Flesch–Kincaid grade and SMOG.

What is counted:
- words: runs of letters (with inner hyphens or apostrophes) and numbers;
- syllables: `syllables.syllables` (the CMU Pronouncing Dictionary, then rules);
- sentences: each ".", "!" or "?" that ends a sentence, and the end of each
  paragraph or list item, whether or not it ends with a full stop. A bullet such
  as "- feeling tired," is one sentence: that is how a reader takes it in, and it
  keeps lists from being scored as one enormous sentence.
Headings, tables, code, citations, callouts (`.no-terms`) and macro output are
left out: the score is of the author's running prose.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import markdown
from selectolax.lexbor import LexborHTMLParser

from .citesyntax import strip_citations
from .syllables import syllables
WORD = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*|\d+(?:[.,]\d+)*")
# Only at the start of a run of stops, and possessive: a long run of dots is scanned once.
SENTENCE_END = re.compile(r"(?<![.!?])[.!?]++(?=[\s\"'”’)]|$)")
_JINJA = re.compile(r"\{\{[^{}]*\}\}|\{%[^{}]*%\}")  # no braces inside: each "{" scans to the next one
LEFT_OUT = "h1, h2, h3, h4, h5, h6, table, pre, code, ol.references, .no-terms, .admonition, script, style"
WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class Score:
    words: int
    sentences: int
    syllables: int
    polysyllables: int

    @property
    def fkgl(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    @property
    def smog(self) -> float:
        if not self.sentences:
            return 0.0
        return 1.0430 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))


def score_text(text: str) -> Score:
    """Score plain prose; each paragraph break also ends a sentence."""
    words = sentences = syl = poly = 0
    for block in text.split("\n"):
        block = block.strip()
        if not block:
            continue
        ws = WORD.findall(block)
        if not ws:
            continue
        words += len(ws)
        ends = len(SENTENCE_END.findall(block))
        sentences += ends + (0 if SENTENCE_END.search(block[-2:] + " ") else 1)
        for w in ws:
            s = syllables(w)
            syl += s
            poly += s >= 3
    return Score(words, sentences, syl, poly)


def prose(body_markdown: str) -> str:
    """The reader's prose from a tier body: no headings, tables, code, citations or macro output."""
    html = markdown.markdown(_JINJA.sub(" ", strip_citations(body_markdown)), extensions=["tables", "attr_list", "md_in_html"])
    tree = LexborHTMLParser(f"<body>{html}</body>")
    for node in tree.css(LEFT_OUT):
        node.decompose()
    blocks = [n.text(separator=" ") for n in tree.css("p, li")]
    return "\n".join(" ".join(b.split()) for b in blocks if b.strip())


@lru_cache(maxsize=8192)
def score_markdown(body_markdown: str) -> Score:
    """Cached by text: `serve` rebuilds and repeated checks re-score only what changed."""
    return score_text(prose(body_markdown))
