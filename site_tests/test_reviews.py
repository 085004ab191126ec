"""Review records: every review claim comes from content/reviews.yml, and each false one fails
at its path:line (issue 13)."""
from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli, run_process
from miniproject import FILES, TOPIC, make_project
from selectolax.lexbor import LexborHTMLParser

from generator.model import Review, Reviewer
from generator.model.reviews import add_months, status

LOG = "content/reviews.yml"
TOPIC_PATH = "content/topics/fixture-topic.md"
EDITORIAL = Review(date(2026, 1, 10), "editorial", ("all",), Reviewer("Editors"), "", 2)
CLINICAL = Review(date(2026, 3, 1), "clinical", ("protocol:p",), Reviewer("Endocrinologist", "FRCP"), "", 8)


def check(root: Path, capsys, today: str, strictness: str = "--no-strict") -> tuple[int, str]:
    code = run_cli(root, "check", "--today", today, "--sources-only", strictness)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def line_of(root: Path, rel: str, needle: str) -> int:
    return next(i for i, l in enumerate((root / rel).read_text().split("\n"), 1) if needle in l)


def with_log(records: str) -> dict[str, str]:
    return {LOG: "reviews:\n" + records}


EDITORIAL_2020 = """\
  - date: 2020-01-02
    kind: editorial
    scope: [all]
    reviewer: {role: The fixture team}
    note: Written for the tests.
"""


# -- deriving a page's status ------------------------------------------------------------------

def test_kinds_are_kept_apart_and_the_newest_covering_record_sets_the_due_date() -> None:
    st = status([EDITORIAL, CLINICAL], "protocol", "p", 12)
    assert (st.editorial, st.clinical, st.next_review) == (EDITORIAL, CLINICAL, date(2027, 3, 1))
    other = status([EDITORIAL, CLINICAL], "protocol", "q", 12)  # out of the clinical record's scope
    assert (other.editorial, other.clinical, other.next_review) == (EDITORIAL, None, date(2027, 1, 10))
    assert status([], "topic", "t", 12).decided_by is None


def test_a_record_may_set_its_own_next_review() -> None:
    early = Review(date(2026, 1, 10), "editorial", ("all",), Reviewer("Editors"), "", 2, {}, date(2026, 4, 1))
    assert status([early], "topic", "t", 12).next_review == date(2026, 4, 1)


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 11, 22), 12, date(2027, 11, 22)), (date(2026, 11, 22), 2, date(2027, 1, 22)),
])
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


# -- false claims fail at their line ----------------------------------------------------------

def test_a_review_dated_in_the_future(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, with_log(EDITORIAL_2020.replace("2020-01-02", "2020-07-01")))
    code, out = check(root, capsys, "2020-06-01")
    line = line_of(root, LOG, "date: 2020-07-01")
    assert code == 1 and f"{LOG}:{line}: error: review dated 2020-07-01 is in the future (today is 2020-06-01)" in out


def test_a_review_typed_on_a_topic_is_not_a_record(tmp_path: Path, capsys) -> None:
    topic = TOPIC.replace("protocols: [fixture-protocol]\n", "protocols: [fixture-protocol]\nlast_reviewed: 2020-01-02\n")
    root = make_project(tmp_path, {TOPIC_PATH: topic})
    code, out = check(root, capsys, "2020-06-01")
    line = line_of(root, TOPIC_PATH, "last_reviewed:")
    assert code == 1 and f"{TOPIC_PATH}:{line}: error: 'last_reviewed' is no longer typed on a topic" in out


def test_a_review_of_something_that_does_not_exist(tmp_path: Path, capsys) -> None:
    log = EDITORIAL_2020.replace("scope: [all]", "scope:\n      - topic:fixture-topic\n      - protocol:no-such")
    root = make_project(tmp_path, with_log(log))
    code, out = check(root, capsys, "2020-06-01")
    line = line_of(root, LOG, "- protocol:no-such")
    assert code == 1 and f"{LOG}:{line}: error: scope 'protocol:no-such' names no protocol of this site" in out


@pytest.mark.parametrize("old, new, needle, message", [
    ("kind: editorial", "kind: medical", "kind: medical", "review kind 'medical' must be one of: editorial, clinical"),
    ("scope: [all]", "scope: [everything]", "scope: [everything]", "scope 'everything' must be 'all' or"),
    ("    reviewer: {role: The fixture team}\n", "", "- date:", "review is missing required key 'reviewer'"),
    ("{role: The fixture team}", "The fixture team", "reviewer:", "'reviewer' is a mapping"),
])
def test_malformed_records(tmp_path: Path, capsys, old: str, new: str, needle: str, message: str) -> None:
    root = make_project(tmp_path, with_log(EDITORIAL_2020.replace(old, new)))
    code, out = check(root, capsys, "2020-06-01")
    line = line_of(root, LOG, needle)
    assert code == 1 and f"{LOG}:{line}: error: {message}" in out, out


def test_an_overdue_review_names_the_record(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path)
    assert "review overdue" not in check(root, capsys, "2020-12-31")[1]
    code, out = check(root, capsys, "2021-01-03")
    line = line_of(root, LOG, "- date:")
    assert code == 1 and f"{LOG}:{line}: error: review overdue for" in out


def test_the_review_interval_is_a_site_setting(tmp_path: Path, capsys) -> None:
    mk = FILES["mkdocs.yml"].replace("      funding: No funding.\n",
                                     "      funding: No funding.\n      review_interval_months: 3\n")
    root = make_project(tmp_path, {"mkdocs.yml": mk})
    assert "review overdue for" in check(root, capsys, "2020-04-03")[1]


def test_a_missing_clinical_review_is_a_note_or_by_site_policy_an_error(tmp_path: Path, capsys) -> None:
    """`clinical_review: recommended` (the default): a note, which even the strict gate passes,
    as no author can make a clinician's review happen; `required`: an error."""
    root = make_project(tmp_path)
    code, out = check(root, capsys, "2020-06-01", "--strict")
    expected = ("content/protocols/fixture-protocol.yml:1: {}: no clinical review covers "
                "protocol:fixture-protocol, glossary:medicine-x")
    assert code == 0 and expected.format("note") in out, out
    mk = FILES["mkdocs.yml"].replace("      funding: No funding.\n",
                                     "      funding: No funding.\n      clinical_review: required\n")
    root = make_project(tmp_path, {"mkdocs.yml": mk}, name="strict")
    code, out = check(root, capsys, "2020-06-01")
    assert code == 1 and expected.format("error") in out
    clinical = EDITORIAL_2020 + EDITORIAL_2020.replace("kind: editorial", "kind: clinical").replace(
        "{role: The fixture team}", "{role: Consultant endocrinologist, credentials: FRCP}")
    root = make_project(tmp_path, {"mkdocs.yml": mk, **with_log(clinical)}, name="reviewed")
    assert check(root, capsys, "2020-06-01")[0] == 0


def _git(root: Path, *args: str, day: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00Z", "GIT_COMMITTER_DATE": f"{day}T12:00:00Z"}
    result = run_process(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org",
                          "-c", "commit.gpgsign=false", *args], env=env)
    assert result.returncode == 0, result.stderr


def test_a_review_older_than_the_content_it_covers(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path)
    _git(root, "init", "-q", day="2020-03-01")
    _git(root, "add", "-A", day="2020-03-01")
    _git(root, "commit", "-q", "-m", "sources", day="2020-03-01")
    code, out = check(root, capsys, "2020-06-01")
    line = line_of(root, LOG, "- date:")
    assert (f"{LOG}:{line}: warning: editorial review dated 2020-01-02 is older than 4 of the sources it covers, "
            "which first appear in the repository later: topic:fixture-topic (2020-03-01)") in out


def test_without_git_history_the_comparison_is_skipped_with_a_note(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path)
    code, out = check(root, capsys, "2020-06-01")
    assert f"{LOG}: note: no git history" in out and code == 0


# -- what pages show ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reviewed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    log = EDITORIAL_2020 + """\
  - date: 2020-02-03
    kind: clinical
    scope: [protocol:fixture-protocol, glossary:medicine-x]
    reviewer: {role: Consultant endocrinologist, credentials: "FRCP <b>"}
    note: Checked doses and approval data.
"""
    root = make_project(tmp_path_factory.mktemp("reviewed"), with_log(log))
    assert run_cli(root, "build") == 0
    return root / "site"


def review_line(site: Path, page: str) -> str:
    tree = LexborHTMLParser((site / page / "index.html").read_text(encoding="utf-8"))
    return tree.css("article .review-dates")[-1].html  # the full line; the page head has a short one


def test_a_page_without_a_clinical_review_says_so(reviewed_site: Path) -> None:
    assert review_line(reviewed_site, "topics/fixture-topic/fundamentals") == (
        '<p class="review-dates no-terms" data-pagefind-ignore="all">Editorial review '
        '<time datetime="2020-01-02">2 January 2020</time> · '
        'Not yet clinically reviewed · Next review due <time datetime="2021-01-02">2 January 2021</time> · '
        'By The fixture team</p>')


@pytest.mark.parametrize("page", ["protocols/fixture-protocol", "glossary/medicine-x"])
def test_protocol_and_term_pages_carry_their_own_review_line(reviewed_site: Path, page: str) -> None:
    assert review_line(reviewed_site, page) == (
        '<p class="review-dates no-terms" data-pagefind-ignore="all">Editorial review '
        '<time datetime="2020-01-02">2 January 2020</time> · '
        'Clinical review <time datetime="2020-02-03">3 February 2020</time> by Consultant endocrinologist, '
        'FRCP &lt;b&gt; · Next review due <time datetime="2021-02-03">3 February 2021</time> · By The fixture team</p>')


def test_a_tier_page_head_has_the_short_review_line(reviewed_site: Path) -> None:
    tree = LexborHTMLParser((reviewed_site / "topics/fixture-topic/fundamentals/index.html").read_text())
    assert tree.css_first("article .page-meta .review-dates").html == (
        '<p class="review-dates no-terms" data-pagefind-ignore="all">Editorial review '
        '<time datetime="2020-01-02">2 January 2020</time> · '
        'Not yet clinically reviewed</p>')


def test_json_ld_names_a_reviewer_only_for_a_clinical_review(reviewed_site: Path, tmp_path: Path) -> None:
    tree = LexborHTMLParser((reviewed_site / "topics/fixture-topic/intermediate/index.html").read_text())
    data = json.loads(tree.css_first('script[type="application/ld+json"]').text())
    assert data["lastReviewed"] == "2020-01-02" and "reviewedBy" not in data
    clinical = EDITORIAL_2020 + EDITORIAL_2020.replace("kind: editorial", "kind: clinical").replace(
        "2020-01-02", "2020-02-03").replace("{role: The fixture team}", "{role: Clinical pharmacist, name: A. Owner}")
    root = make_project(tmp_path, with_log(clinical))
    assert run_cli(root, "build") == 0
    tree = LexborHTMLParser((root / "site/topics/fixture-topic/intermediate/index.html").read_text())
    data = json.loads(tree.css_first('script[type="application/ld+json"]').text())
    assert data["lastReviewed"] == "2020-02-03"
    assert data["reviewedBy"] == {"@type": "Person", "jobTitle": "Clinical pharmacist", "name": "A. Owner"}
