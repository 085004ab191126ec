"""mkdocs.yml is code: its `hooks:` run Python with the command's rights, so every command refuses
them unless --allow-hooks says the maintainer reviewed them (README: Security model)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from miniproject import MKDOCS_YML, make_project

HOOK = "from pathlib import Path\nPath(__file__).with_name('ran').write_text('hook ran')\n"


def _project(tmp_path: Path) -> Path:
    root = make_project(tmp_path, {"mkdocs.yml": MKDOCS_YML + "hooks:\n  - hooks/evil.py\n", "hooks/evil.py": HOOK})
    return root


@pytest.mark.parametrize("command", [["check"], ["build"], ["render", "--out", "{tmp}/tree"]])
def test_hooks_are_refused_at_their_line_and_never_run(tmp_path: Path, capsys, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path / "p")
    line = (root / "mkdocs.yml").read_text().splitlines().index("hooks:") + 1
    assert run_cli(root, *[c.format(tmp=tmp_path) for c in command]) == 1
    captured = capsys.readouterr()
    assert f"mkdocs.yml:{line}: error: 'hooks:' runs the listed Python files" in captured.out + captured.err
    assert not (root / "hooks" / "ran").exists()
    assert not (root / "site").exists()


def test_allow_hooks_runs_them(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    assert run_cli(root, "--allow-hooks", "build", "--engine", "mkdocs") == 0  # Zensical runs no hooks
    assert (root / "hooks" / "ran").read_text() == "hook ran"


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['touch {ran}']",
                                 "!!python/object/new:os.system ['touch {ran}']", "!!python/module:os"])
@pytest.mark.parametrize("command", [["check", "--sources-only"], ["build"]])
def test_yaml_tags_that_build_python_objects_are_refused_at_their_line(tmp_path: Path, capsys, tag: str,
                                                                       command: list[str]) -> None:
    """Our loader reads mkdocs.yml before any engine: a tag that would run code while the file is
    read is an error at its line, and nothing runs."""
    ran = tmp_path / "ran"
    root = make_project(tmp_path / "p", {"mkdocs.yml": MKDOCS_YML + "extra:\n  payload: " + tag.format(ran=ran) + "\n"})
    line = (root / "mkdocs.yml").read_text().splitlines().index("extra:") + 2
    assert run_cli(root, *command) == 1
    captured = capsys.readouterr()
    assert f"mkdocs.yml:{line}: error:" in captured.out + captured.err, captured.out + captured.err
    assert not ran.exists() and not (root / "site").exists()


def test_an_unknown_tiered_option_is_an_error_at_its_line(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, {"mkdocs.yml": MKDOCS_YML.replace("      funding: No funding.\n",
                                                                    "      funding: No funding.\n      fundng: typo\n")})
    line = (root / "mkdocs.yml").read_text().splitlines().index("      fundng: typo") + 1
    assert run_cli(root, "check", "--sources-only") == 1
    captured = capsys.readouterr()
    assert f"mkdocs.yml:{line}: error: plugin 'tiered': unknown option 'fundng'" in captured.out + captured.err
