"""Every malformed source: a precise path:line error, a non-zero exit, and the old site intact."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli
from miniproject import make_project

TOPIC = "content/topics/fixture-topic.md"
PROTOCOL = "content/protocols/fixture-protocol.yml"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str) -> int:
    for i, line in enumerate((root / rel).read_text(encoding="utf-8").split("\n"), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {rel}")


CASES = {
    "malformed yaml": (
        lambda r: (r / "glossary/hormone.yml").write_text("term: hormone\nshort: [unclosed\nlevel: fundamentals\n"),
        lambda r: ("glossary/hormone.yml", 3), "invalid YAML"),
    "missing front matter": (
        lambda r: edit(r, TOPIC, "---\ntitle:", "title:"),
        lambda r: (TOPIC, 1), "missing front matter"),
    "missing tier heading": (
        lambda r: edit(r, TOPIC, "# Academic\n", "## Academic\n"),
        None, "missing tier heading '# Academic'"),
    "misordered tier heading": (
        lambda r: (edit(r, TOPIC, "# Intermediate\n", "# TEMP\n"), edit(r, TOPIC, "# Academic\n", "# Intermediate\n"),
                   edit(r, TOPIC, "# TEMP\n", "# Academic\n")),
        lambda r: (TOPIC, line_of(r, TOPIC, "# Academic")), "out of order"),
    "unknown related slug": (
        lambda r: edit(r, "glossary/hormone.yml", "level: fundamentals", "level: fundamentals\nrelated: [no-such-term]"),
        lambda r: ("glossary/hormone.yml", line_of(r, "glossary/hormone.yml", "related:")),
        "unknown glossary slug 'no-such-term'"),
    "unknown protocol agent": (
        lambda r: edit(r, PROTOCOL, "agent: medicine-x", "agent: medicine-xx"),
        lambda r: (PROTOCOL, line_of(r, PROTOCOL, "medicine-xx")), "unknown glossary slug 'medicine-xx'"),
    "unknown sources key": (
        lambda r: edit(r, "glossary/medicine-x.yml", "sources: [smith2019]", "sources: [smith2019, nobody1999]"),
        lambda r: ("glossary/medicine-x.yml", line_of(r, "glossary/medicine-x.yml", "nobody1999")),
        "unknown source 'nobody1999'"),
    "alias shared by two terms": (
        lambda r: edit(r, "glossary/medicine-x.yml", "term: medicine X", "term: medicine X\naliases: [hormones]"),
        lambda r: ("glossary/medicine-x.yml", line_of(r, "glossary/medicine-x.yml", "aliases:")),
        "'hormones' is claimed by two terms"),
    "invalid date": (
        lambda r: edit(r, "content/reviews.yml", "date: 2020-01-02", "date: 2020-13-40"),
        lambda r: ("content/reviews.yml", line_of(r, "content/reviews.yml", "date: 2020-13-40")), "not a valid ISO date"),
    "unknown protocol in protocol_table": (
        lambda r: edit(r, TOPIC, 'protocol_table("fixture-protocol")', 'protocol_table("no-such-protocol")'),
        lambda r: (TOPIC, line_of(r, TOPIC, "no-such-protocol")), "unknown protocol 'no-such-protocol'"),
    "jinja syntax error": (
        lambda r: edit(r, TOPIC, "{{ protocol_table(", "{{ protocol_table(}} {{ ("),
        lambda r: (TOPIC, line_of(r, TOPIC, "protocol_table(}}")), "template syntax error"),
}


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    root = make_project(tmp_path_factory.mktemp("good"))
    assert run_cli(root, "build") == 0
    return root, (root / "site" / "index.html").read_bytes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_reported_at_its_line(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           good_build: tuple[Path, bytes]) -> None:
    import shutil

    project = make_project(tmp_path)
    good_root, good_index = good_build
    shutil.copytree(good_root / "site", project / "site")
    breaker, where, message = CASES[name]
    breaker(project)
    assert run_cli(project, "build") == 1
    err = capsys.readouterr().err
    if where is None:
        assert re.search(rf"{re.escape(TOPIC)}:\d+: error: .*{re.escape(message)}", err), err
    else:
        path, line = where(project)
        assert f"{path}:{line}: error: " in err, err
        assert message in err, err
    # The last good site is untouched: no half-written output.
    assert (project / "site" / "index.html").read_bytes() == good_index
    assert not list(project.glob(".site-*"))


def test_check_reports_the_same_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    edit(project, "glossary/hormone.yml", "level: fundamentals", "level: fundamentals\nrelated: [no-such-term]")
    assert run_cli(project, "check", "--today", "2020-06-01") == 1
    out = capsys.readouterr().out
    assert re.search(r"glossary/hormone\.yml:\d+: error: unknown glossary slug 'no-such-term'", out)


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_folder_without_site_settings_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                     command: str) -> None:
    code = run_cli(tmp_path, command, *(["--today", "2026-11-22"] if command == "check" else []))
    captured = capsys.readouterr()
    assert code == 1 and "Traceback" not in captured.err + captured.out
    assert "mkdocs.yml: error: cannot read the site settings" in captured.err + captured.out
