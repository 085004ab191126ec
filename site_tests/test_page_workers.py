"""Markdown converted in worker processes builds the same site as one process (pageworkers.py).

Each build runs in its own Python process (a fork is refused while other threads run, and
pytest's process may have some). Fixture projects with enough topics that every process
owns pages, each with links MkDocs warns about while converting and when it checks anchors.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from miniproject import ROOT, TOPIC, make_project

TOPICS = 6
# A link to a missing page (warned while converting) and to a missing anchor (warned after).
BROKEN = "\nSee [the missing page](missing.md) and [a missing part](#nowhere-here).\n"


def _project(tmp_path: Path, processes: int, extra_plugin: str = "") -> Path:
    files: dict[str, str | bytes | None] = {}
    for i in range(TOPICS):
        body = TOPIC.replace("title: A fixture topic", f"title: Fixture topic {i}")
        files[f"content/topics/extra-{i}.md"] = body.replace("Read this slowly.\n", "Read this slowly.\n" + BROKEN)
    for i in range(TOPICS):  # pages titled by their first heading: the title comes from rendering
        files[f"docs/notes-{i}.md"] = f"# Notes heading {i}\n\nSome notes.\n"
    root = make_project(tmp_path, files, name=f"p{processes}")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  - tiered:\n", f"  - tiered:\n      processes: {processes}\n"),
                                     encoding="utf-8")
    return root


# Builds one project the way `python -m generator build` does, in a fresh process, with
# MkDocs' log on stderr; PROBE (optional) is code run first, which may define a plugin class `Probe` to add.
SCRIPT = textwrap.dedent("""\
    import logging, os, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.plugins import BasePlugin
    from generator.config import load_settings
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    root = Path(sys.argv[1])
    config, _ = load_settings(root, site_dir=str(root / "site"), strict=False)
    PROBE = os.environ.get("PROBE")
    if PROBE:
        namespace = {"BasePlugin": BasePlugin, "os": os}
        exec(PROBE, namespace)
        if "Probe" in namespace:
            config.plugins["probe"] = namespace["Probe"]()
    try:
        build(config)
    finally:
        try:
            os.waitpid(-1, os.WNOHANG)
            print("LEFTOVER CHILD", file=sys.stderr)
        except ChildProcessError:
            pass
    """)


def _build(root: Path, probe: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PROBE": probe}
    return subprocess.run([sys.executable, "-c", SCRIPT, str(root)], env=env, capture_output=True, text=True,
                          timeout=300)


def _digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]


def _same_as_serial(root: Path, serial: tuple[Path, list[str]], probe: str = "",
                    processes: int = 2) -> subprocess.CompletedProcess[str]:
    """Build `root` with workers (and `probe`): it succeeds, the workers ran, and every byte
    and every warning, in order, is what one process builds; no worker is left behind."""
    site, warnings = serial
    done = _build(root, probe)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"in {processes} processes" in done.stderr  # the workers did run
    assert _digest(root / "site") == _digest(site)
    assert _warnings(done.stderr) == warnings  # nothing lost, nothing doubled
    assert "LEFTOVER" not in done.stderr
    return done


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = _project(tmp_path_factory.mktemp("serial"), processes=1)
    done = _build(root)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "processes" not in done.stderr and "LEFTOVER" not in done.stderr
    return root / "site", _warnings(done.stderr)


@pytest.mark.parametrize("processes", [2, 3])
def test_workers_build_the_same_bytes_and_the_same_warnings(tmp_path: Path, serial: tuple[Path, list[str]],
                                                            processes: int) -> None:
    warnings = serial[1]
    root = _project(tmp_path, processes)
    _same_as_serial(root, serial, processes=processes)
    # Both kinds of warning, for every topic.
    assert sum("missing.md" in w for w in warnings) == TOPICS  # each topic's Fundamentals page
    assert sum("nowhere-here" in w for w in warnings) == TOPICS
    for i in range(TOPICS):
        assert f"<title>Notes heading {i} - " in (root / f"site/notes-{i}/index.html").read_text(encoding="utf-8")


def test_pages_of_a_worker_that_dies_are_converted_by_the_build(tmp_path: Path,
                                                                 serial: tuple[Path, list[str]]) -> None:
    root = _project(tmp_path, processes=2)
    # A worker is a fork of the build: it dies on its third page, mid-build.
    probe = textwrap.dedent("""\
        MAIN = os.getpid()
        class Probe(BasePlugin):
            seen = 0
            def on_pre_page(self, page, config, files):
                if os.getpid() != MAIN:
                    Probe.seen += 1
                    if Probe.seen == 3:
                        os._exit(9)
                return page
        """)
    _same_as_serial(root, serial, probe)


def test_batches_forked_after_the_build_read_their_pages_build_the_same_site(
        tmp_path: Path, serial: tuple[Path, list[str]]) -> None:
    """Workers convert in batches, each forked when the one before has ended. A build process
    that runs ahead has already read (and let go of) the first pages of a batch not forked yet.
    Workers slow to end (0.1 s of busy work before their pipe closes: simulated load, not a
    wait for anything) make that happen for every batch."""
    root = _project(tmp_path, processes=2)
    probe = textwrap.dedent("""\
        import time
        import generator.pageworkers as workers
        work = workers._work
        def slow_to_end(share, files, config, write_fd):
            keep = os.dup(write_fd)  # the pipe ends 0.1 s after the worker's last page
            real_exit = os._exit
            def late_exit(status):
                busy_until = time.monotonic() + 0.1  # busy: sleep() fails in a fork under faketime
                while time.monotonic() < busy_until:
                    pass
                os.close(keep)
                real_exit(status)
            os._exit = late_exit
            work(share, files, config, write_fd)
        workers._work = slow_to_end
        """)
    _same_as_serial(root, serial, probe)


def test_a_worker_that_raises_ends_there_and_the_build_converts_its_pages(
        tmp_path: Path, serial: tuple[Path, list[str]]) -> None:
    """A worker is a copy of the build mid-build: if anything raised out of it (a plugin, a
    patched os module), it must still end, or it would run the rest of the build a second time."""
    root = _project(tmp_path, processes=2)
    probe = textwrap.dedent("""\
        import generator.pageworkers as workers
        def broken(*args):
            raise RuntimeError("worker broke")
        workers._work = broken
        """)
    done = _same_as_serial(root, serial, probe)
    assert done.stderr.count("Documentation built") == 1 and "worker broke" not in done.stderr


def test_when_the_system_refuses_a_fork_the_build_converts_those_pages_itself(
        tmp_path: Path, serial: tuple[Path, list[str]]) -> None:
    """A process limit (a CI container's, say) refuses a fork mid-build: not an error."""
    root = _project(tmp_path, processes=2)
    probe = textwrap.dedent("""\
        import errno
        real_fork, forks = os.fork, []
        def limited_fork():
            forks.append(1)
            if len(forks) > 2:
                raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
            return real_fork()
        os.fork = limited_fork
        """)
    _same_as_serial(root, serial, probe)


def test_a_failed_build_leaves_no_worker_behind(tmp_path: Path) -> None:
    root = _project(tmp_path, processes=2)
    probe = textwrap.dedent("""\
        class Probe(BasePlugin):
            def on_page_content(self, html, page, config, files):
                if page.file.src_uri.startswith("topics/extra-3/"):
                    raise RuntimeError("probe failure")
                return html
        """)
    done = _build(root, probe)
    assert done.returncode != 0 and "probe failure" in done.stderr
    assert "in 2 processes" in done.stderr
    assert "LEFTOVER" not in done.stderr
