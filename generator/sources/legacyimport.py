"""`python -m generator import FILE...`: legacy articles into draft topics, draft glossary
candidates and bibliography entries, with a report of what a migrating editor must do next.

Writes, per article: `content/topics/<slug>.md` (a draft), `glossary/<slug>.yml` for each
glossed term the glossary does not have (a draft), and new entries appended to the
bibliography. Nothing is overwritten (`--force` aside: the topic and candidate files only),
nothing is written outside the project, and a malformed article is a `path:line: error` that
stops only that article. The report's measures are documented in the README ("Moving an
existing article in").
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.checks.citations import journal_first_years, journal_key
from generator.checks.helpadvice import body_problems
from generator.config import DEFAULT_BIBLIOGRAPHY, ceilings, load_project
from generator.errors import Reporter, SourceError
from generator.model import Reference, Site
from generator.model.tiers import DEFAULT_CEILINGS, TABLE
from generator.model.tiers import HEADINGS as TIER_TITLES
from generator.render.readability import score_markdown
from generator.sources.files import GLOSSARY, TOPICS, escape
from generator.sources.legacy import (
    Article,
    Block,
    Gloss,
    content_words,
    html_to_lines,
    markdown,
    paragraphs,
    parse,
)
from generator.sources.legacyrefs import Parsed, bibtex, cite_key, parse_reference, title_key
from generator.sources.load import load_site
from generator.sources.scaffold import quoted

if TYPE_CHECKING:
    from generator.sources.legacyresolve import Resolver

# A sentence shares fewer than this share of its content words with the rest of its article:
# it is probably from another article (an injected teaser). Sentences with fewer content words
# than MIN_WORDS say too little to judge.
INJECTED_OVERLAP = 0.1
MIN_WORDS = 6
NUMBERED = re.compile(r"\[(\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*)\]")  # [1], [1, 2], [1-3]
# (Smith 2019), (Smith et al., 2019), (Smith and Lee 2019): author-year markers, one work each.
AUTHOR_YEAR = re.compile(r"\(([A-Z][\w'\-]+)(?: et al\.?| (?:and|&) [A-Z][\w'\-]+)?,? (\d{4})\)")


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    topics: list[tuple[str, str]] = field(default_factory=list)  # (slug, title)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")


def _known_names(site: Site | None) -> dict[str, str]:
    """Every glossary name and alias, folded -> the entry's slug."""
    out: dict[str, str] = {}
    for term in (site.terms.values() if site else ()):
        for name in term.names:
            out[name.casefold()] = term.slug
    return out


def _load(root: Path) -> tuple[Site | None, dict[str, float | None], Path]:
    """The project's site as it loads (None when mkdocs.yml cannot be read), its reading
    ceilings and its bibliography file."""
    try:
        project = load_project(root)
    except SourceError:
        return None, dict(DEFAULT_CEILINGS), root / DEFAULT_BIBLIOGRAPHY
    site, _ = load_site(root, jurisdiction=project.settings.approval_jurisdiction, bibliography=project.bibliography)
    return site, ceilings(project.settings), project.bibliography[0]


def _write(rep: Reporter, root: Path, path: Path, text: str, force: bool, outcome: Outcome) -> bool:
    if why := escape(root, path):
        rep.error(path, 0, f"not written: {why}")
        return False
    if (path.exists() or path.is_symlink()) and not force:
        rep.error(path, 0, "already exists: not written (import never overwrites; --force replaces it)")
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    outcome.written.append(path)
    return True


def _front(title: str, source: str) -> str:
    return f"""---
title: {quoted(title)}
summary: ""  # one sentence: what the reader will learn
protocols: []
tags: []
urgent: []  # when to get emergency help: the legacy article's advice, checked and rewritten
see_clinician: []
draft: true  # imported from {source}: checked but not built until this line goes
---
"""


def _cite(text: str, keys: dict[int, str], by_author_year: dict[tuple[str, str], str]) -> str:
    """Numbered markers ([1], [2, 3], [1-3]) and author-year ones ((Smith et al., 2019)) as
    citations of the references they point at; a marker that points at nothing stays as written."""
    def one(m: re.Match[str]) -> str:
        numbers: list[int] = []
        for part in re.split(r"\s*,\s*", m.group(1)):
            ends = re.split(r"\s*[\u2013-]\s*", part)
            lo, hi = int(ends[0]), int(ends[-1])
            numbers.extend(range(lo, min(hi, lo + 50) + 1))
        found = [keys[n] for n in numbers if n in keys]
        return "[" + "; ".join(f"@{k}" for k in found) + "]" if found and len(found) == len(numbers) else m.group(0)
    def named(m: re.Match[str]) -> str:
        key = by_author_year.get((m.group(1).casefold(), m.group(2)))
        return f"[@{key}]" if key else m.group(0)

    return AUTHOR_YEAR.sub(named, NUMBERED.sub(one, text))


def _tier_body(blocks: list[Block], keys: dict[int, str],
               by_author_year: dict[tuple[str, str], str]) -> tuple[str, bool]:
    body = markdown(blocks)
    cited = _cite(body, keys, by_author_year)
    return cited, cited != body


def _injected(rep: Reporter, path: Path, article: Article) -> None:
    """A sentence in a paragraph of several that shares almost none of its content words with the
    rest of the article (headings and tables included) is reported as possibly injected."""
    found: list[tuple[int, list[str]]] = []
    for tier in TIER_TITLES:
        found += paragraphs(article.sections.get(tier, []))
    found += paragraphs(article.reflection)
    counts: dict[str, int] = defaultdict(int)
    per = [[content_words(s) for s in sents] for _, sents in found]
    for group in per:
        for words in group:
            for w in words:
                counts[w] += 1
    for (line, sents), group in zip(found, per):
        if len(sents) < 2:  # alone in its paragraph: no paragraph around it to differ from
            continue
        for sentence, words in zip(sents, group):
            if len(words) < MIN_WORDS:
                continue
            shared = sum(1 for w in words if counts[w] > 1)  # a word some other sentence also uses
            if shared / len(words) >= INJECTED_OVERLAP:
                continue
            rep.warning(path, line, f"this sentence shares {shared} of its {len(words)} content words with the "
                        f"rest of the article, so it may be injected from another page: {sentence[:80]!r}")


def _help_advice(rep: Reporter, path: Path, article: Article) -> None:
    """Emergency advice the old page wrote into its text: the site says it only in the topic's
    `urgent` list (checks/helpadvice.py, the rule `check` applies once the draft is published)."""
    for blocks in [*(article.sections.get(t, []) for t in TIER_TITLES), article.reflection]:
        for block in blocks:
            for offset, message in body_problems(markdown([block]), 0):
                rep.warning(path, block.line + offset, f"{message}; the imported text keeps it until you move it")


def _reading(rep: Reporter, path: Path, article: Article, bodies: dict[str, str],
             limits: dict[str, float | None]) -> None:
    for tier in TABLE:
        body = bodies.get(tier.title)
        ceiling = limits.get(tier.name)
        if body is None or ceiling is None:
            continue
        grade = score_markdown(body).fkgl
        if grade > ceiling:
            rep.warning(path, article.section_lines.get(tier.title, 0),
                        f"{tier.title} reads at grade {grade:.1f}, above its ceiling of {ceiling:.1f}: rewrite it "
                        "in shorter sentences and everyday words")


def import_articles(root: Path, files: list[Path], title: str | None = None, force: bool = False,
                    resolve: Resolver | None = None) -> tuple[Outcome, Reporter]:
    """Import each file; the files written and the report. `resolve` is a registry search
    (legacyresolve.Resolver) or None."""
    root = root.resolve()
    rep = Reporter(root)
    outcome = Outcome()
    site, limits, bib_path = _load(root)
    names = _known_names(site)
    references: dict[str, Reference] = dict(site.references) if site else {}
    by_title = {title_key(r.fields.get("title", "")): k for k, r in references.items() if r.fields.get("title")}
    by_doi = {r.fields["doi"].casefold(): k for k, r in references.items() if r.fields.get("doi")}
    taken = {k.casefold() for k in references}
    new_entries: list[str] = []
    candidates: dict[str, list[Gloss]] = defaultdict(list)
    candidate_names: dict[str, str] = {}
    candidate_sources: dict[str, set[str]] = defaultdict(set)
    first_years = journal_first_years()
    for file in files:
        try:
            raw = file.read_bytes()
            text = raw.decode("utf-8")
        except OSError as exc:
            rep.error(file, 0, f"cannot read: {exc.strerror or exc}")
            continue
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            rep.error(file, line, "is not UTF-8 text: export the article as UTF-8")
            continue
        if file.suffix.lower() in (".html", ".htm"):
            text = html_to_lines(text)
        topic_title = title if title and len(files) == 1 else \
            file.stem.replace("-", " ").replace("_", " ").strip().capitalize()
        article = parse(text, topic_title)
        for line, problem in article.problems:
            rep.error(file, line, f"cannot import: {problem}")
        if article.problems:
            continue
        slug = slugify(topic_title)
        rep.note(file, 1, f"topic '{slug}' titled {topic_title!r} (give --title to choose another)")
        for line, dropped in article.dropped:
            rep.note(file, line, f"dropped before the first depth (navigation or tool text): {dropped[:60]!r}")
        # References: parsed, matched to the bibliography or added to it.
        keys: dict[int, str] = {}
        by_author_year: dict[tuple[str, str], str] = {}
        seen: dict[str, tuple[int, str]] = {}
        for n, (line, ref_text) in enumerate(article.references, 1):
            parsed = parse_reference(ref_text)
            if parsed is None:
                rep.warning(file, line, f"reference not understood, so not imported: {ref_text[:80]!r}; add it to "
                            f"{rep.rel(bib_path)} by hand")
                continue
            tkey = title_key(parsed.fields["title"])
            author_year = (parsed.authors[0][0].casefold(), parsed.fields["year"])
            if tkey in seen:
                rep.warning(file, line, f"the same work as line {seen[tkey][0]}, in another style: one entry "
                            f"'{seen[tkey][1]}' is used for both")
                keys[n] = seen[tkey][1]
                by_author_year.setdefault(author_year, keys[n])
                continue
            for name in parsed.fixed_names:
                rep.note(file, line, f"the name {name!r} was written given name first: imported as "
                         f"{name.split()[-1]}, {' '.join(name.split()[:-1])}")
            journal = parsed.fields.get("journal")
            year = int(parsed.fields["year"])
            first = first_years.get(journal_key(journal)) if journal else None
            impossible = first is not None and year < first
            doi = parsed.fields.get("doi", "").casefold()
            existing = by_doi.get(doi) if doi else None
            existing = existing or by_title.get(tkey)
            if existing:
                rep.note(file, line, f"matches the bibliography's '{existing}': cited as it")
                keys[n] = seen.setdefault(tkey, (line, existing))[1]
                by_author_year.setdefault(author_year, keys[n])
                continue
            if resolve is not None:
                _resolve(rep, file, line, parsed, resolve)
            key = cite_key(parsed, taken)
            taken.add(key)
            keys[n] = key
            by_author_year.setdefault(author_year, key)
            seen[tkey] = (line, key)
            by_title[tkey] = key
            if impossible:  # known wrong: cited as written, but no entry until the editor has the facts
                rep.warning(file, line, f"{journal!r} began publishing in {first}, so it cannot have published this "
                            f"in {year}: not added to {rep.rel(bib_path)}; find the real year (or journal), "
                            f"then add it as '{key}', which the topic cites")
                continue
            new_entries.append(bibtex(key, parsed, f"{file.name}:{line}"))
            rep.note(file, line, f"added to {rep.rel(bib_path)} as '{key}'")
        # Glosses and the Glossary section: left to the glossary, or draft candidates. A Glossary
        # entry for a word the article never uses is no term of this article: reported, not kept.
        used = " ".join(line.casefold() for blocks in article.sections.values() for b in blocks for line in b.lines)
        for gloss in [*article.glosses, *article.glossary]:
            if gloss in article.glossary and gloss.term.casefold() not in used:
                rep.warning(file, gloss.line, f"the Glossary section defines {gloss.term!r}, which the article never "
                            "uses: no candidate written")
                continue
            known = names.get(gloss.term.casefold())
            if known:
                rep.note(file, gloss.line, f"'{gloss.term}' is the glossary's '{known}': the gloss is removed and "
                         "the page will link the term")
                continue
            cslug = slugify(gloss.term)
            if not cslug:
                continue
            candidate_names.setdefault(cslug, gloss.term)
            if gloss.definition not in [g.definition for g in candidates[cslug]]:
                candidates[cslug].append(gloss)
            candidate_sources[cslug].add(file.name)
        # The topic.
        bodies: dict[str, str] = {}
        placed = False
        for tier in TIER_TITLES:
            bodies[tier], cited = _tier_body(article.sections.get(tier, []), keys, by_author_year)
            placed = placed or cited
        refs = list(dict.fromkeys(keys[n] for n in sorted(keys)))
        if refs and not placed:
            last = TIER_TITLES[-1]
            bodies[last] = bodies[last].rstrip("\n") + ("\n\n" if bodies[last].strip() else "") + \
                "## Sources of the original article\n\n" + "\n".join(f"- [@{k}]" for k in refs) + "\n"
            rep.warning(file, article.section_lines.get("References", 0),
                        f"the article cites none of its {len(refs)} references where it uses them: they are listed "
                        f"at the end of {last}; cite each where its finding is stated")
        reflection = markdown(article.reflection) if article.reflection else ""
        text_out = _front(topic_title, file.name) + "".join(f"# {tier}\n\n{bodies[tier]}\n" for tier in TIER_TITLES) \
            + (f"# Reflection\n\n{reflection}" if reflection else "")
        _reading(rep, file, article, bodies, limits)
        _injected(rep, file, article)
        _help_advice(rep, file, article)
        target = root / TOPICS.folder / f"{slug}{TOPICS.suffixes[0]}"
        if _write(rep, root, target, text_out, force, outcome):
            outcome.topics.append((slug, topic_title))
    for cslug, glosses in sorted(candidates.items()):
        name = candidate_names[cslug]
        path = root / GLOSSARY.folder / f"{cslug}{GLOSSARY.suffixes[0]}"
        if site is not None and cslug in site.terms:
            continue
        if (path.exists() or path.is_symlink()) and not force:  # an earlier import's draft, or the author's
            rep.note(path, 0, f"glossary candidate '{name}' exists already (not overwritten): compare its "
                     f"definition with the legacy one{'s' if len(glosses) > 1 else ''} at line "
                     f"{', '.join(str(g.line) for g in glosses)}")
            continue
        listed = "\n".join(f"#   {i}. ({', '.join(sorted(candidate_sources[cslug]))}, line {g.line}) {g.definition}"
                           for i, g in enumerate(glosses, 1))
        short = glosses[0].definition.split(". ")[0].rstrip(".") + "."
        entry = (f"# A glossary candidate imported from {', '.join(sorted(candidate_sources[cslug]))}. The legacy "
                 "definitions are a starting point,\n# not the site's words: rewrite 'short' and 'definition', "
                 f"choose a level, then remove 'draft: true'.\n{listed}\n"
                 f"term: {quoted(name)}\naliases: []\nshort: {quoted(short)}  # rewrite: the legacy text\n"
                 f"level: fundamentals\nsources: []\ndraft: true\n")
        if _write(rep, root, path, entry, force, outcome):
            lines = [g.line for g in glosses]
            rep.note(path, 0, f"glossary candidate '{name}' (legacy line{'s' if len(lines) > 1 else ''} "
                     f"{', '.join(map(str, lines))}), with {len(glosses)} legacy definition"
                     f"{'s' if len(glosses) > 1 else ''} to rewrite")
    if new_entries:
        if why := escape(root, bib_path):
            rep.error(bib_path, 0, f"not written: {why}")
        else:
            old = bib_path.read_text(encoding="utf-8") if bib_path.exists() else ""
            bib_path.parent.mkdir(parents=True, exist_ok=True)
            bib_path.write_text(old + ("\n" if old and not old.endswith("\n\n") else "") + "\n".join(new_entries),
                                encoding="utf-8")
            outcome.written.append(bib_path)
    return outcome, rep


def _resolve(rep: Reporter, file: Path, line: int, parsed: Parsed, resolve: Resolver) -> None:
    found = resolve.search(parsed)
    if isinstance(found, str):
        rep.warning(file, line, f"Crossref: {found}")
        return
    said = "; ".join(f"legacy says {ours!r}, Crossref says {theirs!r} ({name})" for name, ours, theirs in found.differs)
    rep.note(file, line, f"Crossref proposes DOI {found.doi} (match score {found.score:.1f})"
             + (f": {said}" if said else ": every parsed field agrees") + ". Nothing was changed: confirm it, "
             "then correct the entry and add the DOI")
