"""The glossary the extensions load from a folder is reused until a file in it changes."""
from __future__ import annotations

import os
from pathlib import Path

from generator.markdown.glossary import load_glossary


def term(slug: str, name: str) -> str:
    return f"term: {name}\nshort: A made-up term called {name}.\nlevel: fundamentals\n"


def test_reused_until_a_file_is_edited_added_or_removed(tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "alpha.yml").write_text(term("alpha", "alpha"))
    first = load_glossary(folder)
    assert load_glossary(folder) is first  # nothing changed: the same object
    path = folder / "alpha.yml"
    path.write_text(term("alpha", "alpha prime"))  # edited in place
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    edited = load_glossary(folder)
    assert edited is not first and edited.terms["alpha"].term == "alpha prime"
    (folder / "beta.yml").write_text(term("beta", "beta"))
    added = load_glossary(folder)
    assert set(added.terms) == {"alpha", "beta"}
    (folder / "beta.yml").unlink()
    assert set(load_glossary(folder).terms) == {"alpha"}
