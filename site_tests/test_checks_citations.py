"""Each citation check catches its planted defect at path:line, in a small fixture project."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli

from generator.checks.citations import journal_first_years, journal_key

BIB = "content/references.bib"
TOPIC = "content/topics/fixture-topic.md"




def append_bib(root: Path, entry: str) -> int:
    """Append an entry; return the line its '@' stands on."""
    path = root / BIB
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    path.write_text(text + entry.strip() + "\n", encoding="utf-8")
    return line


GOOD = """@article{{{key},
  author  = {{Doe, Jane}},
  title   = {{{title}}},
  journal = {{{journal}}},
  year    = {{{year}}},
  volume  = {{1}},
  pages   = {{1--9}},
  {extra}
}}"""


def entry(key: str = "planted2020", title: str = "A planted record", journal: str = "Menopause",
          year: str = "2020", extra: str = "pmid = {123456}") -> str:
    return GOOD.format(key=key, title=title, journal=journal, year=year, extra=extra)


def check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    # Warnings are told from errors by their level: not strict unless a test asks.
    strictness = () if "--strict" in args else ("--no-strict",)
    code = run_cli(root, "check", "--today", "2020-06-01", "--sources-only", *strictness, *args)
    return code, capsys.readouterr().out


def test_unknown_citation_key_is_an_error_and_fails_the_build(project: Path, capsys) -> None:
    path = project / TOPIC
    path.write_text(path.read_text().replace("[@smith2019].", "[@smith2020]."))
    line = next(i for i, l in enumerate(path.read_text().split("\n"), 1) if "smith2020" in l)
    code, out = check(project, capsys)
    assert code == 1 and f"{TOPIC}:{line}: error: unknown citation key 'smith2020'" in out
    assert run_cli(project, "build") == 1
    assert f"{TOPIC}:{line}: error: unknown citation key 'smith2020'" in capsys.readouterr().err


def test_uncited_entry_is_a_warning(project: Path, capsys) -> None:
    line = append_bib(project, entry())
    code, out = check(project, capsys)
    assert f"{BIB}:{line}: warning: bibliography entry 'planted2020' is never cited" in out
    assert code == 0
    code, _ = check(project, capsys, "--strict")
    assert code == 1


@pytest.mark.parametrize("name, planted, field, message", [
    ("same DOI", entry(extra="doi = {10.1000/fixture.1}"), "doi", "has the same DOI as 'smith2019'"),
    ("same title and year", entry(title="A trial of medicine X", year="2019"),
     None, "has the same title and year as 'smith2019'"),
    ("bad DOI", entry(extra="doi = {10.12/x y}"), "doi", "is not a DOI (10.<registrant>/<suffix>"),
    ("not a DOI at all", entry(extra="doi = {https://example.org/paper}"), "doi", "is not a DOI"),
    ("bad PMID (leading zero)", entry(extra="pmid = {0123}"), "pmid", "must be 1 to 8 digits"),
    ("bad PMID (too long)", entry(extra="pmid = {123456789}"), "pmid", "must be 1 to 8 digits"),
    ("article lacks fields", "@article{planted2020,\n  title = {Only a title},\n  journal = {Menopause},\n  year = {2020},\n  pmid = {1}\n}",
     None, "lacks author"),
    ("year before the journal began", entry(journal="The Lancet Diabetes & Endocrinology", year="2008"),
     "year", "is before 'The Lancet Diabetes & Endocrinology' began publishing in 2013"),
    ("year in the future", entry(year="2031"), "year", "year 2031 is in the future"),
])
def test_bibliography_errors(project: Path, capsys, name: str, planted: str, field: str | None, message: str) -> None:
    first = append_bib(project, planted)
    line = first
    if field:
        lines = (project / BIB).read_text().split("\n")
        line = next(i for i in range(first, len(lines) + 1) if re.match(rf"\s*{field}\s*=", lines[i - 1]))
    code, out = check(project, capsys)
    assert code == 1
    assert re.search(rf"^{re.escape(BIB)}:{line}: error: .*{re.escape(message)}", out, re.M), out


@pytest.mark.parametrize("doi", [
    "10/fqd6hj",  # a short DOI (shortdoi.org)
    "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P",  # an old Wiley SICI DOI
    "10.1000.10/123456",  # a subdivided registrant code
    "10.5555/ÄÖÜ-unicode#1",  # any printable characters in the suffix
])
def test_every_doi_the_handbook_allows_passes(project: Path, capsys, doi: str) -> None:
    line = append_bib(project, entry(extra=f"doi = {{{doi}}}"))
    _, out = check(project, capsys)
    assert f"{BIB}:{line + 7}: error" not in out and "is not a DOI" not in out, out


def test_an_unlisted_journal_and_an_article_ahead_of_print_are_not_faults(project: Path, capsys) -> None:
    line = append_bib(project, "@article{planted2020,\n  author = {Doe, Jane},\n  title = {Online first},\n"
                               "  journaltitle = {A Journal Nobody Listed},\n  date = {2020-03-04},\n  pmid = {1}\n}")
    _, out = check(project, capsys)
    assert "planted2020" in out  # never cited, and no volume or pages yet: said, as warnings
    assert f"{BIB}:{line}: warning: journal article 'planted2020' has no volume or pages" in out
    assert not re.search(r"^\S+: error: .*planted2020", out, re.M), out
    assert "journals.yml" not in out


def test_what_looks_like_a_citation_but_is_none_is_a_warning_at_its_line(project: Path, capsys) -> None:
    path = project / TOPIC
    text = path.read_text().replace("[@smith2019].", "[@smith2019]. Follow @nhsuk, or see [see also; @smith2019].")
    path.write_text(text)
    line = next(i for i, l in enumerate(text.split("\n"), 1) if "@nhsuk" in l)
    code, out = check(project, capsys)
    assert code == 0, out
    assert f"{TOPIC}:{line}: warning: '@nhsuk' is not a bibliography key, so it is shown as text" in out
    assert f"{TOPIC}:{line}: warning: this looks like a citation but is not one: 'see also' is not a citation item" \
        in out


def test_an_unknown_key_suggests_the_nearest(project: Path, capsys) -> None:
    path = project / TOPIC
    path.write_text(path.read_text().replace("[@smith2019].", "[@Smith2019]."))
    code, out = check(project, capsys)
    assert code == 1 and "unknown citation key 'Smith2019'" in out and "did you mean 'smith2019'?" in out


def test_article_without_doi_or_pmid_is_a_warning(project: Path, capsys) -> None:
    line = append_bib(project, entry(extra=""))
    _, out = check(project, capsys)
    assert f"{BIB}:{line}: warning: journal article 'planted2020' has neither a DOI nor a PMID" in out


def test_academic_section_without_citation_is_a_warning(project: Path, capsys) -> None:
    path = project / TOPIC
    path.write_text(path.read_text() + "\n## Uncited claims\n\nA bold claim.\n")
    line = next(i for i, l in enumerate(path.read_text().split("\n"), 1) if l == "## Uncited claims")
    _, out = check(project, capsys)
    assert f"{TOPIC}:{line}: warning: Academic section '## Uncited claims' cites no source" in out


def test_journal_first_years_data() -> None:
    years = journal_first_years()
    assert years[journal_key("The Lancet Diabetes & Endocrinology")] == 2013
    assert journal_key("The Journal of Clinical Endocrinology & Metabolism") == journal_key(
        "Journal of Clinical Endocrinology and Metabolism")
    assert all(1600 < y <= 2026 for y in years.values())


def both_bibliographies(project: Path) -> None:
    """The cite extension's `bibliography` as a list: the .bib and a CSL-JSON file."""
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("bibliography: content/references.bib",
                                           "bibliography: [content/references.bib, content/references.json]"))


def test_csl_json_entries_join_the_checks_at_their_own_lines(project: Path, capsys) -> None:
    rel = "content/references.json"
    both_bibliographies(project)
    (project / rel).write_text(
        '[\n'
        '  {"id": "jsonref", "type": "article-journal", "title": "Checked too",\n'
        '   "container-title": "The Lancet Diabetes & Endocrinology", "issued": {"date-parts": [[2008]]},\n'
        '   "author": [{"family": "Doe", "given": "J"}], "volume": "1", "page": "1-2",\n'
        '   "DOI": "10.1000/bad doi"}\n'
        ']\n', encoding="utf-8")
    code, out = check(project, capsys)
    assert code == 1
    assert f"{rel}:5: error: 'jsonref': '10.1000/bad doi' is not a DOI" in out
    assert f"{rel}:3: error: 'jsonref': year 2008 is before 'The Lancet Diabetes & Endocrinology'" in out
    assert f"{rel}:2: warning: bibliography entry 'jsonref' is never cited" in out


def test_a_key_in_both_files_is_an_error(project: Path, capsys) -> None:
    rel = "content/references.json"
    both_bibliographies(project)
    (project / rel).write_text('[\n  {"id": "smith2019", "type": "book", "title": "Dup"}\n]\n', encoding="utf-8")
    code, out = check(project, capsys)
    assert code == 1 and f"{rel}:2: error: bibliography key 'smith2019' is also defined in {BIB}:" in out


def test_an_entry_cited_only_by_a_draft_is_a_note(project: Path, capsys) -> None:
    line = append_bib(project, entry())
    (project / "content/topics/next.md").write_text(
        "---\ntitle: Next\nsummary: \"\"\ndraft: true\n---\n# Fundamentals\n\nSoon [@planted2020].\n", encoding="utf-8")
    code, out = check(project, capsys, "--strict")
    assert f"{BIB}:{line}: note: bibliography entry 'planted2020' is cited only by a draft" in out
    assert code == 0, out
