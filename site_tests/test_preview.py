"""The incremental preview (`python -m generator serve`) is correct: after an edit to a topic,
a glossary term and the bibliography, the tree it keeps builds to the same pages as a clean
build of the edited sources. Not timed: bench/preview.py measures speed."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import ANOTHER_TOPIC, run_process
from miniproject import make_project

from generator.render.tree import render_tree
from generator.serve.preview import Preview

TOPIC = "content/topics/fixture-topic.md"


def mkdocs_build(tree: Path, dirty: bool) -> None:
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tree / "mkdocs.yml"), *(["--dirty"] if dirty else [])]
    result = run_process(cmd, cwd=tree)
    assert result.returncode == 0, result.stderr


# What the preview adds to every page: the script that shows source errors, and the stylesheet
# that shows them where no script runs.
PREVIEW_SCRIPT = re.compile(r'<script src="[^"]*preview-errors/preview-errors\.js"></script>\n?'
                            r'|<link rel="stylesheet" href="[^"]*preview-errors/errors\.css">\n?')


def _lines(html: str) -> list[str]:
    """The page's lines, without blank ones: the template's loop leaves a blank line per script."""
    return [line for line in html.split("\n") if line.strip()]


def same_pages(preview_site: Path, clean_site: Path) -> list[str]:
    """Pages (HTML) and terms' tooltip files that differ between two built sites; the search
    index and sitemap aside."""
    different = []
    for tip in sorted(clean_site.rglob("tip.json")):
        rel = tip.relative_to(clean_site)
        if not (preview_site / rel).exists() or (preview_site / rel).read_bytes() != tip.read_bytes():
            different.append(str(rel))
    for page in sorted(clean_site.rglob("*.html")):
        rel = page.relative_to(clean_site)
        other = preview_site / rel
        if not other.exists():
            different.append(str(rel))
            continue
        shown, script = PREVIEW_SCRIPT.subn("", other.read_text(encoding="utf-8"))
        if script != 2 or _lines(shown) != _lines(page.read_text(encoding="utf-8")):
            different.append(str(rel))
    return different


def edit(root: Path, rel: str, old: str, new: str) -> Path:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def check_against_a_clean_build(root: Path, preview: Preview, tmp_path: Path, name: str) -> None:
    mkdocs_build(preview.out, dirty=True)  # what `mkdocs serve --dirty` does after the save
    clean = render_tree(root, tmp_path / name, force=True) and tmp_path / name
    mkdocs_build(clean, dirty=False)
    assert same_pages(preview.out / "site", clean / "site") == []


def test_topic_term_and_bibliography_edits_give_a_clean_builds_pages(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    preview = Preview(root, tmp_path / "preview")
    preview.full()
    mkdocs_build(preview.out, dirty=False)

    # A topic body: the fast path, which rewrites only that topic's pages and what they feed.
    path = edit(root, TOPIC, "A hormone is a messenger.", "A hormone is a messenger, and medicine X is one too.")
    kind, written = preview.update([path])
    assert kind == "topic"
    assert "topics/fixture-topic/fundamentals/index.md" in written
    assert "topics/fixture-topic/intermediate/index.md" not in written  # untouched depth
    assert "glossary/medicine-x/index.md" in written  # its "used on" list gained Fundamentals
    check_against_a_clean_build(root, preview, tmp_path, "clean1")

    # A glossary definition: the term's page, the glossary and the term's tooltip file, and
    # nothing else: the pages using the term link to it and read the tooltip from that file.
    path = edit(root, "glossary/hormone.yml", "A chemical messenger carried in the blood.",
                "A messenger molecule that travels in the blood.")
    kind, changed = preview.update([path])
    assert kind == "term"
    assert sorted(changed) == ["glossary/hormone/index.md", "glossary/hormone/tip.json", "glossary/index.md"]
    check_against_a_clean_build(root, preview, tmp_path, "clean2")

    # A term's name reaches other pages' Markdown (lists, links): everything again.
    path = edit(root, "glossary/medicine-x.yml", "term: medicine X", "term: medicine Y")
    kind, _ = preview.update([path])
    assert kind == "full"
    check_against_a_clean_build(root, preview, tmp_path, "clean2b")

    # The bibliography: the reference lists are formatted by the extension too.
    path = edit(root, "content/references.bib", "title = {A trial of medicine X}", "title = {A new trial of medicine X}")
    kind, _ = preview.update([path])
    check_against_a_clean_build(root, preview, tmp_path, "clean3")


def test_a_front_matter_edit_takes_the_full_path(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    preview = Preview(root, tmp_path / "preview")
    preview.full()
    path = edit(root, TOPIC, "title: A fixture topic", "title: A renamed fixture topic")
    kind, written = preview.update([path])
    assert kind == "full" and "index.md" in written  # the home page lists the title


def test_a_topic_edit_scores_only_the_edited_topics_bodies(tmp_path: Path, monkeypatch) -> None:
    """Other topics keep the reading scores of the last render; the first edit after start used
    to score every body of the site again (2 s at 1,000 topics)."""
    from generator import pipeline

    root = make_project(tmp_path / "p", {"content/topics/another-topic.md": ANOTHER_TOPIC})
    preview = Preview(root, tmp_path / "preview")
    preview.full()
    scored: list[str] = []
    real = pipeline.score_markdown
    monkeypatch.setattr(pipeline, "score_markdown", lambda body: scored.append(body) or real(body))
    path = edit(root, TOPIC, "A hormone is a messenger.", "A hormone is a messenger, sent in the blood.")
    assert preview.update([path])[0] == "topic"
    assert len(scored) == 3 and any("sent in the blood" in b for b in scored)  # its three depths


def _descendants(pid: int) -> list[int]:
    """Every process below `pid`, from Linux's /proc children lists."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            children = [int(c) for c in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]
        except OSError:
            continue
        found += children
        todo += children
    return found


def _alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie waiting to be reaped does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def test_a_save_made_during_the_first_build_reaches_the_page(tmp_path: Path) -> None:
    """The preview's first build takes minutes on a large site; a save made meanwhile must be
    picked up afterwards, not taken as the starting state (a bug bench/preview.py once hit)."""
    import socket
    import subprocess
    import threading
    import urllib.error
    import urllib.request

    from conftest import _browser_env

    root = make_project(tmp_path / "p")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=root, env=_browser_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    edited, serving, lines = threading.Event(), threading.Event(), []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "Build started" in line and not edited.is_set():  # the engine's first build has begun
                edit(root, TOPIC, "A hormone is a messenger.", "A hormone is a messenger, saved mid-build.")
                edited.set()
            if "Serving on http" in line:
                serving.set()

    threading.Thread(target=read, daemon=True).start()
    page = f"http://127.0.0.1:{port}/topics/fixture-topic/fundamentals/"  # served from the root, as `mkdocs serve` does
    try:
        assert edited.wait(120) and serving.wait(120), "".join(lines)
        waited = threading.Event()
        for _ in range(300):  # up to a minute, in 0.2 s steps on the monotonic clock
            try:
                with urllib.request.urlopen(page, timeout=10) as response:
                    if "saved mid-build" in response.read().decode("utf-8"):
                        break
            except urllib.error.HTTPError as exc:  # the engine's server, between two builds of its site
                if exc.code != 404:
                    raise
            waited.wait(0.2)
        else:
            raise AssertionError("the save made during the first build never reached the page:\n" + "".join(lines))
    finally:
        engine = _descendants(proc.pid)  # the engine's server, and anything it started
        proc.terminate()
        # The preview gives its engine 30 s to stop before killing it: this guard (a timer, not
        # wait(timeout): libfaketime) only catches a hang, so load can never trip it.
        timer = threading.Timer(300, proc.kill)
        timer.start()
        proc.wait()
        timer.cancel()
    # The engine's server is a child of `generator serve`: stopped with SIGTERM, as a service
    # manager or a test stops it, the preview stops it too. The processes themselves are
    # checked, not the port, which another test may have taken since.
    assert engine, "".join(lines)
    assert proc.returncode == 0
    gone = threading.Event()
    for _ in range(150):  # up to 30 s in 0.2 s steps for the system to reap them
        if not any(_alive(pid) for pid in engine):
            break
        gone.wait(0.2)
    else:
        raise AssertionError(f"the engine's preview server outlived `generator serve`: {engine}")


def test_the_engines_output_is_relayed_without_mkdocs_dirty_build_warning(capfdbinary) -> None:  # type: ignore[no-untyped-def]
    """The preview rewrites the nav and touches every page on each full render, so MkDocs'
    per-save warning about --dirty builds is noise; every other line reaches the terminal."""
    import io

    from generator.serve.preview import _relay

    _relay(io.BytesIO(b"INFO -  Building documentation...\n"
                      b"WARNING -  A 'dirty' build is being performed, this will likely lead to inaccurate navigation\n"
                      b"WARNING -  a real warning\n"))
    out = capfdbinary.readouterr().out
    assert out == b"INFO -  Building documentation...\nWARNING -  a real warning\n"
