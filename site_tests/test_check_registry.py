"""Checks share one signature and one registry: a new check is a function and one line."""
from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from conftest import run_cli
from miniproject import make_project

from generator import checks
from generator.checks.context import CheckContext
from generator.errors import Reporter


def test_every_registered_check_takes_the_context_and_a_reporter() -> None:
    names = [name for name, _, _ in checks.CHECKS]
    assert len(names) == len(set(names))
    for name, check, _ in checks.CHECKS:
        params = list(inspect.signature(check).parameters)
        assert params == ["ctx", "rep"], name


def no_shouting_protocol_names(ctx: CheckContext, rep: Reporter) -> None:
    """A new check written for this test: protocol names must not shout."""
    for proto in ctx.site.protocols.values():
        if proto.name.isupper():
            rep.error(proto.loc.path, proto.key_lines.get("name", 1), f"protocol name {proto.name!r} is all capitals")


def test_a_new_check_runs_with_one_registration(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    path = root / "content/protocols/fixture-protocol.yml"
    path.write_text(path.read_text().replace("name: Fixture protocol", "name: FIXTURE PROTOCOL"))
    monkeypatch.setattr(checks, "CHECKS", [*checks.CHECKS, ("shouting", no_shouting_protocol_names, False)])
    assert run_cli(root, "check", "--today", "2020-06-01") == 1
    assert ("content/protocols/fixture-protocol.yml:1: error: protocol name 'FIXTURE PROTOCOL' is all capitals"
            in capsys.readouterr().out)
