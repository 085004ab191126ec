"""Real inputs: every BibTeX file of Debian's texlive-bibtex-extra that nobody here wrote.

`make test-data` keeps the package's 109 .bib files (.cache/test-data/texlive-bib/): Nelson
Beebe's curated bibliographies (BibTeX with @String macros, "????" for an unknown month,
seasons, fields given twice), biblatex's and its styles' examples, JabRef exports declaring
ISO 8859-1, Latin-1 files declaring nothing, and bib2gls's glossary databases. Every file up to
200 KB (100 files) is loaded and formatted here; the biggest (tugboat.bib: 4,846 entries) are
left to `bench/`-style runs by hand, since they take seconds.
"""
from __future__ import annotations

import collections
from pathlib import Path

import pytest

from generator.errors import Reporter
from generator.render.references import format_bibliography
from generator.sources.bibtex import parse_bibtex

CORPUS = Path(__file__).resolve().parents[1] / ".cache" / "test-data" / "texlive-bib"
LIMIT = 200_000

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="texlive-bib/ is absent: `make test-data` fetches "
                                "Debian's texlive-bibtex-extra")


def test_every_real_bibtex_file_loads_and_formats_and_shows_its_years() -> None:
    files = sorted(f for f in CORPUS.rglob("*.bib") if f.stat().st_size <= LIMIT)
    assert len(files) >= 90, len(files)
    diagnostics: list[str] = []
    entries = dated = 0
    for path in files:
        rep = Reporter(CORPUS)
        refs = parse_bibtex(path, rep)
        bib = format_bibliography(path, refs, rep, "american-medical-association")
        diagnostics += [f"{d.level}: {d.message}" for d in rep.diagnostics]
        entries += len(refs)
        for key, ref in refs.items():
            issued = ref.csl.get("issued")
            parts = issued.get("date-parts") if isinstance(issued, dict) else None
            if parts and parts[0]:
                dated += 1
                assert str(parts[0][0]) in bib.html(key), (path.name, key, bib.html(key))
    assert entries >= 1_500 and dated >= 700, (entries, dated)  # bib2gls's entries have no date
    # Valid input is never called wrong: no errors at all. The warnings are the two kinds the
    # data earns: bib2gls's glossary entries (@symbol, @abbreviation…) have no CSL type, and
    # two Latin-1 files do not say they are Latin-1.
    assert not [d for d in diagnostics if d.startswith("error")], diagnostics
    kinds = collections.Counter(d.split(":")[1].strip()[:40] for d in diagnostics if d.startswith("warning"))
    assert all("has no CSL type" in d or "group of other entries" in d or "is not UTF-8" in d or "given twice" in d
               for d in diagnostics if d.startswith("warning")), kinds


@pytest.mark.parametrize("source, issued, note", [
    ('month = "????"', {"date-parts": [[1990]]}, "names no month or season"),  # Beebe's unknown month
    ("month = {Winter}", {"date-parts": [[1990]], "season": 4}, ""),
    ('month = jul # "--" # aug', {"date-parts": [[1990, 7]]}, ""),
    ("month = {Sept.}", {"date-parts": [[1990, 9]]}, ""),
])
def test_a_month_as_bibtex_files_write_it(tmp_path: Path, source: str, issued: dict[str, object], note: str) -> None:
    path = tmp_path / "m.bib"
    path.write_text(f"@book{{k, author = {{A, B}}, title = {{T}}, publisher = {{P}}, year = 1990, {source}}}\n",
                    encoding="utf-8")
    rep = Reporter(tmp_path)
    ref = parse_bibtex(path, rep)["k"]
    assert ref.csl["issued"] == issued
    assert [d.level for d in rep.diagnostics] == (["note"] if note else [])
    assert all(note in d.message for d in rep.diagnostics)


def test_a_field_given_twice_keeps_the_first_as_bibtex_does(tmp_path: Path) -> None:
    path = tmp_path / "d.bib"
    path.write_text("@book{k, author = {A, B}, title = {First}, publisher = {P}, year = 1990,\n"
                    "  title = {Second}}\n", encoding="utf-8")
    rep = Reporter(tmp_path)
    assert parse_bibtex(path, rep)["k"].csl["title"] == "First"
    assert [str(d) for d in rep.diagnostics] == ["d.bib:2: warning: 'k': title is given twice; the first is used, "
                                                 "as BibTeX does"]


@pytest.mark.parametrize("header, warned", [("% Encoding: ISO8859_1\n", False), ("", True)])
def test_a_latin_1_file_is_read(tmp_path: Path, header: str, warned: bool) -> None:
    path = tmp_path / "l.bib"
    path.write_bytes((header + "@book{k, author = {M\u00fcller, Peter}, title = {F\u00fcr}, publisher = {P}, "
                      "year = 1990}\n").encode("latin-1"))
    rep = Reporter(tmp_path)
    assert parse_bibtex(path, rep)["k"].csl["author"][0]["family"] == "M\u00fcller"
    assert [d.level for d in rep.diagnostics] == (["warning"] if warned else [])


@pytest.mark.parametrize("entry, field", [
    ('@book{k, title = {A} year = {2000}}', "year"),
    ('@book{k, title = "A"\n  year = {2000}}', "year"),
    ('@book{k, keywords = "Alphabetgeschichten == Alphabet history", year = 2000}', None),  # tugboat.bib
    ('@book{k, title = {A {B} c = d}, year = 2000}', None),
    ('@book(k, title = {A} year = {2000})', "year"),
])
def test_a_missing_comma_is_found_only_between_fields(entry: str, field: str | None) -> None:
    from generator.sources.bibtex import missing_comma

    found = missing_comma(entry)
    assert (found.group(1) if found else None) == field


# CSL-JSON 1.0.2 allows a date as an EDTF string or an object with only `raw` (citeproc-js and
# Zotero write both); citeproc-py reads date-parts only, and crashed or dropped the year.
@pytest.mark.parametrize("issued, shown, warned", [
    ("2014-03-02", "2014", False),
    ({"raw": "2014-03"}, "2014", False),
    ("2019/2020", "2019\u20132020", False),
    ("1984~", "1984", False),
    ({"date-parts": [[2014]]}, "2014", False),
    ({"literal": "circa 1900"}, "circa 1900", False),
    ("spring 1990", "spring 1990", True),
])
def test_a_csl_json_date_in_any_form_the_schema_allows(tmp_path: Path, issued: object, shown: str,
                                                       warned: bool) -> None:
    import json

    from generator.sources.csljson import parse_csl_json

    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"id": "k", "type": "book", "title": "T", "author": [{"family": "Doe"}],
                                 "publisher": "P", "issued": issued}]), encoding="utf-8")
    rep = Reporter(tmp_path)
    bib = format_bibliography(path, parse_csl_json(path, rep), rep, "american-medical-association")
    assert shown in bib.html("k")
    assert [d.level for d in rep.diagnostics] == (["warning"] if warned else [])
