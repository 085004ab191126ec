"""Shared fixtures: a throw-away copy of the real project, and one real build per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides", "content", "glossary")


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the real sources that a test may break."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with `python -m generator build`."""
    root = copy_project(tmp_path_factory.mktemp("real") / "project")
    assert main(["--root", str(root), "build"]) == 0
    return root / "site"


def run_cli(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def visible_text(node) -> str:  # type: ignore[no-untyped-def]
    """Reader-visible text of a selectolax node: tooltip definitions left out."""
    from selectolax.lexbor import LexborHTMLParser

    copy = LexborHTMLParser(node.html)
    for hidden in copy.css(".term-def"):
        hidden.decompose()
    return copy.body.text() if copy.body else ""
