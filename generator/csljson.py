"""CSL-JSON bibliographies (as exported by Zotero), read with the line of every field.

BibTeX stays the primary format; CSL-JSON costs little because JSON is YAML,
so the same line-aware loader gives `path:line` for every check.
"""
from __future__ import annotations

from pathlib import Path

from .bibtex import BibSyntaxError
from .model import Location, Reference
from .yamlsource import LineDict, LineList, YAMLSyntaxError, load_yaml

# CSL variable -> the field name the checks use (BibTeX's names).
FIELDS = {"title": "title", "container-title": "journal", "volume": "volume", "issue": "number",
          "page": "pages", "DOI": "doi", "PMID": "pmid", "PMCID": "pmcid"}


def parse_csl_json(path: Path, text: str | None = None) -> dict[str, Reference]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8") if text is None else text)
    except YAMLSyntaxError as exc:
        raise BibSyntaxError(exc.line, str(exc)) from None
    if not isinstance(data, LineList):
        raise BibSyntaxError(1, "a CSL-JSON bibliography is a list of items")
    entries: dict[str, Reference] = {}
    for i, item in enumerate(data):
        line = data.line_of(i)
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
            raise BibSyntaxError(line, "each CSL-JSON item needs a string 'id'")
        key = item["id"]
        if key in entries:
            raise BibSyntaxError(line, f"duplicate bibliography key '{key}'")
        fields: dict[str, str] = {}
        lines: dict[str, int] = {}
        for csl, name in FIELDS.items():
            if item.get(csl) not in (None, ""):
                fields[name] = str(item[csl]).strip()
                lines[name] = item.line_of(csl)
        issued = item.get("issued")
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        if parts and parts[0]:
            fields["year"] = str(parts[0][0])
            lines["year"] = item.line_of("issued")
        authors = item.get("author")
        if isinstance(authors, list) and authors:
            fields["author"] = " and ".join(
                str(a.get("literal") or ", ".join(filter(None, [a.get("family"), a.get("given")])))
                for a in authors if isinstance(a, dict))
            lines["author"] = item.line_of("author")
        kind = "article" if item.get("type") == "article-journal" else str(item.get("type", "misc"))
        entries[key] = Reference(key, kind, fields, Location(path, line), lines)
    return entries
