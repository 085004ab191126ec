"""Every pattern that reads source text runs in linear time.

Each adversarial line from payloads/longlines.yml (1 MB) goes through every
function that applies a regex to source text, and is timed against a plain
1 MB line through the same function: a ratio, not a wall-clock limit. A
quadratic pattern is thousands of times slower on these lines, so the
generous bound only fails on a real regression.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pytest
import yaml

from generator import citesyntax, mdscan, mdtext, readability, schemas
from generator.bibtex import _MISSING_COMMA
from generator.errors import Reporter
from generator.load import TERM_NAME, _sections
from generator.references import _DOI
from generator.yamlsource import load_yaml


def _schema_patterns(s: str) -> object:
    """The published schemas' patterns (non-empty, one line, locator), as the loader runs them."""
    term = load_yaml("term: x\nlevel: academic\nshort: x\n")
    term["short"] = term["term"] = s
    protocol = load_yaml("name: x\naudience: x\ngoal: x\nagents:\n  - {agent: a, role: r, route: r, indication: i,"
                         " population: p, sources: [{key: k, locator: l, supports: s}]}\n")
    protocol["agents"][0]["sources"][0]["locator"] = s
    rep = Reporter(Path("."))
    return schemas.validate(rep, "t.yml", term, "glossary-term"), schemas.validate(rep, "p.yml", protocol, "protocol")

SIZE = 1_000_000
LINES = yaml.safe_load((Path(__file__).parent / "payloads" / "longlines.yml").read_text())

FUNCTIONS: dict[str, Callable[[str], object]] = {
    "citations": lambda s: list(citesyntax.scan(s)),
    "strip citations": citesyntax.strip_citations,
    "tier headings": lambda s: _sections(Reporter(Path(".")), Path("t.md"), ["# Fundamentals", s], 1),
    "## headings": lambda s: list(mdscan.headings(["## " + s, "```", s], 2)),
    "sentences and words": lambda s: (list(readability.SENTENCE_END.finditer(s)), list(readability.WORD.finditer(s))),
    "jinja in reading text": lambda s: readability._JINJA.sub(" ", s),
    "data as Markdown text": mdtext.md_text,
    "BibTeX missing comma": lambda s: _MISSING_COMMA.search(s),
    "DOI links": lambda s: _DOI.search("doi:10.1000/" + s),
    "term names": lambda s: TERM_NAME.fullmatch("a" + s),
    "schema patterns": _schema_patterns,
}


def _line(spec: dict[str, str]) -> str:
    unit = spec["unit"]
    return spec["prefix"] + unit * (SIZE // len(unit)) + spec["suffix"]


def _time(func: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        func(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_adversarial_lines_cost_about_what_plain_lines_cost(name: str) -> None:
    func = FUNCTIONS[name]
    plain = "word " * (SIZE // 5)
    baseline = max(_time(func, plain), 0.002)  # a floor, so a very fast baseline is not a tiny divisor
    for spec in LINES:
        ratio = _time(func, _line(spec)) / baseline
        assert ratio < 50, f"{name} on '{spec['name']}': {ratio:.0f}x a plain line"
