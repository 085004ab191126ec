"""When to get help is said once, in `urgent`/`see_clinician` (issue 25, item 1).

Unit cases for the block scan and the rules (Markdown in, problems out), then one failing
fixture project per rule, each reported at its path:line by `check`.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_rules
from miniproject import TOPIC, make_project

from generator.checks import helpadvice
from generator.checks.helpadvice import blocks, body_problems, rules

TOPIC_PATH = "content/topics/fixture-topic.md"


def problems(md: str) -> list[tuple[int, str]]:
    return [(line, message.split(" ")[0] + " " + message.split(" ")[1]) for line, message in body_problems(md, 1)]


def test_a_lead_in_and_its_list_are_one_block() -> None:
    md = "## Signs\n\nCall a doctor soon if:\n\n- you feel low,\n- you have chest pain.\n\nAnother paragraph.\n"
    assert [(i, t.split("\n")[0], h) for i, t, h in blocks(md)] == [
        (0, "Signs", True), (2, "Call a doctor soon if:", False), (7, "Another paragraph.", False)]


def test_fenced_code_is_not_read() -> None:
    md = "```\n## When to get help\nCall a doctor soon if you have chest pain.\n```\n"
    assert list(blocks(md)) == []
    assert problems(md) == []


@pytest.mark.parametrize("md, line, start", [
    # The withdrawal page's old section: a help heading, and emergencies told to wait.
    ("## When to get help quickly\n\nCall a doctor soon if:\n\n- you have chest pain.\n", 1, "heading 'When"),
    ("Call a doctor soon if:\n\n- you have thoughts of harming yourself.\n", 3, "thoughts of"),
    ("Book an appointment if one leg is painful, swollen and warm.\n", 1, "a painful"),
    ("If your face droops, see your GP soon.\n", 1, "signs of"),
    ("Mention sudden loss of vision at your next appointment.\n", 1, "sudden loss"),
    # Emergency advice written into a body, even when correct, belongs in `urgent`.
    ("If you have chest pain, call 999.\n", 1, "'call 999'"),
    ("Go to A&E if your lips swell.\n", 1, "'Go to"),
])
def test_each_rule_reports_its_line(md: str, line: int, start: str) -> None:
    found = list(body_problems(md, 1))
    assert found and found[0][0] == line and found[0][1].startswith(start), found


@pytest.mark.parametrize("md", [
    # Risks described as facts are not advice to wait.
    "The trial found no increase in heart attack or stroke, but more blood clots in the lungs.\n",
    # Advice to wait about something that is not an emergency.
    "Talk to your clinician soon if hot flashes keep you awake.\n",
    "## What the trials found\n\nThey ran for two years.\n",
    # A symptom and a wait in different blocks are not next to each other.
    "Chest pain is an emergency.\n\nBook an appointment to review your dose.\n",
])
def test_text_that_is_not_help_advice_passes(md: str) -> None:
    assert list(body_problems(md, 1)) == []


def test_the_emergency_list_names_its_source() -> None:
    r = rules()
    assert r.sources and all(s.startswith("https://www.") for s in r.sources)
    names = {e.name for e in r.emergencies}
    assert {"chest pain", "signs of a stroke", "thoughts of self-harm or suicide", "sudden loss of vision",
            "severe allergic reaction", "a painful swollen leg (possible blood clot)"} <= names


# -- fixture projects ---------------------------------------------------------------------------

def check(root: Path, capsys) -> tuple[int, str]:
    """The help-advice rule on the loaded project (no build)."""
    return check_rules(root, helpadvice.check_help)


def line_of(root: Path, needle: str) -> int:
    return next(i for i, l in enumerate((root / TOPIC_PATH).read_text().split("\n"), 1) if needle in l)


def test_a_body_restating_help_fails_at_its_lines(tmp_path: Path, capsys) -> None:
    topic = TOPIC.replace("## The main points", "## When to get help quickly\n\nCall a doctor soon if:\n\n"
                          "- you have chest pain.\n\n## The main points")
    root = make_project(tmp_path, {TOPIC_PATH: topic})
    code, out = check(root, capsys)
    assert code == 1
    assert f"{TOPIC_PATH}:{line_of(root, '## When to get help')}: error: heading 'When to get help quickly' " \
           "restates when to get help" in out
    assert f"{TOPIC_PATH}:{line_of(root, '- you have chest pain.')}: error: chest pain ('chest pain') appears " \
           "next to advice to wait ('Call a doctor soon')" in out


def test_an_emergency_in_see_clinician_fails_at_its_item(tmp_path: Path, capsys) -> None:
    topic = TOPIC.replace("see_clinician: [the medicine upsets your stomach for more than a week.]",
                          "see_clinician:\n  - the medicine upsets your stomach.\n  - your speech becomes slurred.")
    root = make_project(tmp_path, {TOPIC_PATH: topic})
    code, out = check(root, capsys)
    assert code == 1
    assert (f"{TOPIC_PATH}:{line_of(root, 'slurred')}: error: 'see_clinician' lists signs of a stroke "
            "('your speech becomes slurred.'), which is an emergency: move it to 'urgent'") in out


def test_the_fixture_topic_passes(tmp_path: Path, capsys) -> None:
    code, out = check(make_project(tmp_path), capsys)
    assert "restates" not in out and "advice to wait" not in out and code == 0, out
