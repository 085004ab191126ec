"""BibTeX and biblatex in, CSL out: what real exports write (Better BibTeX, Zotero, biblatex's
own examples) is read as biblatex means it, and nothing valid is called wrong. Cases are
BibTeX text -> the CSL variables it must give, in the style of a Markdown-in/HTML-out table."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import Reporter
from generator.sources import biblatex
from generator.sources.bibtex import decode, parse_bibtex


def parse(tmp_path: Path, text: str) -> tuple[dict, list[str]]:
    rep = Reporter(tmp_path)
    refs = parse_bibtex(tmp_path / "refs.bib", rep, text)
    return {k: r.csl for k, r in refs.items()}, [str(d) for d in rep.diagnostics]


@pytest.mark.parametrize("latex, text", [
    (r"17$\beta$-Estradiol", "17β-Estradiol"),
    (r"H$_2$O and CO$_{2}$", "H<sub>2</sub>O and CO<sub>2</sub>"),
    (r"37 $^\circ$C", "37 °C"),
    (r"10$^{-3}$ M", "10<sup>-3</sup> M"),
    (r"area 2\textsuperscript{2}", "area 2<sup>2</sup>"),
    (r"\textsubscript{x} and \emph{in vivo}", "<sub>x</sub> and <i>in vivo</i>"),
    (r"{\noopsort{a}}Zeta", "Zeta"),
    (r"50% of cases", "50% of cases"),  # a percent sign, not a comment that cuts the field
    (r"Testosterone gel 1.62%, for topical use", "Testosterone gel 1.62%, for topical use"),
    (r'{\textless}span class="nocase"{\textgreater}mRNA{\textless}/span{\textgreater} levels', "mRNA levels"),
    (r"M\"uller \& Sons", "Müller & Sons"),
    (r"Smith & Jones", "Smith & Jones"),
])
def test_latex_in_fields_decodes_to_text_and_the_rich_text_tags(latex: str, text: str) -> None:
    assert decode(latex) == text


@pytest.mark.parametrize("bib, expected", [
    # biblatex's date field, its ranges and its circa/uncertain marks
    ("@article{a, date = {2019-03-02}}", {"issued": {"date-parts": [[2019, 3, 2]]}}),
    ("@article{a, date = {2019/2020}}", {"issued": {"date-parts": [[2019], [2020]]}}),
    ("@article{a, date = {1850~}}", {"issued": {"date-parts": [[1850]], "circa": True}}),
    ("@article{a, date = {1988?}}", {"issued": {"date-parts": [[1988]], "circa": True}}),
    ("@article{a, date = {2019-03/}}", {"issued": {"date-parts": [[2019, 3]]}}),
    ("@article{a, year = 2019, month = mar}", {"issued": {"date-parts": [[2019, 3]]}}),
    ("@online{a, urldate = {2020-01-02}}", {"accessed": {"date-parts": [[2020, 1, 2]]}}),
    ("@inproceedings{a, eventdate = {2018-06-01/2018-06-03}}",
     {"event-date": {"date-parts": [[2018, 6, 1], [2018, 6, 3]]}}),
    # biblatex field names
    ("@article{a, journaltitle = {J Clin Endocrinol}}", {"container-title": "J Clin Endocrinol"}),
    ("@book{a, location = {Oxford}, publisher = {OUP}}", {"publisher-place": "Oxford", "publisher": "OUP"}),
    ("@article{a, title = {Main}, subtitle = {A study}}", {"title": "Main: A study"}),
    # @string macros and # concatenation
    ('@string{jb = "J. Biol"}\n@article{a, journal = jb # " Chem", title = "a" # {b}}',
     {"container-title": "J. Biol Chem", "title": "ab"}),
    # the extended name format, and a name in braces kept whole
    ("@article{a, author = {family=Oord, given=Aaron, prefix=van den, useprefix=true and {World Health "
     "Organization} and van der Berg, Jan}}",
     {"author": [{"family": "Oord", "given": "Aaron", "non-dropping-particle": "van den"},
                 {"literal": "World Health Organization"},
                 {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"}]}),
])
def test_biblatex_fields_reach_their_csl_variables(tmp_path: Path, bib: str, expected: dict) -> None:
    items, messages = parse(tmp_path, bib)
    assert messages == []
    item = items["a"]
    assert {k: item.get(k) for k in expected} == expected


@pytest.mark.parametrize("kind, csl", [
    ("collection", "book"), ("mvbook", "book"), ("inreference", "entry-encyclopedia"), ("patent", "patent"),
    ("video", "motion_picture"), ("periodical", "periodical"), ("online", "webpage"), ("report", "report"),
    ("thesis", "thesis"), ("dataset", "dataset"), ("software", "software"), ("standard", "standard"),
    ("legislation", "legislation"), ("letter", "personal_communication"), ("artwork", "graphic"),
])
def test_every_biblatex_type_has_its_csl_type(tmp_path: Path, kind: str, csl: str) -> None:
    items, messages = parse(tmp_path, f"@{kind}{{a, title = {{T}}, date = {{2020}}}}")
    assert messages == [] and items["a"]["type"] == csl


def test_a_type_with_no_csl_counterpart_is_a_warning_and_the_entry_stays(tmp_path: Path) -> None:
    items, messages = parse(tmp_path, "@set{s, entryset = {a,b}}\n@strangetype{x, title = {T}, year = 2020}")
    assert set(items) == {"s", "x"} and items["x"]["type"] == "document"
    assert messages == ["refs.bib:1: warning: 's': entry type '@set' is a group of other entries; it is listed "
                        "as a document",
                        "refs.bib:2: warning: 'x': entry type '@strangetype' has no CSL type; it is listed as a "
                        "document"]
    assert set(biblatex.CSL_TYPES) >= {"article", "inbook", "mvcollection", "suppperiodical", "www"}


def test_crossref_and_xdata_are_resolved_as_biblatex_does(tmp_path: Path) -> None:
    items, messages = parse(tmp_path, """\
@xdata{pub, publisher = {Greenwood}, location = {Westport}}
@collection{parent, editor = {Westfahl, Gary}, title = {Space and Beyond}, date = {2000}, xdata = {pub}}
@incollection{child, author = {Westfahl, Gary}, title = {The True Frontier}, pages = {55--65}, crossref = {Parent}}
@periodical{jcs, title = {Journal of Computational Chemistry}, date = {1998}}
@article{art, author = {Doe, J.}, title = {A paper}, crossref = {jcs}}
""")
    assert messages == []
    assert "pub" not in items  # data only: never listed
    child = items["child"]
    assert (child["title"], child["container-title"], child["publisher"], child["publisher-place"]) == (
        "The True Frontier", "Space and Beyond", "Greenwood", "Westport")
    assert child["editor"] == [{"family": "Westfahl", "given": "Gary"}] and child["issued"]["date-parts"] == [[2000]]
    assert (items["art"]["title"], items["art"]["container-title"]) == ("A paper", "Journal of Computational Chemistry")


def test_a_crossref_to_a_missing_entry_is_a_warning_at_its_line(tmp_path: Path) -> None:
    items, messages = parse(tmp_path, "@inbook{c,\n  title = {T},\n  crossref = {nowhere}\n}")
    assert "c" in items
    assert messages == ["refs.bib:3: warning: 'c': crossref 'nowhere' is not in this file; its fields are not "
                        "inherited"]


def test_a_date_biblatex_cannot_read_is_shown_as_written_with_a_warning(tmp_path: Path) -> None:
    items, messages = parse(tmp_path, "@article{a,\n  date = {Spring 2020}\n}")
    assert items["a"]["issued"] == {"literal": "Spring 2020"}
    assert messages == ["refs.bib:2: warning: 'a': date 'Spring 2020' is not a date biblatex reads (YYYY, "
                        "YYYY-MM-DD, a range A/B, ~ or ? after it); shown as written"]


# biblatex's own example database, from Debian's texlive-bibtex-extra package: `make test`
# extracts it into .cache/test-data (tools/test-data.sh); without it the test says so.
EXAMPLES = Path(os.environ.get("BIBLATEX_EXAMPLES", Path(__file__).resolve().parents[1] / ".cache" / "test-data"
                               / "biblatex-examples.bib"))


@pytest.mark.skipif(not EXAMPLES.is_file(), reason=f"{EXAMPLES} is missing: `make test-data` extracts it "
                    "from Debian's texlive-bibtex-extra package")
def test_biblatex_examples_load_format_and_show_every_year(tmp_path: Path) -> None:
    from generator.render.references import format_bibliography

    rep = Reporter(tmp_path)
    refs = parse_bibtex(EXAMPLES, rep)
    bib = format_bibliography(EXAMPLES, refs, rep)
    errors = [d for d in rep.diagnostics if d.level == "error"]
    assert errors == [] and len(refs) >= 90
    assert {d.message.split("'")[1] for d in rep.diagnostics} <= {"set", "stdmodel"}  # the two @set entries
    dated = [k for k, r in refs.items() if any(f in r.csl for f in ("issued",))]
    assert len(dated) == len(refs) - 2
    for key in dated:
        year = str(refs[key].csl["issued"]["date-parts"][0][0])
        assert year in bib.formatted[key], (key, bib.formatted[key])
    assert "$" not in "".join(r.csl.get("title", "") for r in refs.values())  # no raw math left
