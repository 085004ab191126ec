"""`python -m generator check`: every source and site check, one concern per module."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from ..config import load_settings
from ..errors import Diagnostic, Reporter, SourceError
from ..pipeline import prepare
from ..sitebuild import BuildFailed, build_into
from . import citations


def run_checks(root: Path, today: date | None = None, external: bool = False) -> tuple[list[Diagnostic], str]:
    """Run every check; returns the diagnostics and the readability report text."""
    today = today or date.today()
    _, settings = load_settings(root)
    try:
        prepared = prepare(root, settings, today)
    except SourceError as exc:
        return exc.diagnostics, ""
    rep = Reporter(root)
    report = ""
    site = prepared.site
    citations.check_bibliography(site, rep, today)
    citations.check_uncited(site, prepared.rendered.usage, rep)
    citations.check_academic_sections(site, rep)
    with tempfile.TemporaryDirectory(prefix="tiered-check-") as tmp:
        try:
            build_into(root, Path(tmp) / "site", strict=False)
        except BuildFailed as exc:
            rep.error("mkdocs.yml", 0, f"build failed: {exc}")
    return sorted(set(rep.diagnostics)), report
