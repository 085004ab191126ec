"""Shared fixtures: built fixture projects for tests of the tool, and one build of the real site
per session for the content-quality tests (test_content*.py)."""
from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]

# The suite is also run under Debian's `faketime` to show that no test depends on today's date.
# libfaketime fakes CLOCK_MONOTONIC too unless told not to, and then every timed wait in Python
# (Event.wait, a Timer, join with a timeout) never returns. Only the calendar date matters to
# that run, so the suite starts itself again with the monotonic clock left real.
def pytest_configure(config: pytest.Config) -> None:
    if "faketime" in os.environ.get("LD_PRELOAD", "") and os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") != "1":
        os.environ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
        capture = config.pluginmanager.getplugin("capturemanager")
        if capture is not None:  # give the terminal back first: the new run writes to it
            capture.stop_global_capturing()
        sys.stdout.flush()
        os.execv(sys.executable, sys.orig_argv)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Content-quality tests of the real site live in test_content*.py and carry the `content`
    marker, so `pytest -m "not content"` tests the tool alone and `-m content` the site alone."""
    for item in items:
        if item.path.name.startswith("test_content"):
            item.add_marker(pytest.mark.content)


# Stored reading scores (readability.user_cache) go to a folder of this run, for every build
# the tests start, in this process or a child: no test reads what an earlier run left.
os.environ["TIERED_DOCS_CACHE"] = tempfile.mkdtemp(prefix="tiered-docs-cache-")
PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides", "content", "glossary")


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small fixture project (site_tests/miniproject.py, never the real content) that a test may break."""
    from miniproject import make_project

    return make_project(tmp_path)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Path]) -> Path:
    """A session fixture's site, built once for the whole run. Under pytest-xdist every worker
    has a session of its own, so the first to ask builds it (in the run's shared temporary
    folder, under a file lock) and the others wait for it and read the same site. Tests only
    read these sites; a test that changes one builds its own project."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build(tmp_path_factory.mktemp(name))
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent / "shared-sites"  # this run's, common to its workers
    shared.mkdir(exist_ok=True)
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / f"{name}.done"
        if done.is_file():
            return Path(done.read_text(encoding="utf-8"))
        site = build(shared / name)
        done.write_text(str(site), encoding="utf-8")
        return site


def _build_real(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    return built_once(tmp_path_factory, f"real-{engine}", lambda folder: _build_real_in(folder, engine))


def _build_real_in(folder: Path, engine: str) -> Path:
    root = copy_project(folder / "project")
    # Built as CI publishes it, with an address (SITE_URL): the 404 page needs one to link under a
    # sub-path. A reserved .invalid name, so no test result can be mistaken for a real address.
    old = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = "https://hormones.invalid" + BASE_PATH
    try:
        assert main(["--root", str(root), "build", "--engine", engine]) == 0
    finally:
        if old is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = old
    return root / "site"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with `python -m generator build` (the default engine, Zensical)."""
    return _build_real(tmp_path_factory, "zensical")


@pytest.fixture(scope="session")
def built_site_mkdocs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built with Material for MkDocs: the same reader features on the second engine."""
    return _build_real(tmp_path_factory, "mkdocs")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture project (site_tests/miniproject.py), built once: what tests of the tool read."""
    from miniproject import make_project

    def build(folder: Path) -> Path:
        root = make_project(folder)
        assert main(["--root", str(root), "build"]) == 0
        return root / "site"
    return built_once(tmp_path_factory, "fixture-site", build)


@pytest.fixture(scope="session")
def fixture_site_mkdocs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture project built with Material for MkDocs."""
    from miniproject import make_project

    def build(folder: Path) -> Path:
        root = make_project(folder)
        assert main(["--root", str(root), "build", "--engine", "mkdocs"]) == 0
        return root / "site"
    return built_once(tmp_path_factory, "fixture-site-mkdocs", build)


def run_process(cmd: list[str], timeout: float = 600, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """subprocess.run with output captured and a kill after `timeout` seconds. The timer waits on a
    lock, not on time.sleep, so it also works under libfaketime (whose sleep can fail in
    subprocess's polling loop)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        out, err = proc.communicate()
    finally:
        timer.cancel()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def run_cli(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def check_rules(root: Path, *checks: Any, today: str = "2020-06-01") -> tuple[int, str]:
    """Run the given source checks (functions of generator/checks) on the loaded project, with no
    build: rule tests need the loaded site only. Returns (1 if any error else 0, the printed lines);
    an error while loading or rendering is printed as `check` prints it."""
    from datetime import date

    from generator.checks.context import CheckContext, CheckOptions
    from generator.config import load_project
    from generator.errors import Reporter, SourceError
    from generator.pipeline import prepare

    project = load_project(root)
    try:
        prepared = prepare(project)
    except SourceError as exc:
        return 1, "\n".join(str(d) for d in exc.diagnostics) + "\n"
    rep = Reporter(root)
    ctx = CheckContext(root, prepared, project.settings, project, date.fromisoformat(today), CheckOptions())
    for check in checks:
        check(ctx, rep)
    found = sorted(set(rep.diagnostics))
    return int(any(d.level == "error" for d in found)), "".join(f"{d}\n" for d in found)


def visible_text(node) -> str:  # type: ignore[no-untyped-def]
    """Reader-visible text of a selectolax node."""
    from selectolax.lexbor import LexborHTMLParser

    copy = LexborHTMLParser(node.html)
    return copy.body.text() if copy.body else ""


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that leaves a page drops its open connections: not an error of the test."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def local_server(handler: Any) -> tuple[http.server.ThreadingHTTPServer, str]:
    """An HTTP server on 127.0.0.1 (a free port) serving in a thread of its own: (server, base URL).
    The one way every test starts a server; the caller shuts it down."""
    server = _Server(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _serve(site: Path, base: str):  # type: ignore[no-untyped-def]
    import functools

    server, address = local_server(functools.partial(_QuietHandler, directory=str(site), base=base))
    yield address + base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def served_site(built_site: Path):  # type: ignore[no-untyped-def]
    """The real built site over HTTP on 127.0.0.1 (a random free port): for content-quality tests."""
    yield from _serve(built_site, BASE_PATH)


@pytest.fixture(scope="session")
def served_site_mkdocs(built_site_mkdocs: Path):  # type: ignore[no-untyped-def]
    yield from _serve(built_site_mkdocs, BASE_PATH)


ANOTHER_TOPIC = """\
---
title: Another fixture topic
summary: A second topic, so a reader can move between topics.
tags: [Messengers]
urgent: [you faint.]
see_clinician: [you feel unwell for a week.]
---
# Fundamentals

Your body makes a hormone every day. It is a messenger in the blood. It can change your sex drive.

# Intermediate

The hormone level is measured in the morning [@jones2020].

# Academic

## Evidence

A review covers the hormone [@jones2020].
"""


# A term whose short definition starts with the alias the page uses: printed, the line names
# the entry and the word once each.
LIBIDO = """\
term: libido
aliases: [sex drive]
short: 'Sex drive: how much interest a person has in sex.'
level: fundamentals
"""

ENGINES = ("zensical", "mkdocs")


@pytest.fixture(scope="session", params=ENGINES)
def served_fixture(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A small fixture project with two topics, built and served on 127.0.0.1 under /fixture/:
    what browser tests of the tool read. Once per engine: every reader feature is tested on
    the site each engine builds from the same tree."""
    from miniproject import make_project

    def build(folder: Path) -> Path:
        root = make_project(folder, {"content/topics/another-topic.md": ANOTHER_TOPIC, "glossary/libido.yml": LIBIDO})
        assert main(["--root", str(root), "build", "--engine", request.param]) == 0
        return root / "site"
    yield from _serve(built_once(tmp_path_factory, f"served-{request.param}", build), "/fixture/")


BASE_PATH = "/hormone-therapy/"  # the path of site_url in mkdocs.yml, as on the real host


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under its base path, as a static host would, so root-relative URLs work."""

    def __init__(self, *args: Any, base: str = BASE_PATH, **kwargs: Any) -> None:
        self.base = base
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if path.startswith(self.base):
            path = "/" + path[len(self.base):]
        return super().translate_path(path)

    def log_message(self, *args: object) -> None:
        pass


def _browser_env() -> dict[str, str]:
    """The environment for Chromium, without libfaketime's preload.

    The suite is also run under `faketime` to show that no test depends on today's
    date; that concerns the generator (Python). The site's scripts read no clock, and
    Chromium under libfaketime runs about a hundred times slower, so it gets the real one."""
    import os

    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium, headless, driven by Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium package")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=_browser_env())
        yield b
        b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(pg) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every axe-core violation of the WCAG 2.2 A and AA rules (target size included) on the
    current page, whatever its impact."""
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `make test`, which runs `npm ci`")
    pg.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    result = pg.evaluate("async options => await axe.run(document, options)", options)
    return list(result["violations"])
