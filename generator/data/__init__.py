"""The package's own data tables (tiers, emergency phrases, journals, hosts, spellings)."""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """A table shipped with the package, e.g. `data_path("tiers.yml")`."""
    return DATA / name
