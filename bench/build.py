"""Benchmark: whole-site build time and peak memory at scale, against the plain engine.

For each size, makes a synthetic project (bench/corpus.py: N topics and 2N glossary terms),
then times, in child processes, with each child's peak memory (RSS, or the summed PSS of it and its workers):

- ours:  `python -m generator build --engine E` (load, render, the engine with our extensions);
- plain: the same engine (`zensical build` or `mkdocs build`) on the same rendered tree
         (`python -m generator render`) with our Markdown extensions removed.

The two are interleaved (ours, plain, ours, plain, ...) so that a slower moment of the
machine hits both; the ratio is the median of the per-pair ratios. Then the scaling fit: the
exponent b of time = a * N^b (and of peak RSS) by least squares on the logs.

    .venv/bin/python bench/build.py [--engine zensical|mkdocs] [--topics 100,300,1000,2000] [--runs 1]
                                    [--ratio-at 1000 --ratio-runs 3]
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.corpus import make  # noqa: E402
from generator.config import dump_config, read_config  # noqa: E402

OURS = ("generator.markdown.terms", "generator.markdown.cite", "generator.markdown.sanitize")


def _tree_pss(pid: int) -> int:
    """Proportional set size (KiB) of a process and its descendants: shared pages counted once,
    so a build and the engine process it starts add up honestly."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def _sample_pss(pid: int, peak: list[int], done: threading.Event) -> None:
    while not done.wait(0.5):
        peak[0] = max(peak[0], _tree_pss(pid))


def run(cmd: list[str], cwd: Path, cache: Path | None = None) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of one child process, which must succeed: the larger of
    its peak RSS and the peak summed PSS of it and its worker processes, sampled every 0.5 s.
    `cache`: the folder of stored reading scores it uses (readability.user_cache)."""
    env = {**os.environ, **({"TIERED_DOCS_CACHE": str(cache)} if cache else {})}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, done = [0], threading.Event()
    sampler = threading.Thread(target=_sample_pss, args=(proc.pid, peak, done))
    sampler.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        done.set()
        sampler.join()
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{err[-3000:]}")
    return seconds, max(usage.ru_maxrss, peak[0]) / 1024  # Linux reports KiB


def plain_tree(project: Path, dest: Path) -> Path:
    """The rendered Markdown and a config without our extensions: what plain Material builds."""
    subprocess.run([sys.executable, "-m", "generator", "--root", str(project), "render", "--out", str(dest)],
                   check=True, stdout=subprocess.DEVNULL)
    config_path = dest / "mkdocs.yml"
    config = read_config(config_path)
    config["markdown_extensions"] = [e for e in config["markdown_extensions"]
                                     if (next(iter(e)) if isinstance(e, dict) else e) not in OURS]
    config["site_dir"] = str(dest / "site")
    config_path.write_text(dump_config(config), encoding="utf-8")
    return config_path


ENGINE = "zensical"


def plain_command(config: Path) -> list[str]:
    if ENGINE == "zensical":
        return [sys.executable, "-m", "zensical", "build", "-f", str(config)]
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]


def measure(topics: int, runs: int, tmp: Path, warm: bool) -> dict[str, list[tuple[float, float]]]:
    """`runs` interleaved pairs. The first build of ours starts with no stored reading scores
    (as on a CI machine); with `warm`, later ones reuse what it stored (as on an author's)."""
    project = make(tmp / f"p{topics}", topics, 2 * topics)
    config = plain_tree(project, tmp / f"plain{topics}")
    out: dict[str, list[tuple[float, float]]] = {"ours": [], "plain": []}
    for i in range(runs):
        cache = tmp / f"scores{topics}" if warm else tmp / f"scores{topics}-{i}"
        out["ours"].append(run([sys.executable, "-m", "generator", "--root", str(project), "build", "--engine",
                                ENGINE], project, cache))
        shutil.rmtree(config.parent / ".cache", ignore_errors=True)  # Zensical's cache: every plain build is cold
        out["plain"].append(run(plain_command(config), config.parent))
    pages = sum(1 for _ in (project / "site").rglob("index.html"))
    print(f"  {topics} topics, {pages} pages: ours "
          + ", ".join(f"{s:.1f} s/{m:.0f} MiB" for s, m in out["ours"]) + "; plain "
          + ", ".join(f"{s:.1f} s/{m:.0f} MiB" for s, m in out["plain"]), flush=True)
    shutil.rmtree(project)
    shutil.rmtree(config.parent)
    return out


def exponent(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default="zensical", choices=("zensical", "mkdocs"))
    ap.add_argument("--topics", default="100,300,1000,2000", help="sizes for the scaling curve")
    ap.add_argument("--runs", type=int, default=1, help="interleaved pairs per size")
    ap.add_argument("--ratio-at", type=int, default=1000, help="size for the ratio to plain Material")
    ap.add_argument("--ratio-runs", type=int, default=3, help="interleaved pairs for the ratio")
    args = ap.parse_args()
    global ENGINE
    ENGINE = args.engine
    sizes = [int(n) for n in args.topics.split(",")]
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        print(f"{ENGINE}: ratio to the plain engine at {args.ratio_at} topics ({args.ratio_runs} interleaved pairs):")
        pairs = measure(args.ratio_at, args.ratio_runs, tmp, warm=True)
        ratios = [o[0] / p[0] for o, p in zip(pairs["ours"], pairs["plain"])]
        print(f"  ours / plain: median {statistics.median(ratios):.2f}x (runs: "
              + ", ".join(f"{r:.2f}" for r in ratios) + "; the first with no stored reading scores)")
        print("scaling (median of each size's runs; no stored reading scores):")
        curve = {n: measure(n, args.runs, tmp, warm=False) for n in sizes}
    print(f"{'topics':>7} {'ours s':>8} {'ours MiB':>9} {'plain s':>8} {'plain MiB':>10} {'ratio':>6}")
    rows = []
    for n, got in curve.items():
        o_s, o_m = (statistics.median(v) for v in zip(*got["ours"]))
        p_s, p_m = (statistics.median(v) for v in zip(*got["plain"]))
        rows.append((n, o_s, o_m, p_s, p_m))
        print(f"{n:>7} {o_s:>8.1f} {o_m:>9.0f} {p_s:>8.1f} {p_m:>10.0f} {o_s / p_s:>6.2f}")
    if len(rows) > 1:
        ns = [float(r[0]) for r in rows]
        print(f"fit exponent, time: ours {exponent(ns, [r[1] for r in rows]):.2f}, "
              f"plain {exponent(ns, [r[3] for r in rows]):.2f}; "
              f"peak RSS: ours {exponent(ns, [r[2] for r in rows]):.2f}, "
              f"plain {exponent(ns, [r[4] for r in rows]):.2f}")


if __name__ == "__main__":
    main()
