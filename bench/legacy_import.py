"""Benchmark: `import` time per legacy article, and whether it stays flat as a run grows.

Corpus: copies of ../shared/legacy-sample/example-article.txt, each made distinct (its
glossed terms and reference titles carry the copy's number), imported in one run into a
fresh `init` project. Prints the time per article for runs of 1, 10 and 100 articles after a
warm-up run (project load and the pronouncing dictionary), and the ratio of the 100-article
figure to the 10-article one (about 1 when the cost per article does not grow with the run).
Speed is measured here, never in tests.

    .venv/bin/python bench/legacy_import.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.sources.legacyimport import import_articles  # noqa: E402
from generator.sources.scaffold import init  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "legacy-sample" / "example-article.txt"


def corpus(folder: Path, n: int, start: int) -> list[Path]:
    text = SAMPLE.read_text(encoding="utf-8")
    files = []
    for i in range(start, start + n):
        path = folder / f"article-{i}.txt"
        path.write_text(text.replace("endocrine system", f"endocrine system {i}")
                        .replace("Morning Hormone Sampling", f"Morning Hormone Sampling {i}")
                        .replace("Example Physiology", f"Example Physiology {i}"), encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, source = Path(tmp) / "site", Path(tmp) / "old"
        source.mkdir()
        init(root, "Bench", date(2026, 12, 1))
        import_articles(root, corpus(source, 1, 0))  # warm-up: the project and the dictionary load
        per: dict[int, float] = {}
        start = 1
        for n in (1, 10, 100):
            files = corpus(source, n, start)
            start += n
            t = time.perf_counter()
            outcome, rep = import_articles(root, files)
            per[n] = (time.perf_counter() - t) / n
            assert not rep.errors, rep.errors[:3]
            print(f"{n:>4} articles: {per[n] * 1000:7.1f} ms per article ({len(outcome.written)} files written)")
        print(f"ratio, 100 vs 10 articles per article: {per[100] / per[10]:.2f}")


if __name__ == "__main__":
    main()
