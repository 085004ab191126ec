"""The page marker: one HTML comment that tells the extensions about the page.

Engines strip YAML front matter before Markdown sees it, so page facts that
the extensions need (tier, URL, own term) travel in the body instead:

    <!-- tiered: tier=academic url=topics/hrt/academic/ term=hpg-axis -->
"""
from __future__ import annotations

import posixpath
import re

from markdown import Markdown
from markdown.preprocessors import Preprocessor

MARKER = re.compile(r"^<!--\s*tiered:(?P<body>[^>]*)-->\s*$")


def marker(**facts: str) -> str:
    return "<!-- tiered: " + " ".join(f"{k}={v}" for k, v in facts.items() if v) + " -->"


class PageMetaPreprocessor(Preprocessor):
    """Reads the marker off the page; `facts` are this document's, replaced on every run."""

    NAME = "tiered_page"

    def __init__(self, md: Markdown):
        super().__init__(md)
        self.facts: dict[str, str] = {}

    def run(self, lines: list[str]) -> list[str]:
        self.facts = {}
        for i, line in enumerate(lines[:5]):  # the marker opens the page; never scan the whole body
            m = MARKER.match(line)
            if m:
                self.facts = dict(part.split("=", 1) for part in m.group("body").split() if "=" in part)
                return lines[:i] + lines[i + 1 :]
        return lines


def register(md: Markdown) -> None:
    """Both extensions read the marker: the first to load registers the one preprocessor."""
    if PageMetaPreprocessor.NAME not in md.preprocessors:
        md.preprocessors.register(PageMetaPreprocessor(md), PageMetaPreprocessor.NAME, 40)


def page_facts(md: Markdown) -> dict[str, str]:
    """The current document's marker facts (empty when it has none)."""
    if PageMetaPreprocessor.NAME not in md.preprocessors:
        return {}
    pre = md.preprocessors[PageMetaPreprocessor.NAME]
    return pre.facts if isinstance(pre, PageMetaPreprocessor) else {}


def relative_url(from_url: str | None, to_url: str) -> str:
    """Link from one directory URL to another, relative, so any host path works.

    What `posixpath.relpath` gives, without its two `abspath` calls: a large site asks for
    200,000 links, and relpath cost 3 s of them (measured with cProfile at 1,000 topics).
    Paths with ".." go to relpath itself; a test checks both agree on generated paths."""
    if from_url is None:
        return "/" + to_url.lstrip("/")
    here = [p for p in from_url.split("/") if p and p != "."]
    there = [p for p in to_url.split("/") if p and p != "."]
    if ".." in here or ".." in there:
        rel = posixpath.relpath("/" + to_url.strip("/"), "/" + from_url.strip("/"))
    else:
        common = 0
        for a, b in zip(here, there):
            if a != b:
                break
            common += 1
        rel = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    if rel == ".":
        return "./"
    return rel + "/" if to_url.endswith("/") else rel
