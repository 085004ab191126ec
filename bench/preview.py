"""Edit -> preview latency of `python -m generator serve` on a synthetic large project.

Builds a corpus (bench/corpus.py), starts the preview, then for each kind of edit saves a
change and polls the served page until it shows it, printing the seconds from save to
change: min and median of --runs runs. Figures, not a test.

    .venv/bin/python bench/preview.py [--engine zensical|mkdocs] [--topics 1000] [--terms 2000] [--runs 5]
                                      [--term-runs 1]
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from corpus import make, term_name  # noqa: E402

sys.path.insert(0, str(ROOT))
from generator.serve.preview import until_serving  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return str(r.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(urls: list[str], text: str, limit: float) -> float:
    """Seconds until every one of `urls` serves `text`."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if all(text in fetch(url) for url in urls):
            return time.perf_counter() - started
        time.sleep(0.05)
    raise TimeoutError(f"{urls} did not show {text!r} within {limit} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--topics", type=int, default=1000)
    ap.add_argument("--terms", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--term-runs", type=int, default=1)
    ap.add_argument("--engine", default="zensical", choices=("zensical", "mkdocs"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make(Path(tmp) / "project", args.topics, args.terms)
        port = free_port()
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "serve", "--engine",
                                 args.engine, "-a", f"127.0.0.1:{port}"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready, lines = until_serving(proc)
        try:
            if not ready.wait(1800):
                sys.exit("".join(lines[-30:]))
            base = f"http://127.0.0.1:{port}/"  # the preview serves the site at the root
            print(f"{args.engine}, {args.topics} topics, {args.terms} terms: "
                  f"preview ready in {time.perf_counter() - started:.0f} s")
            topic = root / "content/topics/copy-0500-hormone-replacement-overview.md"
            page = base + "topics/copy-0500-hormone-replacement-overview/fundamentals/"
            times = []
            for i in range(args.runs):
                word = f"zzedit{i}zz"
                text = topic.read_text(encoding="utf-8")
                topic.write_text(text.replace("# Fundamentals\n", f"# Fundamentals\n\nMarker {word}.\n", 1),
                                 encoding="utf-8")
                times.append(wait_for([page], word, 600))
            print(f"topic prose edit: min {min(times):.2f} s, median {statistics.median(times):.2f} s "
                  f"({', '.join(f'{t:.2f}' for t in times)})")
            # A synthetic term named on a few pages (copy 0 mentions term 0), then "hormone", on most.
            # What a reader sees change: the term's own page, and the tooltip on every page using
            # it, which shows the term's tip.json (generator/render/pages.py, docs/assets/tooltips.js).
            for label, term in (("a term on a few pages", root / f"glossary/{term_name(0).replace(' ', '-')}.yml"),
                                ("a term on most pages", root / "glossary/hormone.yml")):
                served = [base + f"glossary/{term.stem}/", base + f"glossary/{term.stem}/tip.json"]
                times = []
                for i in range(args.term_runs):
                    word = f"zzterm{i}{len(label)}zz"
                    text = term.read_text(encoding="utf-8")
                    term.write_text(text.replace("short: ", f"short: {word} ", 1), encoding="utf-8")
                    times.append(wait_for(served, word, 1800))
                if times:
                    print(f"glossary term edit ({label}): min {min(times):.2f} s, "
                          f"median {statistics.median(times):.2f} s ({', '.join(f'{t:.2f}' for t in times)})")
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
