"""Which references may back approval, dose and safety facts: the allow-list of hosts in
data/authoritative_hosts.yml, and the one rule that reads it (used by `check` and the About page)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import yaml

from generator.data import data_path
from generator.model import Reference

DATA = data_path("authoritative_hosts.yml")


@dataclass(frozen=True)
class Host:
    host: str
    name: str


@lru_cache(maxsize=1)
def hosts() -> tuple[Host, ...]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return tuple(Host(h["host"].casefold(), h["name"]) for h in data["hosts"])


def address(ref: Reference) -> str:
    """The entry's web address (BibTeX `url`, CSL-JSON `URL`), or ""."""
    return (ref.fields.get("url") or str(ref.csl.get("URL") or "")).strip()


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").casefold().rstrip(".")
    except ValueError:
        return ""


def authoritative(ref: Reference) -> bool:
    """The address is on an allow-listed host (or a subdomain of one), over http(s)."""
    url = address(ref)
    if not url.lower().startswith(("https://", "http://")):
        return False
    host = host_of(url)
    return any(host == h.host or host.endswith("." + h.host) for h in hosts())


def published_study(ref: Reference) -> bool:
    """A journal publication with a persistent identifier: citable for safety and schedule facts."""
    return bool(ref.fields.get("doi") or ref.csl.get("DOI") or ref.fields.get("pmid") or ref.csl.get("PMID"))
