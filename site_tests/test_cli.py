"""Command-line conventions: version, program name, paths, strictness; packaging entry points."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import markdown
import pytest
from conftest import run_cli, run_process
from miniproject import make_project

from generator.cli import _parser, version
from generator.markdown import CITE_EXT, SANITIZE_EXT, TERMS_EXT

ROOT = Path(__file__).resolve().parents[1]


def test_version_is_the_distributions(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        _parser().parse_args(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip().endswith(version())
    assert version()[0].isdigit()


def test_help_has_no_markdown_markup() -> None:
    text = _parser().format_help()
    assert "`" not in text and "--version" in text and "relative to the current folder" in text


def test_the_console_script_names_itself() -> None:
    script = Path(sys.executable).with_name("tiered-docs")
    out = run_process([str(script), "--help"], timeout=60).stdout
    assert out.startswith("usage: tiered-docs ")
    out = run_process([sys.executable, "-m", "generator", "--help"],
                         timeout=60, cwd=ROOT).stdout
    assert out.startswith("usage: python -m generator ")


@pytest.mark.parametrize("command", ["build", "check"])
def test_both_commands_take_strict_and_no_strict(command: str) -> None:
    parse = _parser().parse_args
    assert parse([command]).strict is None  # the project's policy: mkdocs.yml's `strict:`
    assert parse([command, "--strict"]).strict is True and parse([command, "--no-strict"]).strict is False


def test_defaults_live_in_the_project_and_given_paths_in_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    root = make_project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run_cli(root, "render") == 0
    assert (root / "build" / "tree" / "mkdocs.yml").exists() and not (elsewhere / "build").exists()
    assert run_cli(root, "render", "--out", "mine") == 0
    assert (elsewhere / "mine" / "mkdocs.yml").exists()


def test_markdown_extensions_load_by_their_one_name_in_plain_python_markdown(tmp_path: Path) -> None:
    """The names mkdocs.yml lists (generator/markdown/__init__.py) are the only names: no second set."""
    html = markdown.markdown("Hello <b onclick='x()'>there</b>", extensions=[SANITIZE_EXT])
    assert html == "<p>Hello <b>there</b></p>"
    root = make_project(tmp_path)
    html = markdown.markdown("A hormone works [@smith2019].", extensions=[CITE_EXT, TERMS_EXT],
                             extension_configs={CITE_EXT: {"bibliography": str(root / "content/references.bib")},
                                                TERMS_EXT: {"glossary": str(root / "glossary")}})
    assert '<sup class="cite" data-pagefind-ignore="all" id="cite-1">' in html and 'class="term"' in html


def test_check_sources_only_runs_no_engine(tmp_path: Path, capsys, monkeypatch) -> None:
    """`check --sources-only` validates every source with no engine; a broken link is only found
    by a full `check`, which builds the site."""
    from generator import engines

    root = make_project(tmp_path)
    topic = root / "content/topics/fixture-topic.md"
    topic.write_text(topic.read_text().replace("Read this slowly.", "Read [this](../nowhere/) slowly."))
    monkeypatch.setattr(engines, "build", lambda *a, **k: pytest.fail("an engine ran"))
    assert run_cli(root, "check", "--today", "2020-06-01", "--sources-only") == 0
    assert "nowhere" not in capsys.readouterr().out
    monkeypatch.undo()
    assert run_cli(root, "check", "--today", "2020-06-01") == 1
    assert "nowhere" in capsys.readouterr().out


def test_make_help_gives_the_address_the_preview_serves() -> None:
    """`make help` and `make site` name the preview's address: the serve command's own default,
    served from the root (the preview serves its tree there, whatever site_url's path is)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    default = _parser().parse_args(["serve"]).dev_addr
    urls = set(re.findall(r"http://[\w.:]+/[\w/]*", makefile))
    assert urls == {f"http://{default}/"}, urls


def test_every_readme_table_row_renders_as_a_row() -> None:
    """No row of the README's tables falls out as stray text (an unescaped '|' in a cell)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tables = re.findall(r"(?:^\|.*\|[ \t]*\n)+", text, flags=re.MULTILINE)
    assert len(tables) >= 3  # commands, engines, security model
    for table in tables:
        html = markdown.markdown(table, extensions=["tables"])
        rows = table.strip("\n").split("\n")
        assert html.count("<tr>") == len(rows) - 1, rows[0]  # every line but the separator
        assert "|" not in re.sub(r"<code>.*?</code>", "", html), rows[0]


def test_every_pinned_package_installs_on_the_oldest_python_the_package_claims() -> None:
    """pyproject says `requires-python >= 3.11`, and Debian bookworm's python3 is 3.11.2: a pin
    that needs a later patch release (pymdown-extensions 13 needs 3.11.5) breaks `make site` there."""
    import tomllib
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.specifiers import SpecifierSet

    claimed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    oldest = claimed.removeprefix(">=") + ".0"
    refused = []
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        needs = dist.metadata.get("Requires-Python")
        if dist.version == version and needs and not SpecifierSet(needs).contains(oldest):
            refused.append(f"{name}=={version} needs Python {needs}")
    assert refused == []
