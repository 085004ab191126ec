"""Annotate glossary terms in the element tree.

    markdown.markdown(text, extensions=[TermsExtension(glossary="glossary")])

Matching is one Aho–Corasick pass per text node for all terms. Only the first
use on a page is annotated by default, and only when the page's tier is at or
below the term's `level`.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..glossary import Glossary, load_glossary
from ..model import TIERS, tier_rank
from . import pagemeta

SKIP_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "abbr", "kbd", "script", "style",
             "sup", "svg", "button", "label", "dt"}
SKIP_CLASSES = {"references", "term-def", "no-terms", "admonition-title", "headerlink"}


def _skipped(el: etree.Element) -> bool:
    if el.tag in SKIP_TAGS:
        return True
    classes = el.get("class")
    return bool(classes and SKIP_CLASSES.intersection(classes.split()))


class TermsTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: "TermsExtension"):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        glossary = self.ext.glossary()
        facts = pagemeta.page_facts(self.md)
        tier = facts.get("tier") or self.ext.getConfig("tier")
        if tier not in TIERS:
            raise ValueError(f"terms: unknown tier {tier!r}; expected one of {', '.join(TIERS)}")
        self.rank = tier_rank(tier)
        self.own = facts.get("term") or self.ext.getConfig("own_term") or None
        self.page_url = facts.get("url", self.ext.getConfig("page_url") or None)
        self.first_only = bool(self.ext.getConfig("first_only"))
        self.base = self.ext.getConfig("glossary_url").strip("/")
        self.glossary = glossary
        self.seen: dict[str, int] = {}
        self._walk(root)

    def _wanted(self, slug: str) -> bool:
        if slug == self.own:
            return False
        if self.first_only and slug in self.seen:
            return False
        return self.rank <= tier_rank(self.glossary.terms[slug].level)

    def _annotate(self, text: str) -> tuple[str, list[etree.Element]]:
        """Split text into a leading string plus new elements whose tails carry the rest."""
        pieces: list[etree.Element] = []
        head = text
        pos = 0
        last: etree.Element | None = None
        for start, end, slug in self.glossary.matcher.find(text):
            if not self._wanted(slug):
                continue
            count = self.seen.get(slug, 0) + 1
            self.seen[slug] = count
            before = text[pos:start]
            if last is None:
                head = before
            else:
                last.tail = before
            term = self.glossary.terms[slug]
            def_id = f"term-def-{slug}" if count == 1 else f"term-def-{slug}-{count}"
            a = etree.Element("a", {
                "class": "term", "data-term": slug,
                "href": pagemeta.relative_url(self.page_url, f"{self.base}/{slug}/"),
                "aria-describedby": def_id,
            })
            a.text = text[start:end]
            span = etree.Element("span", {"class": "term-def", "id": def_id, "role": "tooltip", "hidden": "hidden"})
            span.text = term.short
            pieces += [a, span]
            last = span
            pos = end
        if last is None:
            return text, []
        last.tail = text[pos:]
        return head, pieces

    def _walk(self, el: etree.Element) -> None:
        if el.text:
            el.text, new = self._annotate(el.text)
            for i, child in enumerate(new):
                el.insert(i, child)
        for child in list(el):
            if child.get("class") == "term-def":
                continue
            if not _skipped(child):
                self._walk(child)
            if child.tail:
                child.tail, new = self._annotate(child.tail)
                index = list(el).index(child) + 1
                for i, node in enumerate(new):
                    el.insert(index + i, node)


class TermsExtension(Extension):
    def __init__(self, **kwargs: Any):
        self.config = {
            "glossary": ["glossary", "Folder of glossary YAML files, or a Glossary object"],
            "tier": ["fundamentals", "Tier of pages without a page marker"],
            "first_only": [True, "Annotate only the first use of each term on a page"],
            "glossary_url": ["glossary/", "Site path of the glossary, from the site root"],
            "page_url": ["", "Site path of the page (normally from the page marker)"],
            "own_term": ["", "Slug of the term whose own page this is"],
        }
        super().__init__(**kwargs)

    def glossary(self) -> Glossary:
        source = self.getConfig("glossary")
        return source if isinstance(source, Glossary) else load_glossary(Path(source))

    def extendMarkdown(self, md: Markdown) -> None:
        pagemeta.register(md)
        # After inline parsing (20) so links and code already exist as elements; before toc (5).
        md.treeprocessors.register(TermsTreeprocessor(md, self), "tiered_terms", 12)


def makeExtension(**kwargs: Any) -> TermsExtension:
    return TermsExtension(**kwargs)


