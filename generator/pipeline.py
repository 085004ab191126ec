"""Sources -> validated model -> rendered Markdown tree. Shared by the plugin and the CLI."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .errors import Reporter
from .glossary import Glossary
from .load import load_site
from .markdown.cite import CITATION_RE, CitationError, parse_citation
from .model import Site
from .readability import score_markdown
from .references import Bibliography, load_bibliography
from .render import Rendered, Renderer


@dataclass
class Prepared:
    site: Site
    glossary: Glossary
    bibliography: Bibliography | None
    rendered: Rendered


def check_citation_keys(site: Site, rep: Reporter) -> None:
    """Unknown or malformed citations in topics, reported at their source line."""
    for topic in site.topics.values():
        for section in [*topic.sections.values(), *([topic.reflection] if topic.reflection else [])]:
            for i, line in enumerate(section.body.split("\n")):
                for m in CITATION_RE.finditer(line):
                    try:
                        items = parse_citation(m.group(1))
                    except CitationError as exc:
                        rep.error(topic.loc.path, section.line + 1 + i, str(exc))
                        continue
                    for key, _ in items:
                        if key not in site.references:
                            rep.error(topic.loc.path, section.line + 1 + i,
                                      f"unknown citation key '{key}': no such entry in {rep.rel(site.bibliography_path)}")


def prepare(root: Path, settings: Any, today: date | None = None, site_url: str = "") -> Prepared:
    """Load, validate and render; raises SourceError listing every error found."""
    site, rep = load_site(root)
    check_citation_keys(site, rep)
    rep.raise_errors()
    glossary = Glossary.from_terms(site.terms)
    bib = load_bibliography(*site.bibliography_paths) if site.bibliography_paths else None
    rendered = Renderer(site, settings, glossary, rep, today or date.today(), scores=score_markdown,
                        site_url=site_url, bibliography=bib).render()
    rep.raise_errors()
    return Prepared(site, glossary, bib, rendered)
