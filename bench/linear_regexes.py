"""Benchmark: every pattern that reads source text runs in linear time.

Each adversarial line from site_tests/payloads/longlines.yml (1 MB) goes through every
function that applies a regex to source text (site_tests/source_scanners.py), timed against
a plain 1 MB line through the same function in this process: a ratio, not a wall-clock
limit. A quadratic pattern is thousands of times slower on these lines. Then a topic body
of 200,000 bracket characters through the whole prepare step, against plain text. Then
paragraphs of many citations through the citation extension: the time per citation for
8,000 against 1,000 (a pass over the paragraph per citation made it grow with the count).

    .venv/bin/python bench/linear_regexes.py [--bound 50]

Exits 1 when a ratio passes the bound. Speed is measured here, never in tests.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site_tests")]
from source_scanners import BODY_SIZE, FUNCTIONS, LINES, PATHOLOGICAL, SIZE, line, prepare_topic_body  # noqa: E402


def best_of(func: Callable[[str], object], text: str, runs: int = 2) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func(text)
        best = min(best, time.perf_counter() - start)
    return best


def citations_per_paragraph() -> list[tuple[float, str]]:
    import markdown

    from generator.markdown.cite import CiteExtension

    keys = ", ".join(f"@article{{k{i}, author = {{A, B}}, title = {{T}}, journal = {{J}}, year = {{2001}}}}"
                     for i in range(3))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "refs.bib"
        bib.write_text(keys.replace(", @", "\n@"), encoding="utf-8")
        print()
        for form in ("[@k0] word ", "@k1 word ", "[see @k2, p. 3] <code>x</code> "):
            def per_citation(text: str, n: int) -> float:
                md = markdown.Markdown(extensions=[CiteExtension(bibliography=str(bib))])
                return best_of(lambda s: md.reset().convert(s), text * n) / n
            ratio = per_citation(form, 8000) / per_citation(form, 1000)
            print(f"citations in one paragraph, {form.strip()!r:36} 8,000 vs 1,000 per citation: {ratio:.2f}x")
            out.append((ratio, f"citations {form.strip()!r}"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bound", type=float, default=50, help="largest acceptable ratio (default 50)")
    args = parser.parse_args()
    worst: list[tuple[float, str]] = []
    plain = "word " * (SIZE // 5)
    print(f"{'scanner':28} {'worst line':24} ratio")
    for name in sorted(FUNCTIONS):
        func = FUNCTIONS[name]
        baseline = max(best_of(func, plain), 0.002)  # a floor, so a very fast baseline is not a tiny divisor
        ratios = [(best_of(func, line(spec)) / baseline, spec["name"]) for spec in LINES]
        ratio, which = max(ratios)
        worst.append((ratio, name))
        print(f"{name:28} {which:24} {ratio:6.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        baseline, _ = prepare_topic_body(Path(tmp) / "plain", "word " * (BODY_SIZE // 5))
        print(f"\nprepare, plain {BODY_SIZE:,}-character body: {baseline:.2f} s")
        for i, (name, unit) in enumerate(PATHOLOGICAL.items()):
            took, _ = prepare_topic_body(Path(tmp) / f"p{i}", unit * (BODY_SIZE // len(unit)))
            print(f"prepare, a run of {name!r:8}: {took:.2f} s = {took / baseline:.2f}x plain")
            worst.append((took / baseline, f"prepare {name!r}"))
    over = [(r, n) for r, n in worst if r > args.bound]
    # Per citation, 8 times the count: linear stays near 1, a pass per citation is near 8.
    over += [(r, n) for r, n in citations_per_paragraph() if r > 4]
    for ratio, name in over:
        print(f"FAIL {name}: {ratio:.0f}x a plain line", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
