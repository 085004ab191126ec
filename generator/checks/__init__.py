"""`python -m generator check`: every source and site check, one concern per module."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..config import ceilings, load_settings
from ..markdown import citation_style
from ..errors import Diagnostic, Reporter, SourceError
from ..pipeline import prepare
from ..sitebuild import BuildFailed, build_into
from . import citations, editorial, links, registry, reviews, safety
from .external import ExternalChecker, ExternalConfig
from .registry import RegistryConfig


def run_checks(root: Path, today: date | None = None, external: bool = False,
               external_config: ExternalConfig | None = None, verify_references: bool = False,
               registry_config: RegistryConfig | None = None) -> tuple[list[Diagnostic], str]:
    """Run every check; returns the diagnostics and the readability report text."""
    today = today or date.today()
    try:
        mk, settings = load_settings(root)
        prepared = prepare(root, settings, today, site_url=mk.site_url or "", style=citation_style(mk.mdx_configs))
    except SourceError as exc:
        return exc.diagnostics, ""
    rep = Reporter(root)
    site = prepared.site
    citations.check_bibliography(site, rep, today)
    citations.check_uncited(site, prepared.rendered.usage, rep)
    citations.check_cited_sections(site, rep)
    editorial.check_readability(site, prepared.rendered.scores, ceilings(settings), rep)
    reviews.check_reviews(site, today, settings.review_interval_months, settings.require_clinical_review, rep)
    editorial.check_trust(site, rep)
    safety.check_approval_data(site, today, settings.approval_max_age_months, rep)
    safety.check_schedules(site, rep)
    safety.check_help(site, rep)
    report = editorial.readability_report(site, prepared.rendered.scores)
    if verify_references:
        registry.verify_references(site, rep, registry_config or RegistryConfig(
            crossref=settings.registry_crossref, eutils=settings.registry_eutils, mailto=settings.registry_mailto,
            cache_path=root / ".cache" / "registry.json", max_age_days=settings.registry_cache_days), today)

    with tempfile.TemporaryDirectory(prefix="tiered-check-") as tmp:
        built = Path(tmp) / "site"
        try:
            build_into(root, built, strict=False, prepared=prepared)
        except BuildFailed as exc:
            rep.error("mkdocs.yml", 0, f"build failed: {exc}")
            return sorted(set(rep.diagnostics)), report
        base_path = urlsplit(mk.site_url or "/").path or "/"
        check_site_links(built, prepared.rendered.sources, rep, base_path, mk.site_url or "",
                         external or bool(settings.external_links),
                         external_config or ExternalConfig(
                             cache_path=root / ".cache" / "links.json",
                             max_age_days=settings.external_cache_days,
                             skip_hosts=tuple(settings.external_skip_hosts),
                             allow_private=settings.external_private,
                             deadline=settings.external_deadline, budget=settings.external_budget))
    return sorted(set(rep.diagnostics)), report


def check_site_links(built: Path, sources: dict[str, tuple[str, int]], rep: Reporter, base_path: str,
                     site_url: str, external: bool, config: ExternalConfig) -> None:
    pages = links.scan_site(built)
    locate = links.source_locator(rep.root, sources)

    def add(page: str, level: str, message: str, target: str) -> None:
        where = locate(page, target)
        text = message + (f" (from {where})" if where else "")
        (rep.error if level == "error" else rep.warning)(page, 0, text)

    for problem in links.check_internal(pages, built, base_path):
        add(problem.page, problem.level, problem.message, problem.target)
    if not external:
        return
    urls = links.external_urls(pages, site_url)
    for url, result in ExternalChecker(config).check(urls).items():
        for page in sorted(set(urls[url])):
            if result.skipped:
                add(page, "warning", f"link to {url} {result.message}", url)
            elif not result.ok:
                add(page, "error", f"broken link to {url}: {result.message}", url)
            elif result.permanent_redirect:
                add(page, "warning", f"link to {url} permanently redirects to {result.final_url}; "
                    "update the link", url)
