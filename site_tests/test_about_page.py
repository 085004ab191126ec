"""The About / editorial policy page of a fixture project (issue 25, item 14): built from
content/about.md, held back as a draft, and refused at its line without its date."""
from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from miniproject import make_project


def test_a_draft_about_page_is_checked_but_not_published(tmp_path: Path) -> None:
    about = "---\ntitle: About\nsummary: Who we are.\nchanged: 2020-01-01\ndraft: true\n---\nText.\n"
    root = make_project(tmp_path, {"content/about.md": about})
    assert run_cli(root, "build") == 0
    assert not (root / "site/about").exists()
    assert "about/" not in (root / "site/index.html").read_text(encoding="utf-8")
    published = make_project(tmp_path, {"content/about.md": about.replace("draft: true\n", "")}, name="published")
    assert run_cli(published, "build") == 0
    assert (published / "site/about/index.html").exists()


def test_an_about_page_without_its_date_fails_at_its_line(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, {"content/about.md": "---\ntitle: About\nsummary: Who we are.\n---\nText.\n"})
    assert run_cli(root, "build") == 1
    assert "content/about.md:2: error: about page front matter is missing required key 'changed'" in \
        capsys.readouterr().err
