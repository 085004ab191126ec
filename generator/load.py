"""Read and validate every source. Each problem is reported with its path:line."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from .bibtex import parse_bibtex
from .csljson import parse_csl_json
from .errors import Reporter, SourceSyntaxError
from .mdtext import data_link_problems
from .model import TIERS, Agent, Location, Protocol, ProtocolAgent, Reference, Section, Site, Term, Topic
from .sources import GLOSSARY, PROTOCOLS, TOPICS, read_text, source_files
from .yamlsource import LineDict, LineList, load_yaml

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # used with fullmatch: no trailing newline slips through
# A term name must be matchable exactly: the matcher treats punctuation as a word gap,
# so "C++" would match every "C" and "(a)" every "a".
TERM_NAME = re.compile(r"[^\W_](?:[\w\s'\u2019.-]*[^\W_])?")
TOPIC_HEADINGS = ("Fundamentals", "Intermediate", "Academic")
AGENT_STATUSES = ("approved", "off-label", "unapproved")
_FENCE = re.compile(r"^(```|~~~)")
_H1 = re.compile(r"#[ \t]+(\S.*)")  # trailing " #" closers are stripped in code: no backtracking


class _Fields:
    """Typed access to one YAML mapping that reports problems instead of raising."""

    def __init__(self, rep: Reporter, path: Path, data: LineDict, what: str, line: int | None = None):
        self.rep, self.path, self.data, self.what = rep, path, data, what
        self.home = line or data.line  # where a missing key is reported: the block's own key

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.rep.error(self.path, self.home, f"{self.what} is missing required key '{key}'")
            return default
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.rep.error(self.path, self.line(key), f"'{key}' must be text")
            return default
        return str(value).strip()

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.rep.error(self.path, self.line(key), f"'{key}' must be a list, e.g. [a, b]")
            return []
        return value

    def texts(self, key: str) -> list[str]:
        items = self.items(key)
        bad = [i for i in items if not isinstance(i, str)]
        if bad:
            self.rep.error(self.path, self.line(key), f"'{key}' must be a list of text items")
        return [i.strip() for i in items if isinstance(i, str)]

    def iso_date(self, key: str) -> date | None:
        raw = self.text(key)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.rep.error(self.path, self.line(key), f"'{key}' is not a valid ISO date (YYYY-MM-DD): {raw!r}")
            return None

    def unknown(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.rep.error(
                    self.path, self.line(key),
                    f"unknown key '{key}' in {self.what}; expected one of: {', '.join(sorted(allowed))}",
                )


def _yaml_file(rep: Reporter, path: Path, text: str) -> LineDict | None:
    try:
        data = load_yaml(text)
    except SourceSyntaxError as exc:
        rep.error(path, exc.line, str(exc))
        return None
    if not isinstance(data, LineDict):
        rep.error(path, 1, "expected a YAML mapping of keys to values")
        return None
    return data


def _check_slug(rep: Reporter, path: Path) -> str:
    slug = path.stem
    if not SLUG.fullmatch(slug):
        rep.error(path, 1, f"file name '{path.name}' is not a slug: use lower-case words joined by '-'")
    return slug


def load_term(rep: Reporter, path: Path, text: str) -> Term | None:
    data = _yaml_file(rep, path, text)
    if data is None:
        return None
    f = _Fields(rep, path, data, "glossary term")
    f.unknown({"term", "aliases", "short", "definition", "level", "related", "sources", "agent"})
    level = f.text("level")
    if level and level not in TIERS:
        rep.error(path, f.line("level"), f"'level' must be one of {', '.join(TIERS)}, not {level!r}")
    name, aliases = f.text("term"), f.texts("aliases")
    for key, names in (("term", [name]), ("aliases", aliases)):
        for n in names:
            if n and not TERM_NAME.fullmatch(n):
                rep.error(path, f.line(key), f"name {n!r} cannot be matched exactly in text: a term name uses "
                          "letters, digits, spaces, hyphens, apostrophes and full stops, and starts and ends "
                          "with a letter or digit")
    definition = f.text("definition", required=False)
    for target in data_link_problems(definition):
        rep.error(path, f.line("definition"), f"link to {target!r} in 'definition': data fields may link only "
                  "to http(s), mailto and pages of this site")
    short = f.text("short")
    if "\n" in short:
        rep.error(path, f.line("short"), "'short' must be one plain sentence on one line")
    agent = None
    if "agent" in data:
        block = data["agent"]
        if not isinstance(block, LineDict):
            rep.error(path, f.line("agent"), "'agent' must be a mapping with class, mechanism, routes, regulatory")
        else:
            a = _Fields(rep, path, block, "agent block", line=data.line_of("agent"))
            a.unknown({"class", "mechanism", "routes", "regulatory", "status"})
            regulatory = a.text("regulatory")
            status = a.text("status", required=False) or _status_from(regulatory)
            if status not in AGENT_STATUSES:
                rep.error(path, a.line("status"), f"'status' must be one of {', '.join(AGENT_STATUSES)}")
            agent = Agent(a.text("class"), a.text("mechanism"), a.texts("routes"), regulatory, status)
    return Term(
        slug=_check_slug(rep, path), term=name, aliases=aliases, short=short,
        definition=definition, level=level or "academic",
        related=f.texts("related"), sources=f.texts("sources"), agent=agent,
        loc=Location(path, 1), key_lines=dict(data.lines),
    )


def _status_from(regulatory: str) -> str:
    text = regulatory.lower()
    if "not an approved" in text or "unapproved" in text or "not approved" in text:
        return "unapproved"
    if "off-label" in text:
        return "off-label"
    return "approved"


def load_protocol(rep: Reporter, path: Path, text: str) -> Protocol | None:
    data = _yaml_file(rep, path, text)
    if data is None:
        return None
    f = _Fields(rep, path, data, "protocol")
    f.unknown({"name", "audience", "goal", "agents", "monitoring", "sources"})
    rows: list[ProtocolAgent] = []
    agents = f.items("agents")
    if not agents:
        rep.error(path, f.line("agents"), "a protocol needs at least one entry under 'agents'")
    for i, item in enumerate(agents):
        line = agents.line_of(i) if isinstance(agents, LineList) else data.line
        if not isinstance(item, LineDict):
            rep.error(path, line, "each agent row must be a mapping (agent, role, route, frequency, sources)")
            continue
        a = _Fields(rep, path, item, "agent row", line=line)
        a.unknown({"agent", "role", "route", "frequency", "dose", "optional", "sources", "status"})
        status = a.text("status", required=False) or None
        if status and status not in AGENT_STATUSES:
            rep.error(path, a.line("status"), f"'status' must be one of {', '.join(AGENT_STATUSES)}")
        optional = item.get("optional", False)
        if not isinstance(optional, bool):
            rep.error(path, a.line("optional"), "'optional' must be true or false")
        rows.append(ProtocolAgent(
            agent=a.text("agent"), role=a.text("role"), route=a.text("route"),
            frequency=a.text("frequency"), dose=a.text("dose", required=False) or None,
            optional=optional is True, sources=a.texts("sources"), line=item.line, status=status,
        ))
    return Protocol(
        slug=_check_slug(rep, path), name=f.text("name"), audience=f.text("audience"), goal=f.text("goal"),
        agents=rows, monitoring=f.texts("monitoring"), sources=f.texts("sources"),
        loc=Location(path, 1), key_lines=dict(data.lines),
    )


def split_front_matter(text: str) -> tuple[str, int] | None:
    """Return the front matter text and the line where the body starts."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 2
    return None


def load_topic(rep: Reporter, path: Path, text: str) -> Topic | None:
    split = split_front_matter(text)
    if split is None:
        rep.error(path, 1, "missing front matter: start the file with '---', the keys title, summary, "
                  "last_reviewed, next_review, then '---'")
        return None
    front, body_start = split
    try:
        data = load_yaml(front, first_line=2)
    except SourceSyntaxError as exc:
        rep.error(path, exc.line, str(exc))
        return None
    if not isinstance(data, LineDict):
        rep.error(path, 2, "front matter must be a YAML mapping")
        return None
    f = _Fields(rep, path, data, "topic front matter")
    f.unknown({"title", "summary", "last_reviewed", "next_review", "protocols", "tags"})
    sections, reflection = _sections(rep, path, text.split("\n")[body_start - 1 :], body_start)
    last, nxt = f.iso_date("last_reviewed"), f.iso_date("next_review")
    if sections is None or last is None or nxt is None:
        # Still report the front-matter problems above; the topic itself is unusable.
        f.text("title"), f.text("summary")
        return None
    return Topic(
        slug=_check_slug(rep, path), title=f.text("title"), summary=f.text("summary"),
        last_reviewed=last, next_review=nxt, protocols=f.texts("protocols"), tags=f.texts("tags"),
        sections=sections, reflection=reflection, loc=Location(path, 1), key_lines=dict(data.lines),
    )


def _sections(rep: Reporter, path: Path, lines: list[str], first: int):
    found: list[tuple[str, int]] = []
    fence = None
    for i, raw in enumerate(lines):
        stripped = raw.strip()
        m = _FENCE.match(stripped)
        if m:
            fence = None if fence == m.group(1) else (fence or m.group(1))
            continue
        if fence is None and (h := _H1.match(raw)):
            found.append((h.group(1).rstrip(" \t#").strip() or h.group(1).strip(), i))
    expected = list(TOPIC_HEADINGS)
    names = [n for n, _ in found]
    ok = True
    for name, i in found:
        if name not in (*TOPIC_HEADINGS, "Reflection"):
            rep.error(path, first + i, f"unexpected level-1 heading '# {name}': a topic has only "
                      "'# Fundamentals', '# Intermediate', '# Academic' and an optional '# Reflection'")
            ok = False
    tiers_found = [n for n in names if n in TOPIC_HEADINGS]
    for want in expected:
        if want not in tiers_found:
            rep.error(path, first + (found[-1][1] if found else 0),
                      f"missing tier heading '# {want}' (tiers go Fundamentals, Intermediate, Academic)")
            ok = False
    if ok and tiers_found != expected:
        for (name, i), want in zip([x for x in found if x[0] in TOPIC_HEADINGS], expected):
            if name != want:
                rep.error(path, first + i, f"tier heading '# {name}' is out of order: expected '# {want}' here "
                          "(tiers go Fundamentals, Intermediate, Academic)")
                break
        ok = False
    if ok and "Reflection" in names and names[-1] != "Reflection":
        rep.error(path, first + found[names.index("Reflection")][1], "'# Reflection' must be the last section")
        ok = False
    if ok and names.count("Reflection") > 1:
        rep.error(path, first + found[-1][1], "only one '# Reflection' section is allowed")
        ok = False
    if ok and found and any(l.strip() for l in lines[: found[0][1]]):
        rep.error(path, first, "text before '# Fundamentals': put it inside a tier section")
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


def load_site(root: Path, rep: Reporter | None = None) -> tuple[Site, Reporter]:
    """Load everything under `root`; errors go to the reporter rather than stopping at the first."""
    rep = rep or Reporter(root)
    terms: dict[str, Term] = {}
    for path, text in source_files(rep, root, GLOSSARY):
        if (t := load_term(rep, path, text)) is not None:
            terms[t.slug] = t
    protocols: dict[str, Protocol] = {}
    for path, text in source_files(rep, root, PROTOCOLS):
        if (p := load_protocol(rep, path, text)) is not None:
            protocols[p.slug] = p
    topics: dict[str, Topic] = {}
    for path, text in source_files(rep, root, TOPICS):
        if (tp := load_topic(rep, path, text)) is not None:
            topics[tp.slug] = tp
    bib_path = root / "content" / "references.bib"
    paths = [p for p in (bib_path, root / "content" / "references.json") if p.exists() or p.is_symlink()]
    references = load_references(rep, paths, root)
    if not paths:
        rep.error(bib_path, 0, "bibliography file is missing (content/references.bib or content/references.json)")
    site = Site(root, topics, terms, protocols, references, bib_path, paths)
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
            if rel not in site.terms:
                rep.error(term.loc.path, term.key_lines.get("related", 1), f"unknown glossary slug '{rel}' in 'related'")
        _check_sources(site, rep, term.loc.path, term.key_lines.get("sources", 1), term.sources)
    for proto in site.protocols.values():
        for row in proto.agents:
            if row.agent and row.agent not in site.terms:
                rep.error(proto.loc.path, row.line, f"unknown glossary slug '{row.agent}' in protocol agents; "
                          f"add glossary/{row.agent}.yml or fix the slug")
            elif row.agent and site.terms[row.agent].agent is None:
                rep.error(proto.loc.path, row.line, f"glossary term '{row.agent}' has no 'agent:' block "
                          "(class, mechanism, routes, regulatory)")
            _check_sources(site, rep, proto.loc.path, row.line, row.sources)
        _check_sources(site, rep, proto.loc.path, proto.key_lines.get("sources", 1), proto.sources)
    for topic in site.topics.values():
        for slug in topic.protocols:
            if slug not in site.protocols:
                rep.error(topic.loc.path, topic.key_lines.get("protocols", 1), f"unknown protocol '{slug}' in 'protocols'")


def _check_sources(site: Site, rep: Reporter, path: Path, line: int, keys: list[str]) -> None:
    for key in keys:
        if key not in site.references:
            rep.error(path, line, f"unknown source '{key}': no such key in {rep.rel(site.bibliography_path)}")
