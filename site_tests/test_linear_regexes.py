"""Every pattern that reads source text takes hostile input and answers.

Each adversarial line from payloads/longlines.yml goes through every function that
applies a regex to source text (source_scanners.py). That each costs about what a
plain line costs is a speed question, measured as ratios in bench/linear_regexes.py,
never in a timed test.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from miniproject import TOPIC
from source_scanners import BODY_SIZE, FUNCTIONS, LINES, PATHOLOGICAL, line, prepare_topic_body

SMALL = 20_000  # large enough for every construct of each line, small enough for the suite


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_scanner_takes_every_adversarial_line(name: str) -> None:
    func = FUNCTIONS[name]
    func("word " * (SMALL // 5))
    for spec in LINES:
        func(line(spec, SMALL))


# -- whole-pipeline inputs: a topic body through load, validation and render -----------------------



def _prepare(tmp: Path, body_line: str) -> tuple[float, list[str]]:
    return prepare_topic_body(tmp, body_line)


def test_bracket_runs_in_a_topic_are_path_line_errors(tmp_path: Path) -> None:
    """What each run costs against plain text is measured in bench/linear_regexes.py."""
    _, found = _prepare(tmp_path / "plain", "word " * (BODY_SIZE // 5))
    assert found == []
    line = TOPIC.split("\n").index("A hormone is a messenger. Read this slowly.") + 3
    for name, unit in PATHOLOGICAL.items():
        _, found = _prepare(tmp_path / name.replace("[", "b").replace("<", "l").replace("(", "p").replace("!", "x")
                            .replace("@", "at").replace("]", "c"), unit * (BODY_SIZE // len(unit)))
        assert any(f.startswith(f"content/topics/fixture-topic.md:{line}: error: this paragraph has so many")
                   for f in found), (name, found)


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
