"""Formatted references: citeproc-py with a CSL style, plus the fixes it needs.

Entries arrive already parsed (`bibtex.py`, `csljson.py`) as CSL-JSON items;
citeproc-py only formats them. Every glitch of its HTML output is mended in
`_polish`, one place.
"""
from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

import citeproc
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON

from generator.errors import Reporter
from generator.model import Reference
from generator.sources import cslstyles
from generator.sources.citesyntax import Item
from generator.sources.filecache import cached, file_key
from generator.sources.richtext import restore_tags

# citeproc-py 0.11 parses CSL 1.0.1's name variables only. CSL 1.0.2 adds these creator roles,
# and styles such as APA, IEEE and Chicago read them: left unparsed, an item that has one
# crashed the formatter. They are added to the package's public list of name variables (in
# its Python spelling), so a CSL-JSON or BibTeX item that names a director is a name list.
CSL_102_NAMES = ("chair", "compiler", "contributor", "curator", "director", "editor_translator",
                 "executive_producer", "guest", "host", "narrator", "organizer", "performer", "producer",
                 "reviewed_author", "script_writer", "series_creator")
citeproc.NAMES.extend(n for n in CSL_102_NAMES if n not in citeproc.NAMES)

# CSL says a cs:label is rendered only when its variable is non-empty. citeproc-py 0.11 renders it
# always, so Chicago's short notes read "Alpha, “First”, edition." for an entry with no edition.
# The label is left out when the entry lacks the variable (the locator's label is the style's
# own business, and a names label is asked for with its variable given).
_label_process = citeproc.model.Label.process


def _label_of_a_present_variable(self: Any, item: Any, variable: Any = None, *args: Any, **kwargs: Any) -> Any:
    name = self.get("variable") if variable is None else None
    if name and name != "locator":
        try:
            if not item.reference[name.replace("-", "_")]:
                return None
        except citeproc.source.VariableError:
            return None
    return _label_process(self, item, variable, *args, **kwargs)


citeproc.model.Label.process = _label_of_a_present_variable

# citeproc-py's HTML formatter does not escape field text (a title with
# "<script>" comes out as a tag). Data characters are swapped for private-use
# stand-ins before formatting and escaped after, so no field can form markup.
_STANDINS = {"&": "\ue003", "<": "\ue001", ">": "\ue002"}
_BACK = {v: html.escape(k) for k, v in _STANDINS.items()}
# A DOI as the style prints it: "doi:10.x/y" (AMA), "doi: 10.x/y" (IEEE), "https://doi.org/10.x/y"
# (APA, Vancouver styles); bounded, so linear on hostile fields. It becomes a link and keeps the
# style's own form.
_DOI = re.compile(r"(doi:\s?|https?://(?:dx\.)?doi\.org/)((?:10\.\d{4,9}(?:\.\d+)*|10)/[^\s<]{1,300}?)"
                  r"(?=\.?(?:\s|$|<|&gt;))")
# The list numbers entries itself: drop a style's own "1." or "[1]" label.
_LABEL = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s*")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in HTML/XML text


def _protect(node: Any) -> Any:
    if isinstance(node, str):
        node = _CONTROL.sub("", node)
        for char, standin in _STANDINS.items():
            node = node.replace(char, standin)
        return node
    if isinstance(node, list):
        return [_protect(n) for n in node]
    if isinstance(node, dict):
        return {k: (v if k == "id" else _protect(v)) for k, v in node.items()}
    return node


# The tags citeproc-py's HTML formatter writes. Any other "<", ">" or "&" in its output is the
# style's own text (OSCOLA prints a DOI as "<https://doi.org/…>"): it is escaped, never markup.
_FORMATTER_TAG = re.compile(r'(</?(?:i|b|l|u|sup|sub)>|<span style="font-variant:\s?[a-z-]+;">|</span>)')
_BARE_AMP = re.compile(r"&(?!(?:[a-zA-Z]{1,10}|#\d{1,7}|#x[0-9a-fA-F]{1,6});)")


@contextmanager
def _quiet() -> Iterator[None]:
    """citeproc-py warns on every field it does not map (PMID, PMCID): not the author's concern."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _escape_style_text(text: str) -> str:
    pieces = _FORMATTER_TAG.split(text)
    for i in range(0, len(pieces), 2):  # the pieces between tags
        pieces[i] = _BARE_AMP.sub("&amp;", pieces[i]).replace("<", "&lt;").replace(">", "&gt;")
    return "".join(pieces)


def _unprotect(text: str) -> str:
    text = _escape_style_text(text)
    text = restore_tags(text, _STANDINS["<"], _STANDINS[">"])
    for standin, escaped in _BACK.items():
        text = text.replace(standin, escaped)
    return text


def doi_url(doi: str) -> str:
    """The DOI's address: characters a URL reserves (#, ?, %, <, >, spaces) percent-encoded, as
    the DOI Handbook asks, so an old SICI DOI or a "#" in a suffix still resolves."""
    return "https://doi.org/" + quote(doi, safe="/:;()[]._-~,=+!*'@$&")


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def _doi_link(m: re.Match[str]) -> str:
    prefix, doi = m.group(1), m.group(2)
    href = html.escape(doi_url(html.unescape(doi)))
    if prefix.startswith("http"):  # the address is the style's text: all of it is the link
        return f'<a class="doi" href="{href}">{prefix}{doi}</a>'
    return f'{prefix}<a class="doi" href="{href}">{doi}</a>'


def _polish(raw: str, ref: Reference) -> str:
    text = _LABEL.sub("", str(raw))
    text = _unprotect(text)
    text = _DOI.sub(_doi_link, text)
    # A reference whose address is a web page (a label on DailyMed, an agency page) must be a link,
    # not text to copy: the style prints the address, and it becomes a link here.
    url = (ref.fields.get("url") or str(ref.csl.get("URL") or "")).strip()
    if url.lower().startswith(("https://", "http://")):
        shown = html.escape(url, quote=False)
        if shown in text and f'href="{html.escape(url)}"' not in text:
            text = text.replace(shown, f'<a class="url" href="{html.escape(url)}">{shown}</a>', 1)
    pmid = ref.fields.get("pmid")
    if pmid and pmid.isdigit() and pmid not in text:  # AMA and others omit PubMed IDs; readers need them
        text = text.rstrip() + f' PMID: <a class="pmid" href="{pubmed_url(pmid)}">{pmid}</a>.'
    return text


_TAGS = re.compile(r"<[^>]{0,200}>")


@dataclass
class Bibliography:
    path: Path
    entries: dict[str, Reference]
    formatted: dict[str, str]
    style_title: str = ""  # the CSL style's own title, e.g. "American Medical Association 11th edition"
    citation_format: str = "numeric"  # the style's <category citation-format>: numeric, author-date, ...
    style: str = ""  # the style's CSL file

    def html(self, key: str) -> str:
        return self.formatted[key]

    def year_of(self, key: str) -> str:
        issued = self.entries[key].csl.get("issued")
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        return str(parts[0][0]) if parts and parts[0] else "n.d."

    def _session(self, keys: list[str]) -> tuple[CitationStylesBibliography, dict[str, str]]:
        """A fresh formatter for one page: citeproc-py keeps what a style has cited (for "Ibid."
        and short forms) on the style itself."""
        csl = CitationStylesStyle(style_file(self.style), validate=False)
        ids = {k: f"e{i}" for i, k in enumerate(dict.fromkeys(keys))}
        source = CiteProcJSON([_protect({**self.entries[k].csl, "id": i}) for k, i in ids.items()])
        return CitationStylesBibliography(csl, source, formatter.html), ids

    @staticmethod
    def _item(item: Item, ids: dict[str, str], prefix: bool = False) -> CitationItem:
        """A citation item with its locator in the style's own form ("p. 12", "12") and the
        rest of its suffix after it; the prefix too when the style prints it (notes)."""
        parts, extra = item.parts, {}
        if parts.label:
            extra["locator"] = Locator(parts.label, _protect(parts.value))
        if item.rest():
            extra["suffix"] = _protect(item.rest())
        if prefix and item.prefix:
            extra["prefix"] = _protect(item.prefix + " ")
        return CitationItem(ids[item.key], **extra)

    def author_date_forms(self, citations: list[tuple[bool, list[Item]]]) -> list[list[tuple[str, str]]]:
        """Each item of each citation of a page (each flagged whether its first item is `@key`
        in the text) as an author-date style cites it, without parentheses: whole ("Bhasin et
        al., 2018, p. 12" in APA, "Bhasin et al. 2018, 12" in Chicago) and, where the author is
        named in the text (`@key`, `[-@key]`), with the author left out ("2018, p. 12")."""
        with _quiet():
            bib, ids = self._session([i.key for _, items in citations for i in items])
            pairs = [[(Citation([self._item(i, ids)]),
                       Citation([CitationItem(ids[i.key])]) if i.suppress_author or (in_text and n == 0) else None)
                      for n, i in enumerate(items)] for in_text, items in citations]
            for whole, bare in (pair for items in pairs for pair in items):
                bib.register(whole)
                if bare is not None:
                    bib.register(bare)
            out = []
            for (_, items), cites in zip(citations, pairs):
                forms = []
                for item, (whole, bare) in zip(items, cites):
                    w = self._text(bib, whole)
                    if bare is None:
                        forms.append((w, ""))
                        continue
                    b = self._text(bib, bare)
                    # The locator and suffix as the style prints them, after the year alone.
                    tail = w[len(b):] if w.startswith(b) else item.rest()
                    forms.append((w, self.year_of(item.key) + tail))
                out.append(forms)
        return out

    @staticmethod
    def _text(bib: CitationStylesBibliography, citation: Citation) -> str:
        text = html.unescape(_TAGS.sub("", _unprotect(str(bib.cite(citation, lambda _: None))))).strip()
        return text[1:-1].strip() if text.startswith("(") and text.endswith(")") else text

    def notes(self, citations: list[list[Item]]) -> list[str]:
        """Each citation of a page as a note style writes its note, in page order, so the style
        can give a full note first, a short one later and "Ibid." right after (HTML)."""
        with _quiet():
            bib, ids = self._session([i.key for items in citations for i in items])
            cites = [Citation([self._item(i, ids, prefix=True) for i in items]) for items in citations]
            for citation in cites:
                bib.register(citation)
            out = []
            for citation in cites:
                text = _unprotect(str(bib.cite(citation, lambda _: None))).strip()
                text = _DOI.sub(_doi_link, text)
                out.append(text[:1].upper() + text[1:] if text[:1].islower() else text)
        return out

    def list_order(self, keys: list[str]) -> list[str]:
        """The page's references in the order its list shows them: as first cited for a numeric
        style, else the style's own bibliography sort (author, then year, for APA or Chicago)."""
        if self.citation_format == "numeric" or len(keys) < 2:
            return keys
        with _quiet():
            bib, ids = self._session(keys)
            for key in keys:
                bib.register(Citation([CitationItem(ids[key])]))
            try:
                bib.sort()
            except Exception:  # a style with no bibliography sort of its own: as cited
                return keys
            by_id = {i: k for k, i in ids.items()}
            return [by_id[i] for i in bib.keys]


def format_bibliography(path: Path, entries: dict[str, Reference], rep: Reporter,
                        style: str = "american-medical-association") -> Bibliography:
    """Format every entry; an entry citeproc-py cannot format is reported at its line."""
    with _quiet():
        csl = CitationStylesStyle(style_file(style), validate=False)
        out: dict[str, str] = {}
        # One source and one bibliography per entry: an entry's text never depends on its
        # neighbours, and keys that citeproc-py lower-cases can never stand in for each other.
        for key, ref in entries.items():
            try:
                source = CiteProcJSON([_protect({**ref.csl, "id": "entry"})])
                bib = CitationStylesBibliography(csl, source, formatter.html)
                bib.register(Citation([CitationItem("entry")]))
                items = bib.bibliography()
            except Exception as exc:  # citeproc-py fails in many ways on odd data; name the entry
                rep.error(ref.loc.path, ref.loc.line,
                          f"'{key}': cannot be formatted ({exc.__class__.__name__}); check its fields")
                continue
            out[key] = _polish(items[0], ref) if items else html.escape(key)
    return Bibliography(path, entries, out, style_title(style), citation_format(style), style)


def style_file(style: str) -> str:
    """The CSL file of `style`: a path already resolved by the config (a shipped style's or
    the project's own .csl), or a shipped style's name."""
    return style if style.endswith(".csl") else str(cslstyles.resolve(style, Path(".")))


def citation_format(style: str) -> str:
    """The style's citation format from its metadata: numeric, author-date, author, label or note."""
    tree = ElementTree.parse(style_file(style))
    ns = "{http://purl.org/net/xbiblio/csl}"
    node = tree.find(f"{ns}info/{ns}category[@citation-format]")
    return node.get("citation-format", "numeric") if node is not None else "numeric"


def style_title(style: str) -> str:
    """The <info><title> of a CSL style."""
    tree = ElementTree.parse(style_file(style))
    node = tree.find("{http://purl.org/net/xbiblio/csl}info/{http://purl.org/net/xbiblio/csl}title")
    return (node.text or style).strip() if node is not None else style


def load_bibliography(*paths: Path, style: str = "american-medical-association") -> Bibliography:
    """Parse and format BibTeX or CSL-JSON files (the extensions' own path, used when no
    build handed them a bibliography); reused until a file changes."""
    from generator.sources.bibtex import parse_bibtex
    from generator.sources.csljson import parse_csl_json

    def build() -> Bibliography:
        rep = Reporter(paths[0].parent)
        entries: dict[str, Reference] = {}
        for path in paths:
            entries.update((parse_csl_json if path.suffix == ".json" else parse_bibtex)(path, rep))
        bib = format_bibliography(paths[0], entries, rep, style)
        rep.raise_errors()
        return bib

    # The project's own style file is an input like the bibliographies: an edit to it is seen.
    files = [*paths, Path(style)] if style.endswith(".csl") else list(paths)
    return cached("bibliography", (style, *file_key(files)), build)
