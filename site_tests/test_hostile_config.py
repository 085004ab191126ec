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
