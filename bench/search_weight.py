"""Search cost per reader at scale: the bytes a first visit and a search fetch, at 100, 300 and
1,000 topics (bench/corpus.py copies of the real topics), and what indexing costs the build.

For each size it builds the corpus with the project's engine (Pagefind runs after it), serves
it on 127.0.0.1 and, in headless Chromium with a cold cache:
- first visit: every response for one Fundamentals page, until the network is idle;
- a query: open search, type it, wait for the results; every response from opening on.
Bytes are the files' sizes (raw) and their gzip -6 sizes (what a host serving gzip sends;
Pagefind's index files are compressed already). The indexer is then run again on its own
as the build runs it (engines/searchbundle.py), for its wall time and peak memory. Figures,
not a test.

    .venv/bin/python bench/search_weight.py [--sizes 100 300 1000] [--terms 0]
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "site_tests"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
QUERIES = ["stopping testosterone", "hot flushes", "is TRT safe"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _sizes(site: Path, urls: list[str]) -> tuple[int, int]:
    raw = packed = 0
    for url in urls:
        path = unquote(urlsplit(url).path).lstrip("/")
        file = site / path / "index.html" if path.endswith("/") or not path else site / path
        if file.is_file():
            data = file.read_bytes()
            raw += len(data)
            packed += len(gzip.compress(data, 6, mtime=0))
    return raw, packed


def weigh(site: Path, page_url: str) -> dict[str, tuple[int, int]]:
    from playwright.sync_api import sync_playwright
    from search_ui import open_search, query

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    out: dict[str, tuple[int, int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context()
        page = context.new_page()
        fetched: list[str] = []
        page.on("requestfinished", lambda r: fetched.append(r.url))
        page.goto(base + page_url, wait_until="networkidle")
        out["first visit"] = _sizes(site, fetched)
        for i, text in enumerate(QUERIES):
            fetched.clear()
            if i == 0:
                open_search(page)
            query(page, text)
            page.wait_for_load_state("networkidle")
            out[f"query {i + 1} ({'cold' if i == 0 else 'warm'}): {text}"] = _sizes(site, fetched)
        context.close()
        browser.close()
    server.shutdown()
    return out


# Run in a fresh interpreter, so the peak is the indexing step's alone (ru_maxrss of waited-for
# children is a maximum over every child the process ever had, the engines included).
_MEASURE = """
import resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from generator.engines import searchbundle
start = time.perf_counter()
searchbundle.index(Path(sys.argv[1]))
print(time.perf_counter() - start, max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                                       resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def index_cost(site: Path) -> tuple[float, int]:
    """Wall seconds and peak KiB of the build's search-index step (searchbundle.index) over `site`."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(site), str(ROOT)],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    import corpus

    from generator.cli import main as cli

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--terms", type=int, default=0, help="synthetic glossary terms added (default 0)")
    args = parser.parse_args()
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = corpus.make(Path(tmp) / "project", n, args.terms)
            site = Path(tmp) / "site"
            if cli(["--root", str(root), "build", "--site-dir", str(site)]) != 0:
                sys.exit("build failed")
            pages = sum(1 for _ in site.rglob("index.html"))
            print(f"\n{n} topics ({pages} pages):")
            for what, (raw, packed) in weigh(site, "topics/serms-vs-trt/fundamentals/").items():
                print(f"  {what:45s} {raw / 1024:8.0f} KiB raw {packed / 1024:8.0f} KiB gzip")
            seconds, peak = index_cost(site)
            bundle = sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())
            print(f"  indexer: {seconds:.1f} s, peak {peak / 1024:.0f} MiB; "
                  f"bundle {bundle / 1024 / 1024:.1f} MiB on disk")


if __name__ == "__main__":
    main()
