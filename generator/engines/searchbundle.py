"""The site's search bundle: Pagefind's index of a built site, written into its `pagefind/`.

It runs after whichever engine built the HTML (the same step for Zensical and for Material
for MkDocs), through Pagefind's command line (the `pagefind` wheel, whose binary comes from
the `pagefind-bin` wheel; nothing is downloaded). Pagefind is shown only the pages the theme
marked as searchable (overrides/main.html writes their metadata; searchindex.py says which
pages), linked into a scratch folder in the same layout, and indexes each from its
`<article>`: the page itself needs no marker, and its HTML stays exactly as the engine wrote
it. Pagefind's output is a function of those pages: the same site gives byte-identical files.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OUTPUT = "pagefind"  # the bundle's folder inside the site; search.js loads ../pagefind/pagefind.js
# Written by the theme only (page content may not carry data-pagefind-* attributes: allowlist.py).
MARKER = 'data-pagefind-meta="title[data-value]"'


class IndexFailed(Exception):
    """Pagefind could not index the site; the message says why."""


def searchable(site: Path) -> list[Path]:
    """The built pages the theme marked for the index, in path order."""
    return [p for p in sorted(site.rglob("*.html")) if MARKER in p.read_text(encoding="utf-8", errors="replace")]


def _link(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:  # another file system, or no hard links: a copy does as well
        shutil.copyfile(src, dest)


def index(site: Path) -> int:
    """Write the search bundle for the built site in `site` into `site/pagefind/`; the number
    of pages indexed."""
    site = site.resolve()
    pages = searchable(site)
    if not pages:  # a preview that shows only its errors: nothing to search, no bundle
        return 0
    try:
        # Beside the site, so the pages can be hard links.
        scratch = Path(tempfile.mkdtemp(prefix=".search-pages-", dir=site.parent))
    except OSError as exc:
        raise IndexFailed(f"search index: cannot prepare the pages for Pagefind: {exc}") from None
    try:
        for page in pages:
            _link(page, scratch / page.relative_to(site))
        cmd = [sys.executable, "-m", "pagefind", "--site", str(scratch), "--output-path", str(site / OUTPUT),
               "--root-selector", "article", "--force-language", "en", "--silent"]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    except OSError as exc:
        raise IndexFailed(f"search index: cannot prepare or run Pagefind: {exc}") from None
    finally:
        try:
            shutil.rmtree(scratch)
        except OSError:  # a folder that cannot be removed is left, rather than failing a build that worked
            pass
    if proc.returncode != 0:
        out = proc.stdout.strip()
        raise IndexFailed(f"search index: Pagefind failed (exit status {proc.returncode})"
                          + (f":\n{out}" if out else ""))
    return len(pages)
