"""Page weight: every request a reader's browser makes for one page, uncompressed.

Builds the site (or takes a built one with --site), serves it on 127.0.0.1, opens each page
in headless Chromium, waits until the network is idle (anything a page fetches after
load counts), and adds up the bodies of all responses, by kind. A figure, not a test: run it
before and after a change and compare.

    .venv/bin/python bench/page_weight.py [--site DIR] [PAGE ...]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGES = ["topics/serms-vs-trt/fundamentals/", "topics/serms-vs-trt/academic/", "glossary/testosterone/",
         "protocols/male-trt/"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def kind(url: str) -> str:
    if "/pagefind/" in url:
        return "search"
    for suffix, name in (("/tip.json", "term tooltips"), (".json", "search index"), (".js", "scripts"),
                         (".css", "styles"), ("/", "html")):
        if url.split("?")[0].endswith(suffix):
            return name
    return "other"


def weigh(site: Path, pages: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for url in pages:
            context = browser.new_context()  # a cold cache: a first visit
            page = context.new_page()
            page.goto(base + url, wait_until="networkidle")
            # Resource Timing's decodedBodySize: the size after any content encoding is undone.
            entries = page.evaluate("""() => performance.getEntriesByType('navigation')
                .concat(performance.getEntriesByType('resource'))
                .map(e => [e.name, e.decodedBodySize])""")
            sizes: dict[str, int] = defaultdict(int)
            for name, size in entries:
                sizes[kind(name)] += size
            total = sum(sizes.values())
            parts = ", ".join(f"{k} {v / 1024:.0f}" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1]))
            print(f"{url:45s} {total / 1024:7.0f} KiB  ({parts})")
            context.close()
        browser.close()
    server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site folder (default: build this project)")
    parser.add_argument("pages", nargs="*", default=PAGES)
    args = parser.parse_args()
    if args.site:
        weigh(args.site, args.pages)
        return
    from generator.cli import main as cli

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        if cli(["--root", str(ROOT), "build", "--site-dir", str(out)]) != 0:
            sys.exit("build failed")
        weigh(out, args.pages)


if __name__ == "__main__":
    main()
