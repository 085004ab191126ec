"""Pandoc's own citation tests, read by Pandoc itself: real inputs for the citation syntax.

`make test-data` fetches, from Debian's packages, the pandoc source package (its test/ folder:
test/markdown-citations.txt and the Markdown inputs of test/command/*.md) and the pandoc binary
of the same version, then runs

    python site_tests/pandoc_corpus.py SOURCE_TREE PANDOC DATA_DIR LIB_DIR OUT.json

which has Pandoc parse every input that holds an "@" and keeps, per input, the citations it
found (key, mode, prefix, suffix). Only that file stays (.cache/test-data/pandoc-citations.json);
the binary is deleted. test_pandoc_citations.py compares our reading with Pandoc's.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# A test in test/command/*.md: "% pandoc ARGS", the input, "^D", the expected output.
_COMMAND = re.compile(r"^% pandoc\b(?P<args>.*)$")
_READER = re.compile(r"(?:^|\s)(?:-f|--from)[ =](?P<format>\S+)")


def inputs(tests: Path) -> Iterator[tuple[str, str]]:
    """(name, Markdown) for each Markdown input of Pandoc's tests that holds an "@"."""
    yield "markdown-citations.txt", (tests / "markdown-citations.txt").read_text(encoding="utf-8")
    for path in sorted((tests / "command").glob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        i = 0
        while i < len(lines):
            m = _COMMAND.match(lines[i])
            if not m:
                i += 1
                continue
            end = next((j for j in range(i + 1, len(lines)) if lines[j] == "^D"), len(lines))
            reader = _READER.search(m.group("args"))
            text = "\n".join(lines[i + 1:end])
            if (reader is None or reader.group("format").startswith("markdown")) and "@" in text:
                yield f"{path.name}:{i + 2}", text
            i = end + 1


def _text(inlines: list[dict[str, Any]]) -> str:
    """Pandoc inlines as the text they show."""
    out = []
    for node in inlines:
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline"):
            out.append(_text(content))
        elif kind in ("Quoted", "Span", "Link"):
            out.append(_text(content[1]))
        elif kind in ("Code", "Math"):
            out.append(content[1])
    return "".join(out)


def citations(node: Any, found: list[list[str]] | None = None) -> list[list[str]]:
    """Every citation in a Pandoc JSON document: [key, mode, prefix, suffix]."""
    found = [] if found is None else found
    if isinstance(node, dict):
        if node.get("t") == "Cite":
            for c in node["c"][0]:
                found.append([c["citationId"], c["citationMode"]["t"], _text(c["citationPrefix"]),
                              _text(c["citationSuffix"])])
        for value in node.values():
            citations(value, found)
    elif isinstance(node, list):
        for value in node:
            citations(value, found)
    return found


def main(tree: Path, pandoc: Path, data_dir: Path, lib: Path, out: Path) -> int:
    env = {**os.environ, "LD_LIBRARY_PATH": str(lib)}  # the Lua library, unpacked beside it
    documents = []
    for name, text in inputs(tree / "test"):
        run = subprocess.run([str(pandoc), f"--data-dir={data_dir}", "-f", "markdown", "-t", "json"],
                             input=text, capture_output=True, text=True, env=env, check=True)
        documents.append({"name": name, "text": text, "citations": citations(json.loads(run.stdout)["blocks"])})
    version = subprocess.run([str(pandoc), "--version"], capture_output=True, text=True, env=env, check=True)
    out.write_text(json.dumps({"pandoc": version.stdout.split("\n")[0], "documents": documents},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*(Path(a) for a in sys.argv[1:6])))
