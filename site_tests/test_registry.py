"""`check --verify-references` against a local server on 127.0.0.1 that plays recorded Crossref
and E-utilities answers: one test per kind of mismatch, politeness, failures and the cache."""
from __future__ import annotations

import http.server
import json
import threading
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import local_server, run_cli
from miniproject import FILES, make_project

from generator.checks.registry import RegistryConfig, pages_of, verify_references
from generator.errors import Reporter
from generator.sources.load import load_site

RECORDED = Path(__file__).parent / "payloads" / "registry"
BIB = "content/references.bib"
TODAY = date(2026, 11, 22)

ENTRIES = """
@article{pages2019, author = {Smith, Anna}, title = {A second trial}, journal = {Menopause}, year = {2019},
  volume = {26}, number = {3},
  pages = {4660--4666},
  doi = {10.1000/pages}}
@article{year2019, author = {Smith, Anna}, title = {A third trial}, journal = {Menopause},
  year = {2019},
  volume = {26}, number = {3}, pages = {5--9}, doi = {10.1000/year}}
@article{retract2019, author = {Smith, Anna}, title = {A retracted trial}, journal = {Menopause}, year = {2019},
  volume = {26}, number = {3}, pages = {11--19},
  doi = {10.1000/retracted}}
@article{missing2019, author = {Smith, Anna}, title = {A trial nobody published}, journal = {Menopause}, year = {2019},
  volume = {26}, number = {3}, pages = {1--2},
  doi = {10.1000/missing}}
@article{busy2019, author = {Smith, Anna}, title = {A popular trial}, journal = {Menopause}, year = {2019},
  volume = {26}, number = {3}, pages = {100--110},
  doi = {10.1000/busy}}
@article{slow2019, author = {Smith, Anna}, title = {A slow trial}, journal = {Menopause}, year = {2019},
  volume = {26}, number = {3}, pages = {1--3},
  doi = {10.1000/slow}}
@article{cohort2021, author = {Jones, Kim}, title = {A cohort of patients}, journal = {Menopause}, year = {2021},
  volume = {28},
  number = {2}, pages = {101--119}, pmid = {22222222}}
@article{gone2021, author = {Jones, Kim}, title = {A withdrawn record}, journal = {Menopause}, year = {2021},
  volume = {28}, number = {2}, pages = {1--9},
  pmid = {99999999}}
@article{noid2019, author = {Smith, Anna}, title = {A trial without identifiers}, journal = {Menopause}, year = {2019},
  volume = {26}, number = {3}, pages = {20--29}}
@article{early2008, author = {Smith, Anna}, title = {An early paper}, journal = {Journal of Newer Things},
  year = {2008},
  volume = {1}, number = {1}, pages = {1--5}, doi = {10.1000/newjournal}}
"""
SMITH = FILES[BIB].replace("doi = {10.1000/fixture.1}", "doi = {10.1000/exact}")


class Registries:
    """Crossref under /crossref, E-utilities under /eutils; counts every request it answers."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self.release = threading.Event()  # lets the handler of the "slow" DOI return at teardown
        registries = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                registries.seen[self.path] += 1
                status, headers, body = registries.answer(self.path)
                if status == 0:
                    registries.release.wait(10)  # never answers in time: the client's timeout decides
                    return
                self.send_response(status)
                for k, v in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server, self.base = local_server(Handler)

    def answer(self, raw: str) -> tuple[int, dict[str, str], str]:
        url = urlsplit(raw)
        path, query = url.path, parse_qs(url.query)
        if path.startswith("/crossref/works/"):
            doi = path[len("/crossref/works/"):]
            name = doi.split("/")[-1]
            if name == "busy":
                if self.seen[raw] == 1:
                    return 429, {"Retry-After": "0"}, '{"status":"error"}'
                work = json.loads((RECORDED / "work-exact.json").read_text())
                work["message"].update({"DOI": doi, "title": ["A popular trial"]})
                return 200, {}, json.dumps(work)
            if name == "slow":
                return 0, {}, ""
            file = RECORDED / f"work-{name}.json"
            return (200, {}, file.read_text()) if file.exists() else (404, {}, "Resource not found.")
        if path == "/crossref/works":
            return 200, {}, (RECORDED / "search-hit.json").read_text()
        if path.startswith("/crossref/journals/"):
            return 200, {}, (RECORDED / f"journal-{path.rsplit('/', 1)[1]}.json").read_text()
        if path == "/eutils/esummary.fcgi":
            return 200, {}, (RECORDED / f"esummary-{query['id'][0]}.json").read_text()
        return 404, {}, ""

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def registries():  # type: ignore[no-untyped-def]
    r = Registries()
    yield r
    r.close()


@pytest.fixture
def own_registries():  # type: ignore[no-untyped-def]
    """A server of its own, for a test that counts every request from the start."""
    r = Registries()
    yield r
    r.close()


def config(registries: Registries, cache: Path) -> RegistryConfig:
    return RegistryConfig(crossref=registries.base + "/crossref", eutils=registries.base + "/eutils",
                          mailto="editors@example.org", timeout=0.5, ncbi_interval=0.0, cache_path=cache)


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory, registries: Registries) -> tuple[list[str], Path]:
    """One verification run over every kind of entry; the tests below read its report."""
    tmp_path = tmp_path_factory.mktemp("verified")
    root = make_project(tmp_path, {BIB: SMITH + ENTRIES})
    site, rep = load_site(root, Reporter(root))
    assert not rep.errors, rep.diagnostics
    report = Reporter(root)
    verify_references(site, report, config(registries, tmp_path / "cache.json"), TODAY)
    return [str(d) for d in report.diagnostics], root


def line_in(root: Path, key: str, field: str) -> int:
    lines = (root / BIB).read_text().split("\n")
    start = next(i for i, l in enumerate(lines) if "{" + key + "," in l)
    return next(i for i, l in enumerate(lines[start:], start + 1) if l.strip().startswith(field) or f" {field} =" in l)


def test_matching_entries_say_nothing(verified) -> None:
    lines, _ = verified
    assert not [l for l in lines if "'smith2019'" in l or "'jones2020'" in l or "'busy2019'" in l]


def test_a_pages_mismatch(verified) -> None:
    lines, root = verified
    assert (f"{BIB}:{line_in(root, 'pages2019', 'pages')}: error: 'pages2019': pages is '4660-4666' here but "
            "'3413-3422' in Crossref (10.1000/pages)") in lines


def test_a_year_mismatch(verified) -> None:
    lines, root = verified
    assert (f"{BIB}:{line_in(root, 'year2019', 'year')}: error: 'year2019': year is '2019' here but '2018' in "
            "Crossref (10.1000/year)") in lines


def test_a_volume_mismatch_in_pubmed_with_abbreviated_pages_accepted(verified) -> None:
    lines, root = verified
    cohort = [l for l in lines if "'cohort2021'" in l]
    assert cohort == [f"{BIB}:{line_in(root, 'cohort2021', 'volume')}: error: 'cohort2021': volume is '28' here but "
                      "'29' in PubMed (22222222)"]


def test_a_retracted_paper(verified) -> None:
    lines, root = verified
    assert (f"{BIB}:{line_in(root, 'retract2019', 'doi')}: error: 'retract2019': Crossref marks 10.1000/retracted "
            "as retracted") in lines


def test_identifiers_the_registries_do_not_know(verified) -> None:
    lines, root = verified
    assert (f"{BIB}:{line_in(root, 'missing2019', 'doi')}: error: 'missing2019': DOI 10.1000/missing is not found "
            "in Crossref") in lines
    assert (f"{BIB}:{line_in(root, 'gone2021', 'pmid')}: error: 'gone2021': PMID 99999999 is not found in "
            "PubMed") in lines


def test_a_429_is_retried_after_its_retry_after(verified, registries: Registries) -> None:
    busy = [p for p in registries.seen if p.startswith("/crossref/works/10.1000/busy")]
    assert [registries.seen[p] for p in busy] == [2]


def test_a_timeout_is_a_warning_never_a_verification(verified) -> None:
    lines, root = verified
    assert (f"{BIB}:{line_in(root, 'slow2019', 'doi')}: warning: 'slow2019': could not reach Crossref to verify "
            "10.1000/slow: timed out; not verified") in lines


def test_an_entry_without_identifiers_gets_a_proposed_doi(verified, registries: Registries) -> None:
    lines, root = verified
    start = next(i for i, l in enumerate((root / BIB).read_text().split("\n"), 1) if "{noid2019," in l)
    assert (f"{BIB}:{start}: warning: 'noid2019': no DOI or PMID; Crossref's search proposes DOI 10.1000/found: "
            "confirm it against the publisher and add it") in lines
    [search] = [p for p in registries.seen if p.startswith("/crossref/works?")]
    assert "query.bibliographic=A+trial+without+identifiers+Smith+2019" in search and "mailto=" in search


def test_the_journal_first_year_comes_from_the_registry(verified) -> None:
    lines, root = verified
    assert (f"{BIB}:{line_in(root, 'early2008', 'year')}: warning: 'early2008': year 2008 is before the earliest "
            "year Crossref holds for 'Journal of Newer Things' (2013, ISSN 2222-3333)") in " ".join(lines)


def test_requests_are_polite(verified, registries: Registries) -> None:
    works = [p for p in registries.seen if p.startswith("/crossref/works/")]
    assert works and all("mailto=editors%40example.org" in p for p in works)


def test_the_cli_uses_the_cache_so_a_second_run_asks_nothing(tmp_path: Path, own_registries: Registries,
                                                             capsys) -> None:
    registries = own_registries
    mk = FILES["mkdocs.yml"].replace("      funding: No funding.\n", "      funding: No funding.\n"
                                     f"      registry_crossref: {registries.base}/crossref\n"
                                     f"      registry_eutils: {registries.base}/eutils\n")
    root = make_project(tmp_path, {"mkdocs.yml": mk, BIB: SMITH + ENTRIES.split("@article{slow2019")[0]})
    assert run_cli(root, "check", "--today", "2020-06-01", "--verify-references") == 1
    first = capsys.readouterr().out
    asked = sum(registries.seen.values())
    assert asked > 0 and "'pages2019': pages is" in first
    assert run_cli(root, "check", "--today", "2020-06-01", "--verify-references") == 1
    assert sum(registries.seen.values()) == asked  # every answer came from .cache/registry.json
    assert capsys.readouterr().out == first
    # Entries expire: after registry_cache_days (30 by default) the registries are asked again.
    assert run_cli(root, "check", "--today", "2020-07-15", "--verify-references") == 1
    assert sum(registries.seen.values()) > asked


def test_network_failure_is_not_cached(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    site, _ = load_site(root, Reporter(root))
    rep = Reporter(root)
    down = RegistryConfig(crossref="http://127.0.0.1:9/crossref", eutils="http://127.0.0.1:9/eutils",
                          timeout=0.5, ncbi_interval=0.0, cache_path=tmp_path / "cache.json")
    reg = verify_references(site, rep, down, TODAY)
    assert reg.cache == {} and all(d.level == "warning" and "not verified" in d.message for d in rep.diagnostics)
    assert len(rep.diagnostics) == 2


@pytest.mark.parametrize("text, pages", [
    ("1715--1744", ("1715", "1744")), ("1715-44", ("1715", "1744")), ("1715–1744", ("1715", "1744")),
    ("e123", ("e123", "e123")), ("101-19", ("101", "119")),
])
def test_page_ranges_are_read_alike(text: str, pages: tuple[str, str]) -> None:
    assert pages_of(text) == pages


# -- the one HTTP client: deadline, redirect policy, hostile answers (issue "Hostile authors, round two")

class Hostile:
    """A registry that misbehaves: drips, redirects to the metadata service or to ftp, nests JSON."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        hostile = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                name = self.path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
                if name == "drip":
                    self.send_response(200)
                    self.end_headers()
                    for ch in b'{"message": {"title": ["' + b"x" * 1000:
                        if hostile.stopping.wait(0.2):
                            break
                        self.wfile.write(bytes([ch]))
                        self.wfile.flush()
                    return
                if name in ("metadata", "ftp"):
                    self.send_response(302)
                    self.send_header("Location", "http://169.254.169.254/latest/meta-data/" if name == "metadata"
                                     else "ftp://127.0.0.1/x")
                    self.end_headers()
                    return
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"[" * 100_000 + b"]" * 100_000)  # deeper than json can recurse

            def log_message(self, *args: object) -> None:
                pass

        self.server, self.base = local_server(Handler)

    def close(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hostile():  # type: ignore[no-untyped-def]
    h = Hostile()
    yield h
    h.close()


def _verify_one(tmp_path: Path, hostile: Hostile, doi: str, **kw: object) -> list[str]:
    entry = f"@article{{one2019, author = {{Smith, Anna}}, title = {{A trial}}, journal = {{Menopause}}, year = {{2019}}, doi = {{{doi}}}}}\n"
    root = make_project(tmp_path, {BIB: FILES[BIB] + entry})
    site, rep = load_site(root, Reporter(root))
    report = Reporter(root)
    cfg = RegistryConfig(crossref=hostile.base + "/crossref", eutils=hostile.base + "/eutils", ncbi_interval=0.0,
                         cache_path=tmp_path / "cache.json", **kw)  # type: ignore[arg-type]
    verify_references(site, report, cfg, TODAY)
    return [str(d) for d in report.diagnostics if "'one2019'" in str(d)]


def test_a_dripping_registry_is_cut_at_the_deadline(tmp_path: Path, hostile: Hostile) -> None:
    import time
    started = time.monotonic()
    found = _verify_one(tmp_path, hostile, "10.1000/drip", deadline=1.0, timeout=5.0)
    assert any("no complete answer within 1 s; not verified" in f for f in found), found
    assert time.monotonic() - started < 20  # each entry's deadline holds; a per-read timeout would not


@pytest.mark.parametrize("doi,why", [("10.1000/metadata", "169.254.169.254 is a private"),
                                     ("10.1000/ftp", "which is not an http(s) URL")])
def test_a_registry_redirect_is_held_to_the_policy(tmp_path: Path, hostile: Hostile, doi: str, why: str) -> None:
    found = _verify_one(tmp_path, hostile, doi)
    assert any(why in f and "warning" in f and "not verified" in f for f in found), found


def test_deeply_nested_json_is_an_unreadable_answer_not_a_crash(tmp_path: Path, hostile: Hostile) -> None:
    found = _verify_one(tmp_path, hostile, "10.1000/nested")
    assert any("is not found in Crossref" in f for f in found), found
