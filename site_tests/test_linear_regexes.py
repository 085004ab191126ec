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

from generator.sources import citesyntax
from generator.sources import mdlimits
from generator.sources import mdscan
from generator.markdown import mdtext
from generator.render import readability
from generator.sources import schemas
from generator.sources.bibtex import _MISSING_COMMA
from generator.checks import helpadvice
from generator.checks.safety import DOSE_TEXT
from generator.errors import Reporter
from generator.sources.load import TERM_NAME, _sections
from generator.render.references import _DOI
from generator.sources.yamlsource import load_yaml


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
    "Markdown parse limits": lambda s: list(mdlimits.problems(s + "\n" + s)),
    # Both the block scan and every pattern of data/emergency.yml (a line that matches none).
    "dose in a role": lambda s: DOSE_TEXT.search(s),
    "help advice": lambda s: list(helpadvice._body_problems("Call a doctor soon if:\n\n- " + s, 1)),
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


# -- whole-pipeline inputs: a topic body through load, validation and render -----------------------

from generator.config import load_project  # noqa: E402
from generator.errors import SourceError  # noqa: E402
from generator.pipeline import prepare  # noqa: E402
from miniproject import TOPIC, make_project  # noqa: E402

BODY_SIZE = 200_000
# Python-Markdown's link pattern scans from each of these to its closer: quadratic without mdlimits.
PATHOLOGICAL = {"[": "[", "[@": "[@", "![": "![ ", "<a": "<a ", "[a](": "[a]("}


def _prepare(tmp: Path, body_line: str) -> tuple[float, list[str]]:
    root = make_project(tmp, {"content/topics/fixture-topic.md":
                              TOPIC.replace("Read this slowly.", "Read this slowly.\n\n" + body_line + "\n")})
    start = time.perf_counter()
    try:
        prepare(load_project(root))
        found: list[str] = []
    except SourceError as exc:
        found = [str(d) for d in exc.diagnostics]
    return time.perf_counter() - start, found


def test_bracket_runs_in_a_topic_are_path_line_errors_in_linear_time(tmp_path: Path) -> None:
    # The plain body of the same size is converted in full (reading scores): the anchor.
    baseline, found = _prepare(tmp_path / "plain", "word " * (BODY_SIZE // 5))
    assert found == []
    line = TOPIC.split("\n").index("A hormone is a messenger. Read this slowly.") + 3
    for name, unit in PATHOLOGICAL.items():
        took, found = _prepare(tmp_path / name.replace("[", "b").replace("<", "l").replace("(", "p").replace("!", "x")
                               .replace("@", "at").replace("]", "c"), unit * (BODY_SIZE // len(unit)))
        assert any(f.startswith(f"content/topics/fixture-topic.md:{line}: error: this paragraph has so many")
                   for f in found), (name, found)
        assert took < 3 * baseline + 0.5, f"{name}: {took:.2f} s against {baseline:.2f} s for plain text"


@pytest.mark.parametrize("body,what", [
    ('<div markdown="1">\n' * 2000 + "x\n" + "</div>\n" * 2000, "HTML blocks with a markdown attribute"),
    ("\n".join("    " * i + "- x" for i in range(600)), "lists or quotes are nested"),
])
def test_nesting_that_exhausts_the_stack_is_a_path_line_error(tmp_path: Path, body: str, what: str) -> None:
    _, found = _prepare(tmp_path, body)
    assert any(f.startswith("content/topics/fixture-topic.md:") and f": error: {what}" in f for f in found), found


def test_ordinary_nesting_and_long_link_tables_pass(tmp_path: Path) -> None:
    rows = "| term | source |\n|---|---|\n" + "\n".join(
        f"| [Term {i}](https://example.org/{i}) | <abbr title='x'>A</abbr> (see {i}) |" for i in range(3000))
    nested = '<div markdown="1">\n' * 10 + "Text.\n" + "</div>\n" * 10
    _, found = _prepare(tmp_path, rows + "\n\n" + nested)
    assert not any("nested" in f or "brackets" in f for f in found), found
