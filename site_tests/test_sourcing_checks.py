"""Issue 25: approval, dose and safety facts come from authoritative sources; agents with no
approved product get no schedule; badges name their regulator; one do-not-start list.

One failing fixture project per rule, each reported at its path:line, and unit cases for the
allow-list rule and the jurisdiction of a derived status.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_rules, run_cli
from miniproject import FILES, NO_APPROVAL_GLOSSARY, make_project

from generator.checks import safety, sourcing
from generator.model import Agent, Approval, Evidence, Location, ProtocolAgent, Reference
from generator.model.approval import APPROVED, NOT_APPROVED, OFF_LABEL, derive
from generator.model.authority import authoritative, hosts, published_study

GLOSSARY = "glossary/medicine-x.yml"
PROTOCOL = "content/protocols/fixture-protocol.yml"
BIB = "content/references.bib"

LABEL = """
@misc{xenocopy,
  author = {{Someone}},
  title  = {{XENO label, uploaded copy}},
  url    = {https://pdfslide.net/documents/xeno-label.html}
}
"""


def ref(**fields: str) -> Reference:
    return Reference("k", "misc", dict(fields), Location(Path("r.bib"), 1))


@pytest.mark.parametrize("url, ok", [
    ("https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=x", True),
    ("https://www.fda.gov/drugs/x", True),  # a subdomain of an allowed host
    ("https://accessdata.fda.gov/drugsatfda_docs/label/x.pdf", True),
    ("http://labeling.pfizer.com/showlabeling.aspx?id=548", True),
    ("https://www.ema.europa.eu/en/medicines/human/EPAR/x", True),
    ("https://pdfslide.net/documents/prometrium.html", False),
    ("https://vdocuments.us/egrifta.html", False),
    ("http://webmail.druglib.com/druginfo/novarel/", False),
    ("https://dev.statpearls.com/point-of-care/1", False),
    ("https://fda.gov.example.com/label", False),  # a look-alike host is not a subdomain
    ("https://evilfda.gov/label", False),
    ("ftp://dailymed.nlm.nih.gov/label", False),
    ("", False),
])
def test_the_allow_list_decides_by_host(url: str, ok: bool) -> None:
    assert authoritative(ref(url=url)) is ok


def test_a_published_study_is_known_by_its_identifier() -> None:
    assert published_study(ref(doi="10.1000/x")) and published_study(ref(pmid="123"))
    assert not published_study(ref(url="https://example.net/"))


def test_the_allow_list_is_data_with_names() -> None:
    names = {h.host for h in hosts()}
    assert {"dailymed.nlm.nih.gov", "fda.gov", "ema.europa.eu", "medicines.org.uk"} <= names
    assert all(h.name for h in hosts())


# -- fixtures --------------------------------------------------------------------------------------

def check(root: Path, capsys) -> tuple[int, str]:
    """The rules of this issue on the loaded project (no build): sources, schedules."""
    return check_rules(root, sourcing.check_authoritative_sources, safety.check_schedules)


def line_of(root: Path, rel: str, needle: str, start: int = 1) -> int:
    return next(i for i, l in enumerate((root / rel).read_text().split("\n"), 1) if i >= start and needle in l)


def test_an_approval_cited_to_a_copy_fails_at_its_line(tmp_path: Path, capsys) -> None:
    glossary = FILES[GLOSSARY].replace("      source: xenolabel\n", "      source: xenocopy\n")
    root = make_project(tmp_path, {GLOSSARY: glossary, BIB: FILES[BIB] + LABEL})
    code, out = check(root, capsys)
    line = line_of(root, GLOSSARY, "- jurisdiction: US")
    assert code == 1
    assert (f"{GLOSSARY}:{line}: error: 'xenocopy' backs the approval of Xeno, but its address is on "
            "'pdfslide.net': cite a host on the allow-list (generator/data/authoritative_hosts.yml)") in out


def test_an_approval_cited_to_a_study_fails_too(tmp_path: Path, capsys) -> None:
    """A journal article cannot establish that a regulator approved something."""
    glossary = FILES[GLOSSARY].replace("      source: xenolabel\n", "      source: smith2019\n")
    code, out = check(make_project(tmp_path, {GLOSSARY: glossary, BIB: FILES[BIB] + LABEL}), capsys)
    assert code == 1 and "'smith2019' backs the approval of Xeno, but its address" not in out
    assert "'smith2019' backs the approval of Xeno, but it has no web address" in out


def test_a_label_on_dailymed_passes(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, {BIB: FILES[BIB] + LABEL})
    code, out = check(root, capsys)
    assert "backs" not in out and "uncited" not in out.replace("'xenocopy'", ""), out


def test_a_safety_statement_from_a_copy_fails_and_from_a_study_passes(tmp_path: Path, capsys) -> None:
    glossary = FILES[GLOSSARY].replace(
        "      text: It can harm the liver.\n      sources: [smith2019]",
        "      text: It can harm the liver.\n      sources: [smith2019, xenocopy]")
    root = make_project(tmp_path, {GLOSSARY: glossary, BIB: FILES[BIB] + LABEL})
    code, out = check(root, capsys)
    line = line_of(root, GLOSSARY, "- kind: boxed-warning")
    assert code == 1
    assert f"{GLOSSARY}:{line}: error: 'xenocopy' backs a safety statement (boxed-warning)" in out
    assert "'smith2019' backs a safety" not in out  # a study with a DOI may back a safety statement


def test_a_schedule_from_a_copy_fails_at_the_rows_sources(tmp_path: Path, capsys) -> None:
    glossary = FILES[GLOSSARY]
    proto = FILES[PROTOCOL].replace("      - key: smith2019\n", "      - key: xenocopy\n")
    root = make_project(tmp_path, {GLOSSARY: glossary, PROTOCOL: proto, BIB: FILES[BIB] + LABEL})
    code, out = check(root, capsys)
    line = line_of(root, PROTOCOL, "    sources:")
    assert code == 1 and f"{PROTOCOL}:{line}: error: 'xenocopy' backs the schedule of 'medicine-x'" in out


NO_APPROVAL = NO_APPROVAL_GLOSSARY


def test_no_schedule_for_an_agent_with_no_approved_product(tmp_path: Path, capsys) -> None:
    proto = FILES[PROTOCOL].replace("    frequency: daily\n", "    frequency: daily\n    dose: 25 mg\n")
    root = make_project(tmp_path, {GLOSSARY: NO_APPROVAL, PROTOCOL: proto})
    code, out = check(root, capsys)
    line = line_of(root, PROTOCOL, "    dose: 25 mg")
    assert code == 1
    assert (f"{PROTOCOL}:{line}: error: 'medicine-x' has no approved product for any use, so its row may not "
            "give a dose") in out
    # Nor in the role text, which is a column of the same table.
    in_role = proto.replace("    frequency: daily\n    dose: 25 mg\n", "").replace("    role: Placeholder\n",
                                                                              "    role: Taken as 25 mg a day\n")
    code, out = check(make_project(tmp_path, {GLOSSARY: NO_APPROVAL, PROTOCOL: in_role}, name="role"), capsys)
    assert code == 1 and "its role gives an amount ('25 mg')" in out
    # The trial dose belongs in the evidence text: without dose and frequency the row passes.
    bare = proto.replace("    frequency: daily\n    dose: 25 mg\n", "")
    code, out = check(make_project(tmp_path, {GLOSSARY: NO_APPROVAL, PROTOCOL: bare}, name="bare"), capsys)
    assert "no approved product for any use" not in out and code == 0, out


# -- jurisdiction ----------------------------------------------------------------------------------

US = Approval("US", "Xeno", "d", "adults", "oral tablet", "label", 3)
EU = Approval("EU", "Xenoa", "d", "adults", "oral tablet", "label", 3)


def row(**kw: object) -> ProtocolAgent:
    base: dict[str, object] = dict(agent="x", role="r", route="oral tablet", frequency="", dose=None,
                                   optional=False, evidence=[Evidence("label")], line=1,
                                   indication="d", population="adults")
    return ProtocolAgent(**{**base, **kw})  # type: ignore[arg-type]


def test_a_status_names_its_regulator_and_counts_only_its_approvals() -> None:
    agent = Agent("c", "m", ["oral tablet"], approvals=[US, EU])
    assert derive(agent, row()).label == "US FDA: approved for this use"
    assert derive(agent, row(), "EU").label == "EU (EMA): approved for this use"
    assert derive(agent, row(indication="other")).label == "US FDA: off-label"
    only_eu = Agent("c", "m", ["oral tablet"], approvals=[EU])
    status = derive(only_eu, row())
    assert (status.status, status.label) == (NOT_APPROVED, "US FDA: not approved")
    assert "approved elsewhere: Xenoa (EU" in status.basis
    assert derive(only_eu, row(), "EU").status == APPROVED
    assert derive(agent, row(indication="other"), "EU").status == OFF_LABEL


def test_the_protocol_page_states_its_scope_and_every_badge_its_regulator(tmp_path: Path) -> None:
    from selectolax.lexbor import LexborHTMLParser

    root = make_project(tmp_path)
    assert run_cli(root, "build") == 0
    page = LexborHTMLParser((root / "site/protocols/fixture-protocol/index.html").read_text())
    badges = [b.text() for b in page.css(".badge")]
    assert badges and all(b.startswith("US FDA: ") for b in badges), badges
    assert "reports approval by the US FDA only" in page.css_first(".approval-scope").text()
    mk = FILES["mkdocs.yml"].replace("      funding: No funding.\n",
                                     "      funding: No funding.\n      approval_jurisdiction: EU\n")
    eu = make_project(tmp_path, {"mkdocs.yml": mk}, name="eu")
    assert run_cli(eu, "build") == 0
    page = LexborHTMLParser((eu / "site/protocols/fixture-protocol/index.html").read_text())
    assert {b.text() for b in page.css(".badge")} == {"EU (EMA): not approved"}  # Xeno's approval is US only


# -- one do-not-start list -------------------------------------------------------------------------

def test_one_do_not_start_list_on_the_protocol_page_and_in_topics(tmp_path: Path) -> None:
    from selectolax.lexbor import LexborHTMLParser

    proto = FILES[PROTOCOL].replace("sources: [jones2020]\n", "do_not_start:\n  - You are pregnant.\n"
                                    "  - You have liver disease.\ndo_not_start_sources: [jones2020]\n"
                                    "sources: [jones2020]\n")
    topic = FILES["content/topics/fixture-topic.md"].replace(
        "The hormone level is checked [@smith2019].",
        "The hormone level is checked [@smith2019].\n\nDo not start if:\n\n{{ do_not_start(\"fixture-protocol\") }}")
    root = make_project(tmp_path, {PROTOCOL: proto, "content/topics/fixture-topic.md": topic})
    assert run_cli(root, "build") == 0
    items = []
    for rel in ("site/protocols/fixture-protocol/index.html", "site/topics/fixture-topic/intermediate/index.html"):
        page = LexborHTMLParser((root / rel).read_text())
        found = [li.text(deep=True).strip() for li in page.css("article li")
                 if li.text().strip() in ("You are pregnant.", "You have liver disease.")]
        items.append(found)
    assert items[0] == items[1] == ["You are pregnant.", "You have liver disease."]


def test_do_not_start_for_a_protocol_without_a_list_fails_at_its_line(tmp_path: Path, capsys) -> None:
    topic = FILES["content/topics/fixture-topic.md"].replace(
        "The hormone level is checked [@smith2019].", "{{ do_not_start(\"fixture-protocol\") }}")
    root = make_project(tmp_path, {"content/topics/fixture-topic.md": topic})
    code = run_cli(root, "check", "--today", "2020-06-01")
    out = capsys.readouterr().out
    line = line_of(root, "content/topics/fixture-topic.md", "do_not_start(")
    assert code == 1
    assert (f"content/topics/fixture-topic.md:{line}: error: protocol 'fixture-protocol' has no 'do_not_start' "
            "list for do_not_start()") in out
