"""During a preview, a broken source shows up in the page the author is looking at, with its
path, line and offending text, and goes away when the source is fixed (Chromium with live
reload; nothing is reloaded by the test). Both previews: `mkdocs serve` with the plugin, and
`python -m generator serve` (the incremental tree)."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import _browser_env
from miniproject import make_project

from generator.serve.preview import until_serving

pytestmark = pytest.mark.browser
PAGE = "topics/fixture-topic/fundamentals/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(params=["mkdocs serve", "generator serve"])
def serve(tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Start a preview on a fixture project (after `prepare` has edited it)."""
    procs: list[subprocess.Popen[str]] = []

    def start(prepare=lambda root: None):  # type: ignore[no-untyped-def]
        root = make_project(tmp_path)
        prepare(root)
        port = _free_port()
        if request.param == "mkdocs serve":
            command = [str(Path(sys.executable).parent / "mkdocs"), "serve", "-f", str(root / "mkdocs.yml")]
        else:
            command = [sys.executable, "-m", "generator", "--root", str(root), "serve"]
        proc = subprocess.Popen([*command, "-a", f"127.0.0.1:{port}"],
                                cwd=root, env=_browser_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        procs.append(proc)
        ready, log = until_serving(proc)  # MkDocs says when it serves; the log explains a failure
        assert ready.wait(120), "".join(log)
        # `mkdocs serve` mounts the site at site_url's path; our preview serves it from the root.
        return root, f"http://127.0.0.1:{port}/{'fixture/' if request.param == 'mkdocs serve' else ''}", log

    yield start
    for proc in procs:
        proc.terminate()
        # A timer, not wait(timeout): subprocess polls with sleep, which fails under libfaketime.
        # Only a guard against a hang: the preview gives its engine 30 s to stop, and a kill
        # before that would leave the engine's server running.
        timer = threading.Timer(300, proc.kill)
        timer.start()
        proc.wait()
        timer.cancel()


def test_a_broken_glossary_file_is_shown_in_the_page_until_it_is_fixed(page, serve) -> None:  # type: ignore[no-untyped-def]
    root, base, log = serve()
    page.goto(base + PAGE)
    assert page.locator(".preview-errors").count() == 0
    title = page.locator("article h1").inner_text()
    term = root / "glossary/hormone.yml"
    good = term.read_text(encoding="utf-8")
    broken = good.replace("level: fundamentals", "level: expertise")
    line = broken.splitlines().index("level: expertise") + 1
    term.write_text(broken, encoding="utf-8")
    alert = page.locator(".preview-errors")
    alert.wait_for(state="visible", timeout=60_000)  # live reload brings it; the test never reloads
    text = alert.inner_text()
    assert f"glossary/hormone.yml:{line}: error:" in text, (text, "".join(log[-20:]))
    assert f"{line} | level: expertise" in text  # the offending line itself
    assert page.get_by_role("alert").is_visible()
    assert page.locator("article h1").inner_text() == title  # the last good page, under the errors
    term.write_text(good, encoding="utf-8")
    alert.wait_for(state="detached", timeout=60_000)
    assert page.locator("article h1").inner_text() == title


def test_sources_broken_from_the_start_give_an_error_page_then_the_site(page, serve) -> None:  # type: ignore[no-untyped-def]
    topic_path = "content/topics/fixture-topic.md"

    def break_topic(root: Path) -> None:
        path = root / topic_path
        path.write_text(path.read_text(encoding="utf-8").replace("# Academic\n", "# Academix\n"), encoding="utf-8")

    root, base, _ = serve(break_topic)
    page.goto(base)
    alert = page.locator(".preview-errors")
    alert.wait_for(state="visible")
    assert f"{topic_path}:" in alert.inner_text() and "Academix" in alert.inner_text()
    path = root / topic_path
    path.write_text(path.read_text(encoding="utf-8").replace("# Academix\n", "# Academic\n"), encoding="utf-8")
    alert.wait_for(state="detached", timeout=60_000)
    page.goto(base + PAGE)
    assert page.locator("article h1").inner_text().startswith("A fixture topic")


@pytest.fixture
def our_serve(serve, request):  # type: ignore[no-untyped-def]
    if request.node.callspec.params["serve"] != "generator serve":
        pytest.skip("errors.css and the strict gate's warnings are `python -m generator serve`'s")
    return serve


def test_two_independent_errors_at_once_and_no_cascade_with_or_without_script(page, browser, our_serve) -> None:  # type: ignore[no-untyped-def]
    """A broken medicine file (which a protocol uses) and an unknown citation in a topic: the
    box lists exactly those two; the protocol's reference to the medicine is no third error.
    A browser that runs no script sees the same two lines before the article."""
    root, base, log = our_serve()
    page.goto(base + PAGE)
    (root / "glossary/medicine-x.yml").write_text("term: medicine X\nshort: [oops\n", encoding="utf-8")
    topic = root / "content/topics/fixture-topic.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("[@smith2019].", "[@smith2091].", 1), encoding="utf-8")
    alert = page.locator(".preview-errors")
    alert.wait_for(state="visible", timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.preview-errors li').length >= 2", timeout=60_000)
    items = alert.locator("li > code").all_inner_texts()
    assert len(items) == 2, (items, "".join(log[-20:]))
    assert items[0].startswith("content/topics/fixture-topic.md:") and "unknown citation key 'smith2091'" in items[0]
    assert items[1].startswith("glossary/medicine-x.yml:2: error: invalid YAML")
    assert "2 errors" in alert.inner_text()
    context = browser.new_context(java_script_enabled=False)
    try:
        bare = context.new_page()
        bare.goto(base + PAGE)
        assert bare.locator(".preview-errors").count() == 0  # no script ran
        shown = bare.evaluate("getComputedStyle(document.querySelector('article'), '::before').content")
        assert "2 errors" in shown and "unknown citation key 'smith2091'" in shown and "glossary/medicine-x.yml:2" in shown
        box = bare.evaluate("getComputedStyle(document.querySelector('article'), '::before').display")
        assert box == "block"
    finally:
        context.close()
    # With the script, the richer box replaces the stylesheet's text.
    assert page.evaluate("getComputedStyle(document.querySelector('article'), '::before').content") in ("none", '""', "normal")


def test_the_preview_fails_a_warning_as_the_strict_build_does(page, our_serve) -> None:  # type: ignore[no-untyped-def]
    root, base, log = our_serve()
    page.goto(base + PAGE)
    assert page.locator(".preview-errors").count() == 0
    topic = root / "content/topics/fixture-topic.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("## Evidence\n", "## Evidence\n\nNo citation.\n\n## Evidence\n", 1),
                     encoding="utf-8")
    alert = page.locator(".preview-errors")
    alert.wait_for(state="visible", timeout=60_000)
    text = alert.inner_text()
    assert "1 warning" in text and "strict" in text and "Academic section '## Evidence' cites no source" in text, text
