"""Formatted references: citeproc-py with a CSL style, plus the fixes it needs.

Entries arrive already parsed (`bibtex.py`, `csljson.py`) as CSL-JSON items;
citeproc-py only formats them. Every glitch of its HTML output is mended in
`_polish`, one place.
"""
from __future__ import annotations

import html
import re
import warnings
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

# citeproc-py's HTML formatter does not escape field text (a title with
# "<script>" comes out as a tag). Data characters are swapped for private-use
# stand-ins before formatting and escaped after, so no field can form markup.
_STANDINS = {"&": "\ue003", "<": "\ue001", ">": "\ue002"}
_BACK = {v: html.escape(k) for k, v in _STANDINS.items()}
# A DOI as the style prints it: "doi:10.x/y" (AMA), "doi: 10.x/y" (IEEE), "https://doi.org/10.x/y"
# (APA, Vancouver styles); bounded, so linear on hostile fields. It becomes a link and keeps the
# style's own form.
_DOI = re.compile(r"(doi:\s?|https?://(?:dx\.)?doi\.org/)((?:10\.\d{4,9}(?:\.\d+)*|10)/[^\s<]{1,300}?)"
                  r"(?=\.?(?:\s|$|<))")
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


def _unprotect(text: str) -> str:
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


# A locator's label as authors type it -> its CSL locator type ("p. 12" -> page 12).
LOCATOR_LABELS = {"p": "page", "pp": "page", "page": "page", "pages": "page", "ch": "chapter", "chap": "chapter",
                  "chapter": "chapter", "sec": "section", "section": "section", "§": "section", "fig": "figure",
                  "figure": "figure", "vol": "volume", "volume": "volume", "para": "paragraph", "¶": "paragraph",
                  "table": "table", "tab": "table", "col": "column", "l": "line", "line": "line", "n": "note",
                  "note": "note", "app": "appendix", "appendix": "appendix", "pt": "part", "part": "part",
                  "supp": "supplement", "bk": "book", "book": "book"}
_LOCATOR = re.compile(r"(?P<label>[A-Za-z§¶]{1,12})\.?\s*(?P<id>[^\s].{0,200})")
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

    def in_text_forms(self, items: list[tuple[str, str]]) -> list[str]:
        """Each (key, locator) as the style cites it in the text, without its parentheses:
        "Bhasin et al., 2018, p. 12" (APA), "Bhasin et al. 2018, 12" (Chicago)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            csl = CitationStylesStyle(style_file(self.style), validate=False)
            keys = list(dict.fromkeys(k for k, _ in items))
            source = CiteProcJSON([_protect({**self.entries[k].csl, "id": f"e{i}"}) for i, k in enumerate(keys)])
            bib = CitationStylesBibliography(csl, source, formatter.html)
            citations = []
            for key, locator in items:
                m = _LOCATOR.fullmatch(locator)
                label = LOCATOR_LABELS.get(m.group("label").lower()) if m else None
                item = CitationItem(f"e{keys.index(key)}", locator=Locator(label, m.group("id"))) if label and m \
                    else CitationItem(f"e{keys.index(key)}", suffix=f", {locator}" if locator else "")
                citations.append(Citation([item]))
                bib.register(citations[-1])
            out = []
            for citation in citations:
                text = html.unescape(_TAGS.sub("", _unprotect(str(bib.cite(citation, lambda _: None)))))
                text = text.strip()
                out.append(text[1:-1].strip() if text.startswith("(") and text.endswith(")") else text)
        return out


def format_bibliography(path: Path, entries: dict[str, Reference], rep: Reporter,
                        style: str = "american-medical-association") -> Bibliography:
    """Format every entry; an entry citeproc-py cannot format is reported at its line."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc warns on fields it does not map (PMID, PMCID)
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
