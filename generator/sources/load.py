"""Read and validate every source. Each problem is reported with its path:line."""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from generator.config import DEFAULT_BIBLIOGRAPHY
from generator.errors import Reporter, SourceSyntaxError
from generator.markdown.mdtext import data_link_problems
from generator.model import (
    About,
    Agent,
    Approval,
    Combination,
    Dated,
    Evidence,
    Location,
    Protocol,
    ProtocolAgent,
    Reference,
    Review,
    Reviewer,
    SafetyItem,
    Section,
    Site,
    Term,
    Topic,
)
from generator.model.approval import APPROVED, CAUTION, derive, near_misses
from generator.model.reviews import KINDS as REVIEW_KINDS
from generator.model.safety import KINDS
from generator.model.tiers import DEEPEST, TIER_TITLES, TIERS, order_words
from generator.model.tiers import HEADINGS as TOPIC_HEADINGS
from generator.sources import mdlimits, schemas
from generator.sources.bibtex import parse_bibtex
from generator.sources.csljson import parse_csl_json
from generator.sources.files import (
    GLOSSARY,
    PROTOCOLS,
    TOPICS,
    Kind,
    bidi_controls,
    check_published_trees,
    read_text,
    source_files,
)
from generator.sources.mdscan import headings
from generator.sources.yamlsource import LineDict, LineList, load_yaml

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # used with fullmatch: no trailing newline slips through
# A term name must be matchable exactly: the matcher treats punctuation as a word gap,
# so "C++" would match every "C" and "(a)" every "a".
TERM_NAME = re.compile(r"[^\W_](?:[\w\s'\u2019.-]*[^\W_])?")


class _Fields:
    """Typed reads from one YAML mapping that its schema (generator/sources/schemas.py) has already
    checked: a value of the wrong shape reads as the default, and the schema has reported it."""

    def __init__(self, data: LineDict, line: int | None = None):
        self.data = data
        self.home = line or data.line  # the block's own line, for errors about the whole block

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key)
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            return default
        return str(value).strip()

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key)
        return value if isinstance(value, list) else []

    def mappings(self, key: str) -> Iterator[_Fields]:
        """Each mapping in the list at `key`, as fields that know the item's line."""
        items = self.items(key)
        for i, item in enumerate(items):
            if isinstance(item, LineDict):
                yield _Fields(item, items.line_of(i) if isinstance(items, LineList) else self.line(key))

    def texts(self, key: str) -> list[str]:
        return [i.strip() for i in self.items(key) if isinstance(i, str)]

    def flag(self, key: str) -> bool:
        return self.data.get(key) is True

    def iso_date(self, key: str) -> date | None:
        try:
            return date.fromisoformat(self.text(key))
        except ValueError:
            return None


def _yaml_file(rep: Reporter, path: Path, text: str, schema: str, first_line: int = 1,
               not_a_mapping: str = "expected a YAML mapping of keys to values") -> LineDict | None:
    """A YAML file (or front matter starting at `first_line`) that must be a mapping, checked
    against its schema; every problem is reported, and the data returned for further checks."""
    bidi_controls(rep, path, text, first_line)
    try:
        data = load_yaml(text, first_line=first_line)
    except SourceSyntaxError as exc:
        rep.error(path, exc.line, str(exc))
        return None
    if not isinstance(data, LineDict):
        rep.error(path, first_line, not_a_mapping)
        return None
    schemas.validate(rep, path, data, schema)
    return data


def _check_slug(rep: Reporter, path: Path) -> str:
    slug = unicodedata.normalize("NFC", path.stem)
    if not SLUG.fullmatch(slug):
        rep.error(path, 1, f"file name '{path.name}' is not a slug: use lower-case words joined by '-'")
    return slug


def load_term(rep: Reporter, path: Path, text: str) -> Term | None:
    data = _yaml_file(rep, path, text, "glossary-term")
    if data is None:
        return None
    f = _Fields(data)
    level = f.text("level")
    name, aliases = f.text("term"), f.texts("aliases")
    for key, names in (("term", [name]), ("aliases", aliases)):
        for n in names:
            if n and not TERM_NAME.fullmatch(n):
                rep.error(path, f.line(key), f"name {n!r} cannot be matched exactly in text: a term name uses "
                          "letters, digits, spaces, hyphens, apostrophes and full stops, and starts and ends "
                          "with a letter or digit")
    definition = f.text("definition")
    _parse_limits(rep, path, f.line("definition") + 1, definition)
    for target in data_link_problems(definition):
        rep.error(path, f.line("definition"), f"link to {target!r} in 'definition': data fields may link only "
                  "to http(s), mailto and pages of this site")
    agent = _agent(rep, path, data) if "agent" in data else None
    return Term(
        slug=_check_slug(rep, path), term=name, aliases=aliases, short=f.text("short"),
        definition=definition, level=level if level in TIERS else DEEPEST,
        related=f.texts("related"), sources=f.texts("sources"), agent=agent,
        loc=Location(path, 1), key_lines=dict(data.lines),
    )


def load_protocol(rep: Reporter, path: Path, text: str) -> Protocol | None:
    data = _yaml_file(rep, path, text, "protocol")
    if data is None:
        return None
    f = _Fields(data)
    rows = [_row(row) for row in f.mappings("agents")]
    return Protocol(
        slug=_check_slug(rep, path), name=f.text("name"), audience=f.text("audience"), goal=f.text("goal"),
        agents=rows, monitoring=f.texts("monitoring"), sources=f.texts("sources"),
        loc=Location(path, 1), key_lines=dict(data.lines), combinations=_combinations(f),
        do_not_start=f.texts("do_not_start"), do_not_start_sources=f.texts("do_not_start_sources"),
    )


def _agent(rep: Reporter, path: Path, data: LineDict) -> Agent | None:
    block, home = data["agent"], data.line_of("agent")
    if not isinstance(block, LineDict):
        return None
    a = _Fields(block, home)
    routes = a.texts("routes")
    approvals: list[Approval] = []
    for f in a.mappings("approvals"):
        route = f.text("route")
        if route and route not in routes:
            rep.error(path, f.line("route"), f"approval route {route!r} is not one of the agent's routes: "
                      f"{', '.join(routes) or 'none'}")
        year = f.data.get("year")
        approvals.append(Approval(f.text("jurisdiction"), f.text("product"), f.text("indication"),
                                  f.text("population"), route, f.text("source"), f.home,
                                  year if isinstance(year, int) and not isinstance(year, bool) else None,
                                  f.iso_date("as_of")))
    no_approval = _dated(a, "no_approval")
    if approvals and no_approval is not None:
        rep.error(path, a.line("no_approval"), "'no_approval' contradicts 'approvals': keep the one that is true")
    safety = [SafetyItem(f.text("kind"), f.text("text"), f.text("detail"), f.texts("sources"), f.home,
                         tuple(f.texts("applies_to")))
              for f in a.mappings("safety") if f.text("kind") in KINDS]
    return Agent(a.text("class"), a.text("mechanism"), routes, approvals, no_approval,
                 _dated(a, "compounding"), _dated(a, "controlled"), safety, home)


def _dated(parent: _Fields, key: str) -> Dated | None:
    """`key: {text, as_of, sources}`: a statement with the date it was last checked."""
    block = parent.data.get(key)
    if not isinstance(block, LineDict):
        return None
    f = _Fields(block, parent.line(key))
    as_of = f.iso_date("as_of")
    return None if as_of is None else Dated(f.text("text"), as_of, f.texts("sources"), f.home)


def _row(a: _Fields) -> ProtocolAgent:
    status = a.text("status")
    return ProtocolAgent(
        agent=a.text("agent"), role=a.text("role"), route=a.text("route"),
        frequency=a.text("frequency"), dose=a.text("dose") or None,
        optional=a.flag("optional"), evidence=_evidence(a), line=a.data.line,
        indication=a.text("indication"), population=a.text("population"), compounded=a.flag("compounded"),
        choose=a.text("choose"), status=status if status in ROW_STATUSES else None,
        status_reason=a.text("status_reason"), key_lines=dict(a.data.lines),
    )


ROW_STATUSES = tuple(CAUTION)


def _evidence(row: _Fields) -> list[Evidence]:
    """`sources:` as plain keys, or as {key, locator, supports} that back the row's schedule."""
    out: list[Evidence] = []
    for item in row.items("sources"):
        if isinstance(item, str):
            out.append(Evidence(item.strip()))
        elif isinstance(item, LineDict):
            f = _Fields(item)
            out.append(Evidence(f.text("key"), f.text("locator"), f.text("supports")))
    return out


def _combinations(f: _Fields) -> list[Combination]:
    return [Combination(c.texts("agents"), c.text("text"), c.texts("sources"), c.home)
            for c in f.mappings("combinations")]


def split_front_matter(text: str) -> tuple[str, int] | None:
    """Return the front matter text and the line where the body starts."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 2
    return None


def _markdown_file(rep: Reporter, path: Path, text: str, schema: str,
                   keys: str) -> tuple[_Fields, LineDict, list[str], int] | None:
    """A Markdown source with YAML front matter: (its fields, the front matter, the body's lines,
    the file line of the body's first line), or None after reporting why not."""
    split = split_front_matter(text)
    if split is None:
        rep.error(path, 1, f"missing front matter: start the file with '---', the keys {keys}, then '---'")
        return None
    front, body_start = split
    data = _yaml_file(rep, path, front, schema, first_line=2, not_a_mapping="front matter must be a YAML mapping")
    if data is None:
        return None
    body = text.split("\n")[body_start - 1 :]
    if _parse_limits(rep, path, body_start, "\n".join(body)):
        return None
    return _Fields(data), data, body, body_start


def load_topic(rep: Reporter, path: Path, text: str) -> Topic | None:
    parsed = _markdown_file(rep, path, text, "topic-front-matter", "title, summary, urgent, see_clinician")
    if parsed is None:
        return None
    f, data, body, body_start = parsed
    sections, reflection = _sections(rep, path, body, body_start)
    if sections is None:
        return None
    return Topic(
        slug=_check_slug(rep, path), title=f.text("title"), summary=f.text("summary"),
        protocols=f.texts("protocols"), tags=f.texts("tags"),
        sections=sections, reflection=reflection, loc=Location(path, 1), key_lines=dict(data.lines),
        urgent=f.texts("urgent"), see_clinician=f.texts("see_clinician"), population=tuple(f.texts("population")),
    )


ABOUT = Path("content") / "about.md"


def load_about(rep: Reporter, path: Path, text: str) -> About | None:
    """The About / editorial policy page: front matter (title, summary, changed) and a Markdown body."""
    parsed = _markdown_file(rep, path, text, "about", "title, summary, changed (YYYY-MM-DD)")
    if parsed is None:
        return None
    f, _, lines, body_start = parsed
    body, changed = "\n".join(lines), f.iso_date("changed")
    if changed is None:
        return None
    return About(f.text("title"), f.text("summary"), changed, body, Location(path, 1), body_start)


def _parse_limits(rep: Reporter, path: Path, first_line: int, markdown: str) -> bool:
    """Report Markdown that no engine could convert in reasonable time or stack (mdlimits.py)."""
    found = False
    for problem in mdlimits.problems(markdown):
        rep.error(path, first_line + problem.line, problem.message)
        found = True
    return found


def _sections(rep: Reporter, path: Path, lines: list[str],
              first: int) -> tuple[dict[str, Section], Section | None] | tuple[None, None]:
    found: list[tuple[str, int]] = [(title, i) for i, title in headings(lines, 1)]
    expected = list(TOPIC_HEADINGS)
    names = [n for n, _ in found]
    ok = True
    for name, i in found:
        if name not in (*TOPIC_HEADINGS, "Reflection"):
            rep.error(path, first + i, f"unexpected level-1 heading '# {name}': a topic has only "
                      f"{', '.join(repr('# ' + h) for h in TOPIC_HEADINGS)} and an optional '# Reflection'")
            ok = False
    tiers_found = [n for n in names if n in TOPIC_HEADINGS]
    for want in expected:
        if want not in tiers_found:
            rep.error(path, first + (found[-1][1] if found else 0),
                      f"missing tier heading '# {want}' (tiers go {order_words()})")
            ok = False
    if ok and tiers_found != expected:
        for (name, i), want in zip([x for x in found if x[0] in TOPIC_HEADINGS], expected):
            if name != want:
                rep.error(path, first + i, f"tier heading '# {name}' is out of order: expected '# {want}' here "
                          f"(tiers go {order_words()})")
                break
        ok = False
    if ok and "Reflection" in names and names[-1] != "Reflection":
        rep.error(path, first + found[names.index("Reflection")][1], "'# Reflection' must be the last section")
        ok = False
    if ok and names.count("Reflection") > 1:
        rep.error(path, first + found[-1][1], "only one '# Reflection' section is allowed")
        ok = False
    if ok and found and any(l.strip() for l in lines[: found[0][1]]):
        rep.error(path, first, f"text before '# {TOPIC_HEADINGS[0]}': put it inside a tier section")
        ok = False
    if not ok:
        return None, None
    sections: dict[str, Section] = {}
    reflection = None
    for n, (name, i) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else len(lines)
        body = "\n".join(lines[i + 1 : end]).rstrip()  # no lstrip: body line k is heading line + k
        # Line of the body's first line, for mapping Jinja/Markdown errors back to the source.
        section = Section(name.lower(), body, first + i)
        if name == "Reflection":
            reflection = section
        else:
            sections[name.lower()] = section
    return sections, reflection


REVIEWS = Path("content") / "reviews.yml"


def load_reviews(rep: Reporter, path: Path, text: str) -> list[Review]:
    """content/reviews.yml: `reviews:` records, each a date, a kind, a scope, a reviewer and a note."""
    data = _yaml_file(rep, path, text, "reviews")
    if data is None:
        return []
    out: list[Review] = []
    for f in _Fields(data).mappings("reviews"):
        day, kind, scope, raw = f.iso_date("date"), f.text("kind"), f.texts("scope"), f.data.get("reviewer")
        if day is None or kind not in REVIEW_KINDS or not scope or not isinstance(raw, LineDict):
            continue  # the schema has said what is wrong
        r = _Fields(raw)
        who = Reviewer(r.text("role"), r.text("credentials"), r.text("name"))
        nxt = f.iso_date("next_review")
        if nxt is not None and nxt <= day:
            rep.error(path, f.line("next_review"), f"next_review ({nxt}) must be after the review date ({day})")
        lines = dict(f.data.lines)
        items = f.data.get("scope")
        if isinstance(items, LineList):  # each scope item's own line, for errors about it
            lines.update({f"scope.{n}": items.line_of(n) for n in range(len(items))})
        out.append(Review(day, kind, tuple(scope), who, f.text("note"), f.home, lines, nxt))
    return out


# `draft: true` (as `python -m generator new` writes it) at the top level of a YAML source or
# in a topic's front matter. Checked on the text, before parsing, so a half-written draft is
# never an error; anchored to a whole line, so the scan is linear.
DRAFT = re.compile(r"^draft:[ \t]*true[ \t]*(?:#.*)?$", re.MULTILINE)


def is_draft(text: str) -> bool:
    split = split_front_matter(text) if text.startswith("---") else None
    return bool(DRAFT.search(split[0] if split else text))


def _draft(rep: Reporter, path: Path, text: str, load: Any) -> None:
    """A draft is checked like any source, but it is not built, so what it lacks is a note: a
    draft in a pull request never fails the strict gate (README: One gate)."""
    scratch = Reporter(rep.root)
    item = load(scratch, path, text)
    for d in scratch.diagnostics:
        rep.note(path, d.line, f"draft (not built): {d.message}")
    if isinstance(item, Topic):
        for tier, section in item.sections.items():
            if not section.body.strip():
                rep.note(path, section.line, f"draft (not built): {TIER_TITLES[tier]} is empty: write it")
        for key, items in (("urgent", item.urgent), ("see_clinician", item.see_clinician)):
            if not items:
                rep.note(path, item.key_lines.get(key, 1), f"draft (not built): '{key}' is empty: say when "
                            + ("to get emergency care" if key == "urgent" else "to contact a clinician soon"))
    line = next((text.count("\n", 0, m.start()) + 1 for m in [DRAFT.search(text)] if m), 1)
    rep.note(path, line, "draft: remove 'draft: true' to publish; the checks then apply in full")


S = TypeVar("S", Term, Protocol, Topic)


def _load_kind(rep: Reporter, root: Path, kind: Kind, load: Callable[[Reporter, Path, str], S | None],
               unavailable: dict[str, set[str]]) -> dict[str, S]:
    """Every published source of one kind, by slug; drafts are only checked (`_draft`). The
    slugs of sources that could not be read or loaded go into `unavailable[kind.page]`."""
    found: dict[str, S] = {}
    failed: set[str] = set()
    for path, text in source_files(rep, root, kind, unreadable=failed):
        if is_draft(text):
            _draft(rep, path, text, load)
        elif (item := load(rep, path, text)) is not None:
            found[item.slug] = item
        else:
            failed.add(unicodedata.normalize("NFC", path.stem))
    if failed:
        unavailable[kind.page] = failed
    return found


def load_site(root: Path, rep: Reporter | None = None, jurisdiction: str = "US",
              bibliography: tuple[Path, ...] | None = None) -> tuple[Site, Reporter]:
    """Load everything under `root`; errors go to the reporter rather than stopping at the first.
    `jurisdiction` is the site's approval_jurisdiction: declared row statuses are checked against it.
    `bibliography` is the cite extension's list of files (config.Project.bibliography; its
    default when not given)."""
    rep = rep or Reporter(root)
    check_published_trees(rep, root)
    unavailable: dict[str, set[str]] = {}
    terms = _load_kind(rep, root, GLOSSARY, load_term, unavailable)
    protocols = _load_kind(rep, root, PROTOCOLS, load_protocol, unavailable)
    topics = _load_kind(rep, root, TOPICS, load_topic, unavailable)
    files = bibliography if bibliography is not None else (root / DEFAULT_BIBLIOGRAPHY,)
    bib_path = files[0]
    paths = [p for p in files if p.exists() or p.is_symlink()]
    before = {d.path for d in rep.errors}
    references = load_references(rep, paths, root)
    broken_bib = {rel for p in paths if (rel := rep.rel(p)) not in before and any(d.path == rel for d in rep.errors)}
    if broken_bib:
        unavailable["bibliography"] = broken_bib
    for missing in (p for p in files if p not in paths):
        rep.error(missing, 0, "bibliography file is missing (mkdocs.yml names it in the cite extension's "
                  "'bibliography' option)")
    reviews_path = root / REVIEWS
    reviews: list[Review] = []
    if reviews_path.exists() or reviews_path.is_symlink():
        log = read_text(rep, reviews_path, root)
        if log is not None:
            reviews = load_reviews(rep, reviews_path, log)
    site = Site(root, topics, terms, protocols, references, bib_path, paths, reviews,
                reviews_path if reviews_path.exists() else None, unavailable=unavailable)
    site.jurisdiction = jurisdiction
    about_path = root / ABOUT
    if about_path.exists() or about_path.is_symlink():
        about_text = read_text(rep, about_path, root)
        if about_text is not None and is_draft(about_text):  # checked, not published, as any draft
            _draft(rep, about_path, about_text, load_about)
        elif about_text is not None:
            site.about = load_about(rep, about_path, about_text)
    cross_check(site, rep)
    return site, rep


def load_references(rep: Reporter, paths: list[Path], root: Path | None = None) -> dict[str, Reference]:
    """Every entry of the bibliography files, each parsed once; keys unique even ignoring case,
    because citeproc-py and most tools treat `Bhasin2018` and `bhasin2018` as one key."""
    references: dict[str, Reference] = {}
    folded: dict[str, Reference] = {}
    for path in paths:
        text = read_text(rep, path, root)
        if text is None:
            continue
        bidi_controls(rep, path, text)
        parse = parse_csl_json if path.suffix == ".json" else parse_bibtex
        for key, ref in parse(path, rep, text).items():
            other = folded.get(key.casefold())
            if other is not None:
                where = f"{rep.rel(other.loc.path)}:{other.loc.line}"
                if other.key == key:
                    rep.error(path, ref.loc.line, f"bibliography key '{key}' is also defined in {where}")
                else:
                    rep.error(path, ref.loc.line, f"bibliography key '{key}' differs only in case from "
                              f"'{other.key}' at {where}; keys must differ in more than case")
                    rep.error(other.loc.path, other.loc.line, f"bibliography key '{other.key}' differs only "
                              f"in case from '{key}' at {rep.rel(path)}:{ref.loc.line}")
                continue
            folded[key.casefold()] = ref
            references[key] = ref
    return references


def cross_check(site: Site, rep: Reporter) -> None:
    """Every reference between sources must resolve; names must be unambiguous."""
    owner: dict[str, tuple[str, Term]] = {}
    for term in site.terms.values():
        for name in term.names:
            key = name.casefold()
            if key in owner and owner[key][1].slug != term.slug:
                other = owner[key][1]
                rep.error(term.loc.path, term.key_lines.get("aliases", 1),
                          f"'{name}' is claimed by two terms: '{term.slug}' and '{other.slug}' "
                          f"({rep.rel(other.loc.path)}); keep it on one entry")
            owner.setdefault(key, (name, term))
        for rel in term.related:
            if rel not in site.terms and not site.is_unavailable("glossary", rel):
                rep.error(term.loc.path, term.key_lines.get("related", 1),
                          f"unknown glossary slug '{rel}' in 'related'{did_you_mean(rel, site.terms)}")
        _check_sources(site, rep, term.loc.path, term.key_lines.get("sources", 1), term.sources)
        if term.agent is not None:
            _check_agent_sources(site, rep, term)
    for proto in site.protocols.values():
        for row in proto.agents:
            if row.agent and row.agent not in site.terms:
                if site.is_unavailable("glossary", row.agent):
                    continue  # its own file's error says why
                rep.error(proto.loc.path, row.line, f"unknown glossary slug '{row.agent}' in protocol agents"
                          f"{did_you_mean(row.agent, site.terms)}; add glossary/{row.agent}.yml or fix the slug")
            elif row.agent and site.terms[row.agent].agent is None:
                rep.error(proto.loc.path, row.line, f"glossary term '{row.agent}' has no 'agent:' block "
                          "(class, mechanism, routes, approvals)")
            elif row.agent:
                _check_row_use(rep, proto, row, site.terms[row.agent], site.jurisdiction)
            _check_sources(site, rep, proto.loc.path, row.line, row.sources)
        rows = {row.agent for row in proto.agents}
        for combo in proto.combinations:
            for slug in combo.agents:
                if slug not in rows:
                    rep.error(proto.loc.path, combo.line, f"combination names '{slug}', which is not a row of "
                              "this protocol")
            _check_sources(site, rep, proto.loc.path, combo.line, combo.sources)
        _check_sources(site, rep, proto.loc.path, proto.key_lines.get("sources", 1), proto.sources)
    for topic in site.topics.values():
        for slug in topic.protocols:
            if slug not in site.protocols and not site.is_unavailable("protocol", slug):
                rep.error(topic.loc.path, topic.key_lines.get("protocols", 1),
                          f"unknown protocol '{slug}' in 'protocols'{did_you_mean(slug, site.protocols)}")
    known: dict[str, Mapping[str, object]] = {"topic": site.topics, "protocol": site.protocols, "glossary": site.terms}
    for review in site.reviews:
        for n, item in enumerate(review.scope):
            kind, _, slug = item.partition(":")
            where = review.key_lines.get(f"scope.{n}", review.key_lines.get("scope", review.line))
            if item == "all":
                continue
            if kind not in known:
                rep.error(site.reviews_path or REVIEWS, where,
                          f"scope {item!r} must be 'all' or topic:<slug>, protocol:<slug>, glossary:<slug>")
            elif slug not in known[kind] and not site.is_unavailable(kind, slug):
                rep.error(site.reviews_path or REVIEWS, where,
                          f"scope {item!r} names no {kind} of this site: a review can only cover what exists")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the closest known name (case aside), or ""."""
    names = list(known)
    folded = {n.casefold(): n for n in names}
    near = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.8)
    return f"; did you mean '{folded[near[0]]}'?" if near else ""


def consistent(site: Site) -> Site:
    """The site without references that do not resolve (each one an error of `cross_check`, or
    something unavailable): what can still be rendered and checked, so one run reports every
    independent problem rather than stopping at the first file with an error."""
    terms = {slug: replace(t, related=[r for r in t.related if r in site.terms]) for slug, t in site.terms.items()}
    protocols = {}
    for slug, proto in site.protocols.items():
        rows = [r for r in proto.agents if not r.agent or (r.agent in terms and terms[r.agent].agent is not None)]
        kept = {r.agent for r in rows}
        protocols[slug] = replace(proto, agents=rows, combinations=[
            c for c in proto.combinations if all(a in kept for a in c.agents)])
    topics = {slug: replace(t, protocols=[p for p in t.protocols if p in protocols])
              for slug, t in site.topics.items()}
    return replace(site, topics=topics, terms=terms, protocols=protocols)


def _check_agent_sources(site: Site, rep: Reporter, term: Term) -> None:
    agent, path = term.agent, term.loc.path
    assert agent is not None
    for approval in agent.approvals:
        _check_sources(site, rep, path, approval.line, [approval.source] if approval.source else [])
    for dated in (agent.no_approval, agent.compounding, agent.controlled):
        if dated is not None:
            _check_sources(site, rep, path, dated.line, dated.sources)
    for item in agent.safety:
        _check_sources(site, rep, path, item.line, item.sources)


def _check_row_use(rep: Reporter, proto: Protocol, row: ProtocolAgent, term: Term, jurisdiction: str) -> None:
    """The row's route is one the agent has, and a declared status agrees with the approval data."""
    agent, path = term.agent, proto.loc.path
    assert agent is not None
    if row.route and row.route not in agent.routes:
        rep.error(path, row.key_lines.get("route", row.line), f"route {row.route!r} is not one of the routes of "
                  f"'{row.agent}': {', '.join(agent.routes) or 'none'} (glossary/{term.slug}.yml)")
    if row.status is None and row.status_reason:
        rep.error(path, row.key_lines.get("status_reason", row.line), "'status_reason' without 'status'")
    _check_wording(rep, proto, row, term, jurisdiction)
    if row.status is None:
        return
    status = derive(agent, row, jurisdiction)
    line = row.key_lines.get("status", row.line)
    if row.status == status.derived:
        return
    if not row.status_reason:
        rep.error(path, line, f"declared status '{row.status}' contradicts the approval data, which gives "
                  f"'{status.derived}' for this use. {status.basis} Remove 'status', fix the data, or give "
                  "'status_reason' for an override")
    elif CAUTION[row.status] < CAUTION[status.derived]:
        rep.error(path, line, f"status '{row.status}' cannot be claimed by an override: the data gives "
                  f"'{status.derived}'. {status.basis} Add the approval to glossary/{term.slug}.yml instead")


def _check_wording(rep: Reporter, proto: Protocol, row: ProtocolAgent, term: Term, jurisdiction: str) -> None:
    """A row that misses an approval only by its wording: the badge says off-label, which is
    wrong if the row means the approved use. Said, so the author either copies the approval's
    words or confirms that the use differs (with `status` and `status_reason`)."""
    if row.compounded or row.status is not None or term.agent is None:
        return
    if derive(term.agent, row, jurisdiction).derived == APPROVED:
        return
    for approval, fields in near_misses(term.agent, row, jurisdiction):
        said = "; ".join(f"{name} {getattr(row, name)!r} vs {getattr(approval, name)!r}" for name in fields)
        rep.warning(proto.loc.path, row.key_lines.get(fields[0], row.line),
                    f"'{row.agent}' is worded differently from its {approval.jurisdiction} approval of "
                    f"{approval.product} ({said}), so the badge says it is not that approved use. If it is "
                    f"the same use, copy the approval's words from glossary/{term.slug}.yml; if it is not, "
                    "keep it and say so with 'status' and 'status_reason'")


def _check_sources(site: Site, rep: Reporter, path: Path, line: int, keys: list[str]) -> None:
    for key in keys:
        if key not in site.references and not site.bibliography_unavailable:
            rep.error(path, line, f"unknown source '{key}': no such key in {rep.rel(site.bibliography_path)}"
                      f"{did_you_mean(key, site.references)}")
