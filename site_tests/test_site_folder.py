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
from generator import swap
from miniproject import make_project


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "old").write_text("old")
    (b / "new").write_text("new")
    if not swap.exchange(a, b):
        pytest.skip("this kernel or file system has no renameat2(RENAME_EXCHANGE)")
    assert (a / "new").exists() and (b / "old").exists()


def test_leftovers_of_killed_builds_are_removed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    for leftover in ("site.old", ".site-abcd1234", ".build-site-x1"):
        (root / leftover).mkdir()
        (root / leftover / "index.html").write_text("stale")
    (root / ".site-config").mkdir()  # not ours: never touched
    assert run_cli(root, "build") == 0
    names = sorted(p.name for p in root.iterdir())
    assert "site" in names and ".site-config" in names
    assert not {"site.old", ".site-abcd1234", ".build-site-x1"} & set(names)


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
    assert run_cli(root, "build") == 0
    assert (root / "site" / "sitemap.xml").read_text() == sitemap  # both build paths agree
