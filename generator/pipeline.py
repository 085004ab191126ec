"""Sources -> validated model -> rendered Markdown tree. Shared by the plugin and the CLI."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.config import CONFIG_FILE, Project, TieredConfig
from generator.errors import Diagnostic, Reporter, SourceError
from generator.markdown.glossary import Glossary
from generator.model import Site, Term, Topic
from generator.render.pages import Rendered, Renderer
from generator.render.readability import StoredScores, cores, score_markdown, user_cache
from generator.render.references import Bibliography, format_bibliography
from generator.sources.citesyntax import scan
from generator.sources.files import GLOSSARY, TOPICS, read_text
from generator.sources.load import consistent, did_you_mean, is_draft, load_site, load_term, load_topic


@dataclass
class Prepared:
    site: Site
    glossary: Glossary
    bibliography: Bibliography | None
    rendered: Rendered
    # Warnings and notes from loading (e.g. what a draft still lacks).
    notices: list[Diagnostic] = field(default_factory=list)
    # Errors (`prepare_all` only: `prepare` raises them). The site is then what could be loaded,
    # without the references that do not resolve, so the checks can still run on it.
    errors: list[Diagnostic] = field(default_factory=list)


def check_citation_keys(site: Site, rep: Reporter) -> None:
    """Unknown or malformed citations in topics and glossary definitions, at their source line."""
    for topic in site.topics.values():
        _check_topic(site, rep, topic)
    for term in site.terms.values():
        _check_term(site, rep, term)


def _check_topic(site: Site, rep: Reporter, topic: Topic) -> None:
    for section in [*topic.sections.values(), *([topic.reflection] if topic.reflection else [])]:
        _check_citations(site, rep, topic.loc.path, section.line + 1, section.body)


def _check_term(site: Site, rep: Reporter, term: Term) -> None:
    if term.definition:
        # A block scalar's text starts on the line after its key.
        _check_citations(site, rep, term.loc.path, term.key_lines.get("definition", 1) + 1, term.definition)


def _check_citations(site: Site, rep: Reporter, path: Path, first_line: int, text: str) -> None:
    for c in scan(text):
        if c.error:  # it stays text on the page: said, not fatal
            rep.warning(path, first_line + c.line, f"this looks like a citation but is not one: {c.error}")
        for i, item in enumerate(c.items):
            if item.key in site.references or site.bibliography_unavailable:
                continue  # (a key may be one of the broken file's entries: its own error says so)
            hint = did_you_mean(item.key, site.references)
            if c.in_text and i == 0:  # "@handle" in prose may be no citation at all: it stays text
                rep.warning(path, first_line + c.line, f"'@{item.key}' is not a bibliography key, so it is shown "
                            f"as text{hint} (write \\@ for a literal @)")
            else:
                rep.error(path, first_line + c.line, f"unknown citation key '{item.key}': no such entry in "
                          f"{rep.rel(site.bibliography_path)}{hint}")


def _check_start_here(project: Project, site: Site, rep: Reporter) -> None:
    """`start_here` names a published topic (the home page links to it)."""
    slug = project.settings.start_here
    if slug and slug not in site.topics and not site.is_unavailable("topic", slug):
        config = project.root / CONFIG_FILE
        lines = config.read_text(encoding="utf-8").split("\n") if config.is_file() else []
        line = next((i for i, text in enumerate(lines, 1) if text.strip().startswith("start_here:")), 0)
        rep.error(config, line, f"plugin 'tiered' option 'start_here': no published topic '{slug}'; "
                  f"topics: {', '.join(sorted(site.topics)) or 'none'}")


def prepare(project: Project) -> Prepared:
    """Load, validate and render; raises SourceError listing every error found."""
    prepared = prepare_all(project)
    if prepared.errors:
        raise SourceError(prepared.errors)
    return prepared


def prepare_all(project: Project) -> Prepared:
    """Load, validate and render as much as can be, with every error in `errors`: each stage
    runs on what the one before could load (`consistent`), so an unknown citation in one topic
    does not hide an unknown protocol in another, and what refers to a file that failed to load
    is not reported again (Site.unavailable)."""
    root, settings, site_url = project.root, project.settings, project.site_url
    loaded, rep = load_site(root, jurisdiction=settings.approval_jurisdiction, bibliography=project.bibliography)
    check_citation_keys(loaded, rep)
    _check_start_here(project, loaded, rep)
    site = consistent(loaded)
    if settings.start_here not in site.topics:  # reported above; the home page links every topic instead
        settings = replace(settings, start_here="")
    glossary = Glossary.from_terms(site.terms)
    bib = (format_bibliography(site.bibliography_path, site.references, rep, project.style)
           if site.bibliography_paths else None)
    scores = StoredScores(user_cache(), processes=cores())
    rendered = Renderer(site, settings, glossary, rep, scores=scores, site_url=site_url, bibliography=bib).render()
    if not rep.errors:
        scores.save()
    return Prepared(site, glossary, bib, rendered, [d for d in rep.diagnostics if d.level != "error"],
                    sorted(set(rep.errors)))


def _front(topic: Topic) -> tuple[object, ...]:
    """What of a topic other pages show (titles, lists, nav, related pages, help boxes)."""
    return (topic.title, topic.summary, topic.protocols, topic.tags, topic.urgent, topic.see_clinician,
            topic.loc.path, topic.key_lines)


def prepare_edit(previous: Prepared, root: Path, settings: TieredConfig, changed: list[Path],
                 site_url: str = "") -> Prepared | None:
    """A preview's re-render after `changed` files were saved, when only topic bodies changed:
    each edited topic is reloaded alone and only the pages its body feeds are rendered again
    (render.py, `previous`). None when the edit needs a full `prepare` (anything but an existing
    topic whose front matter is unchanged). Raises SourceError as `prepare` does."""
    topics_dir = (root / TOPICS.folder).resolve()
    topics = dict(previous.site.topics)
    rep = Reporter(root)
    dirty: set[str] = set()
    for path in changed:
        path = path.resolve()
        if path.parent != topics_dir or path.suffix.lower() not in TOPICS.suffixes or not path.is_file():
            return None
        old = topics.get(path.stem)
        text = read_text(rep, path, root)
        topic = load_topic(rep, path, text) if text is not None else None
        if topic is None or old is None or topic.slug != old.slug:
            rep.raise_errors()
            return None
        # Line numbers move when lines are added above the body, so key_lines is compared too.
        if _front(topic) != _front(old):
            return None
        topics[topic.slug] = topic
        dirty.add(topic.slug)
    site = replace(previous.site, topics=topics)
    for slug in dirty:  # the checks `prepare` makes on a topic's own text
        _check_topic(site, rep, site.topics[slug])
    rep.raise_errors()
    rendered = Renderer(site, settings, previous.glossary, rep, scores=score_markdown, site_url=site_url,
                        bibliography=previous.bibliography, previous=previous.rendered,
                        dirty_topics=frozenset(dirty)).render()
    rep.raise_errors()
    return Prepared(site, previous.glossary, previous.bibliography, rendered)


def _wording_only(new: Term, old: Term) -> bool:
    """Whether only the text of an entry changed (short, definition): what no other page's
    Markdown shows. Names, level, links, sources and agent data all reach other pages."""
    return (new.slug, new.names, new.level, new.related, new.sources, new.agent, new.loc.path) == \
        (old.slug, old.names, old.level, old.related, old.sources, old.agent, old.loc.path)


def prepare_term_edit(previous: Prepared, root: Path, settings: TieredConfig, changed: list[Path],
                      site_url: str = "") -> Prepared | None:
    """A preview's re-render after one glossary entry's wording changed, with only that term's
    page, the glossary index and its tooltip file (urls.TIP_FILE) rendered again: pages that
    use the term only link to it, so they do not change. None when the edit needs a full
    `prepare`."""
    if len(changed) != 1:
        return None
    path = changed[0].resolve()
    if path.parent != (root / GLOSSARY.folder).resolve() or path.suffix.lower() not in GLOSSARY.suffixes \
            or not path.is_file():
        return None
    rep = Reporter(root)
    text = read_text(rep, path, root)
    term = load_term(rep, path, text) if text is not None and not is_draft(text) else None
    old = previous.site.terms.get(path.stem)
    if term is None or old is None or not _wording_only(term, old):
        rep.raise_errors()
        return None
    site = replace(previous.site, terms={**previous.site.terms, term.slug: term})
    _check_term(site, rep, term)
    rep.raise_errors()
    glossary = Glossary(site.terms, previous.glossary.matcher)  # the names, so the matcher, are unchanged
    rendered = Renderer(site, settings, glossary, rep, scores=score_markdown, site_url=site_url,
                        bibliography=previous.bibliography, previous=previous.rendered,
                        dirty_terms=frozenset({term.slug})).render()
    rep.raise_errors()
    return Prepared(site, glossary, previous.bibliography, rendered)
