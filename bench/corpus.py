"""A synthetic project at scale, in this project's own formats, for the scale benchmarks.

Copies the project, then adds `topics` topics (copies of the real ones under new slugs and
titles, each also mentioning three synthetic terms) and `terms` glossary terms.

    .venv/bin/python bench/corpus.py DEST [--topics 1000] [--terms 2000]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("mkdocs.yml", "docs", "overrides", "content", "glossary")
WORDS = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heron", "iris", "juniper",
         "kestrel", "larch", "maple", "nettle", "osprey", "poplar", "quartz", "rowan", "sorrel", "thistle"]


def term_name(i: int) -> str:
    # Letters, not digits: a name the matcher treats as words, unique for i < 20**3.
    return f"{WORDS[i % 20]} {WORDS[i // 20 % 20]} {WORDS[i // 400 % 20]} factor"


def make(dest: Path, topics: int, terms: int) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / part)
    for i in range(terms):
        slug = term_name(i).replace(" ", "-")
        (dest / f"glossary/{slug}.yml").write_text(
            f"term: {term_name(i)}\nshort: A made-up term used to measure builds, number {i}.\n"
            f"level: fundamentals\n", encoding="utf-8")
    originals = sorted((ROOT / "content/topics").glob("*.md"))
    for i in range(topics):
        src = originals[i % len(originals)]
        text = src.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines() if line.startswith("title:"))
        letter = chr(ord("A") + i % 26)
        name = title[6:].strip().strip("'\"")
        text = text.replace(title, f"title: {json.dumps(f'{letter} {name} (copy {i:04d})')}", 1)
        mention = ", ".join(term_name((i * 3 + k) % max(terms, 1)) for k in range(3)) if terms else ""
        if mention:
            text = text.replace("# Fundamentals\n", f"# Fundamentals\n\nThis copy mentions {mention}.\n", 1)
        (dest / f"content/topics/copy-{i:04d}-{src.stem}.md").write_text(text, encoding="utf-8")
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("--topics", type=int, default=1000)
    ap.add_argument("--terms", type=int, default=2000)
    args = ap.parse_args()
    if args.dest.exists():
        sys.exit(f"{args.dest} exists: choose a new folder")
    make(args.dest, args.topics, args.terms)
    print(args.dest)


if __name__ == "__main__":
    main()
