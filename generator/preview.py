"""`python -m generator serve`: a preview that stays fast on a large site.

`mkdocs serve` (with the plugin) renders every page and MkDocs rebuilds every page on each
save: generated files always count as modified. Here the rendered tree is written to disk
instead, only files whose text changed are rewritten, and MkDocs' dirty build (as in
`mkdocs serve --dirty`, run in this process by `_Server`) rebuilds only pages whose file is
newer than its output.

After a save:
- an edit to topic bodies (front matter unchanged) reloads those topics alone and renders only
  the pages their bodies feed (`pipeline.prepare_edit`): the topic's pages, the depth indexes,
  term pages whose "used on" list changed, the references page if citations moved;
- an edit to a glossary entry's wording (short, definition; names, level and links unchanged)
  re-renders that term's page, the glossary index and the term's tooltip file: the pages
  that use the term link to it and read its tooltip from that file, so they do not change;
- anything else (a protocol, the bibliography, reviews, the config, a term's name, a new or
  renamed topic) renders everything again, and every page file is touched, because which
  words are annotated and the reference text live in the HTML the extensions make, not in
  the Markdown.

A save that breaks a source leaves the pages as they were and writes the errors to one static
file, `preview-errors/errors.html`; a small script on every page shows it at the top (the same
box as `mkdocs serve` shows, previewerrors.py). So an error costs one file copy, not a rebuild
of every page, and the next good save empties the file.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterable

import yaml
from mkdocs.utils.yaml import yaml_load

from .config import load_settings
from .errors import Diagnostic, SourceError
from .glossary import INDEX_FILE, index_json
from .markdown import citation_style
from .pipeline import Prepared, prepare, prepare_edit, prepare_term_edit
from .outdir import SOURCES, mark
from .portable import portable_config
from .previewerrors import error_block
from .syllables import syllables

WATCHED = SOURCES
ERRORS = "preview-errors"  # folder in the tree: the script and the current errors
SCRIPT = Path(__file__).parent / "assets" / "preview-errors.js"


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

    def __init__(self, root: Path, out: Path, allow_hooks: bool = False):
        self.root, self.out = root.resolve(), out.resolve()
        self.allow_hooks = allow_hooks
        self.docs = self.out / "docs"
        self.prepared: Prepared | None = None
        self.site_url = ""
        self.written: dict[str, str] = {}  # src -> the text last written to the tree

    def full(self) -> list[str]:
        """Render everything; write what changed; touch every page (see the module docstring)."""
        mk, settings = load_settings(self.root, self.allow_hooks)
        self.settings, self.site_url = settings, mk.site_url or ""
        self.prepared = prepare(self.root, settings, site_url=self.site_url, style=citation_style(mk.mdx_configs))
        written = self._sync(all_pages=True)
        # Names and levels only: the fast paths never change them, so only a full render writes it.
        _write_if_changed(self.out / INDEX_FILE, index_json(self.prepared.site.terms))
        config = portable_config(self.root, self.site_url, self.prepared.rendered.nav, (self.out / "site").resolve(),
                                 self.prepared.rendered.unlisted, self.out / INDEX_FILE)
        self._write_config(config)
        return written

    def _write_config(self, config: dict[str, object]) -> None:
        scripts = config.get("extra_javascript")
        config["extra_javascript"] = [*(scripts if isinstance(scripts, list) else []), f"{ERRORS}/preview-errors.js"]
        _write_if_changed(self.docs / ERRORS / "preview-errors.js", SCRIPT.read_text(encoding="utf-8"))
        _write_if_changed(self.out / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
        mark(self.out)

    def show_errors(self, diagnostics: list[Diagnostic]) -> None:
        """Show `diagnostics` on every page (none: the sources are fine). With no tree yet (the
        sources were broken from the start), a one-page site that shows only them."""
        if diagnostics and not (self.out / "mkdocs.yml").is_file():
            try:  # MkDocs' own loader: it knows tags such as !ENV
                site_url = (yaml_load((self.root / "mkdocs.yml").read_text(encoding="utf-8")) or {}).get("site_url")
            except (OSError, yaml.YAMLError, AttributeError):
                site_url = None
            self._write_config({"site_name": "Preview", "site_url": site_url if isinstance(site_url, str) else "",
                                "docs_dir": "docs", "site_dir": str((self.out / "site").resolve()),
                                "theme": {"name": "material"}})
            _write_if_changed(self.docs / "index.md", "# The sources have errors\n")
        _write_if_changed(self.docs / ERRORS / "errors.html", error_block(self.root, diagnostics) if diagnostics else "")

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


class _Server:
    """MkDocs' live-reload server in this process, rebuilding when told to, not when it sees files change.

    `mkdocs serve` finds changes with a polling observer that stats every file of the docs
    folder every 0.5 s (6,000+ files on a large site) and then reloads the config and builds.
    Here the preview knows exactly when it has written the tree, so it asks for the rebuild at
    once; the build itself is MkDocs' own dirty build with a freshly loaded config, as in
    `mkdocs serve --dirty`."""

    def __init__(self, config_file: Path, dev_addr: str, site_dir: Path):
        from urllib.parse import urlsplit

        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.livereload import LiveReloadServer, _serve_url

        host, _, port = dev_addr.rpartition(":")
        first = load_config(str(config_file), site_dir=str(site_dir), dev_addr=dev_addr)
        mount_path = urlsplit(first.site_url or "/").path
        serve_url = _serve_url(host, int(port), mount_path)
        self.built_once = False

        self.building = False

        def builder() -> None:
            self.building = True
            try:
                config = load_config(str(config_file), site_dir=str(site_dir), dev_addr=dev_addr)
                config.site_url = serve_url
                build(config, serve_url=serve_url, dirty=self.built_once)  # the first build is a full one
                self.built_once = True
            finally:
                self.building = False

        self.builder = builder
        self.server = LiveReloadServer(builder=builder, host=host, port=int(port), root=str(site_dir),
                                       mount_path=mount_path)
        # The server adds its live-reload script to pages only while it watches something, and a
        # change to what it watches is its public way to ask for a rebuild: a folder of our own,
        # written to only by rebuild() (the sources themselves are watched by serve()'s loop).
        self.signal = site_dir.parent / ".livereload"
        self.signal.mkdir(parents=True, exist_ok=True)
        self.rebuilds = 0
        self.server.watch(str(self.signal))
        not_found = site_dir / "404.html"
        self.server.error_handler = lambda code: not_found.read_bytes() if code == 404 and not_found.is_file() else None

    def start(self) -> threading.Thread:
        self.builder()
        thread = threading.Thread(target=self.server.serve, daemon=True)  # serves, then waits for rebuilds
        thread.start()
        return thread

    def rebuild(self) -> None:
        """Ask the server for a rebuild through its watcher (no private attribute of the engine)."""
        self.rebuilds += 1
        (self.signal / "rebuild").write_text(str(self.rebuilds), encoding="utf-8")

    def stop(self) -> None:
        self.server.shutdown()


def serve(root: Path, out: Path, dev_addr: str, poll: float = 0.1, allow_hooks: bool = False) -> int:
    """Render, serve the tree with live reload, and re-render and rebuild on every save."""
    import logging

    # MkDocs' messages ("Serving on …", build warnings) as `mkdocs serve` prints them.
    logging.basicConfig(format="%(levelname)-8s-  %(message)s", level=logging.INFO, stream=sys.stdout, force=True)
    preview = Preview(root, out, allow_hooks)
    # Before the first render and build: a save made while they run (a minute on a large site)
    # is then seen by the loop below, not taken as the starting state.
    seen = snapshot(preview.root)
    try:
        preview.full()
        preview.show_errors([])
    except SourceError as exc:
        print(f"invalid sources (shown in the page until fixed):\n{exc}", file=sys.stderr)
        preview.show_errors(exc.diagnostics)
    # The pronouncing dictionary loads on the first body scored: now, not on the author's first save.
    syllables("hormone")
    server = _Server(preview.out / "mkdocs.yml", dev_addr, preview.out / "site")
    thread = server.start()
    pending: set[Path] = set()  # saved since the last good render: a fix must re-read them all
    try:
        while thread.is_alive():
            time.sleep(poll)
            if server.building:
                # One process: a snapshot (thousands of stats) would slow the build it waits for.
                # A save made meanwhile is seen as soon as the build ends.
                continue
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
                server.rebuild()
                continue
            pending.clear()
            preview.show_errors([])
            server.rebuild()
            print(f"preview: {kind} render, {len(written)} files written in "
                  f"{time.perf_counter() - started:.2f} s", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def until_serving(proc: "subprocess.Popen[str]") -> tuple["threading.Event", list[str]]:
    """For scripts and tests that start a preview: an event set once `proc` (an `mkdocs serve`
    or `python -m generator serve` with stdout piped as text) says it is serving, and the
    lines it printed, kept for error messages."""
    ready, lines = threading.Event(), []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "Serving on" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    return ready, lines
