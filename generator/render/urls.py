"""The site's URL scheme, in one place: where each kind of page lives.

Every generated page is an `index.md` in a folder of its own, so its URL is the folder
(`topics/hrt/fundamentals/`) and a relative link means the same thing from the source file
and from the built page: MkDocs resolves raw links against the URL, Zensical against the
source file, and with this layout both agree. URLs here are relative to the site root and
end in "/"; `source()` gives the tree file that produces one. Templates reach the same
functions as `topic_url`, `term_url`, `protocol_url` (render/pages.py).
"""
from __future__ import annotations

HOME = ""
GLOSSARY = "glossary/"
PROTOCOLS = "protocols/"
REFERENCES = "references/"
ABOUT = "about/"
TIERS = "tiers/"
AZ = "a-z/"
# Beside each term's page: the short definition tooltips.js shows, fetched relative to the
# term link's own address.
TIP_FILE = "tip.json"


def topic(slug: str, tier: str | None = None) -> str:
    """A topic's landing page, or one of its tier pages."""
    return f"topics/{slug}/{tier}/" if tier else f"topics/{slug}/"


def term(slug: str) -> str:
    return f"{GLOSSARY}{slug}/"


def term_tip(slug: str) -> str:
    return term(slug) + TIP_FILE


def protocol(slug: str) -> str:
    return f"{PROTOCOLS}{slug}/"


def tier_index(tier: str) -> str:
    """The list of every topic at one depth."""
    return f"{TIERS}{tier}/"


def az_letter(key: str) -> str:
    return f"{AZ}{key}/"


def source(url: str) -> str:
    """The tree file that produces a URL: `topics/a/` -> `topics/a/index.md`, `` -> `index.md`."""
    return url + "index.md"


def page_url(src: str) -> str:
    """The URL a tree file is published at: `topics/a/fundamentals/index.md` -> `topics/a/fundamentals/`."""
    stem = src[:-3]
    if stem == "index":
        return HOME
    return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"
