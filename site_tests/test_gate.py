"""One gate (issue 29): `build`, `check` and the preview judge sources the same way, report
every independent error in one run, and never report a cascade from one broken file.

Tests of the tool on small fixture projects (miniproject.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from miniproject import FILES, TOPIC, make_project

from generator.sources.yamlsource import load_yaml

SECOND = TOPIC.replace("A fixture topic", "A second topic")
MKDOCS = FILES["mkdocs.yml"]


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = run_cli(root, *args)
    captured = capsys.readouterr()
    return code, [l for l in (captured.out + captured.err).splitlines() if ": error: " in l or ": warning: " in l]


def with_policy(strict: str | None = None, clinical: str | None = None) -> str:
    text = MKDOCS
    if strict is not None:
        text = f"strict: {strict}\n" + text
    if clinical is not None:
        text = text.replace("      funding: No funding.\n", f"      funding: No funding.\n      clinical_review: {clinical}\n")
    return text


# -- every independent error in one run ----------------------------------------------------------

def test_an_unknown_citation_does_not_hide_an_unknown_protocol_elsewhere(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, {
        "content/topics/fixture-topic.md": TOPIC.replace("[@smith2019].", "[@Smith2019x].", 1),
        "content/topics/second.md": SECOND.replace('protocol_table("fixture-protocol")', 'protocol_table("nope")')})
    for command in (("check", "--today", "2020-06-01"), ("build",)):
        code, lines = run(root, capsys, *command)
        assert code == 1
        assert any(l.startswith("content/topics/fixture-topic.md:21: error: unknown citation key 'Smith2019x'")
                   and "did you mean 'smith2019'?" in l for l in lines), lines
        assert any(l.startswith("content/topics/second.md:19: error: unknown protocol 'nope' in protocol_table()")
                   for l in lines), lines
    assert not (root / "site").exists()


def test_errors_in_sources_do_not_stop_the_checks_of_the_rest(tmp_path: Path, capsys) -> None:
    """A broken file and a check's own error elsewhere (a review dated in the future): both."""
    log = FILES["content/reviews.yml"].replace("2020-01-02", "2021-01-02")
    root = make_project(tmp_path, {"glossary/hormone.yml": "term: hormone\nshort: [oops\n", "content/reviews.yml": log})
    code, lines = run(root, capsys, "check", "--today", "2020-06-01")
    assert code == 1
    assert [l.split(": error: ")[0] for l in lines if ": error: " in l] == ["content/reviews.yml:2", "glossary/hormone.yml:2"], lines


# -- no cascade from a file that failed to load --------------------------------------------------

def test_a_broken_glossary_file_is_unavailable_not_unknown(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, {"glossary/medicine-x.yml": "term: medicine X\nshort: [oops\n"})
    code, lines = run(root, capsys, "check", "--today", "2020-06-01")
    assert code == 1
    assert lines == ["glossary/medicine-x.yml:2: error: invalid YAML: did not find expected ',' or ']' "
                     "(at the end of the text): 'short: [oops'"], lines


def test_a_broken_protocol_is_unavailable_to_the_topics_that_use_it(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, {
        "content/protocols/fixture-protocol.yml": FILES["content/protocols/fixture-protocol.yml"].replace(
            "name: Fixture protocol\n", "name: [Fixture protocol\n"),
        "content/topics/second.md": SECOND})
    code, lines = run(root, capsys, "check", "--today", "2020-06-01")
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("content/protocols/fixture-protocol.yml:2: error: invalid YAML"), lines
    assert "while parsing a flow sequence at line 1: 'name: [Fixture protocol'" in lines[0]


def test_a_broken_bibliography_entry_does_not_make_every_citation_unknown(tmp_path: Path, capsys) -> None:
    bib = FILES["content/references.bib"].replace("@article{smith2019,\n", "@article{smith2019,\n  title = {unclosed,\n", 1)
    root = make_project(tmp_path, {"content/references.bib": bib})
    code, lines = run(root, capsys, "check", "--today", "2020-06-01", "--sources-only")
    assert code == 1
    assert lines and all(l.startswith("content/references.bib:") for l in lines), lines


def test_a_reference_to_what_does_not_exist_is_still_an_error(tmp_path: Path, capsys) -> None:
    """Unavailable is only what failed to load: a slug nothing defines stays an error."""
    proto = FILES["content/protocols/fixture-protocol.yml"].replace("  - agent: medicine-x\n", "  - agent: medicine-y\n")
    root = make_project(tmp_path, {"content/protocols/fixture-protocol.yml": proto})
    code, lines = run(root, capsys, "check", "--today", "2020-06-01", "--sources-only")
    assert code == 1
    assert any("unknown glossary slug 'medicine-y' in protocol agents" in l for l in lines), lines


@pytest.mark.parametrize("text, line, quoted", [
    ("term: x\nshort: [oops\n", 2, "'short: [oops'"),
    ("term: x\nshort: \"open\n\n\n", 2, "'short: \"open'"),
    ("a:\n  - x\n b: 2\n", 3, "'b: 2'"),
])
def test_a_yaml_error_names_a_line_of_the_file_and_quotes_it(text: str, line: int, quoted: str) -> None:
    with pytest.raises(ValueError) as caught:
        load_yaml(text)
    assert caught.value.line == line <= len(text.rstrip("\n").split("\n"))  # type: ignore[attr-defined]
    assert quoted in str(caught.value)


# -- one strict meaning --------------------------------------------------------------------------

UNCITED = TOPIC.replace("## Evidence\n", "## Evidence\n\nNo citation here at all.\n\n## Evidence\n", 1)


@pytest.mark.parametrize("policy, override, fails", [
    (None, (), True),  # strict is the default
    ("true", (), True),
    ("false", (), False),
    ("true", ("--no-strict",), False),
    ("false", ("--strict",), True),
])
def test_build_and_check_fail_on_the_same_warning_by_the_same_policy(tmp_path: Path, capsys, policy: str | None,
                                                                     override: tuple[str, ...], fails: bool) -> None:
    root = make_project(tmp_path, {"mkdocs.yml": with_policy(policy)})
    good = b""
    keeps = fails and policy is None  # once is enough: a good site first, which the failing build must leave
    if keeps:
        assert run_cli(root, "build") == 0
        good = (root / "site" / "index.html").read_bytes()
    (root / "content/topics/fixture-topic.md").write_text(UNCITED, encoding="utf-8")
    capsys.readouterr()
    code, lines = run(root, capsys, "check", "--today", "2020-06-01", *override)
    assert code == int(fails)
    assert any("warning: Academic section '## Evidence' cites no source" in l for l in lines), lines
    code, lines = run(root, capsys, "build", *override)
    assert code == int(fails)
    assert any("warning: Academic section '## Evidence' cites no source" in l for l in lines), lines
    if keeps:
        assert (root / "site" / "index.html").read_bytes() == good  # the last good site stays


def test_a_note_never_fails_and_the_clinical_review_policy_decides_its_level(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path / "a", {"mkdocs.yml": with_policy("true", "recommended")})
    assert run_cli(root, "build") == 0
    assert "note: no clinical review covers protocol:fixture-protocol" in capsys.readouterr().err
    root = make_project(tmp_path / "b", {"mkdocs.yml": with_policy("false", "required")})
    code, lines = run(root, capsys, "build")
    assert code == 1 and any("error: no clinical review covers protocol:fixture-protocol" in l for l in lines)


def test_build_judges_the_sources_alone_and_check_adds_the_clock(tmp_path: Path, capsys) -> None:
    """A review falls due with time: `check` (run on a schedule) fails, while the same sources
    still build the same site, whatever day it is."""
    root = make_project(tmp_path)
    code, lines = run(root, capsys, "check", "--today", "2099-01-01", "--sources-only")
    assert code == 1 and any("review overdue" in l for l in lines), lines
    assert run_cli(root, "build") == 0


def test_strict_must_be_true_or_false(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, {"mkdocs.yml": with_policy("sometimes")})
    assert run_cli(root, "build") == 1
    assert "mkdocs.yml:1: error: 'strict' must be true or false" in capsys.readouterr().err


def test_an_unknown_name_gets_the_nearest_known_one(tmp_path: Path, capsys) -> None:
    topic = TOPIC.replace("protocols: [fixture-protocol]", "protocols: [fixture-protocl]").replace(
        "[@smith2019].", "[@SMITH2019].", 1)
    proto = FILES["content/protocols/fixture-protocol.yml"].replace("sources: [jones2020]", "sources: [jones2002]")
    root = make_project(tmp_path, {"content/topics/fixture-topic.md": topic, "content/protocols/fixture-protocol.yml": proto})
    code, lines = run(root, capsys, "check", "--today", "2020-06-01", "--sources-only")
    assert code == 1
    for wrong, right in (("fixture-protocl", "fixture-protocol"), ("SMITH2019", "smith2019"), ("jones2002", "jones2020")):
        assert any(f"'{wrong}'" in l and f"did you mean '{right}'?" in l for l in lines), (wrong, lines)


@pytest.mark.parametrize("policy, fails", [(None, True), ("false", False)])
def test_plain_mkdocs_build_through_the_plugin_keeps_the_same_gate(tmp_path: Path, policy: str | None, fails: bool) -> None:
    import os
    import sys

    from conftest import run_process

    root = make_project(tmp_path, {"mkdocs.yml": with_policy(policy), "content/topics/fixture-topic.md": UNCITED})
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = run_process([str(mkdocs), "build", "-f", str(root / "mkdocs.yml")], cwd=root,
                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert "Academic section '## Evidence' cites no source" in result.stderr
    assert (result.returncode != 0) is fails, result.stderr
