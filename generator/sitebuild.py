"""Build the site into a temporary directory, then swap it into place.

A failed build never leaves a half-written `site/`: the old tree stays until
the new one is complete.
"""
from __future__ import annotations

import logging
import os
import sys
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from mkdocs.commands.build import build
from mkdocs.exceptions import Abort, MkDocsException

from .config import load_settings
from .errors import SourceError
from .pipeline import Prepared, prepare


class BuildFailed(Exception):
    pass


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (tests swap it), not the one seen at import."""

    @property  # type: ignore[override]
    def stream(self):  # noqa: D401
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _log_to_stderr() -> None:
    log = logging.getLogger("mkdocs")
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        log.addHandler(handler)
        log.setLevel(logging.INFO)


@contextmanager
def _source_date(prepared: Prepared) -> Iterator[None]:
    """Reproducible dates (sitemap lastmod) come from the sources, not the clock.

    Set for this build only: a process that builds several projects (the tests,
    `check` after `build`) must not carry one project's date into the next."""
    latest = max((t.last_reviewed for t in prepared.site.topics.values()), default=None)
    if latest is None or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    stamp = datetime(latest.year, latest.month, latest.day, tzinfo=timezone.utc).timestamp()
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def build_into(root: Path, site_dir: Path, strict: bool = True, prepared: Prepared | None = None) -> None:
    """Build straight into `site_dir` (used for scratch builds by the checks).

    Pass `prepared` when the sources were already rendered, so they are not rendered twice."""
    _log_to_stderr()
    try:
        # Validate first, so bad sources are reported as our own path:line lines.
        config, settings = load_settings(root, site_dir=str(site_dir), strict=strict)
        prepared = prepared or prepare(root, settings, site_url=config.site_url or "")
        config.plugins["tiered"].preloaded = prepared  # type: ignore[attr-defined]
        with _source_date(prepared):
            build(config)
    except SourceError as exc:
        raise BuildFailed(str(exc)) from None
    except (Abort, MkDocsException) as exc:
        raise BuildFailed(str(exc).strip() or exc.__class__.__name__) from None


def build_site(root: Path, site_dir: Path, strict: bool = True) -> None:
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        build_into(root, tmp, strict)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
