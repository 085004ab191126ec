"""The site folder: swapped in one atomic step, locked against concurrent builds, leftovers
cleaned, write failures as one line, and the same bytes from every build path."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, run_process
from miniproject import make_project

from generator.engines import swap
from generator.outdir import MARKER


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "old").write_text("old")
    (b / "new").write_text("new")
    if not swap.exchange(a, b):
        pytest.skip("this kernel or file system has no renameat2(RENAME_EXCHANGE)")
    assert (a / "new").exists() and (b / "old").exists()


def test_leftovers_of_killed_builds_are_removed_and_nothing_else(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    for leftover in ("site.old", ".site-abcd1234", ".build-site-x1", ".build-site-mine"):
        (root / leftover).mkdir()
        (root / leftover / "index.html").write_text("stale")
    (root / ".build-site-x1" / MARKER).write_text("")  # made by a build that was killed
    (root / ".site-config").mkdir()
    assert run_cli(root, "build") == 0
    names = sorted(p.name for p in root.iterdir())
    assert "site" in names and ".build-site-x1" not in names
    # The user's own folders (no marker inside), whatever their names, are never touched.
    assert {"site.old", ".site-abcd1234", ".build-site-mine", ".site-config"} <= set(names)
    assert (root / "site.old" / "index.html").read_text() == "stale"


def test_an_old_site_that_cannot_be_removed_does_not_break_later_builds(tmp_path: Path, monkeypatch) -> None:
    root = make_project(tmp_path)
    assert run_cli(root, "build") == 0

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as m:  # as when a read-only file sits in the old site
        m.setattr(swap.shutil, "rmtree", refuse)
        assert run_cli(root, "build") == 0
    assert (root / "site" / "index.html").is_file()
    assert any(p.name.startswith(".build-site-") for p in root.iterdir())  # left behind, quietly
    assert run_cli(root, "build") == 0
    assert not any(p.name.startswith(".build-site-") for p in root.iterdir())  # and cleaned next time


def test_a_write_failure_is_one_clear_line(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path)
    (tmp_path / "a-file").write_text("x")
    assert run_cli(root, "build", "--site-dir", str(tmp_path / "a-file" / "site")) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "error: cannot write the site" in err[0] and "Traceback" not in err[0]


def test_concurrent_builds_both_succeed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    cmd = [sys.executable, "-m", "generator", "--root", str(root), "build"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    # Timers, not communicate(timeout=...): subprocess's timed wait fails under libfaketime.
    timers = [threading.Timer(300, p.kill) for p in procs]
    for t in timers:
        t.start()
    results = [(p.returncode, err) for p in procs for _, err in [p.communicate()]]
    for t in timers:
        t.cancel()
    assert [code for code, _ in results] == [0, 0], results
    assert (root / "site" / "index.html").is_file()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith((".build-", "site."))) == []


def test_plain_mkdocs_build_dates_the_sitemap_from_the_sources(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = run_process([str(mkdocs), "build", "-q", "-f", str(root / "mkdocs.yml")], cwd=root, env=env)
    assert result.returncode == 0, result.stderr
    sitemap = (root / "site" / "sitemap.xml").read_text()
    assert "<lastmod>2020-01-02</lastmod>" in sitemap  # the fixture's review date, not the build day
    assert run_cli(root, "build", "--engine", "mkdocs") == 0
    assert (root / "site" / "sitemap.xml").read_text() == sitemap  # both MkDocs build paths agree


# -- one guard for every folder a command writes (issue "Hostile authors, round two") -----------

@pytest.mark.parametrize("args", [
    ("build", "--site-dir", "{root}/content"),
    ("build", "--site-dir", "{root}"),
    ("build", "--site-dir", "{root}/glossary/site"),
    ("build", "--site-dir", "{root}/docs", "--force"),
    ("build", "--site-dir", "{root}/..", "--force"),
    ("render", "--out", "{root}", "--force"),
    ("render", "--out", "{root}/content/topics", "--force"),
    ("serve", "--out", "{root}"),
    ("serve", "--out", "{root}/overrides"),
    ("build", "--site-dir", "{root}/.git/site"),
])
def test_no_command_writes_over_the_project_or_its_sources(tmp_path: Path, capsys, args) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path / "p")
    (root / ".git").mkdir()
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    argv = [a.format(root=root) for a in args]
    assert run_cli(root, *argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ": error: " in err[0] and "Traceback" not in err[0], err
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_a_folder_the_tool_did_not_make_is_not_replaced_without_force(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path / "p")
    mine = tmp_path / "photos"
    mine.mkdir()
    (mine / "holiday.jpg").write_bytes(b"jpeg")
    assert run_cli(root, "build", "--site-dir", str(mine)) == 1
    assert "was not written by this tool" in capsys.readouterr().err
    assert run_cli(root, "render", "--out", str(mine)) == 1
    assert (mine / "holiday.jpg").read_bytes() == b"jpeg"
    # An empty folder, a folder a build made, and --force are all fine.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli(root, "build", "--site-dir", str(empty)) == 0 and (empty / MARKER).is_file()
    assert run_cli(root, "build", "--site-dir", str(empty)) == 0
    assert run_cli(root, "build", "--site-dir", str(mine), "--force") == 0
    assert not (mine / "holiday.jpg").exists() and (mine / "index.html").is_file()


def test_a_site_built_before_the_marker_existed_is_still_replaced(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    assert run_cli(root, "build") == 0
    (root / "site" / MARKER).unlink()  # as an earlier version of the tool left it
    assert run_cli(root, "build") == 0 and (root / "site" / MARKER).is_file()
