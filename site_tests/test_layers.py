"""The core loads no engine (issue 26): each core module is imported in a fresh interpreter,
which must then hold no module of MkDocs, Material or Zensical. And no module of the package
reads or writes a private attribute of an engine or of Python-Markdown."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import run_process

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
ENGINE_MODULES = ("mkdocs", "material", "zensical")
# Only the adapters may import an engine, and only the MkDocs plugin runs inside one.
ADAPTERS = {"generator.engines.mkdocs_plugin"}


def core_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        if name not in ADAPTERS and not name.endswith("__main__"):
            names.append(name)
    return names


def test_the_core_modules_are_all_found() -> None:
    found = core_modules()
    assert {"generator.config", "generator.pipeline", "generator.markdown.terms", "generator.checks",
            "generator.render.tree", "generator.serve.preview", "generator.cli"} <= set(found)


def test_no_core_module_loads_an_engine() -> None:
    # One interpreter per module would take a minute; one interpreter imports them one by one
    # and reports, after each, whether an engine module appeared. The first import to load one
    # is the culprit.
    script = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"    loaded = sorted(m for m in sys.modules if m.split('.')[0] in {ENGINE_MODULES!r})\n"
        "    if loaded:\n"
        "        print(name, loaded[:3]); break\n"
    )
    result = run_process([sys.executable, "-c", script], timeout=300)  # a timer, not subprocess's timeout: libfaketime
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", result.stdout


def test_importing_the_terms_extension_loads_no_pipeline() -> None:
    """Engines load our extensions page by page: importing one must stay cheap."""
    script = ("import sys, generator.markdown.terms\n"
              "print(sorted(m for m in ('jinja2', 'jsonschema', 'generator.pipeline', 'generator.render.pages') "
              "if m in sys.modules))")
    result = run_process([sys.executable, "-c", script], timeout=300)  # a timer, not subprocess's timeout: libfaketime
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


PRIVATE = re.compile(r"\b(?:page|config|server|files|file|md|self\.md|nav|builder)\._[a-z]\w*")


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_attribute_of_an_engine_is_used(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not PRIVATE.findall(text)
    for name in ("_title_from_render", "_current_page", "_populate_page", "_rebuild_cond", "_want_rebuild",
                 "_serve_url", "._schema", "_file_sort_key"):
        assert name not in text, name
