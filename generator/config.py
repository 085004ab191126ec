"""Site settings, validated the MkDocs way (config_options with precise messages)."""
from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c


class Readability(base.Config):
    fundamentals = c.Optional(c.Type(float))
    intermediate = c.Optional(c.Type(float))
    academic = c.Optional(c.Type(float))


class TieredConfig(base.Config):
    """Options of the `tiered` plugin in mkdocs.yml; `python -m generator` reads the same block."""

    publisher = c.Type(str)
    disclaimer = c.Type(str)
    funding = c.Type(str)
    first_use_only = c.Type(bool, default=True)
    readability = c.SubConfig(Readability)
    external_links = c.Type(bool, default=False)
    external_skip_hosts = c.ListOfItems(c.Type(str), default=[])
    external_cache_days = c.Type(int, default=7)


DEFAULT_CEILINGS = {"fundamentals": 9.0, "intermediate": 13.0, "academic": None}


def ceilings(cfg: TieredConfig) -> dict[str, float | None]:
    given = {k: v for k, v in dict(cfg.readability).items() if v is not None}
    return {**DEFAULT_CEILINGS, **given}


def load_settings(root: Path) -> tuple["object", TieredConfig]:
    """Load mkdocs.yml the way `mkdocs build` does and return it with our plugin's options."""
    from mkdocs.config import load_config

    mk = load_config(str(root / "mkdocs.yml"))
    plugin = mk.plugins.get("tiered")
    if plugin is None:
        raise SystemExit(f"{root / 'mkdocs.yml'}:1: error: the 'tiered' plugin is not listed under 'plugins'")
    return mk, plugin.config  # type: ignore[attr-defined]
