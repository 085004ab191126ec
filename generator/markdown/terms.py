"""Annotate glossary terms in the element tree.

    markdown.markdown(text, extensions=[TermsExtension(glossary="glossary")])

Matching is one Aho–Corasick pass per text node for all terms. Only the first
use on a page is annotated by default, and only when the page's tier is at or
below the term's `level`.

An annotation is a link to the term's glossary page and nothing more: the tooltip's
text (the term's short definition) is not in the page but in the term's own data file,
`glossary/<slug>/tip.json` (render/urls.py), which tooltips.js reads. So a page's HTML depends on
the glossary's names and levels only, and an edit to a definition changes one term page,
the glossary index and one small file, not every page that uses the term.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html import escape
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from generator.markdown import pagemeta
from generator.markdown.glossary import Glossary, load_glossary
from generator.model.tiers import PLAIN, TIERS

SKIP_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "abbr", "kbd", "script", "style",
             "sup", "svg", "button", "label", "dt", "dfn"}
# An author marks where the prose itself defines a term: `*night sweats*{.dfn}` (attr_list)
# becomes <dfn>, HTML's "defining instance", and the term gets no tooltip anywhere on that
# page, since the sentence already says what the tooltip would.
DEFINED_HERE = "dfn"
RAW_SKIP = ("abbr", "a", "code", "kbd", "script", "style", "pre")
SKIP_CLASSES = {"references", "no-terms", "admonition-title", "headerlink"}


def _skipped(el: etree.Element) -> bool:
    if el.tag in SKIP_TAGS:
        return True
    classes = el.get("class")
    return bool(classes and SKIP_CLASSES.intersection(classes.split()))


class TermsTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: TermsExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        glossary = self.ext.glossary()
        facts = pagemeta.page_facts(self.md)
        tier = facts.get("tier") or self.ext.getConfig("tier")
        if tier not in TIERS:
            raise ValueError(f"terms: unknown tier {tier!r}; expected one of {', '.join(TIERS)}")
        self.own = facts.get("term") or self.ext.getConfig("own_term") or None
        self.page_url = facts.get("url", self.ext.getConfig("page_url") or None)
        self.first_only = bool(self.ext.getConfig("first_only"))
        base = self.ext.getConfig("glossary_url").strip("/")
        self.href_base = escape(pagemeta.relative_url(self.page_url, f"{base}/"))  # slugs are [a-z0-9-]
        self.glossary = glossary
        self.seen: set[str] = set()
        # Terms this page may annotate: tier-gated, never the page's own term.
        self.wanted = glossary.explained_at(tier)
        if self.own in self.wanted:
            self.wanted = self.wanted - {self.own}
        self.wanted = self.wanted - self._defined_here(root)
        self.raw_depth = 0  # inside raw inline HTML such as <abbr>…</abbr>, across text nodes
        self.ext.reset()  # one document per run, whether or not the engine calls Markdown.reset()
        self.snippets = self.ext.snippets  # this document's annotations, for the postprocessor
        self._walk(root)

    def _defined_here(self, root: etree.Element) -> set[str]:
        """Turn each element of class `dfn` into <dfn> and return the terms it names."""
        slugs: set[str] = set()
        for el in root.iter():
            classes = (el.get("class") or "").split()
            if DEFINED_HERE not in classes:
                continue
            el.tag = "dfn"
            rest = [c for c in classes if c != DEFINED_HERE]
            if rest:
                el.set("class", " ".join(rest))
            else:
                del el.attrib["class"]
            slugs.update(self.glossary.matcher.slugs("".join(el.itertext())))
        return slugs

    def _skipped_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of text hidden in raw inline HTML (`<abbr>x</abbr>`), tracked in document order."""
        spans: list[tuple[int, int]] = []
        start = 0 if self.raw_depth else None
        for m in HTML_PLACEHOLDER_RE.finditer(text):
            raw = self.md.htmlStash.rawHtmlBlocks[int(m.group(1))]
            tag = str(raw).strip().lower()
            if any(tag.startswith(f"<{t}") and tag[len(t) + 1 : len(t) + 2] in (" ", ">") for t in RAW_SKIP):
                if self.raw_depth == 0:
                    start = m.start()
                self.raw_depth += 1
            elif any(tag.startswith(f"</{t}") for t in RAW_SKIP) and self.raw_depth:
                self.raw_depth -= 1
                if self.raw_depth == 0 and start is not None:
                    spans.append((start, m.end()))
                    start = None
        if start is not None:
            spans.append((start, len(text)))
        return spans

    def _annotate(self, text: str) -> str:
        """Return text with each wanted term replaced by a marker for its finished HTML.

        The tree keeps one text node and `TermsPostprocessor` swaps the markers
        for the HTML in one pass over the output, so annotating adds almost
        nothing to serialisation however many terms a page has. (Python-Markdown's
        own raw-HTML stash works too, but costs several times more per term.)
        """
        out: list[str] = []
        pos = 0
        hidden = self._skipped_spans(text) if "\x02" in text or self.raw_depth else []
        seen, first_only, wanted = self.seen, self.first_only, self.wanted
        for start, end, slug in self.glossary.matcher.find(text):
            if (first_only and slug in seen) or slug not in wanted:
                continue
            if hidden and any(a < end and start < b for a, b in hidden):
                continue
            seen.add(slug)
            snippet = (f'<a class="term" data-term="{slug}" href="{self.href_base}{slug}/">'
                       f"{escape(text[start:end], quote=False)}</a>")
            out += [text[pos:start], f"\x02tt{len(self.snippets)}\x03"]
            self.snippets.append(snippet)
            pos = end
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)

    def _walk(self, el: etree.Element) -> None:
        # Half the text nodes are the newlines between block elements: skip them cheaply.
        if el.text and not el.text.isspace():
            el.text = self._annotate(el.text)
        for child in el:
            if not _skipped(child):
                self._walk(child)
            if child.tail and not child.tail.isspace():
                child.tail = self._annotate(child.tail)


class TermsPostprocessor(Postprocessor):
    """Put each annotation's HTML where its marker stands."""

    MARK = re.compile("\x02tt([0-9]+)\x03")

    def __init__(self, md: Markdown, ext: TermsExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, text: str) -> str:
        snippets = self.ext.snippets
        if not snippets:
            return text
        return self.MARK.sub(lambda m: snippets[int(m.group(1))], text)


class TermsExtension(Extension):
    def __init__(self, **kwargs: Any):
        self.config = {
            "glossary": ["glossary", "Folder of glossary YAML files, or a Glossary object"],
            "tier": [PLAIN, "Tier of pages without a page marker"],
            "first_only": [True, "Annotate only the first use of each term on a page"],
            "glossary_url": ["glossary/", "Site path of the glossary, from the site root"],
            "page_url": ["", "Site path of the page (normally from the page marker)"],
            "own_term": ["", "Slug of the term whose own page this is"],
        }
        super().__init__(**kwargs)
        self.snippets: list[str] = []  # per document: cleared by reset(), as Markdown.reset() asks

    def reset(self) -> None:
        self.snippets = []

    def glossary(self) -> Glossary:
        source = self.getConfig("glossary")
        return source if isinstance(source, Glossary) else load_glossary(Path(source))

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        pagemeta.register(md)
        # After inline parsing (20) and attr_list (8), so links, code and `{: attrs }` are
        # already elements and attributes, never text to annotate; before toc (5).
        md.treeprocessors.register(TermsTreeprocessor(md, self), "tiered_terms", 7)
        md.postprocessors.register(TermsPostprocessor(md, self), "tiered_terms", 25)


def makeExtension(**kwargs: Any) -> TermsExtension:
    return TermsExtension(**kwargs)


