"""What every check receives, and the one signature every check has.

    def check(ctx: CheckContext, rep: Reporter) -> None

A check reads the context and reports diagnostics; it changes nothing. Checks are
registered in `checks/__init__.py` (CHECKS), in the order they run.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import Reporter
from generator.model import Site

if TYPE_CHECKING:  # names for annotations only: the check modules import this one
    from generator.checks.external import ExternalConfig
    from generator.checks.registry import RegistryConfig
    from generator.config import Project, TieredConfig
    from generator.pipeline import Prepared


@dataclass(frozen=True)
class CheckOptions:
    """What the command line asked for, beyond mkdocs.yml."""

    external: bool = False
    external_config: ExternalConfig | None = None
    verify_references: bool = False
    registry_config: RegistryConfig | None = None
    network: bool = True  # false in `build`: mkdocs.yml's external_links is for `check` alone


@dataclass(frozen=True)
class CheckContext:
    root: Path
    prepared: Prepared
    settings: TieredConfig
    project: Project  # mkdocs.yml as read (site_url, the extensions' options)
    # The date the clock's rules judge by (overdue reviews, stale approval data, dates in the
    # future); None in `build`, whose result depends on the sources alone (README: One gate).
    today: date | None
    options: CheckOptions
    built: Path | None = None  # the built site, for checks that read pages (None before the build)

    @property
    def site(self) -> Site:
        return self.prepared.site


Check = Callable[[CheckContext, Reporter], None]
