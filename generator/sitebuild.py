"""Build the site into a temporary directory, then swap it into place.

A failed build never leaves a half-written `site/`: the old tree stays until
the new one is complete.
"""
from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from mkdocs.commands.build import build
from mkdocs.exceptions import Abort, MkDocsException

from . import outdir, swap
from .config import load_settings
from .errors import SourceError
from .markdown import citation_style
from .pipeline import Prepared, prepare
from .plugin import TieredPlugin


class BuildFailed(Exception):
    pass


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is now (tests swap it), not the one seen at import."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def _log_to_stderr() -> None:
    log = logging.getLogger("mkdocs")
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def build_into(root: Path, site_dir: Path, strict: bool = True, prepared: Prepared | None = None,
               allow_hooks: bool = False) -> None:
    """Build straight into `site_dir` (used for scratch builds by the checks).

    Pass `prepared` when the sources were already rendered, so they are not rendered twice."""
    _log_to_stderr()
    try:
        # Validate first, so bad sources are reported as our own path:line lines.
        config, settings = load_settings(root, allow_hooks, site_dir=str(site_dir), strict=strict)
        prepared = prepared or prepare(root, settings, site_url=config.site_url or "",
                                       style=citation_style(config.mdx_configs))
        plugin = config.plugins["tiered"]
        assert isinstance(plugin, TieredPlugin)
        plugin.use_prepared(prepared)
        prepared = None  # the plugin's now: it lets the rendered pages go as MkDocs converts them
        build(config)
    except SourceError as exc:
        raise BuildFailed(str(exc)) from None
    except (Abort, MkDocsException) as exc:
        raise BuildFailed(str(exc).strip() or exc.__class__.__name__) from None


def build_site(root: Path, site_dir: Path, strict: bool = True, force: bool = False,
               allow_hooks: bool = False) -> None:
    """Build into a fresh folder beside `site_dir`, then exchange the two in one atomic step.

    A lock file keeps two builds of the same site from racing; folders left by a
    build that was killed are removed first. Disk and permission problems come
    out as one BuildFailed line, never a traceback."""
    try:
        site_dir = outdir.guard(root, site_dir, "--site-dir", force)
    except outdir.OutputRefused as exc:
        raise BuildFailed(str(exc)) from None
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with swap.locked(site_dir):
            swap.remove_leftovers(site_dir)
            tmp = Path(tempfile.mkdtemp(prefix=swap.PREFIX + site_dir.name + "-", dir=site_dir.parent))
            # Marked at once: a build killed from here on leaves a folder the next one may remove.
            # MkDocs keeps dot-files when it cleans its site_dir, so the site carries the mark.
            outdir.mark(tmp)
            try:
                build_into(root, tmp, strict, allow_hooks=allow_hooks)
                swap.replace_dir(tmp, site_dir)
            finally:
                swap.remove_tree(tmp)  # the old site after a swap, or the partial build after a failure
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise BuildFailed(f"{site_dir}: error: cannot write the site: {exc.strerror or exc}{where}") from None
