"""Benchmark: whole-site build time at scale, with Material's pruned navigation and without.

Copies this project into a temporary folder, adds synthetic topics (copies of a
real one under new slugs) until the site has about --pages pages, and times
`python -m generator build` with `navigation.prune` on and off.

    .venv/bin/python bench/build.py [--pages 1000]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from generator.cli import main as cli  # noqa: E402

PARTS = ("mkdocs.yml", "docs", "overrides", "content", "glossary")


def make_project(dest: Path, pages: int) -> int:
    for part in PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / part)
    template = (ROOT / "content/topics/stopping-hormone-therapy.md").read_text(encoding="utf-8")
    existing = 150  # glossary, protocols, tiers and the real topics, roughly
    extra = max(0, (pages - existing) // 4)  # each topic adds an overview and three tier pages
    for i in range(extra):
        # Titles start with different letters, as real topic titles do.
        letter = chr(ord("A") + i % 26)
        text = template.replace("title: Stopping hormone therapy", f"title: {letter} stopping hormone therapy, copy {i:04d}")
        (dest / f"content/topics/copy-{i:04d}.md").write_text(text, encoding="utf-8")
    return extra


def timed_build(root: Path) -> float:
    t0 = time.perf_counter()
    assert cli(["--root", str(root), "build"]) == 0
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        extra = make_project(root, args.pages)
        pruned = timed_build(root)
        count = sum(1 for _ in (root / "site").rglob("index.html"))
        print(f"site: {count} pages ({extra} synthetic topics)")
        print(f"build with navigation.prune: {pruned:.1f} s")
        cfg = root / "mkdocs.yml"
        cfg.write_text(cfg.read_text().replace("    - navigation.prune\n", ""))
        full = timed_build(root)
        print(f"build with the full navigation: {full:.1f} s ({full / pruned:.1f}x slower)")


if __name__ == "__main__":
    main()
