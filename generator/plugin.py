"""A thin MkDocs plugin: render the page tree before the build, watch sources in serve.

All term and citation logic lives in the Markdown extensions, so an engine
that ignores plugins can still build the tree `python -m generator render` writes.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

import pathspec

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from . import outdir
from .config import TieredConfig
from .errors import Diagnostic, SourceError
from .markdown import CITE_EXT, TERMS_EXT, citation_style, sanitizer_last
from .pageworkers import PageWorkers, available_processes, convert_here
from .pipeline import Prepared, prepare
from .previewerrors import error_block
from .sitedate import source_date_epoch
from .tiers import TIERS

WATCHED = ("content", "glossary")
log = logging.getLogger("mkdocs.plugins.tiered")


class TieredPlugin(BasePlugin[TieredConfig]):  # type: ignore[no-untyped-call]
    prepared: Prepared | None = None
    _preloaded: Prepared | None = None
    _saved_epoch: str | None = None
    # During `mkdocs serve` (the instance lives across rebuilds because it has on_startup):
    # the last sources that built, and the errors of the current ones (previewerrors.py).
    serving = False
    _last_good: Prepared | None = None
    _errors: list[Diagnostic] | None = None
    _root: Path | None = None
    # One-off builds: worker processes converting part of the pages, and the Markdown of
    # the pages they own, kept in case one cannot (pageworkers.py).
    _dirty = False
    _workers: PageWorkers | None = None
    _owned: dict[str, str] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving, self._dirty = command == "serve", dirty

    def use_prepared(self, prepared: Prepared) -> None:
        """Hand over sources the caller already loaded and rendered (`python -m generator build`
        and `check` validate first), so this build does not load them again."""
        self._preloaded = prepared

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self._root, self._errors = root, None
        try:
            self.prepared = self._preloaded or prepare(root, self.config, site_url=config.site_url or "",
                                                      style=citation_style(config.mdx_configs))
            self._preloaded = None
            self._last_good = self.prepared
        except SourceError as exc:
            if not self.serving:
                # Raised before MkDocs cleans site_dir, so the last good site stays intact.
                raise PluginError(f"invalid sources:\n{exc}") from None
            log.error("invalid sources (the preview shows them on every page):\n%s", exc)
            self._errors = exc.diagnostics
            self.prepared = self._last_good
            if self.prepared is None:  # nothing ever built: a lone page that lists the errors
                config.nav = [{"Errors": "index.md"}]
                # Our extensions would load the broken sources again, page by page.
                config.markdown_extensions[:] = [e for e in config.markdown_extensions
                                                 if e not in (TERMS_EXT, CITE_EXT)]
                return config
        config.nav = self.prepared.rendered.nav
        config.extra["reading_tiers"] = list(TIERS)  # read by tier-preference.js via <meta>
        # Dates MkDocs writes (sitemap lastmod) come from the sources on every build path,
        # plain `mkdocs build` included; restored after the build (on_post_build/on_build_error).
        epoch = source_date_epoch(self.prepared.site)
        if epoch is not None and "SOURCE_DATE_EPOCH" not in os.environ:
            self._saved_epoch = epoch
            os.environ["SOURCE_DATE_EPOCH"] = epoch
        # Every page is cleaned to the allow-list, even if mkdocs.yml forgot the extension.
        config.markdown_extensions[:] = sanitizer_last(config.markdown_extensions)
        # Hand the already-loaded data to the extensions: one load per build, and
        # paths that do not depend on the working directory.
        for name, key, value in ((TERMS_EXT, "glossary", self.prepared.glossary),
                                 (CITE_EXT, "bibliography", self.prepared.bibliography)):
            if name in config.markdown_extensions and value is not None:
                config.mdx_configs.setdefault(name, {})[key] = value
        return config

    def _restore_epoch(self) -> None:
        if self._saved_epoch is not None and os.environ.get("SOURCE_DATE_EPOCH") == self._saved_epoch:
            del os.environ["SOURCE_DATE_EPOCH"]
        self._saved_epoch = None

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._stop_workers(failed=False)
        self._restore_epoch()
        # A site `mkdocs build` made is the tool's too: `python -m generator build` may replace it.
        outdir.mark(Path(config.site_dir))

    def on_build_error(self, error: Exception) -> None:
        self._stop_workers(failed=True)
        self._restore_epoch()

    @event_priority(-100)  # after every other plugin's on_nav: the workers copy the build as it is now
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        processes = available_processes(self.config.processes)
        if self.serving or self._dirty or self._errors or processes < 2:
            return nav
        pages = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
        self._workers = PageWorkers.start(pages, files, config, processes)
        if self._workers is not None:
            self._owned = {}
            log.info("Converting the Markdown of %d pages in %d processes", len(pages), processes)
        return nav

    @event_priority(-100)  # last: other plugins' on_page_markdown ran here as in the worker
    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files: Files) -> str:  # type: ignore[no-untyped-def]
        if self._workers is None or self._owned is None:
            return markdown
        self._workers.poll()  # between pages: take in results, start the next batch
        if not self._workers.owns(page):
            return markdown
        self._owned[page.file.src_uri] = markdown
        return ""  # a worker converts it; rendering nothing here costs nothing

    def on_env(self, env, config: MkDocsConfig, files: Files):  # type: ignore[no-untyped-def]
        self._stop_workers(failed=False)  # every page is converted by now
        return env

    def _stop_workers(self, failed: bool) -> None:
        if self._workers is not None:
            (self._workers.abort if failed else self._workers.close)()
        self._workers = self._owned = None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.prepared is None:
            assert self._errors is not None and self._root is not None
            files.append(File.generated(config, "index.md", content="# Errors in the sources\n"))
            return files
        rendered = self.prepared.rendered
        unlisted = pathspec.GitIgnoreSpec.from_lines(rendered.unlisted)
        for src, content in sorted({**rendered.pages, **rendered.static}.items()):
            level = InclusionLevel.NOT_IN_NAV if unlisted.match_file(src) else InclusionLevel.UNDEFINED
            files.append(File.generated(config, src, content=content, inclusion=level))
        if not self.serving:
            # MkDocs keeps every page, with its Markdown, until a build ends; the rendered tree
            # held it a second time. A one-off build needs neither once a page is converted, so
            # both go (here, and in on_page_read_source/on_page_content): peak memory at 1,000
            # topics 849 -> 507 MiB, the built site byte-identical. `serve` keeps the tree to
            # fall back on when a save breaks the sources.
            self.prepared = self._last_good = None
        return files

    def on_page_read_source(self, page, config: MkDocsConfig) -> str | None:  # type: ignore[no-untyped-def]
        if self.serving or page.file.generated_by is None:
            return None
        if self._workers is not None and self._workers.owns(page):
            return None  # kept for a worker not forked yet: it reads the page again (pageworkers.py)
        source: str = page.file.content_string
        page.file.content_string = ""  # the page keeps its own copy (page.markdown) until converted
        return source

    @event_priority(100)  # first: other plugins' on_page_content get the worker's HTML
    def on_page_content(self, html: str, page, config: MkDocsConfig, files: Files) -> str:  # type: ignore[no-untyped-def]
        if self._workers is not None and self._owned is not None and page.file.src_uri in self._owned:
            markdown = self._owned.pop(page.file.src_uri)
            taken = self._workers.take(page, files)
            html = convert_here(page, markdown, config, files) if taken is None else taken
        if not self.serving and page.file.generated_by is not None:
            page.markdown = page.file.content_string = ""  # converted: MkDocs keeps every page until the build ends
        if self._errors and self._root is not None:
            return error_block(self._root, self._errors) + html
        return html

    def on_serve(self, server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        root = Path(config.config_file_path).parent
        for folder in WATCHED:
            if (root / folder).exists():
                server.watch(str(root / folder))
        return server
