"""Bibliography and citation checks: catch fabricated, garbled and unused references."""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from generator.checks.context import CheckContext
from generator.data import data_path
from generator.errors import Reporter
from generator.model.tiers import TABLE
from generator.sources.citesyntax import citation_keys
from generator.sources.files import TOPICS, source_files
from generator.sources.load import is_draft
from generator.sources.mdscan import headings

# The DOI Handbook (2.2): "10.", a registrant code (digits, possibly subdivided by dots), "/",
# and a suffix of any printable characters (old Wiley SICI DOIs hold <, >, ; and #); or a
# short DOI from shortdoi.org, "10/" and a code.
DOI = re.compile(r"^(?:10\.\d{4,9}(?:\.\d+)*/\S+|10/[a-z0-9]+)$", re.IGNORECASE)
PMID = re.compile(r"^[1-9]\d{0,7}$")
ARTICLE_FIELDS = ("author", "title", "journal", "year")
# An article published online ahead of print has no volume or pages yet: worth a note, not wrong.
ARTICLE_PRINT_FIELDS = ("volume", "pages")
JOURNALS = data_path("journals.yml")


def journal_key(name: str) -> str:
    key = " ".join(name.casefold().replace("&", "and").split())
    return key[4:] if key.startswith("the ") else key


@lru_cache(maxsize=1)
def journal_first_years() -> dict[str, int]:
    data = yaml.safe_load(JOURNALS.read_text(encoding="utf-8"))
    return {journal_key(name): int(year) for name, year in data.items()}


def check_bibliography(ctx: CheckContext, rep: Reporter) -> None:
    site, today = ctx.site, ctx.today
    first_years = journal_first_years()
    seen_doi: dict[str, str] = {}
    seen_title: dict[tuple[str, str], str] = {}
    for key, ref in site.references.items():
        path = ref.loc.path
        f = ref.fields
        doi, pmid = f.get("doi", "").strip(), f.get("pmid", "").strip()
        if doi and not DOI.match(doi):
            rep.error(path, ref.line_of("doi"),
                      f"'{key}': {doi!r} is not a DOI (10.<registrant>/<suffix>, or a short DOI 10/<code>)")
        if pmid and not PMID.match(pmid):
            rep.error(path, ref.line_of("pmid"), f"'{key}': PMID {pmid!r} must be 1 to 8 digits without a leading zero")
        if doi:
            norm = doi.casefold()
            if norm in seen_doi:
                rep.error(path, ref.line_of("doi"), f"'{key}' has the same DOI as '{seen_doi[norm]}'")
            seen_doi.setdefault(norm, key)
        title = re.sub(r"\W+", " ", f.get("title", "").casefold()).strip()
        if title and f.get("year"):
            pair = (title, f["year"])
            if pair in seen_title:
                rep.error(path, ref.loc.line, f"'{key}' has the same title and year as '{seen_title[pair]}'")
            seen_title.setdefault(pair, key)
        if ref.kind == "article":
            missing = [name for name in ARTICLE_FIELDS if not f.get(name)]
            if missing:
                rep.error(path, ref.loc.line, f"journal article '{key}' lacks {', '.join(missing)}")
            unprinted = [name for name in ARTICLE_PRINT_FIELDS if not f.get(name)]
            if unprinted and not missing:
                rep.warning(path, ref.loc.line, f"journal article '{key}' has no {' or '.join(unprinted)}: if "
                            "it has been printed since, add them")
            if not doi and not pmid:
                rep.warning(path, ref.loc.line, f"journal article '{key}' has neither a DOI nor a PMID, "
                            "so readers cannot check it; add one you have confirmed")
        year_text = f.get("year", "")
        if year_text:
            if not year_text.isdigit():
                rep.error(path, ref.line_of("year"), f"'{key}': year {year_text!r} is not a number")
                continue
            year = int(year_text)
            if today is not None and year > today.year:
                rep.error(path, ref.line_of("year"), f"'{key}': year {year} is in the future")
            journal = f.get("journal")
            if journal:
                # Only what is known to be wrong: a journal the table does not list is not a fault.
                first = first_years.get(journal_key(journal))
                if first is not None and year < first:
                    rep.error(path, ref.line_of("year"), f"'{key}': year {year} is before {journal!r} "
                              f"began publishing in {first}")


def check_uncited(ctx: CheckContext, rep: Reporter) -> None:
    if ctx.prepared.errors:  # what cites an entry may be what failed to load: judged once it loads
        return
    usage = ctx.prepared.rendered.usage
    in_drafts: set[str] | None = None
    for key, ref in ctx.site.references.items():
        if usage.cites.get(key):
            continue
        if in_drafts is None:
            in_drafts = _cited_by_drafts(ctx)
        if key in in_drafts:  # an imported article's sources, say: cited once the draft is published
            rep.note(ref.loc.path, ref.loc.line, f"bibliography entry '{key}' is cited only by a draft")
        else:
            rep.warning(ref.loc.path, ref.loc.line, f"bibliography entry '{key}' is never cited")


def _cited_by_drafts(ctx: CheckContext) -> set[str]:
    """Keys cited by draft topics (which are not built, so not in the rendered usage)."""
    known = frozenset(ctx.site.references)
    found: set[str] = set()
    for _, text in source_files(Reporter(ctx.root), ctx.root, TOPICS):
        if is_draft(text):
            found.update(citation_keys(text, known))
    return found


def check_cited_sections(ctx: CheckContext, rep: Reporter) -> None:
    """Every `##` section of a tier marked `cite_every_section` (Academic) should cite its evidence."""
    for topic in ctx.site.topics.values():
        for tier in (t for t in TABLE if t.cite_every_section):
            section = topic.sections[tier.name]
            lines = section.body.split("\n")
            found = list(headings(lines, 2))
            ends = [i for i, _ in found[1:]] + [len(lines)]
            for (start, title), end in zip(found, ends):
                # A deeper heading ends nothing: the section runs to the next `##` (or the end).
                joined = "\n".join(lines[start + 1:end])
                if next(citation_keys(joined, frozenset(ctx.site.references)), None) is None \
                        and "protocol_table(" not in joined:
                    rep.warning(topic.loc.path, section.line + 1 + start,
                                f"{tier.title} section '## {title}' cites no source")
