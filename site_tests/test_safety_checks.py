"""Approval status and safety data: how a row's status is derived, and one failing fixture
per check, each reported at its path:line (issue 12)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli
from miniproject import FILES, NO_APPROVAL_GLOSSARY, TOPIC, make_project

from generator.checks.safety import months_between
from generator.model import Agent, Approval, Dated, Evidence, ProtocolAgent
from generator.model.approval import APPROVED, COMPOUNDED, NOT_APPROVED, OFF_LABEL, derive

GLOSSARY = "glossary/medicine-x.yml"
PROTOCOL = "content/protocols/fixture-protocol.yml"
TOPIC_PATH = "content/topics/fixture-topic.md"

EGRIFTA = Approval("US", "Egrifta", "HIV lipodystrophy", "adults with HIV", "subcutaneous injection", "label", 3)
CHECKED = Dated("No approved product.", date(2026, 11, 1), ["label"], 9)


def row(**kw: object) -> ProtocolAgent:
    base: dict[str, object] = dict(agent="x", role="r", route="subcutaneous injection", frequency="", dose=None,
                                   optional=False, evidence=[Evidence("label")], line=1,
                                   indication="HIV lipodystrophy", population="adults with HIV")
    return ProtocolAgent(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize("agent, use, expected", [
    (Agent("c", "m", ["subcutaneous injection"], approvals=[EGRIFTA]), row(), APPROVED),
    # Case and spacing do not matter; the words do.
    (Agent("c", "m", ["subcutaneous injection"], approvals=[EGRIFTA]),
     row(indication="HIV  Lipodystrophy", population="Adults with HIV"), APPROVED),
    (Agent("c", "m", ["subcutaneous injection"], approvals=[EGRIFTA]), row(indication="ageing"), OFF_LABEL),
    (Agent("c", "m", ["subcutaneous injection"], approvals=[EGRIFTA]), row(population="adults without HIV"), OFF_LABEL),
    (Agent("c", "m", ["subcutaneous injection", "oral"], approvals=[EGRIFTA]), row(route="oral"), OFF_LABEL),
    (Agent("c", "m", ["subcutaneous injection"], approvals=[EGRIFTA]), row(compounded=True), COMPOUNDED),
    (Agent("c", "m", ["subcutaneous injection"], no_approval=CHECKED), row(), NOT_APPROVED),
    (Agent("c", "m", ["subcutaneous injection"], no_approval=CHECKED, compounding=CHECKED), row(), COMPOUNDED),
])
def test_status_is_derived_from_the_use(agent: Agent, use: ProtocolAgent, expected: str) -> None:
    assert derive(agent, use).status == expected


def test_the_basis_names_the_approval_it_used() -> None:
    agent = Agent("c", "m", ["subcutaneous injection"], approvals=[EGRIFTA])
    assert "Egrifta (US)" in derive(agent, row()).basis
    assert derive(agent, row(indication="ageing")).basis.startswith("Approved only for other uses: Egrifta")


def test_the_basis_of_no_approval_says_when_that_was_checked() -> None:
    """Protocol pages show the basis next to each badge: a 'not approved' or 'compounded'
    statement goes stale, so it carries the date it was checked."""
    assert derive(Agent("c", "m", ["oral"], no_approval=CHECKED), row()).basis == \
        "No approved product (checked 1 November 2026)."
    assert derive(Agent("c", "m", ["oral"], no_approval=CHECKED, compounding=CHECKED), row()).basis.endswith(
        "(as of 1 November 2026).")


def test_an_override_with_a_reason_is_shown_and_without_one_is_ignored() -> None:
    agent = Agent("c", "m", ["subcutaneous injection"], approvals=[EGRIFTA])
    shown = derive(agent, row(status=OFF_LABEL, status_reason="the product used here is imported"))
    assert (shown.status, shown.derived, shown.reason) == (OFF_LABEL, APPROVED, "the product used here is imported")
    assert derive(agent, row(status=OFF_LABEL)).status == APPROVED  # `check` reports the contradiction


@pytest.mark.parametrize("earlier, later, months", [
    (date(2025, 11, 22), date(2026, 11, 22), 12),
    (date(2025, 11, 23), date(2026, 11, 22), 11),
    (date(2026, 1, 31), date(2026, 2, 28), 0),
    (date(2026, 11, 22), date(2026, 11, 22), 0),
])
def test_months_between_counts_whole_months(earlier: date, later: date, months: int) -> None:
    assert months_between(earlier, later) == months


# -- one failing fixture per check ------------------------------------------------------------

def check(root: Path, capsys, today: str = "2026-11-22") -> tuple[int, str]:
    code = run_cli(root, "check", "--today", today, "--sources-only", "--no-strict")  # warnings told by level
    return code, capsys.readouterr().out


def line_of(root: Path, rel: str, needle: str) -> int:
    return next(i for i, l in enumerate((root / rel).read_text().split("\n"), 1) if needle in l)


NO_APPROVAL = NO_APPROVAL_GLOSSARY.replace("as_of: 2020-01-10", "as_of: 2026-01-10")


def test_the_fixture_project_is_clean(tmp_path: Path, capsys) -> None:
    code, out = check(make_project(tmp_path), capsys, "2020-06-01")
    assert code == 0, out


def test_declared_status_that_contradicts_the_data(tmp_path: Path, capsys) -> None:
    """The tesamorelin case: a typed status that the approval data does not give."""
    proto = FILES[PROTOCOL].replace("    frequency: daily\n", "    frequency: daily\n    status: off-label\n")
    root = make_project(tmp_path, {PROTOCOL: proto})
    code, out = check(root, capsys, "2020-06-01")
    line = line_of(root, PROTOCOL, "status: off-label")
    assert code == 1
    assert (f"{PROTOCOL}:{line}: error: declared status 'off-label' contradicts the approval data, which gives "
            "'approved' for this use.") in out


def test_an_override_may_not_claim_approval(tmp_path: Path, capsys) -> None:
    proto = FILES[PROTOCOL].replace("    frequency: daily\n",
                                    "    frequency: daily\n    status: approved\n    status_reason: trust me\n")
    root = make_project(tmp_path, {GLOSSARY: NO_APPROVAL, PROTOCOL: proto})
    code, out = check(root, capsys)
    line = line_of(root, PROTOCOL, "status: approved")
    assert code == 1 and f"{PROTOCOL}:{line}: error: status 'approved' cannot be claimed by an override" in out


def test_a_stale_as_of_date(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, {GLOSSARY: NO_APPROVAL})
    line = line_of(root, GLOSSARY, "no_approval:")
    assert "'no_approval' was last checked" not in check(root, capsys, "2026-11-22")[1]  # ten months old: fine
    code, out = check(root, capsys, "2027-01-10")
    assert code == 1 and (f"{GLOSSARY}:{line}: error: 'no_approval' was last checked on 2026-01-10, over 12 months "
                          "ago") in out


def test_a_stale_approval_is_reported_at_its_line(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path)  # the fixture's approval of Xeno was checked on 2020-03-01
    line = line_of(root, GLOSSARY, "- jurisdiction: US")
    assert "approval of Xeno" not in check(root, capsys, "2020-06-01")[1]
    code, out = check(root, capsys, "2021-03-01")
    assert code == 1 and (f"{GLOSSARY}:{line}: error: 'approval of Xeno' was last checked on 2020-03-01, "
                          "over 12 months ago") in out


def test_an_approval_without_a_checked_date_is_refused(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, {GLOSSARY: FILES[GLOSSARY].replace("      as_of: 2020-03-01\n", "")})
    code, out = check(root, capsys, "2020-06-01")
    assert code == 1 and f"{GLOSSARY}:{line_of(root, GLOSSARY, '- jurisdiction: US')}: error:" in out \
        and "'as_of'" in out


def test_the_age_limit_is_a_site_setting(tmp_path: Path, capsys) -> None:
    mk = FILES["mkdocs.yml"].replace("      funding: No funding.\n",
                                     "      funding: No funding.\n      approval_max_age_months: 6\n")
    root = make_project(tmp_path, {GLOSSARY: NO_APPROVAL, "mkdocs.yml": mk})
    code, out = check(root, capsys, "2026-08-01")
    assert code == 1 and "over 6 months ago" in out


def test_an_agent_in_a_protocol_without_approval_data(tmp_path: Path, capsys) -> None:
    bare = NO_APPROVAL.replace("""  no_approval:
    text: No regulator has approved it.
    as_of: 2026-01-10
    sources: [smith2019]
""", "")
    root = make_project(tmp_path, {GLOSSARY: bare})
    code, out = check(root, capsys)
    line = line_of(root, PROTOCOL, "- agent: medicine-x")
    assert code == 1 and f"{PROTOCOL}:{line}: error: agent 'medicine-x' has no approval data" in out


def test_a_typed_status_on_the_agent_is_refused(tmp_path: Path, capsys) -> None:
    glossary = FILES[GLOSSARY].replace("  routes: [oral tablet]\n", "  routes: [oral tablet]\n  status: off-label\n")
    root = make_project(tmp_path, {GLOSSARY: glossary})
    code, out = check(root, capsys, "2020-06-01")
    line = line_of(root, GLOSSARY, "status: off-label")
    assert code == 1 and f"{GLOSSARY}:{line}: error: 'status' is no longer written by hand" in out


@pytest.mark.parametrize("old, new, needle, message", [
    ("    - kind: boxed-warning\n", "    - kind: scary\n", "kind: scary", "safety kind 'scary' must be one of"),
    ("      sources: [smith2019]\n", "", "- kind: boxed-warning", "safety item is missing required key 'sources'"),
    ("      route: oral tablet\n", "      route: nasal spray\n", "route: nasal spray",
     "approval route 'nasal spray' is not one of the agent's routes"),
])
def test_malformed_agent_data(tmp_path: Path, capsys, old: str, new: str, needle: str, message: str) -> None:
    assert old in FILES[GLOSSARY]
    root = make_project(tmp_path, {GLOSSARY: FILES[GLOSSARY].replace(old, new)})
    code, out = check(root, capsys, "2020-06-01")
    line = line_of(root, GLOSSARY, needle)
    assert code == 1 and f"{GLOSSARY}:{line}: error: {message}" in out


@pytest.mark.parametrize("old, new, needle, message", [
    ("    route: oral tablet\n", "    route: by mouth\n", "route: by mouth", "route 'by mouth' is not one of the routes"),
    ("        locator: Table 2\n", "        locator: Table [2]\n", "locator: Table [2]", "a locator cannot contain '['"),
    ("        locator: Table 2\n", "        locator: Table 2 | col 3\n", "locator: Table 2 |", "a locator cannot contain '['"),
    ("sources: [jones2020]\n", "combinations:\n  - agents: [medicine-y]\n    text: Studied together.\n"
     "    sources: [jones2020]\nsources: [jones2020]\n", "- agents: [medicine-y]",
     "combination names 'medicine-y', which is not a row"),
])
def test_malformed_protocol_rows(tmp_path: Path, capsys, old: str, new: str, needle: str, message: str) -> None:
    assert old in FILES[PROTOCOL]
    root = make_project(tmp_path, {PROTOCOL: FILES[PROTOCOL].replace(old, new)})
    code, out = check(root, capsys, "2020-06-01")
    line = line_of(root, PROTOCOL, needle)
    assert code == 1 and f"{PROTOCOL}:{line}: error: {message}" in out, out


def test_a_schedule_no_source_supports(tmp_path: Path, capsys) -> None:
    proto = FILES[PROTOCOL].replace("""    sources:
      - key: smith2019
        locator: Table 2
        supports: One tablet daily was the studied schedule.
""", "    sources: [smith2019]\n")
    root = make_project(tmp_path, {PROTOCOL: proto})
    code, out = check(root, capsys, "2020-06-01")
    line = line_of(root, PROTOCOL, "- agent: medicine-x")
    assert code == 0  # a warning: the page is still honest, it shows no schedule
    assert (f"{PROTOCOL}:{line}: warning: frequency 'daily' of 'medicine-x' has no supporting source, so the page "
            "shows 'as prescribed; no standard schedule'") in out
    assert run_cli(root, "check", "--today", "2020-06-01", "--strict") == 1


def test_a_topic_without_help_advice(tmp_path: Path, capsys) -> None:
    topic = "\n".join(l for l in TOPIC.split("\n") if not l.startswith(("urgent:", "see_clinician:")))
    root = make_project(tmp_path, {TOPIC_PATH: topic})
    code, out = check(root, capsys, "2020-06-01")
    assert code == 1 and f"{TOPIC_PATH}:1: error: front matter lacks 'urgent' and 'see_clinician'" in out


@pytest.mark.parametrize("indication, population, warned", [
    ("fixture diseases", "adults", "indication 'fixture diseases' vs 'fixture disease'"),
    ("Fixture Disease", "adults", None),  # the same words: case and spaces never matter
    ("fixture disease", "adult", "population 'adult' vs 'adults'"),
    ("weight loss", "adults", None),  # another use: off-label, and nothing to say
])
def test_a_row_worded_differently_from_its_approval_is_a_warning(tmp_path: Path, capsys, indication: str,
                                                                 population: str, warned: str | None) -> None:
    proto = FILES[PROTOCOL].replace("    indication: fixture disease\n    population: adults\n",
                                    f"    indication: {indication}\n    population: {population}\n")
    root = make_project(tmp_path, {PROTOCOL: proto})
    code, out = check(root, capsys, "2020-06-01")
    assert code == 0
    found = [l for l in out.splitlines() if "is worded differently from its US approval of Xeno" in l]
    if warned is None:
        assert found == [], found
    else:
        field = warned.split()[0]
        line = line_of(root, PROTOCOL, f"    {field}: ")
        assert len(found) == 1 and found[0].startswith(f"{PROTOCOL}:{line}: warning: ") and warned in found[0], out
