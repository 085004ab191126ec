"""Sources -> a tree of Markdown pages, through Jinja templates.

Rendering is two passes: topic bodies first (they may call macros), then the
pages that list where things are used (glossary, protocols, references).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from markupsafe import escape

from generator.config import TieredConfig
from generator.errors import Reporter, SourceSyntaxError
from generator.markdown.glossary import Glossary
from generator.markdown.mdtext import md_block, md_text
from generator.markdown.pagemeta import marker, relative_url
from generator.model import (
    Agent,
    Protocol,
    SafetyItem,
    Section,
    Site,
    Term,
    Topic,
    authority,
    reviews,
    safety,
)
from generator.model.approval import derive, regulator
from generator.model.datefmt import longdate
from generator.model.tiers import BY_NAME as TIER_BY_NAME
from generator.model.tiers import DEEPEST, PLAIN, TIER_TITLES, TIERS
from generator.render import bodytemplate, searchindex, structured, urls
from generator.render.readability import Score, StoredScores
from generator.render.references import Bibliography
from generator.render.urls import page_url
from generator.sources.citesyntax import citation_keys, strip_citations
from generator.sources.mdscan import KEY_POINTS, lift_section

TEMPLATES = Path(__file__).parent / "templates"
# Topics; above this many, topics are listed on A-Z pages (a-z/<letter>/) instead of in the
# sidebar, on the home page and on the depth indexes. Material renders the sidebar on every
# page, so a sidebar that lists every topic costs O(N) per page and O(N^2) per build; and a
# page that lists them all outgrows a search engine's per-page limit (Zensical: 16,384 tokens).
AZ_OVER = 30
# Pages reached from the A-Z pages, the tier switch and breadcrumbs on a large site, not the sidebar.
UNLISTED_AT_SCALE = ("/topics/*/index.md", "/topics/*/*/index.md")


@dataclass(frozen=True)
class AzGroup:
    letter: str  # as shown: "A", or "0-9" for titles that start with something else
    key: str  # in the address: a-z/<key>/
    topics: tuple[Topic, ...]


T = TypeVar("T")


def by_first_letter(items: Iterable[T], name: Callable[[T], str], other: str,
                    is_letter: Callable[[str], bool]) -> dict[str, list[T]]:
    """Items sorted by name and grouped under the upper-cased first letter of it (`other` for
    names that do not start with one), the groups in order."""
    groups: dict[str, list[T]] = defaultdict(list)
    for item in sorted(items, key=lambda i: name(i).casefold()):
        first = name(item)[:1].upper()
        groups[first if first and is_letter(first) else other].append(item)
    return dict(sorted(groups.items()))


def az_groups(topics: Iterable[Topic]) -> list[AzGroup]:
    # ASCII letters only: the letter is part of the page's address.
    groups = by_first_letter(topics, lambda t: t.title, "0-9", lambda c: "A" <= c <= "Z")
    return [AzGroup(letter, letter.lower(), tuple(ts)) for letter, ts in groups.items()]

def heading_case(name: str) -> str:
    """A glossary term as a heading: its first letter upper-case ("Clomiphene citrate"), unless
    its first word already mixes cases, as abbreviations do ("hCG", "pH" stay as written)."""
    first = name.split(" ", 1)[0]
    return name[:1].upper() + name[1:] if first.islower() else name


def front_matter_value(value: Any) -> str:
    """A YAML scalar for front matter; HTML-escaped because themes print it unescaped."""
    return json.dumps(str(escape(" ".join(str(value).split()))), ensure_ascii=False)


@dataclass
class Usage:
    """Where each term and reference is used: (topic slug, tier) pairs, plus other pages."""

    terms: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    cites: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # key -> page src


@dataclass
class Rendered:
    pages: dict[str, str]
    nav: list[Any]
    bodies: dict[tuple[str, str], str]  # (topic, tier) -> rendered body Markdown
    usage: Usage
    sources: dict[str, tuple[str, int]]  # page src -> (source path, line)
    scores: dict[tuple[str, str], Score | None] = field(default_factory=dict)  # (topic, tier) -> reading score
    static: dict[str, str] = field(default_factory=dict)  # non-page files, e.g. robots.txt
    # (topic, tier) -> (terms, citation keys) its body mentions: reused by a preview's next render
    mentions: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    unlisted: tuple[str, ...] = ()  # not_in_nav patterns (gitignore style) for generated pages


class Renderer:
    def __init__(self, site: Site, settings: TieredConfig, glossary: Glossary, rep: Reporter,
                 scores: Callable[[str], Score] | None = None, site_url: str = "",
                 bibliography: Bibliography | None = None, previous: Rendered | None = None,
                 dirty_topics: frozenset[str] = frozenset(), dirty_terms: frozenset[str] = frozenset()):
        self.site, self.settings, self.glossary, self.rep = site, settings, glossary, rep
        # A preview's re-render after editing only the bodies of `dirty_topics` (their front
        # matter unchanged, so titles, protocols, tags and the nav are too): every other page
        # whose inputs cannot have changed is taken from `previous` (preview.py).
        # Likewise `dirty_terms`: glossary entries whose wording (short, definition) changed, nothing else.
        self.previous, self.dirty_topics, self.dirty_terms = previous, dirty_topics, dirty_terms
        self.site_url = site_url
        self.bibliography = bibliography
        self.known_keys = frozenset(site.references)
        self.scores = scores
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True, autoescape=False, trim_blocks=True, lstrip_blocks=True,
        )
        self.env.filters.update(jsonld=lambda data: json.dumps(structured.to_script_json(data)),
                                fm=front_matter_value, text=md_text, markdown=md_block, html=escape, longdate=longdate)
        self.env.filters.update(term_name=lambda slug: site.terms[slug].term, heading=heading_case)
        self.env.globals.update(TIERS=TIERS, TIER_TITLES=TIER_TITLES, TIER=TIER_BY_NAME, PLAIN=PLAIN,
                                settings=settings, site=site,
                                glossary=glossary, bibliography_html=self.bibliography_html,
                                status_of=lambda agent, row: derive(agent, row, settings.approval_jurisdiction),
                                regulator=regulator(settings.approval_jurisdiction), safety_flags=safety.flags,
                                safety_grouped=safety.grouped,
                                SAFETY_KINDS=safety.KINDS, protocol_agents=self.protocol_agents,
                                review_of=self.review_of, nosearch=searchindex.EXCLUDE, urls=urls)
        self.az = az_groups(site.topics.values()) if len(site.topics) > AZ_OVER else []
        self.env.globals.update(az=self.az)
        self.body_env = bodytemplate.environment()  # authors' templates: sandboxed, macros only
        self._related: dict[str, list[Topic]] | None = None
        self._tables: dict[tuple[str, str], str] = {}  # protocol tables: see protocol_table()

    # -- macros available to topic bodies ------------------------------------------------
    MACROS = {"protocol_table": bodytemplate.MacroSpec("protocol_table", 1, 'protocol_table("<slug>")'),
              "do_not_start": bodytemplate.MacroSpec("do_not_start", 1, 'do_not_start("<slug>")')}

    def protocol_table(self, slug: str, url: str) -> str:
        if slug not in self.site.protocols:
            raise MacroError(slug, f"unknown protocol '{slug}' in protocol_table(); "
                             f"known: {', '.join(sorted(self.site.protocols)) or 'none'}")
        # The table's only links are to glossary pages, so it is the same on every page at the
        # same distance from the glossary: rendered once per protocol and distance, not per page
        # (at 1,000 topics, 3,400 renders took 3.5 s of the render).
        key = (slug, relative_url(url, urls.GLOSSARY))
        if key not in self._tables:
            self._tables[key] = self.env.get_template("protocol_table.md.j2").render(
                protocol=self.site.protocols[slug], terms=self.site.terms, url=url, rel=relative_url)
        return self._tables[key]

    def do_not_start(self, slug: str) -> str:
        """The protocol's one 'do not start' list, as a topic body quotes it."""
        proto = self.site.protocols.get(slug)
        if proto is None or not proto.do_not_start:
            known = ", ".join(sorted(s for s, p in self.site.protocols.items() if p.do_not_start)) or "none"
            raise MacroError(slug, f"protocol '{slug}' has no 'do_not_start' list for do_not_start(); "
                             f"protocols with one: {known}", "do_not_start")
        return self.env.get_template("do_not_start.md.j2").render(protocol=proto)

    def review_of(self, page_kind: str, slug: str) -> reviews.ReviewStatus:
        return reviews.status(self.site.reviews, page_kind, slug, self.settings.review_interval_months)

    def protocols_using(self, agent: str) -> list[str]:
        """Slugs of the protocols with a row for `agent`."""
        return [p.slug for p in self.site.protocols.values() if any(row.agent == agent for row in p.agents)]

    def urgent_for(self, protocols: Iterable[str]) -> list[str]:
        """The emergency signs of every topic that discusses one of `protocols`, each once, in
        topic order: where a protocol or a medicine is described, the signs its topics list."""
        wanted = set(protocols)
        topics = sorted(self.site.topics.values(), key=lambda t: t.slug)
        return list(dict.fromkeys(s for t in topics if wanted & set(t.protocols) for s in t.urgent))

    def protocol_agents(self, proto: Protocol) -> list[Term]:
        """The protocol's agents as glossary terms, each once, in row order."""
        slugs = dict.fromkeys(row.agent for row in proto.agents)
        return [self.site.terms[s] for s in slugs if s in self.site.terms and self.site.terms[s].agent]

    def before_you_start(self, topic: Topic) -> tuple[list[tuple[Term, SafetyItem]], list[tuple[Term, SafetyItem]]]:
        """Boxed and pregnancy warnings of every agent in the topic's protocols, each once: those
        that concern the topic's readers, and those that concern only other groups (a womb-cancer
        warning on a men's topic), which the page folds rather than leaves out."""
        out: dict[tuple[str, str], tuple[Term, SafetyItem]] = {}
        for slug in topic.protocols:
            if slug in self.site.protocols:
                for term in self.protocol_agents(self.site.protocols[slug]):
                    assert term.agent is not None
                    for item in safety.flagged_items(term.agent):
                        out.setdefault((term.slug, item.text), (term, item))
        items = list(out.values())
        return ([(t, i) for t, i in items if safety.applies(i, topic.population)],
                [(t, i) for t, i in items if not safety.applies(i, topic.population)])

    @staticmethod
    def _section(topic: Topic, tier: str) -> Section:
        section = topic.sections[tier] if tier in topic.sections else topic.reflection
        assert section is not None
        return section

    def _render_body(self, topic: Topic, tier: str, url: str) -> str | None:
        section = self._section(topic, tier)
        if bodytemplate.plain(self.body_env, section.body):
            return section.body
        try:
            template = bodytemplate.check(self.body_env, section.body, self.MACROS, section.line + 1)
            return template.render(protocol_table=lambda slug: self.protocol_table(slug, url),
                                   do_not_start=self.do_not_start)
        except MacroError as exc:  # before its base class: its line comes from the argument
            if self.site.is_unavailable("protocol", exc.slug):
                return None  # the protocol's own file has the error
            self.rep.error(topic.loc.path, _line_of(section.body, exc.slug, section.line, exc.macro), str(exc))
        except SourceSyntaxError as exc:
            self.rep.error(topic.loc.path, exc.line, str(exc))
        except (jinja2.TemplateError, RecursionError, MemoryError) as exc:  # the sandbox refused something
            self.rep.error(topic.loc.path, section.line + 1, f"template error: {exc}")
        return None

    def bibliography_html(self, link: Callable[[str], str], cited: dict[str, set[str]]) -> str:
        """The site bibliography: every entry, with back-links to the pages citing it."""
        bib = self.bibliography
        if bib is None:
            return ""
        items = []
        for key in sorted(bib.entries, key=lambda k: (re.sub("<[^<>]+>", "", bib.html(k)).casefold(), k)):
            pages = sorted(cited.get(key, ()))
            back = " · ".join(f'<a href="{escape(link(page_url(p)))}">{escape(_page_label(self.site, p))}</a>'
                              for p in pages) or "Not cited on any page yet."
            # The back-links are navigation, not the reference: out of the search index, where
            # on a large site they would also be most of its words (a page per citing page).
            items.append(f'<li id="ref-{escape(key)}">{bib.html(key)}<br><span class="cited-by" '
                         f'{searchindex.EXCLUDE}>Cited on: {back}</span></li>')
        return '<ol class="references bibliography">\n' + "\n".join(items) + "\n</ol>"

    # -- the page tree -------------------------------------------------------------------
    def render(self) -> Rendered:
        site = self.site
        pages: dict[str, str] = {}
        sources: dict[str, tuple[str, int]] = {}
        bodies: dict[tuple[str, str], str] = {}
        usage = Usage()
        prev = self.previous
        for topic in site.topics.values():
            for tier in (*TIERS, "reflection"):
                if tier == "reflection" and topic.reflection is None:
                    continue
                if prev is not None and topic.slug not in self.dirty_topics and (topic.slug, tier) in prev.bodies:
                    bodies[(topic.slug, tier)] = prev.bodies[(topic.slug, tier)]
                    continue
                url = urls.topic(topic.slug, DEEPEST if tier == "reflection" else tier)
                body = self._render_body(topic, tier, url)
                # A body whose template failed stays as written, so the rest of the site is still
                # rendered and checked (every error in one run); the error fails the build.
                bodies[(topic.slug, tier)] = body if body is not None else self._section(topic, tier).body

        mentions: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = {}
        for (slug, tier), body in bodies.items():
            tiers = TIERS if tier == "reflection" else (tier,)  # a reflection appears on every tier page
            if prev is not None and slug not in self.dirty_topics and (slug, tier) in prev.mentions:
                mentions[(slug, tier)] = prev.mentions[(slug, tier)]
            else:
                mentions[(slug, tier)] = (frozenset(self.glossary.matcher.slugs(strip_citations(body))),
                                          frozenset(citation_keys(body, self.known_keys)))
            mentioned, keys = mentions[(slug, tier)]
            for t in tiers:
                for term_slug in mentioned:
                    usage.terms[term_slug].add((slug, t))
                for key in keys:
                    usage.cites[key].add(urls.source(urls.topic(slug, t)))

        scores: dict[tuple[str, str], Score | None] = {}
        if isinstance(self.scores, StoredScores):  # a one-off build: new bodies scored in parallel
            self.scores.prefetch([bodies[(slug, tier)] for slug in site.topics for tier in TIERS])
        for topic in site.topics.values():
            reuse = prev is not None and topic.slug not in self.dirty_topics
            for tier in TIERS:
                src = urls.source(urls.topic(topic.slug, tier))
                body = bodies[(topic.slug, tier)]
                if reuse and prev is not None and (topic.slug, tier) in prev.scores:
                    # Same body, same score: a preview's first edit scored every body again (2 s).
                    scores[(topic.slug, tier)] = prev.scores[(topic.slug, tier)]
                else:
                    scores[(topic.slug, tier)] = self.scores(body) if self.scores else None
                if reuse and prev is not None and src in prev.pages:
                    pages[src], sources[src] = prev.pages[src], prev.sources[src]
                    continue
                cited = _cited_keys(body + "\n" + bodies.get((topic.slug, "reflection"), ""), self.known_keys)
                ld = structured.tier_page(site, topic, tier, cited, self.settings, self.site_url,
                                          self.review_of("topic", topic.slug))
                key_points, rest = lift_section(body)
                search = searchindex.front_matter(
                    "topic", TIER_TITLES[tier], topic.title, " ".join((topic.title, topic.summary, body)),
                    self.term_names({*mentions[(topic.slug, tier)][0],
                                     *self.glossary.matcher.slugs(f"{topic.title}. {topic.summary}")}),
                    tier=tier, topic=topic.slug)
                pages[src] = self._page("tier.md.j2", src, tier=tier, topic=topic, body=rest, ld=ld, search=search,
                                        related=self.related_topics(topic),
                                        key_points=key_points, key_points_title=KEY_POINTS,
                                        before=self.before_you_start(topic) if tier == PLAIN else ([], []),
                                        reflection=bodies.get((topic.slug, "reflection")),
                                        score=scores[(topic.slug, tier)])
                sources[src] = (self.rep.rel(topic.loc.path), topic.sections[tier].line)
            src = urls.source(urls.topic(topic.slug))
            if reuse and prev is not None and src in prev.pages:
                pages[src], sources[src] = prev.pages[src], prev.sources[src]
            else:
                search = searchindex.front_matter("overview", "Overview", topic.title,
                                                  " ".join((topic.title, topic.summary)),
                                                  searchindex.slug_words(topic.slug), topic=topic.slug)
                pages[src] = self._page("topic.md.j2", src, tier=PLAIN, topic=topic, search=search,
                                        scores={t: scores[(topic.slug, t)] for t in TIERS})
                sources[src] = (self.rep.rel(topic.loc.path), 1)

        def kept(src: str) -> bool:
            """Take `src` from the previous render (a page no edited body can change)."""
            if prev is None or src not in prev.pages:
                return False
            pages[src] = prev.pages[src]
            if src in prev.sources:
                sources[src] = prev.sources[src]
            return True

        # The section's own page, so navigation.indexes does not make the first depth the
        # section's label and hide it.
        src = urls.source(urls.TIERS)
        if not kept(src):
            pages[src] = self._page("tiers.md.j2", src, tier=PLAIN)
        for tier in TIERS:
            src = urls.source(urls.tier_index(tier))
            pages[src] = self._page("tier_index.md.j2", src, tier=tier, this_tier=tier,
                                    scores={s: scores[(s, tier)] for s in site.topics})
        for term in site.terms.values():
            src = urls.source(urls.term(term.slug))
            for key in [*term.sources, *(agent_sources(term.agent) if term.agent else [])]:
                usage.cites[key].add(src)
            # A term page lists the pages that use the term: redone when that list changes.
            if prev is not None and term.slug not in self.dirty_terms \
                    and prev.usage.terms.get(term.slug, set()) == usage.terms.get(term.slug, set()) and kept(src):
                continue
            search = searchindex.front_matter(
                "glossary", "Glossary", heading_case(term.term),
                " ".join((term.term, *term.aliases, term.short, term.definition or "")),
                names=(term.term, *term.aliases))
            pages[src] = self._page("term.md.j2", src, tier=PLAIN, term=term, own=term.slug, search=search,
                                    urgent=self.urgent_for(self.protocols_using(term.slug)) if term.agent else [],
                                    ld=structured.defined_term(term, self.site_url),
                                    used=_by_tier(usage.terms.get(term.slug, set())))
            sources[src] = (self.rep.rel(term.loc.path), 1)
        src = urls.source(urls.GLOSSARY)
        if self.dirty_terms or not kept(src):
            pages[src] = self._page("glossary.md.j2", src, tier=PLAIN,
                                                letters=_letters(site),
                                                ld=structured.defined_term_set(site, self.settings, self.site_url))
        for proto in site.protocols.values():
            src = urls.source(urls.protocol(proto.slug))
            if not kept(src):
                used = sorted(t.slug for t in site.topics.values() if proto.slug in t.protocols)
                table = self.protocol_table(proto.slug, page_url(src))
                search = searchindex.front_matter(
                    "protocol", "Protocol", proto.name, " ".join((proto.name, proto.goal, proto.audience)),
                    [*searchindex.slug_words(proto.slug),
                     *self.term_names(t.slug for t in self.protocol_agents(proto))])
                pages[src] = self._page("protocol.md.j2", src, tier=PLAIN, protocol=proto, table=table, used=used,
                                        urgent=self.urgent_for([proto.slug]),
                                        search=search)
                sources[src] = (self.rep.rel(proto.loc.path), 1)
            for key in {*proto.sources, *(k for row in proto.agents for k in row.sources),
                        *(k for c in proto.combinations for k in c.sources),
                        *(k for t in self.protocol_agents(proto) if t.agent
                          for i in t.agent.safety for k in i.sources)}:
                usage.cites[key].add(src)
        src = urls.source(urls.PROTOCOLS)
        if not kept(src):
            pages[src] = self._page("protocols.md.j2", src, tier=PLAIN)
        src = urls.source(urls.REFERENCES)
        if not (prev is not None and _same_sets(prev.usage.cites, usage.cites) and kept(src)):
            pages[src] = self._page("references.md.j2", src, tier=PLAIN,
                                                cited=usage.cites,
                                                style=self.bibliography.style_title if self.bibliography else "")
        src = urls.source(urls.HOME)
        if not kept(src):
            pages[src] = self._page("home.md.j2", src, tier=PLAIN)
        if site.about is not None:
            src = urls.source(urls.ABOUT)
            pages[src] = self._page(
                "about.md.j2", src, tier=PLAIN, about=site.about, hosts=authority.hosts(),
                latest=max((r.date for r in site.reviews), default=None))
            sources[src] = (self.rep.rel(site.about.loc.path), 1)
        src = urls.source(urls.AZ)
        if self.az and not kept(src):
            pages[src] = self._page("az.md.j2", src, tier=PLAIN)
        for group in self.az:
            src = urls.source(urls.az_letter(group.key))
            if not kept(src):
                pages[src] = self._page("az_letter.md.j2", src, tier=PLAIN, letter=group.letter, key=group.key,
                                        topics=group.topics)
        nav = prev.nav if prev is not None else self.nav()
        static = {"robots.txt": self.robots(), **self.tips()}
        return Rendered(pages, nav, bodies, usage, sources, scores, static, mentions,
                        UNLISTED_AT_SCALE if self.az else ())

    def tips(self) -> dict[str, str]:
        """Each term's tooltip text, in a file of its own beside its page (terms extension)."""
        return {urls.term_tip(t.slug): json.dumps({"term": t.term, "short": t.short}, ensure_ascii=False,
                                                              sort_keys=True) + "\n"
                for t in self.site.terms.values()}

    def robots(self) -> str:
        """Crawlers may read everything; the sitemap sits at the site root."""
        lines = ["User-agent: *", "Allow: /"]
        if self.site_url:
            lines.append(f"Sitemap: {self.site_url.rstrip('/')}/sitemap.xml")
        return "\n".join(lines) + "\n"

    def _page(self, template: str, src: str, tier: str, own: str = "", **context: Any) -> str:
        url = page_url(src)
        head = marker(tier=tier, url=url or "./", term=own)
        # Printed on handouts; with no published address configured (SITE_URL unset) none is printed.
        address = (self.site_url.rstrip("/") + "/" + url) if self.site_url else ""
        return self.env.get_template(template).render(
            marker=head, url=url, tier=tier, link=lambda to: relative_url(url, to), page_address=address, **context)

    def term_names(self, slugs: Iterable[str]) -> list[str]:
        """Every name (and alias, brand name) of the glossary terms `slugs`: search keywords
        for a page that uses them."""
        terms = self.site.terms
        return [name for slug in slugs if slug in terms for name in (terms[slug].term, *terms[slug].aliases)]

    def related_topics(self, topic: Topic, most: int = 5) -> list[Topic]:
        """Other topics sharing a protocol or a tag with `topic`, the most shared first."""
        if self._related is None:
            self._related = _related_topics(self.site.topics.values(), most)
        return self._related.get(topic.slug, [])

    def nav(self) -> list[Any]:
        topics: list[Any] = [
            # Material prints nav titles as HTML: a title is data, so it is escaped here.
            # Under its topic a tier page is named by its depth alone: the topic's title once, not four times.
            {str(escape(t.title)): [{str(escape(t.title)): urls.source(urls.topic(t.slug))},
                                    *({TIER_TITLES[tier]: urls.source(urls.topic(t.slug, tier))} for tier in TIERS)]}
            for t in sorted(self.site.topics.values(), key=lambda t: t.title.casefold())]
        if self.az:  # a large site: the sidebar holds the A-Z pages, whatever the number of topics
            topics = [{"Topics A to Z": urls.source(urls.AZ)},
                      *({g.letter: urls.source(urls.az_letter(g.key))} for g in self.az)]
        return [
            {"Home": urls.source(urls.HOME)},
            {"Topics": topics},
            # Every entry has its title here, not only in its page: `mkdocs serve --dirty` (preview.py)
            # reads only the pages it rebuilds, and would show other pages' titles as "None".
            {"Reading levels": [{"Reading levels": urls.source(urls.TIERS)},
                                *({TIER_TITLES[t]: urls.source(urls.tier_index(t))} for t in TIERS)]},
            {"Protocols": [{"Protocols": urls.source(urls.PROTOCOLS)},
                           *({str(escape(p.name)): urls.source(urls.protocol(p.slug))}
                             for p in sorted(self.site.protocols.values(), key=lambda p: p.slug))]},
            # Term pages stay out of the sidebar (mkdocs.yml lists them under not_in_nav): the
            # A-Z index reaches them, and 100 more links on every page would slow every build.
            {"Glossary": urls.source(urls.GLOSSARY)},
            {"References": urls.source(urls.REFERENCES)},
            *([{"About": urls.source(urls.ABOUT)}] if self.site.about is not None else []),
        ]


def _same_sets(a: dict[str, set[str]], b: dict[str, set[str]]) -> bool:
    """Equal as mappings, ignoring keys whose set is empty (defaultdicts grow them on lookup)."""
    return {k: v for k, v in a.items() if v} == {k: v for k, v in b.items() if v}


def _related_topics(topics: Iterable[Topic], most: int) -> dict[str, list[Topic]]:
    """For each topic, up to `most` others sharing a protocol or a tag, the most shared first.

    Through an index from each protocol and tag to its topics, so a site whose topics share
    nothing costs O(N); a tag every topic carries still costs O(N) per topic, so such a tag
    (one on more than `COMMON` topics) says nothing about relatedness and is left out."""
    COMMON = 50
    topics = list(topics)
    keys = {t.slug: {("p", p) for p in t.protocols} | {("t", x.casefold()) for x in t.tags} for t in topics}
    holders: dict[tuple[str, str], list[Topic]] = defaultdict(list)
    for t in topics:
        for key in keys[t.slug]:
            holders[key].append(t)
    out: dict[str, list[Topic]] = {}
    for t in topics:
        shared: dict[str, int] = defaultdict(int)
        by_slug: dict[str, Topic] = {}
        for key in keys[t.slug]:
            if len(holders[key]) > COMMON:
                continue
            for other in holders[key]:
                if other.slug != t.slug:
                    shared[other.slug] += 1
                    by_slug[other.slug] = other
        ranked = sorted(shared, key=lambda s: (-shared[s], by_slug[s].title.casefold(), s))
        out[t.slug] = [by_slug[s] for s in ranked[:most]]
    return out


class MacroError(SourceSyntaxError):
    """A macro call with a bad argument: the line is found afterwards, from the argument's text."""

    def __init__(self, slug: str, message: str, macro: str = "protocol_table"):
        self.slug, self.macro = slug, macro
        super().__init__(0, message)


def agent_sources(agent: Agent) -> list[str]:
    """Every key the agent's approval, compounding and safety data cites (shown on its term page)."""
    keys = [a.source for a in agent.approvals]
    for dated in (agent.no_approval, agent.compounding, agent.controlled):
        if dated is not None:
            keys += dated.sources
    return keys + [k for item in agent.safety for k in item.sources]


def _cited_keys(body: str, known: frozenset[str]) -> list[str]:
    """Citation keys in order of first use (an in-text @word that is no key is text; an unknown
    key is an error reported where it is written, and the rest of the page still renders)."""
    return [k for k in dict.fromkeys(citation_keys(body, known)) if k in known]


def _line_of(body: str, needle: str, heading_line: int, macro: str = "") -> int:
    """The line of the first call of `macro` whose text contains `needle` (any line with `needle` when
    no call matches, as when the argument is spelled with other quotes or spacing)."""
    lines = body.split("\n")
    matches: tuple[Callable[[str], bool], ...] = ((lambda l: macro in l and needle in l), (lambda l: needle in l))
    for wanted in matches:
        for i, line in enumerate(lines):
            if wanted(line):
                return heading_line + 1 + i
    return heading_line


def _by_tier(pairs: set[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {t: [] for t in TIERS}
    for slug, tier in sorted(pairs):
        out[tier].append(slug)
    return {t: v for t, v in out.items() if v}


def _letters(site: Site) -> dict[str, list[Term]]:
    return by_first_letter(site.terms.values(), lambda t: t.term, "#", str.isalpha)


def _page_label(site: Site, src: str) -> str:
    parts = src[: -len("/index.md")].split("/") if src.endswith("/index.md") else src[:-3].split("/")
    if parts[0] == "topics":
        return f"{site.topics[parts[1]].title} ({TIER_TITLES.get(parts[2], parts[2])})"
    if parts[0] == "glossary":
        return f"Glossary: {site.terms[parts[1]].term}"
    if parts[0] == "protocols":
        return f"Protocol: {site.protocols[parts[1]].name}"
    return src

