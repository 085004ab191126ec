"""`init` (issue 29, item 5): a new site from the package alone, in a folder outside the
repository, that builds and passes `check --strict` straight away.

The package is installed (not editable) into a fresh venv from a copy of the source tree, as a
user's `pip install .` does; its dependencies come from the test run's own venv (a path entry),
so nothing is fetched from the network."""
from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import run_cli, run_process

from generator.sources.scaffold import STARTER

ROOT = Path(__file__).resolve().parents[1]
# What `pip install .` reads: the package, its metadata, and the folders the starter links to.
SOURCE_PARTS = ("pyproject.toml", "README.md", "generator", "docs", "overrides", ".vscode")
TODAY = "2026-06-01"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the package installed from a wheel: its python."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    src.mkdir()
    for part in SOURCE_PARTS:
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, src / part, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / part, src / part)
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    own = Path(run_process([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    (own / "deps.pth").write_text(site.getsitepackages()[0] + "\n", encoding="utf-8")
    result = run_process([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                          "--no-index", str(src)], cwd=tmp)
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.rmtree(src)  # the installed package must not need its source tree
    return python


def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_process([str(python), *args], cwd=cwd, timeout=900)


def test_init_builds_and_passes_check_strict_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    where = _run(installed, "-c", "import generator; print(generator.__file__)", cwd=tmp_path).stdout
    assert where.startswith(str(installed.parents[1])), where  # the venv's copy, not the repository's
    new = tmp_path / "my-site"
    result = _run(installed.parent / "tiered-docs", "init", str(new), "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for rel in ("mkdocs.yml", "content/topics/getting-started.md", "glossary/hormone.yml", "content/protocols/example-plan.yml",
                "content/references.bib", "content/reviews.yml", ".vscode/settings.json", ".pre-commit-config.yaml",
                "README.md", "schemas/glossary-term.schema.json", "docs/assets/search.js", "overrides/main.html"):
        assert (new / rel).is_file(), rel
    assert not any(p.is_symlink() for p in new.rglob("*"))
    assert "site_name: My site" in (new / "mkdocs.yml").read_text(encoding="utf-8")
    build = _run(installed, "-m", "generator", "build", cwd=new)
    assert build.returncode == 0, build.stdout + build.stderr
    assert ": warning: " not in build.stderr and ": error: " not in build.stderr
    page = (new / "site/topics/getting-started/fundamentals/index.html").read_text(encoding="utf-8")
    assert "Getting started" in page and "not medical advice" in page
    assert (new / "site/pagefind/pagefind.js").is_file()  # search, from the installed pagefind-bin
    check = _run(installed, "-m", "generator", "check", "--strict", "--today", TODAY, cwd=new)
    assert check.returncode == 0, check.stdout + check.stderr
    assert ": warning: " not in check.stdout and ": error: " not in check.stdout


def test_the_starter_has_a_topic_at_every_depth_a_term_and_drafts_of_a_medicine_and_protocol(tmp_path: Path, capsys) -> None:
    new = tmp_path / "site"
    assert run_cli(tmp_path, "init", str(new), "--today", TODAY) == 0
    topic = (new / "content/topics/getting-started.md").read_text(encoding="utf-8")
    assert [l for l in topic.splitlines() if l.startswith("# ")] == ["# Fundamentals", "# Intermediate", "# Academic"]
    # No fact of a real medicine ships in the starter: its medicine and protocol are drafts to fill in.
    for rel in ("glossary/example-medicine.yml", "content/protocols/example-plan.yml"):
        assert "\ndraft: true\n" in (new / rel).read_text(encoding="utf-8"), rel
    capsys.readouterr()
    assert run_cli(new, "check", "--strict", "--sources-only", "--today", TODAY) == 0
    out = capsys.readouterr().out
    assert "content/protocols/example-plan.yml:5: note: draft" in out


@pytest.mark.parametrize("setup", ["file", "nonempty"])
def test_init_never_writes_over_anything(tmp_path: Path, capsys, setup: str) -> None:
    target = tmp_path / "t"
    if setup == "file":
        target.write_text("mine", encoding="utf-8")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert run_cli(tmp_path, "init", str(target)) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_the_starters_theme_is_the_tools_own_one_copy() -> None:
    """In the source tree the starter's theme folders link to the repository's: one copy of each file."""
    for rel, target in (("docs/assets", ROOT / "docs/assets"), ("overrides", ROOT / "overrides")):
        assert (STARTER / rel).is_symlink() and (STARTER / rel).resolve() == target.resolve()


def test_help_names_init() -> None:
    out = run_process([sys.executable, "-m", "generator", "--help"], cwd=ROOT).stdout
    assert "init" in out
