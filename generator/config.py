"""Site settings, validated the MkDocs way (config_options with precise messages)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from .tiers import DEFAULT_CEILINGS, TIERS


class Ceilings(base.BaseConfigOption[dict[str, "float | None"]]):
    """`readability:` maps a tier name (from the tier table) to a grade ceiling, or null for none."""

    def __init__(self) -> None:
        super().__init__()
        self.default: dict[str, float | None] = {}

    def run_validation(self, value: object) -> dict[str, float | None]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise base.ValidationError("expected a mapping of tier names to grade ceilings, e.g. fundamentals: 8.0")
        out: dict[str, float | None] = {}
        for tier, ceiling in value.items():
            if tier not in TIERS:
                raise base.ValidationError(f"unknown tier {tier!r}; the tiers are {', '.join(TIERS)}")
            if ceiling is not None and (isinstance(ceiling, bool) or not isinstance(ceiling, (int, float))):
                raise base.ValidationError(f"the ceiling for {tier!r} must be a number or null")
            out[tier] = None if ceiling is None else float(ceiling)
        return out


class TieredConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of the `tiered` plugin in mkdocs.yml; `python -m generator` reads the same block."""

    publisher = c.Type(str)
    disclaimer = c.Type(str)
    funding = c.Type(str)
    # What every "When to get help" callout says first: one wording for the whole site.
    emergency = c.Type(str, default="If you think it is an emergency, call your local emergency number now "
                       "(for example 999 in the UK, 112 in the EU, 911 in the US) or go to the nearest emergency department.")
    # Whose approvals the badges report (US, EU, UK, AU, CA): every badge names this regulator.
    approval_jurisdiction = c.Choice(("US", "EU", "UK", "AU", "CA"), default="US")
    approval_max_age_months = c.Type(int, default=12)  # older "as of" dates on approval data fail `check`
    review_interval_months = c.Type(int, default=12)  # next review due this long after the newest record
    require_clinical_review = c.Type(bool, default=False)  # True: a protocol or agent without one is an error
    readability = Ceilings()
    # Processes converting Markdown in a one-off build (pageworkers.py); 0: one per core.
    processes = c.Type(int, default=0)
    external_links = c.Type(bool, default=False)
    external_skip_hosts = c.ListOfItems(c.Type(str), default=[])
    external_private = c.Type(bool, default=False)  # also request private/loopback addresses (intranets)
    external_deadline = c.Type(float, default=30.0)  # seconds per URL, retries and redirects included
    external_budget = c.Type(float, default=900.0)  # seconds for the whole external check
    external_cache_days = c.Type(int, default=7)
    # `check --verify-references`: the registries, a contact address for Crossref's polite pool, the cache age.
    registry_crossref = c.Type(str, default="https://api.crossref.org")
    registry_eutils = c.Type(str, default="https://eutils.ncbi.nlm.nih.gov/entrez/eutils")
    registry_mailto = c.Type(str, default="")
    registry_cache_days = c.Type(int, default=30)


# What each option is for, in the published schema (schemas/mkdocs-plugin.schema.json) that
# editors show on hover. A test requires one entry per option.
DESCRIPTIONS = {
    "publisher": "who publishes the site, named on every page and in its metadata",
    "disclaimer": "the educational, not-medical-advice notice shown on every page",
    "funding": "how the site is funded and what conflicts of interest it declares",
    "emergency": "the first sentence of every 'When to get help' box",
    "approval_jurisdiction": "whose approvals the status badges report: US, EU, UK, AU or CA; every badge names it",
    "approval_max_age_months": "approval data whose 'as_of' date is older than this fails 'check'",
    "review_interval_months": "the next review is due this long after the newest review record",
    "require_clinical_review": "true: a protocol or medicine without a clinical review record is an error",
    "readability": "reading-grade ceiling per tier (null: none), e.g. fundamentals: 8.0",
    "processes": "processes converting Markdown in a one-off build (0: one per core, 1: no worker processes)",
    "external_links": "also check external links on every 'check' (network)",
    "external_skip_hosts": "hosts the external link check never requests",
    "external_private": "also request private and loopback addresses (intranets)",
    "external_deadline": "seconds per URL in the external link check, retries and redirects included",
    "external_budget": "seconds for the whole external link check",
    "external_cache_days": "days an external link result is reused from .cache/",
    "registry_crossref": "the Crossref API that 'check --verify-references' asks",
    "registry_eutils": "the PubMed E-utilities API that 'check --verify-references' asks",
    "registry_mailto": "a contact address for Crossref's polite pool",
    "registry_cache_days": "days a registry answer is reused from .cache/",
}


def ceilings(cfg: TieredConfig) -> dict[str, float | None]:
    """The tier table's default ceilings, overridden per tier by mkdocs.yml."""
    return {**DEFAULT_CEILINGS, **cfg.readability}


def _validate_plugin_block(path: Path, allow_hooks: bool = False) -> None:
    """Check our plugin's options first, so a missing one is reported at its mkdocs.yml line; and
    refuse MkDocs `hooks:` (Python files run during every build and check, so in the pre-commit
    hook too) unless the command was given --allow-hooks."""
    from mkdocs.utils.yaml import yaml_load

    from .errors import Diagnostic, SourceError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:  # missing, a folder, unreadable or not UTF-8
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise SourceError([Diagnostic(path.name, 0, "error", f"cannot read the site settings: {reason}")]) from None
    lines = text.split("\n")
    line = next((i for i, l in enumerate(lines, 1) if l.strip().startswith("- tiered")), 1)
    # The plugin's block: the lines after "- tiered" that are indented deeper than it.
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    block_end = next((i for i in range(line, len(lines))
                      if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) <= indent), len(lines))
    data = yaml_load(text) or {}
    if isinstance(data, dict) and data.get("hooks") and not allow_hooks:
        at = next((i for i, l in enumerate(lines, 1) if l.startswith("hooks:")), 0)
        raise SourceError([Diagnostic(path.name, at, "error", "'hooks:' runs the listed Python files with this "
                                      "command's rights (in CI: deploy credentials); review them as code, "
                                      "then pass --allow-hooks to run them")])
    block = next((p["tiered"] for p in data.get("plugins") or [] if isinstance(p, dict) and "tiered" in p), None)
    if block is None:
        raise SourceError([Diagnostic(path.name, line, "error", "the 'tiered' plugin and its options "
                                      "(publisher, disclaimer, funding) are missing under 'plugins'")])
    cfg = TieredConfig(config_file_path=str(path))
    cfg.load_dict(block or {})
    errors, _ = cfg.validate()
    problems = []
    for key, exc in errors:
        key_line = next((i for i in range(line + 1, block_end + 1) if lines[i - 1].strip().startswith(f"{key}:")),
                         line)
        problems.append(Diagnostic(path.name, key_line, "error", f"plugin 'tiered' option '{key}': {exc}"))
    if problems:
        raise SourceError(problems)


def load_settings(root: Path, allow_hooks: bool = False, **overrides: Any) -> tuple[Any, TieredConfig]:
    """Load mkdocs.yml the way `mkdocs build` does (with `overrides`, e.g. site_dir) and
    return it with our plugin's options. `hooks:` is refused unless `allow_hooks`."""
    from mkdocs.config import load_config

    _validate_plugin_block(root / "mkdocs.yml", allow_hooks)
    mk = load_config(str(root / "mkdocs.yml"), **overrides)
    plugin = mk.plugins["tiered"]
    return mk, plugin.config
