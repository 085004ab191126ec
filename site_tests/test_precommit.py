"""The repository's pre-commit hook runs `python -m generator check` on a commit that touches
a source, through the real pre-commit framework, in a throwaway git repository."""
from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import run_process
from miniproject import ROOT, make_project


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_project(tmp_path)
    # The hook runs `check` as an author would, against today's date: the fixture's review
    # record and approval check are dated today, whatever today is, so the result does not
    # depend on the date.
    for rel, fixture_date in (("content/reviews.yml", "2020-01-02"), ("glossary/medicine-x.yml", "2020-03-01")):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace(fixture_date, date.today().isoformat()), encoding="utf-8")
    shutil.copy(ROOT / ".pre-commit-config.yaml", root / ".pre-commit-config.yaml")
    (root / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)  # the hook's `.venv/bin/python`
    (root / ".gitignore").write_text(".venv\nsite/\n", encoding="utf-8")
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"]):
        assert run_process(cmd, cwd=root).returncode == 0
    return root


def pre_commit(root: Path, *args: str):  # type: ignore[no-untyped-def]
    env = {**os.environ, "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return run_process([str(Path(sys.executable).parent / "pre-commit"), *args], cwd=root, env=env, timeout=300)


def test_the_hook_passes_good_sources_and_stops_a_broken_one(repo: Path) -> None:
    good = pre_commit(repo, "run", "--files", "glossary/hormone.yml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "check the site sources" in good.stdout and "Passed" in good.stdout
    term = repo / "glossary/hormone.yml"
    term.write_text(term.read_text(encoding="utf-8").replace("level: fundamentals", "level: expertise"), encoding="utf-8")
    bad = pre_commit(repo, "run", "--files", "glossary/hormone.yml")
    assert bad.returncode == 1
    assert "Failed" in bad.stdout and "glossary/hormone.yml:" in bad.stdout and "error:" in bad.stdout


def test_a_commit_that_touches_no_source_skips_the_check(repo: Path) -> None:
    (repo / "NOTES.txt").write_text("not a source\n", encoding="utf-8")
    result = pre_commit(repo, "run", "--files", "NOTES.txt")
    assert result.returncode == 0 and "Skipped" in result.stdout, result.stdout
