"""Every function that applies a regex to source text, and the adversarial lines to feed them.

Shared by the test suite (each scanner takes each line and answers) and
bench/linear_regexes.py (each line costs about what a plain line costs: a ratio,
measured in the bench, never in a timed test).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import yaml

from generator.checks import helpadvice
from generator.checks.safety import DOSE_TEXT
from generator.config import load_project
from generator.errors import Reporter, SourceError
from generator.markdown import mdtext
from generator.pipeline import prepare
from generator.render import readability
from generator.render.references import _DOI
from generator.sources import citesyntax, legacy, legacyimport, legacyrefs, mdlimits, mdscan, schemas
from generator.sources.bibtex import missing_comma
from generator.sources.load import TERM_NAME, _sections
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
    "citation locators": lambda s: (citesyntax.split_locator("pp. " + s), citesyntax.split_locator("{" + s)),
    "tier headings": lambda s: _sections(Reporter(Path(".")), Path("t.md"), ["# Fundamentals", s], 1),
    "## headings": lambda s: list(mdscan.headings(["## " + s, "```", s], 2)),
    "sentences and words": lambda s: (list(readability.SENTENCE_END.finditer(s)), list(readability.WORD.finditer(s))),
    "jinja in reading text": lambda s: readability._JINJA.sub(" ", s),
    "data as Markdown text": mdtext.md_text,
    "BibTeX missing comma": lambda s: (missing_comma("@a{k, t = {" + s + "} y = 1}"), missing_comma('@a{k, t = "' + s)),
    "DOI links": lambda s: _DOI.search("doi:10.1000/" + s),
    "term names": lambda s: TERM_NAME.fullmatch("a" + s),
    "schema patterns": _schema_patterns,
    "Markdown parse limits": lambda s: list(mdlimits.problems(s + "\n" + s)),
    # Both the block scan and every pattern of data/emergency.yml (a line that matches none).
    "dose in a role": lambda s: DOSE_TEXT.search(s),
    "help advice": lambda s: list(helpadvice.body_problems("Call a doctor soon if:\n\n- " + s, 1)),
    # Legacy articles (`import`): the whole reader, a gloss in the line, a reference line, markers.
    "legacy article": lambda s: legacy.parse(f"Fundamentals\n{s}\nIntermediate\n{s}\nAcademic\n{s}\n", "t"),
    "legacy glosses": lambda s: legacy.strip_glosses(f"A term {legacy.MARK} {s} rest", 1),
    "legacy reference": lambda s: (legacyrefs.parse_reference(s), legacyrefs.parse_reference(f'A, B. "{s}." J, 2019.')),
    "legacy citation markers": lambda s: legacyimport._cite(s, {1: "a"}, {("smith", "2019"): "a"}),
}


def line(spec: dict[str, str], size: int = SIZE) -> str:
    unit = spec["unit"]
    return spec["prefix"] + unit * (size // len(unit)) + spec["suffix"]


# -- whole-pipeline inputs: a topic body through load, validation and render -----------------------

BODY_SIZE = 200_000
# Python-Markdown's link pattern scans from each of these to its closer: quadratic without mdlimits.
PATHOLOGICAL = {"[": "[", "[@": "[@", "![": "![ ", "<a": "<a ", "[a](": "[a]("}


def prepare_topic_body(tmp: Path, body_line: str) -> tuple[float, list[str]]:
    """(seconds, diagnostics) of preparing a fixture project whose topic holds `body_line`."""
    from miniproject import TOPIC, make_project

    root = make_project(tmp, {"content/topics/fixture-topic.md":
                              TOPIC.replace("Read this slowly.", "Read this slowly.\n\n" + body_line + "\n")})
    start = time.perf_counter()
    try:
        prepare(load_project(root))
        found: list[str] = []
    except SourceError as exc:
        found = [str(d) for d in exc.diagnostics]
    return time.perf_counter() - start, found
