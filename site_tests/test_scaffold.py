"""`python -m generator new`: skeletons that pass `check` except for what the author must
still write (reported as path:line notes), are not built, and never overwrite a file."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from miniproject import make_project

KINDS = [("topic", "content/topics/night-sweats.md"), ("term", "glossary/hot-flush.yml"),
         ("protocol", "content/protocols/sleep-plan.yml")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.mark.parametrize("kind, rel", KINDS)
def test_new_writes_a_draft_prints_its_path_and_refuses_to_overwrite(project: Path, kind: str, rel: str,
                                                                     capsys) -> None:  # type: ignore[no-untyped-def]
    slug = Path(rel).stem
    assert run_cli(project, "new", kind, slug, "--title", "Night sweats") == 0
    path = project / rel
    assert capsys.readouterr().out.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert "draft: true" in text and "review" not in text  # a new page claims no review
    path.write_text(text + "# the author's work\n", encoding="utf-8")
    assert run_cli(project, "new", kind, slug) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8").endswith("# the author's work\n")  # untouched


def test_a_bad_slug_or_kind_is_refused(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(project, "new", "topic", "Night_Sweats") == 1
    assert "not a slug" in capsys.readouterr().err
    assert not list((project / "content/topics").glob("Night*"))


def test_skeletons_pass_check_strict_with_notes_for_what_is_missing_and_are_not_built(project: Path,
                                                                                    capsys) -> None:  # type: ignore[no-untyped-def]
    for kind, rel in KINDS:
        assert run_cli(project, "new", kind, Path(rel).stem) == 0
    capsys.readouterr()
    # A draft is not published, so what it lacks is a note: drafts never fail the strict gate.
    assert run_cli(project, "check", "--today", "2020-06-01", "--strict") == 0
    err = capsys.readouterr().out
    for expected in ("content/topics/night-sweats.md:10: note: draft (not built): Fundamentals is empty",
                     "content/topics/night-sweats.md:14: note: draft (not built): Academic is empty",
                     "content/topics/night-sweats.md:3: note: draft (not built): 'summary' is empty",
                     "content/topics/night-sweats.md:6: note: draft (not built): 'urgent' is empty",
                     "glossary/hot-flush.yml:3: note: draft (not built): 'short' is empty",
                     "content/protocols/sleep-plan.yml:4: note: draft (not built): a protocol needs at least one",
                     "content/topics/night-sweats.md:8: note: draft: remove 'draft: true' to publish"):
        assert expected in err, err
    assert run_cli(project, "build") == 0
    site = project / "site"
    assert not (site / "topics/night-sweats").exists() and not (site / "glossary/hot-flush").exists()
    assert not (site / "protocols/sleep-plan").exists()


def test_without_draft_the_full_rules_apply(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(project, "new", "term", "hot-flush") == 0
    path = project / "glossary/hot-flush.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    capsys.readouterr()
    assert run_cli(project, "check", "--today", "2020-06-01") == 1
    assert "glossary/hot-flush.yml:3: error: 'short' is empty" in capsys.readouterr().out


def test_new_term_agent_writes_a_medicine_block_that_loads_once_filled_in(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(project, "new", "term", "medicine-y", "--agent") == 0
    path = project / "glossary/medicine-y.yml"
    text = path.read_text(encoding="utf-8")
    capsys.readouterr()
    assert run_cli(project, "check", "--strict", "--sources-only", "--today", "2020-06-01") == 0
    out = capsys.readouterr().out
    for key in ("class", "mechanism", "product", "indication", "source"):
        assert f": note: draft (not built): '{key}' is empty" in out, (key, out)
    filled = (text.replace('short: ""', "short: A made-up medicine.")
              .replace('class: ""', "class: test agent").replace('mechanism: ""', "mechanism: Does nothing.")
              .replace("routes: []", "routes: [oral tablet]").replace('product: ""', "product: Yeno")
              .replace('indication: ""', "indication: fixture disease").replace('population: ""', "population: adults")
              .replace('route: ""', "route: oral tablet").replace('source: ""', "source: xenolabel")
              .replace('as_of: ""', "as_of: 2020-03-01").replace('text: ""', "text: It can harm the liver.")
              .replace("sources: []  # the label", "sources: [xenolabel]  # the label")
              .replace("draft: true", "draft: false"))
    path.write_text(filled, encoding="utf-8")
    assert run_cli(project, "check", "--sources-only", "--no-strict", "--today", "2020-06-01") == 0, capsys.readouterr().out
    said = [l for l in capsys.readouterr().out.splitlines() if l.startswith("glossary/medicine-y.yml")]
    assert all(": note: no clinical review covers glossary:medicine-y" in l for l in said), said


def test_agent_is_only_for_terms(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(project, "new", "topic", "x-y", "--agent") == 1
    assert "--agent is for 'new term'" in capsys.readouterr().err
