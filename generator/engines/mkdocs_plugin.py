"""The MkDocs adapter for `mkdocs build` and `mkdocs serve` run on the project itself.

`python -m generator build --engine mkdocs` does not use it: it runs MkDocs on the rendered
tree, as it runs Zensical (engines/__init__.py). This plugin is for authors who run MkDocs
directly: it renders the same tree in memory and hands MkDocs its files, through MkDocs'
public plugin events and `File.generated` only, and watches the sources during serve.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pathspec
from mkdocs.config import base
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator import outdir
from generator.config import OPTIONS, Project, load_project
from generator.engines import searchbundle
from generator.errors import Diagnostic, SourceError
from generator.markdown import CITE_EXT, TERMS_EXT, sanitizer_last
from generator.model.sitedate import source_date_epoch
from generator.outdir import SOURCES
from generator.pipeline import Prepared, prepare
from generator.render.tree import theme_extra
from generator.serve.previewerrors import error_block

log = logging.getLogger("mkdocs.plugins.tiered")


class _Checked(base.BaseConfigOption[Any]):
    """Accepted as written: config.load_project validates the block, with its own messages."""

    def run_validation(self, value: object) -> object:
        return value


# The option names come from the one table (config.OPTIONS), so MkDocs knows every one of them.
Options = type("Options", (base.Config,), {name: _Checked() for name in OPTIONS})


def _disk_order(file: File) -> tuple[tuple[str, ...], bool, str]:
    folder, _, name = file.src_uri.rpartition("/")
    return tuple(folder.split("/")) if folder else (), name.rsplit(".", 1)[0] not in ("index", "README"), name


class TieredPlugin(BasePlugin[Options]):  # type: ignore[valid-type,no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.serving = False
        self.prepared: Prepared | None = None
        self.last_good: Prepared | None = None  # during serve: what to show while the sources are broken
        self.errors: list[Diagnostic] = []
        self.root = Path(".")
        self.saved_epoch: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root, self.errors = Path(config.config_file_path).parent, []
        try:
            # MkDocs has already run any hooks the file lists: refusing them here would protect nothing.
            project = load_project(self.root, allow_hooks=True)
            self.prepared = self.last_good = prepare(project)
            self._gate(config, project)
        except SourceError as exc:
            if not self.serving:
                # Raised before MkDocs cleans site_dir, so the last good site stays intact.
                raise PluginError(f"invalid sources:\n{exc}") from None
            log.error("invalid sources (the preview shows them on every page):\n%s", exc)
            self.errors = exc.diagnostics
            self.prepared = self.last_good
            if self.prepared is None:  # nothing ever built: a lone page that lists the errors
                config.nav = [{"Errors": "index.md"}]
                # Our extensions would load the broken sources again, page by page.
                config.markdown_extensions[:] = [e for e in config.markdown_extensions
                                                 if e not in (TERMS_EXT, CITE_EXT)]
                return config
        config.nav = self.prepared.rendered.nav
        config.extra.update(theme_extra())  # read by tier-preference.js and search.js via <meta>
        # Dates MkDocs writes (sitemap lastmod) come from the sources; restored after the build.
        epoch = source_date_epoch(self.prepared.site)
        if epoch is not None and "SOURCE_DATE_EPOCH" not in os.environ:
            self.saved_epoch = os.environ["SOURCE_DATE_EPOCH"] = epoch
        # Every page is cleaned to the allow-list, even if mkdocs.yml forgot the extension.
        config.markdown_extensions[:] = sanitizer_last(config.markdown_extensions)
        # The extensions get the data already loaded: one load per build.
        for name, key, value in ((TERMS_EXT, "glossary", self.prepared.glossary),
                                 (CITE_EXT, "bibliography", self.prepared.bibliography)):
            if name in config.markdown_extensions and value is not None:
                config.mdx_configs.setdefault(name, {})[key] = value
        return config

    def _gate(self, config: MkDocsConfig, project: Project) -> None:
        """The checks `python -m generator build` runs (checks.source_checks, without the clock or
        the network), reported through MkDocs' log, failing by the same rule: strict is
        mkdocs.yml's `strict:` with the tool's default (true) where MkDocs' would be false, or
        MkDocs' `--strict`. (MkDocs' own warnings fail by its own default: write `strict: true`.)"""
        from generator import checks

        assert self.prepared is not None
        _, rep = checks.source_checks(project, self.prepared, None, checks.CheckOptions(network=False))
        found = sorted(set(rep.diagnostics))
        for d in found:
            {"error": log.error, "warning": log.warning}.get(d.level, log.info)("%s", d)
        strict = bool(config.strict) or project.strict
        failing = checks.failing(found, strict)
        if failing and not self.serving:  # before MkDocs cleans site_dir: the last good site stays
            raise PluginError(f"the sources fail the checks on {len(failing)} problem(s) (above)"
                              + ("; the site is strict, so warnings count" if strict else ""))
        if self.serving:
            self.errors = failing

    def _restore_epoch(self) -> None:
        if self.saved_epoch is not None and os.environ.get("SOURCE_DATE_EPOCH") == self.saved_epoch:
            del os.environ["SOURCE_DATE_EPOCH"]
        self.saved_epoch = None

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._restore_epoch()
        try:
            searchbundle.index(Path(config.site_dir))  # the search both engines' sites share
        except searchbundle.IndexFailed as exc:
            raise PluginError(str(exc)) from None
        # A site `mkdocs build` made is the tool's too: `python -m generator build` may replace it.
        outdir.mark(Path(config.site_dir))

    def on_build_error(self, error: Exception) -> None:
        self._restore_epoch()

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.prepared is None:
            files.append(File.generated(config, "index.md", content="# Errors in the sources\n"))
            return files
        rendered = self.prepared.rendered
        unlisted = pathspec.GitIgnoreSpec.from_lines(rendered.unlisted)
        for src, content in sorted({**rendered.pages, **rendered.static}.items()):
            level = InclusionLevel.NOT_IN_NAV if unlisted.match_file(src) else InclusionLevel.UNDEFINED
            files.append(File.generated(config, src, content=content, inclusion=level))
        if not self.serving:
            self.prepared = self.last_good = None  # MkDocs holds the pages now; a one-off build needs no copy
        # In the order MkDocs finds files on disk (folder by folder, index first), as when it
        # builds the written tree: the sitemap and search index come out byte-identical.
        return Files(sorted(files, key=_disk_order))

    def on_page_content(self, html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
        if self.errors:
            return error_block(self.root, self.errors) + html
        return html

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for name in SOURCES:
            if name != "mkdocs.yml" and (self.root / name).exists():  # MkDocs watches its config itself
                server.watch(str(self.root / name))
        return server
