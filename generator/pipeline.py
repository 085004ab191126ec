"""Sources -> validated model -> rendered Markdown tree. Shared by the plugin and the CLI."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import TieredConfig
from .errors import Reporter
from .glossary import Glossary
from .load import load_site
from .citesyntax import scan
from .markdown import DEFAULT_STYLE
from .model import Site
from .readability import score_markdown
from .references import Bibliography, format_bibliography
from .render import Rendered, Renderer


@dataclass
class Prepared:
    site: Site
    glossary: Glossary
    bibliography: Bibliography | None
    rendered: Rendered


def check_citation_keys(site: Site, rep: Reporter) -> None:
    """Unknown or malformed citations in topics and glossary definitions, at their source line."""
    bib = rep.rel(site.bibliography_path)

    def check(path: Path, first_line: int, text: str) -> None:
        for c in scan(text):
            if c.error:
                rep.error(path, first_line + c.line, c.error)
            for key, _ in c.items:
                if key not in site.references:
                    rep.error(path, first_line + c.line, f"unknown citation key '{key}': no such entry in {bib}")

    for topic in site.topics.values():
        for section in [*topic.sections.values(), *([topic.reflection] if topic.reflection else [])]:
            check(topic.loc.path, section.line + 1, section.body)
    for term in site.terms.values():
        if term.definition:
            # A block scalar's text starts on the line after its key.
            check(term.loc.path, term.key_lines.get("definition", 1) + 1, term.definition)


def prepare(root: Path, settings: TieredConfig, site_url: str = "", style: str = DEFAULT_STYLE) -> Prepared:
    """Load, validate and render; raises SourceError listing every error found."""
    site, rep = load_site(root)
    check_citation_keys(site, rep)
    rep.raise_errors()
    glossary = Glossary.from_terms(site.terms)
    bib = (format_bibliography(site.bibliography_path, site.references, rep, style)
           if site.bibliography_paths else None)
    rep.raise_errors()
    rendered = Renderer(site, settings, glossary, rep, scores=score_markdown,
                        site_url=site_url, bibliography=bib).render()
    rep.raise_errors()
    return Prepared(site, glossary, bib, rendered)
