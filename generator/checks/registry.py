"""`check --verify-references`: every bibliography entry against Crossref and PubMed.

- By DOI: Crossref's REST API, `/works/{doi}`.
- By PMID: NCBI E-utilities, `esummary.fcgi?db=pubmed&retmode=json`.
- Neither: Crossref's `query.bibliographic` search proposes a DOI (a warning to confirm).

Each field the entry has (title, first author's family name, year, journal, volume,
issue, pages) is compared with the registry's record; a mismatch is an error at that
field's line. Answers (including "not found") are cached on disk with the date they
were fetched, so a rerun within `max_age_days` makes no requests; a network failure is
a warning and is never cached, never reported as verified.

Politeness: Crossref's polite pool wants a `mailto` (sent as a parameter and in the
User-Agent); NCBI allows 3 requests a second without an API key, so E-utilities
requests are spaced; a 429 or 503 is retried after its Retry-After, within limits.
"""
from __future__ import annotations

import http.client
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from generator.checks.citations import journal_first_years, journal_key
from generator.checks.context import CheckContext
from generator.checks.external import retry_after
from generator.checks.http import (
    Deadline,
    HttpClient,
    Refused,
    Response,
    parse_json,
    read_cache,
    write_json,
)
from generator.errors import Reporter
from generator.model import Reference, Site

USER_AGENT = "tiered-docs-reference-check/0.1"
FIELDS = ("title", "author", "year", "journal", "volume", "number", "pages")


@dataclass
class RegistryConfig:
    crossref: str = "https://api.crossref.org"
    eutils: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    mailto: str = ""
    timeout: float = 20.0  # seconds per read
    deadline: float = 60.0  # seconds for one answer, retries and redirects included
    retries: int = 2  # after a 429 or 503
    max_retry_after: float = 30.0  # a longer Retry-After is reported, not waited for
    ncbi_interval: float = 0.34  # seconds between E-utilities requests: 3 a second without a key
    cache_path: Path | None = None
    max_age_days: int = 30


@dataclass(frozen=True)
class Answer:
    status: int  # HTTP status; 0 when the registry could not be reached
    body: str = ""
    problem: str = ""  # why it could not be reached


@dataclass
class Record:
    """A registry's record, reduced to the fields an entry is compared on."""

    source: str  # "Crossref" or "PubMed"
    ident: str  # the DOI or PMID, for messages
    fields: dict[str, str] = field(default_factory=dict)
    retracted: bool = False
    issns: list[str] = field(default_factory=list)


class Registry:
    """HTTP with a dated disk cache. `get` returns the cached answer while it is fresh."""

    def __init__(self, config: RegistryConfig, today: date):
        self.config, self.today = config, today
        self.cache = self._load()
        self.requests = 0
        self._last_ncbi = 0.0
        self._lock = threading.Lock()
        agent = USER_AGENT + (f" (mailto:{config.mailto})" if config.mailto else "")
        # The registries the configuration names are reached wherever they are (an intranet
        # mirror, a test server); a redirect elsewhere is held to the public-address rule.
        hosts = tuple(h for h in (urlsplit(config.crossref).hostname, urlsplit(config.eutils).hostname) if h)
        self.client = HttpClient(agent, timeout=config.timeout, trusted_hosts=hosts)

    def _load(self) -> dict[str, dict[str, Any]]:
        oldest = self.today - timedelta(days=self.config.max_age_days)
        fresh: dict[str, dict[str, Any]] = {}
        for url, hit in read_cache(self.config.cache_path).items():
            try:
                if date.fromisoformat(hit["fetched"]) >= oldest and isinstance(hit["status"], int):
                    fresh[url] = {"fetched": hit["fetched"], "status": hit["status"], "body": str(hit["body"])}
            except (TypeError, KeyError, ValueError):
                continue
        return fresh

    def save(self) -> None:
        if self.config.cache_path:
            write_json(self.config.cache_path, self.cache)

    def get(self, url: str) -> Answer:
        hit = self.cache.get(url)
        if hit is not None:
            return Answer(hit["status"], hit["body"])
        answer = self._fetch(url)
        if answer.status in (200, 404):  # a real answer, found or not; failures are asked again next time
            self.cache[url] = {"fetched": self.today.isoformat(), "status": answer.status, "body": answer.body}
        return answer

    def _fetch(self, url: str) -> Answer:
        until = time.monotonic() + self.config.deadline
        attempts = [0]

        def hop(target: str) -> Response | str:
            while True:
                if target.startswith(self.config.eutils):
                    self._space_ncbi()
                self.requests += 1
                resp = self.client.request("GET", target, until, headers={"Accept": "application/json"})
                if resp.status not in (429, 503) or attempts[0] >= self.config.retries:
                    return resp
                attempts[0] += 1
                wait = retry_after(resp.headers.get("Retry-After", ""), 1.0, float("inf"))
                if wait > self.config.max_retry_after:
                    return (f"asked to wait {wait:g} s (Retry-After), more than the "
                            f"{self.config.max_retry_after:g} s allowed")
                self.client.wait(wait, until)  # the registry asked for this pause; honouring it is the point

        try:
            outcome, _ = self.client.follow(url, hop)
        except Deadline:
            return Answer(0, problem=f"no complete answer within {self.config.deadline:g} s")
        except Refused as exc:
            return Answer(0, problem=f"not asked: {exc}")
        except ValueError as exc:
            return Answer(0, problem=f"invalid URL ({exc})")
        except TimeoutError:
            return Answer(0, problem="timed out")
        except (OSError, http.client.HTTPException) as exc:
            return Answer(0, problem=str(exc) or exc.__class__.__name__)
        if isinstance(outcome, str):
            return Answer(0, problem=outcome)
        if outcome.status == 200:
            return Answer(200, outcome.body.decode("utf-8", "replace"))
        if outcome.status == 404:
            return Answer(404)
        if outcome.status in (429, 503):
            return Answer(0, problem="still refused after retries")
        return Answer(0, problem=f"HTTP {outcome.status}")

    def _space_ncbi(self) -> None:
        with self._lock:
            wait = self._last_ncbi + self.config.ncbi_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)  # NCBI's rate limit, not a test wait
            self._last_ncbi = time.monotonic()


# -- reading the registries' answers ----------------------------------------------------------

def _crossref_record(doi: str, message: dict[str, Any]) -> Record:
    def first(key: str) -> str:
        value = message.get(key) or []
        return str(value[0]) if isinstance(value, list) and value else str(value or "")

    parts = ((message.get("issued") or {}).get("date-parts") or [[None]])[0]
    authors = message.get("author") or []
    family = next((str(a.get("family", "")) for a in authors if a.get("sequence") == "first"),
                  str(authors[0].get("family", "")) if authors else "")
    retracted = any(u.get("type") == "retraction" for u in message.get("updated-by") or []) or \
        first("title").upper().startswith("RETRACTED")
    return Record("Crossref", doi, {
        "title": first("title"), "author": family, "year": str(parts[0] or ""),
        "journal": first("container-title"), "volume": str(message.get("volume") or ""),
        "number": str(message.get("issue") or ""), "pages": str(message.get("page") or "")},
        retracted, [str(i) for i in message.get("ISSN") or []])



def _crossref_from_body(doi: str, body: str) -> Record | None:
    return _crossref_record(doi, parse_json(body)["message"])


def _pubmed_from_body(pmid: str, body: str) -> Record | None:
    doc = parse_json(body).get("result", {}).get(pmid)
    return None if not isinstance(doc, dict) or doc.get("error") else _pubmed_record(pmid, doc)

def _pubmed_record(pmid: str, doc: dict[str, Any]) -> Record:
    authors = doc.get("authors") or []
    name = str(authors[0].get("name", "")) if authors else ""  # "Bhasin S": family name, then initials
    family = name.rsplit(" ", 1)[0] if " " in name else name
    year = re.match(r"\d{4}", str(doc.get("pubdate", "")))
    return Record("PubMed", pmid, {
        "title": str(doc.get("title", "")), "author": family, "year": year.group(0) if year else "",
        "journal": re.sub(r"\s*\([^()]*\)", "", str(doc.get("fulljournalname", ""))),
        "volume": str(doc.get("volume", "")),
        "number": str(doc.get("issue", "")), "pages": str(doc.get("pages", ""))},
        "Retracted Publication" in (doc.get("pubtype") or []), [])


# -- comparing ---------------------------------------------------------------------------------

def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", re.sub(r"<[^<>]*>", "", text))  # JATS tags in Crossref titles
    bare = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare).split())


def pages_of(text: str) -> tuple[str, str]:
    """'1715--1744', '1715-44' and '1715–1744' all mean (1715, 1744)."""
    parts = [p for p in re.split(r"\s*[-–—]+\s*", text.strip()) if p]
    if not parts:
        return "", ""
    start, end = parts[0], parts[-1] if len(parts) > 1 else parts[0]
    if end.isdigit() and start.isdigit() and len(end) < len(start):  # PubMed abbreviates: 1715-44
        end = start[: len(start) - len(end)] + end
    return start.lstrip("0"), end.lstrip("0")


def _first_family(author_field: str) -> str:
    first = author_field.split(" and ")[0].strip()
    return first.split(",")[0].strip() if "," in first else (first.split()[-1] if first.split() else "")


def mismatches(ref: Reference, record: Record) -> list[tuple[str, str, str]]:
    """(field, ours, theirs) for each field both sides have and that differ."""
    ours, theirs = ref.fields, record.fields
    out = []
    for name in FIELDS:
        a, b = ours.get(name, "").strip(), theirs.get(name, "").strip()
        if not a or not b:
            continue
        if name == "title":
            fa, fb = _fold(a), _fold(b)
            same = fa == fb or fa.startswith(fb) or fb.startswith(fa)  # a subtitle on one side only
        elif name == "author":
            a = _first_family(a)
            same = _fold(a) == _fold(b)
        elif name == "journal":  # "&" and a leading "The" do not matter; PubMed's "(New York, N.Y.)" neither
            same = _fold(journal_key(a)) == _fold(journal_key(b))
        elif name == "pages":
            same = pages_of(a) == pages_of(b)
        else:
            same = _fold(a) == _fold(b)
        if not same:
            out.append((name, a, b))
    return out


# -- the check ---------------------------------------------------------------------------------

LABEL = {"title": "title", "author": "first author", "year": "year", "journal": "journal", "volume": "volume",
         "number": "issue", "pages": "pages"}


def check_references(ctx: CheckContext, rep: Reporter) -> None:
    """The registered check: runs only for `check --verify-references`."""
    if not ctx.options.verify_references or not ctx.options.network or ctx.today is None:
        return
    s = ctx.settings
    verify_references(ctx.site, rep, ctx.options.registry_config or RegistryConfig(
        crossref=s.registry_crossref, eutils=s.registry_eutils, mailto=s.registry_mailto,
        cache_path=ctx.root / ".cache" / "registry.json", max_age_days=s.registry_cache_days), ctx.today)


def verify_references(site: Site, rep: Reporter, config: RegistryConfig, today: date,
                      registry: Registry | None = None) -> Registry:
    reg = registry or Registry(config, today)
    first_years = journal_first_years()
    for key, ref in sorted(site.references.items()):
        doi, pmid = ref.fields.get("doi", "").strip(), ref.fields.get("pmid", "").strip()
        records: list[Record] = []
        if doi:
            answer = reg.get(f"{config.crossref.rstrip('/')}/works/{quote(doi, safe='/:();')}" + _mailto(config))
            record = _read(answer, partial(_crossref_from_body, doi))
            _report(rep, ref, key, "Crossref", doi, answer, record, "doi")
            if record:
                records.append(record)
        if pmid:
            url = f"{config.eutils.rstrip('/')}/esummary.fcgi?" + urlencode(
                {"db": "pubmed", "id": pmid, "retmode": "json"})
            answer = reg.get(url)

            record = _read(answer, partial(_pubmed_from_body, pmid))
            _report(rep, ref, key, "PubMed", pmid, answer, record, "pmid")
            if record:
                records.append(record)
        if not doi and not pmid and ref.kind == "article":
            _search(rep, reg, config, ref, key)
        for record in records:
            _first_year(rep, reg, config, ref, key, record, first_years)
    reg.save()
    return reg


def _mailto(config: RegistryConfig) -> str:
    return "?" + urlencode({"mailto": config.mailto}) if config.mailto else ""


def _read(answer: Answer, parse: Callable[[str], Record | None]) -> Record | None:
    if answer.status != 200:
        return None
    try:
        return parse(answer.body)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def _report(rep: Reporter, ref: Reference, key: str, source: str, ident: str, answer: Answer,
            record: Record | None, id_field: str) -> None:
    path, line = ref.loc.path, ref.line_of(id_field)
    if answer.status == 0:
        rep.warning(path, line, f"'{key}': could not reach {source} to verify {ident}: {answer.problem}; "
                    "not verified")
        return
    if record is None:
        what = "DOI" if id_field == "doi" else "PMID"
        rep.error(path, line, f"'{key}': {what} {ident} is not found in {source}")
        return
    if record.retracted:
        rep.error(path, line, f"'{key}': {source} marks {ident} as retracted")
    for name, ours, theirs in mismatches(ref, record):
        rep.error(path, ref.line_of(name), f"'{key}': {LABEL[name]} is {ours!r} here but {theirs!r} in "
                  f"{source} ({ident})")


def search(reg: Registry, config: RegistryConfig, ref: Reference) -> tuple[Answer, dict[str, Any] | None]:
    """Crossref's bibliographic search for an entry (title, first author, year): its answer and
    the best item, if it has a DOI. Used by `check --verify-references` and `import --resolve`."""
    words = " ".join(x for x in (ref.fields.get("title", ""), _first_family(ref.fields.get("author", "")),
                                 ref.fields.get("year", "")) if x)
    params = {"query.bibliographic": words, "rows": "1"}
    if config.mailto:
        params["mailto"] = config.mailto
    answer = reg.get(f"{config.crossref.rstrip('/')}/works?" + urlencode(params))
    if answer.status != 200:
        return answer, None
    try:
        items = parse_json(answer.body)["message"]["items"]
    except (KeyError, TypeError, ValueError):
        items = []
    hit = items[0] if items and isinstance(items[0], dict) and items[0].get("DOI") else None
    return answer, hit


def crossref_record(hit: dict[str, Any]) -> Record:
    return _crossref_record(str(hit["DOI"]), hit)


def _search(rep: Reporter, reg: Registry, config: RegistryConfig, ref: Reference, key: str) -> None:
    answer, hit = search(reg, config, ref)
    if answer.status != 200:
        rep.warning(ref.loc.path, ref.loc.line, f"'{key}': no DOI or PMID, and the Crossref search failed: "
                    f"{answer.problem or answer.status}; not verified")
        return
    if not hit:
        rep.warning(ref.loc.path, ref.loc.line, f"'{key}': no DOI or PMID, and Crossref's search found no "
                    "candidate; check that this work exists")
        return
    record = _crossref_record(str(hit["DOI"]), hit)
    differs = [LABEL[n] for n, _, _ in mismatches(ref, record)]
    note = f"; it differs in {', '.join(differs)}" if differs else ""
    rep.warning(ref.loc.path, ref.loc.line, f"'{key}': no DOI or PMID; Crossref's search proposes DOI {hit['DOI']}"
                f"{note}: confirm it against the publisher and add it")


def _first_year(rep: Reporter, reg: Registry, config: RegistryConfig, ref: Reference, key: str,
                record: Record, first_years: dict[str, int]) -> None:
    """The journal's first year from Crossref where the local table lacks the journal."""
    journal, year = ref.fields.get("journal", ""), ref.fields.get("year", "")
    if not journal or not year.isdigit() or journal_key(journal) in first_years or not record.issns:
        return
    answer = reg.get(f"{config.crossref.rstrip('/')}/journals/{quote(record.issns[0])}" + _mailto(config))
    try:
        by_year = (parse_json(answer.body)["message"]["breakdowns"]["dois-by-issued-year"]
                   if answer.status == 200 else [])
        earliest = min(int(y) for y, _ in by_year)
    except (ValueError, KeyError, TypeError):
        return
    if int(year) < earliest:
        rep.warning(ref.loc.path, ref.line_of("year"), f"'{key}': year {year} is before the earliest year Crossref "
                    f"holds for {journal!r} ({earliest}, ISSN {record.issns[0]}): check the year and journal")
