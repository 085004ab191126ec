"""`python -m generator serve`: a preview that stays fast on a large site.

The rendered tree (tree.py) is kept on disk in step with the sources, and the engine's own
preview server serves it (`zensical serve`, or `mkdocs serve --dirty` with `--engine mkdocs`),
in a process of its own: it watches the tree, rebuilds only the pages whose files changed and
reloads the browser. Only files whose text changed are rewritten, so after a save:
- an edit to topic bodies (front matter unchanged) reloads those topics alone and renders only
  the pages their bodies feed (`pipeline.prepare_edit`): the topic's pages, the depth indexes,
  term pages whose "used on" list changed, the references page if citations moved;
- an edit to a glossary entry's wording (short, definition; names, level and links unchanged)
  re-renders that term's page, the glossary index and the term's tooltip file: the pages
  that use the term link to it and read its tooltip from that file, so they do not change;
- anything else (a protocol, the bibliography, reviews, the config, a term's name, a new or
  renamed topic) renders everything again. Which words are annotated and the reference text
  live in the HTML the extensions make, not in the Markdown, so the tree's config then carries
  a new digest of the extensions' data (DATA_KEY): an engine rebuilds every page when its
  config changes. MkDocs' dirty build goes by modification times, so every page is touched too.

A save that breaks a source leaves the pages as they were and writes the errors to one static
file, `preview-errors/errors.html`; a small script on every page shows it at the top (the same
box as `mkdocs serve` shows, previewerrors.py). So an error costs one file copy, not a rebuild
of every page, and the next good save empties the file.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from generator import engines
from generator.config import (
    Project,
    dump_config,
    load_project,
    read_config,
    with_engine,
)
from generator.errors import Diagnostic, SourceError
from generator.markdown.glossary import INDEX_FILE, index_json
from generator.model.sitedate import source_date_epoch
from generator.outdir import SOURCES, mark
from generator.pipeline import Prepared, prepare, prepare_edit, prepare_term_edit
from generator.render.syllables import syllables
from generator.render.tree import CONFIG, tree_config
from generator.serve.previewerrors import error_block, error_css, headline

WATCHED = SOURCES
ERRORS = "preview-errors"  # folder in the tree: the script and the current errors
SCRIPT = Path(__file__).parent / "assets" / "preview-errors.js"
DATA_KEY = "tiered_data"  # in the tree config's `extra`: a digest of what the extensions read


def snapshot(root: Path) -> dict[Path, tuple[int, int]]:
    """(mtime, size) of every file the site is built from."""
    out: dict[Path, tuple[int, int]] = {}
    for name in WATCHED:
        top = root / name
        if top.is_file():
            st = top.stat()
            out[top] = (st.st_mtime_ns, st.st_size)
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for f in files:
                path = Path(folder) / f
                try:
                    st = path.stat()
                except OSError:
                    continue
                out[path] = (st.st_mtime_ns, st.st_size)
    return out


def _write_if_changed(path: Path, text: str) -> bool:
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


class Preview:
    """The rendered tree in `out`, kept in step with the sources in `root`."""

    def __init__(self, root: Path, out: Path, allow_hooks: bool = False, engine: str | None = None,
                 serve_url: str | None = None):
        self.root, self.out = root.resolve(), out.resolve()
        self.allow_hooks, self.engine = allow_hooks, engine
        # The preview server's own address, as `mkdocs serve` uses it: pages are served from its root.
        self.serve_url = serve_url
        self.docs = self.out / "docs"
        self.prepared: Prepared | None = None
        self.project: Project | None = None
        self.written: dict[str, str] = {}  # src -> the text last written to the tree

    def full(self) -> list[str]:
        """Render everything; write what changed; touch every page (see the module docstring)."""
        project = with_engine(load_project(self.root, self.allow_hooks), self.engine)
        if self.serve_url is not None:
            project = dataclasses.replace(project, site_url=self.serve_url)
        self.project = project
        self.settings = project.settings
        self.prepared = prepare(project)
        written = self._sync(all_pages=True)
        # Names and levels only: the fast paths never change them, so only a full render writes it.
        glossary = index_json(self.prepared.site.terms)
        _write_if_changed(self.out / INDEX_FILE, glossary)
        config = tree_config(project, self.prepared, self.out)
        digest = hashlib.sha256(glossary.encode("utf-8"))
        for path in project.bibliography:
            digest.update(path.read_bytes() if path.is_file() else b"")
        config["extra"] = {**config["extra"], DATA_KEY: digest.hexdigest()[:16]}
        self._write_config(config)
        return written

    @property
    def site_url(self) -> str:
        return self.project.site_url if self.project else ""

    def _write_config(self, config: dict[str, object]) -> None:
        scripts, styles = config.get("extra_javascript"), config.get("extra_css")
        config["extra_javascript"] = [*(scripts if isinstance(scripts, list) else []), f"{ERRORS}/preview-errors.js"]
        config["extra_css"] = [*(styles if isinstance(styles, list) else []), f"{ERRORS}/errors.css"]
        _write_if_changed(self.out / CONFIG, dump_config(config))
        mark(self.out)

    def problems(self) -> list[Diagnostic]:
        """What `build` would say of the sources now: the same checks, by the same rule (the
        site's `strict:`), so the preview never passes what the gate fails."""
        if self.prepared is None or self.project is None:
            return []
        from generator import checks  # (the checks import the engines, which the preview starts)

        _, rep = checks.source_checks(self.project, self.prepared, None, checks.CheckOptions(network=False))
        return sorted(set(rep.diagnostics))

    def show_errors(self, diagnostics: list[Diagnostic]) -> None:
        """Show what fails the gate in `diagnostics` on every page: errors, and warnings too when
        the site is strict (none: the sources are fine). In errors.html for the script's box and
        in errors.css for a browser that runs no script. With no tree yet (the sources were
        broken from the start), a one-page site that shows only them."""
        strict = self.project.strict if self.project is not None else True
        if diagnostics and not (self.out / CONFIG).is_file():
            try:
                    site_url = read_config(self.root / CONFIG).get("site_url")
            except SourceError:
                site_url = None
            site_url = self.serve_url if self.serve_url is not None else site_url
            self._write_config({"site_name": "Preview", **({"site_url": site_url} if isinstance(site_url, str) else {}),
                                "docs_dir": "docs", "site_dir": str((self.out / "site").resolve()),
                                "theme": {"name": "material"}})
            _write_if_changed(self.docs / "index.md", "# The sources have errors\n")
        block = error_block(self.root, diagnostics, strict) if headline(diagnostics, strict)[0] else ""
        _write_if_changed(self.docs / ERRORS / "errors.html", block)
        _write_if_changed(self.docs / ERRORS / "errors.css", error_css(diagnostics, strict))
        # Zensical's live reload reloads a page when a script changes (not a static file such as
        # errors.html), so the script names the errors it goes with.
        digest = hashlib.sha256(block.encode("utf-8")).hexdigest()[:16]
        _write_if_changed(self.docs / ERRORS / "preview-errors.js",
                          SCRIPT.read_text(encoding="utf-8") + f"// errors: {digest}\n")

    def update(self, changed: list[Path]) -> tuple[str, list[str]]:
        """Bring the tree up to date after `changed` files were saved:
        ("topic" | "term" | "full", pages written or touched)."""
        if self.prepared is not None:
            fast = prepare_edit(self.prepared, self.root, self.settings, changed, site_url=self.site_url)
            if fast is not None:
                self.prepared = fast
                return "topic", self._sync(all_pages=False)
            term = prepare_term_edit(self.prepared, self.root, self.settings, changed, site_url=self.site_url)
            if term is not None:
                self.prepared = term
                return "term", self._sync(all_pages=False)
        return "full", self.full()

    def _sync(self, all_pages: bool) -> list[str]:
        assert self.prepared is not None
        rendered = self.prepared.rendered
        wanted = {**rendered.pages, **rendered.static}
        if not all_pages:
            # A topic-body edit: the same pages as before, so nothing to delete or copy; compare
            # with what was written last, in memory (unchanged pages are the very same strings).
            written = [src for src, text in sorted(wanted.items())
                       if self.written.get(src) is not text and self.written.get(src) != text]
            for src in written:
                _write_if_changed(self.docs / src, wanted[src])
            self.written = wanted
            return written
        written = [src for src, text in sorted(wanted.items()) if _write_if_changed(self.docs / src, text)]
        self.written = dict(wanted)
        wanted.setdefault(f"{ERRORS}/preview-errors.js", "")
        wanted.setdefault(f"{ERRORS}/errors.html", "")
        wanted.setdefault(f"{ERRORS}/errors.css", "")
        for path in sorted((self.root / "docs").rglob("*")):  # the project's own assets
            if path.is_file():
                rel = path.relative_to(self.root / "docs").as_posix()
                wanted.setdefault(rel, "")
                target = self.docs / rel
                if not target.exists() or target.read_bytes() != path.read_bytes():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
                    written.append(rel)
        if self.docs.exists():  # pages that no longer exist
            for path in sorted(self.docs.rglob("*"), reverse=True):
                rel = path.relative_to(self.docs).as_posix()
                if path.is_file() and rel not in wanted:
                    path.unlink()
                elif path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
        self._touch(rendered.pages)  # HTML from the extensions may differ even where the Markdown did not
        return written

    def _touch(self, pages: Iterable[str]) -> None:
        """Mark pages as newer than their output, so MkDocs' dirty build rebuilds them."""
        now = time.time_ns()
        for src in pages:
            os.utime(self.docs / src, ns=(now, now))


def _engine_server(preview: Preview, dev_addr: str) -> subprocess.Popen[bytes]:
    """The engine's own preview server on the tree, in its own process; its output goes to ours."""
    engine = preview.project.settings.engine if preview.project else (preview.engine or "zensical")
    args = [*engines.command(engine, "serve", preview.out / CONFIG), "-a", dev_addr]
    if engine == "mkdocs":
        args.append("--dirty")  # rebuild only the pages whose files are newer than their output
    epoch = source_date_epoch(preview.prepared.site) if preview.prepared else None
    proc = subprocess.Popen(args, cwd=preview.out, env=engines.engine_env(epoch), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    threading.Thread(target=_relay, args=(proc.stdout,), daemon=True).start()
    return proc


# MkDocs warns on every `--dirty` rebuild that navigation may be stale. Not here: the preview
# rewrites the nav and touches every page on each full render (Preview._touch), so the warning
# would only train authors to ignore the warnings that matter.
DIRTY_WARNING = b"A 'dirty' build is being performed"


def _relay(stream: IO[bytes] | None) -> None:
    """Copy the engine server's output to ours, line by line, without MkDocs' dirty-build warning."""
    if stream is None:
        return
    out = sys.stdout.buffer
    for line in iter(stream.readline, b""):
        if DIRTY_WARNING not in line:
            out.write(line)
            out.flush()


def _until_answering(server: subprocess.Popen[bytes], url: str) -> bool:
    """Wait until the engine's server answers (it says "Serving" before its first build ends);
    False if it stopped first. Edits saved meanwhile are picked up afterwards, by snapshot."""
    import urllib.request

    while server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return True
        except (OSError, ValueError):  # not listening yet, or a 404 while the first build runs
            time.sleep(0.1)
    return False


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(root: Path, out: Path, dev_addr: str, poll: float = 0.1, allow_hooks: bool = False,
          engine: str | None = None) -> int:
    """Render, start the engine's preview server on the tree, and re-render on every save."""
    preview = Preview(root, out, allow_hooks, engine, serve_url=f"http://{dev_addr}/")
    # Before the first render: a save made while it runs (a minute on a large site) is then
    # seen by the loop below, not taken as the starting state.
    seen = snapshot(preview.root)
    try:
        preview.full()
        preview.show_errors(preview.problems())
    except SourceError as exc:
        print(f"invalid sources (shown in the page until fixed):\n{exc}", file=sys.stderr)
        preview.show_errors(exc.diagnostics)
    # The pronouncing dictionary loads on the first body scored: now, not on the author's first save.
    syllables("hormone")
    sys.stdout.flush()
    # Stopped as a service is stopped (SIGTERM, or its terminal closing): the engine's server is
    # our child and must stop with us, so these end the loop below as Ctrl-C does, through the
    # `finally` that stops it. Python's default for them would leave it serving, orphaned.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    server = _engine_server(preview, dev_addr)
    if _until_answering(server, f"http://{dev_addr}/"):
        print(f"Serving on http://{dev_addr}/", flush=True)
    pending: set[Path] = set()  # saved since the last good render: a fix must re-read them all
    try:
        while server.poll() is None:
            time.sleep(poll)
            now = snapshot(preview.root)
            changed = {p for p in now.keys() | seen.keys() if now.get(p) != seen.get(p)}
            seen = now
            if not changed:
                continue
            pending |= changed
            started = time.perf_counter()
            try:
                kind, written = preview.update(sorted(pending))
            except SourceError as exc:
                print(f"invalid sources (the preview keeps the last good pages and shows the errors):\n{exc}",
                      file=sys.stderr)
                preview.show_errors(exc.diagnostics)
                continue
            pending.clear()
            preview.show_errors(preview.problems())
            print(f"preview: {kind} render, {len(written)} files written in "
                  f"{time.perf_counter() - started:.2f} s", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)  # as Ctrl-C in a terminal: the engine stops cleanly
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    return 0


def until_serving(proc: subprocess.Popen[str]) -> tuple[threading.Event, list[str]]:
    """For scripts and tests that start a preview: an event set once `proc` (an `mkdocs serve`
    or `python -m generator serve` with stdout piped as text) says it is serving ("Serving on
    http://…", printed once the engine's server answers), and the lines it printed, kept for
    error messages."""
    ready, lines = threading.Event(), []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "Serving on http" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    return ready, lines
