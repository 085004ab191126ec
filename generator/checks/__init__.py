"""`python -m generator check`: every source and site check, one concern per module."""
from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from generator.checks import (
    citations,
    editorial,
    helpadvice,
    links,
    markup,
    registry,
    reviews,
    safety,
    sourcing,
)
from generator.checks.context import Check, CheckContext, CheckOptions

__all__ = ["CHECKS", "CheckOptions", "failing", "run_checks", "site_checks", "source_checks"]
from generator.checks.external import ExternalConfig
from generator.checks.registry import RegistryConfig
from generator.config import CONFIG_FILE, Project, load_project, with_engine
from generator.engines.sitebuild import BuildFailed, build_tree
from generator.errors import Diagnostic, Reporter, SourceError
from generator.pipeline import Prepared, prepare_all

# Every check, in the order it runs: (name, function, needs the built site). Adding a check is
# a function `check(ctx, rep)` in a module of its own and one line here.
CHECKS: list[tuple[str, Check, bool]] = [
    ("bibliography", citations.check_bibliography, False),
    ("uncited references", citations.check_uncited, False),
    ("cited sections", citations.check_cited_sections, False),
    ("reading level", editorial.check_readability, False),
    ("reviews", reviews.check_reviews, False),
    ("protocol sources", editorial.check_trust, False),
    ("approval data", safety.check_approval_data, False),
    ("schedules", safety.check_schedules, False),
    ("authoritative sources", sourcing.check_authoritative_sources, False),
    ("help advice", helpadvice.check_help, False),
    ("markup the pages remove", markup.check_markup, False),
    ("registries", registry.check_references, False),
    ("links", links.check_links, True),
]


def source_checks(project: Project, prepared: Prepared, today: date | None,
                  options: CheckOptions) -> tuple[CheckContext, Reporter]:
    """What loading found and every check that needs no built site, on what could be loaded, so
    one run reports every independent problem."""
    rep = Reporter(project.root)
    rep.diagnostics.extend([*prepared.notices, *prepared.errors])
    ctx = CheckContext(project.root, prepared, project.settings, project, today, options)
    for _, check, needs_site in CHECKS:
        if not needs_site:
            check(ctx, rep)
    return ctx, rep


def site_checks(ctx: CheckContext, rep: Reporter, built: Path) -> None:
    """The checks that read the built site (links and anchors)."""
    ctx = replace(ctx, built=built)
    for _, check, needs_site in CHECKS:
        if needs_site:
            check(ctx, rep)


def failing(diagnostics: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    """What fails a run: errors, and warnings too when strict. Notes never do."""
    return [d for d in diagnostics if d.level == "error" or (strict and d.level == "warning")]


def run_checks(root: Path, today: date | None = None, external: bool = False,
               external_config: ExternalConfig | None = None, verify_references: bool = False,
               registry_config: RegistryConfig | None = None, allow_hooks: bool = False,
               engine: str | None = None, site: bool = True) -> tuple[list[Diagnostic], str]:
    """Run every check; returns the diagnostics and the readability report text. The source
    checks need no engine; the link checks read the site `engine` (default: the project's) built,
    and are left out when `site` is false."""
    try:
        project = with_engine(load_project(root, allow_hooks), engine)
    except SourceError as exc:
        return exc.diagnostics, ""
    prepared = prepare_all(project)
    options = CheckOptions(external, external_config, verify_references, registry_config)
    ctx, rep = source_checks(project, prepared, today or date.today(), options)
    report = editorial.readability_report(prepared.site, prepared.rendered.scores)
    if not site:
        return sorted(set(rep.diagnostics)), report
    if prepared.errors:  # no site is built from sources with errors: its links wait for the fixes
        rep.note(CONFIG_FILE, 0, "links and anchors were not checked: the site is built once the errors are fixed")
        return sorted(set(rep.diagnostics)), report
    with tempfile.TemporaryDirectory(prefix="tiered-check-") as tmp:
        try:
            built = build_tree(project, prepared, Path(tmp) / "tree", strict=False)
        except BuildFailed as exc:
            rep.error(CONFIG_FILE, 0, f"build failed: {exc}")
            return sorted(set(rep.diagnostics)), report
        site_checks(ctx, rep, built)
    return sorted(set(rep.diagnostics)), report
