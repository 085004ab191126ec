"""Topic bodies are templates authors write: macro calls only, sandboxed, every error at path:line."""
from __future__ import annotations

from pathlib import Path

import pytest
from miniproject import TOPIC, make_project, source_problems

from generator.config import load_project
from generator.pipeline import prepare

PAYLOADS = sorted((Path(__file__).parent / "payloads" / "template").glob("*.txt"))
TOPIC_PATH = "content/topics/fixture-topic.md"


def with_payload(tmp_path: Path, payload: str) -> tuple[Path, int]:
    text = TOPIC.replace("The hormone level is checked", payload + "\nThe hormone level is checked")
    line = text.split("\n").index(payload) + 1
    return make_project(tmp_path, {TOPIC_PATH: text}), line


@pytest.mark.parametrize("payload_file", PAYLOADS, ids=[p.stem for p in PAYLOADS])
def test_template_payload_is_a_path_line_error_and_never_runs(tmp_path: Path, payload_file: Path, capfd) -> None:
    payload = payload_file.read_text(encoding="utf-8").strip()
    root, line = with_payload(tmp_path, payload)
    found = source_problems(root)
    assert found, f"{payload!r} rendered without an error"
    assert all(p.startswith(f"{TOPIC_PATH}:") and ": error: " in p for p in found), found
    assert any(p.startswith(f"{TOPIC_PATH}:{line}: error: ") for p in found), (line, found)
    out = capfd.readouterr()
    assert "uid=" not in out.out + out.err and "Traceback" not in out.err


def test_the_macro_still_works_and_attr_list_ids_are_markdown(tmp_path: Path) -> None:
    text = TOPIC.replace("## Evidence", "## Evidence {#custom-id}")
    root = make_project(tmp_path, {TOPIC_PATH: text})
    prepared = prepare(load_project(root))
    body = prepared.rendered.bodies[("fixture-topic", "academic")]
    assert "{#custom-id}" in body  # left for attr_list, not eaten as a Jinja comment
    assert "medicine" in prepared.rendered.bodies[("fixture-topic", "intermediate")].lower()


def test_jinja_comments_use_double_hash(tmp_path: Path) -> None:
    text = TOPIC.replace("Read this slowly.", "Read this slowly.{## a note for authors ##}")
    root = make_project(tmp_path, {TOPIC_PATH: text})
    body = prepare(load_project(root)).rendered.bodies[("fixture-topic", "fundamentals")]
    assert "Read this slowly." in body and "a note for authors" not in body
