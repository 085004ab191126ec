"""Benchmark: internal link and anchor checking on a generated 5,000-page site.

Each page has 50 links (to other pages, to anchors on them, and to assets) and
a realistic amount of surrounding markup. Prints the check time and pages/s,
for one process and for the default worker pool.

    .venv/bin/python bench/links.py [--pages 5000] [--links 50]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.checks import links  # noqa: E402

FILLER = "<p>" + " ".join(["Hormones carry signals through the blood to distant organs."] * 12) + "</p>"


def make_site(root: Path, n_pages: int, n_links: int, rng: random.Random) -> None:
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "site.css").write_text("body{}")
    for i in range(n_pages):
        out = []
        for j in range(n_links):
            k = rng.randrange(n_pages)
            kind = j % 5
            if kind == 0:
                out.append(f'<a href="../p{k}/">page {k}</a>')
            elif kind == 1:
                out.append(f'<a href="../p{k}/#s{rng.randrange(5)}">section</a>')
            elif kind == 2:
                out.append(f'<a href="#s{rng.randrange(5)}">here</a>')
            elif kind == 3:
                out.append('<img src="../assets/site.css" alt="">')
            else:
                out.append(f'<a href="https://example.org/{k}">elsewhere</a>')
        sections = "".join(f'<h2 id="s{s}">Section {s}</h2>{FILLER}' for s in range(5))
        html = (f'<!doctype html><html><head><link rel="stylesheet" href="../assets/site.css"></head><body>'
                f'<nav>{" ".join(out[: n_links // 2])}</nav><main>{sections}<p>{" ".join(out[n_links // 2:])}</p>'
                f'</main></body></html>')
        page = root / f"p{i}"
        page.mkdir()
        (page / "index.html").write_text(html, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--links", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        t0 = time.perf_counter()
        make_site(site, args.pages, args.links, random.Random(7))
        size = sum(p.stat().st_size for p in site.rglob("*.html")) / 1e6
        print(f"site: {args.pages} pages x {args.links} links, {size:.0f} MB of HTML "
              f"(generated in {time.perf_counter() - t0:.1f} s)")
        for workers in (1, None):
            t0 = time.perf_counter()
            pages = links.scan_site(site, workers=workers)
            problems = links.check_internal(pages, site, "/")
            elapsed = time.perf_counter() - t0
            label = "1 process" if workers == 1 else "worker pool"
            print(f"internal check ({label}): {elapsed:.2f} s, {len(pages) / elapsed:.0f} pages/s, "
                  f"{sum(len(p.links) for p in pages.values())} links, {len(problems)} problems")


if __name__ == "__main__":
    main()
