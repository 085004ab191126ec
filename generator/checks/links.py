"""Internal links and anchors, checked on the built HTML that readers get.

Each page is parsed once (selectolax's lexbor backend: a C HTML5 parser, the
fastest option we measured) to collect its ids and its outgoing links; the
links are then checked against the index of files and ids.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from generator.checks.citations import DOI, PMID
from generator.checks.context import CheckContext
from generator.checks.external import ExternalChecker, ExternalConfig
from generator.errors import Reporter
from generator.render.urls import page_url

LINK_SELECTOR = "a[href], link[href], img[src], script[src], source[src], iframe[src], video[src], audio[src]"
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(.+)$")
PUBMED_URL = re.compile(r"^https?://pubmed\.ncbi\.nlm\.nih\.gov/([^/?#]*)/?$")


@dataclass
class PageLinks:
    path: str  # site-relative, e.g. "topics/x/fundamentals/index.html"
    ids: set[str]
    links: list[str] = field(default_factory=list)
    base: str = ""  # the page's <base href>, against which its relative links resolve


def scan_page(args: tuple[str, str]) -> PageLinks:
    """Parse one page: its ids and every href/src, in one pass over the tree."""
    root, rel = args
    html = Path(root, rel).read_bytes().decode("utf-8", errors="replace")
    tree = LexborHTMLParser(html)
    ids = {str(node.attributes["id"]) for node in tree.css("[id]") if node.attributes.get("id")}
    ids |= {str(node.attributes["name"]) for node in tree.css("a[name]") if node.attributes.get("name")}
    links = []
    for node in tree.css(LINK_SELECTOR):
        attrs = node.attributes
        value = attrs.get("href") if "href" in attrs else attrs.get("src")
        if value is not None:
            links.append(value.strip())
    base = tree.css_first("head base[href]")
    return PageLinks(rel, ids, links, (base.attributes.get("href") or "").strip() if base else "")


def scan_site(site: Path, workers: int | None = None) -> dict[str, PageLinks]:
    # Files only: a page kept at an old address (docs/legacy.html.md) builds to a folder legacy.html/.
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.is_file())
    jobs = [(str(site), rel) for rel in files]
    workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    if workers > 1 and len(jobs) > 200:
        with ProcessPoolExecutor(workers) as pool:
            pages = list(pool.map(scan_page, jobs, chunksize=64))
    else:
        pages = [scan_page(job) for job in jobs]
    return {p.path: p for p in pages}


@dataclass(frozen=True)
class Problem:
    page: str
    target: str
    message: str
    level: str = "error"


def _resolve(page: str, url: str, base_path: str) -> tuple[str, str] | None:
    """A link on `page` -> (site-relative file path, fragment), or None if it leaves the site."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if path == "":
        return page, fragment
    if path.startswith("/"):
        if not path.startswith(base_path):
            return "\0outside" + path, fragment
        joined = path[len(base_path):]
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    target = posixpath.normpath(joined) if joined else "."
    if path.endswith("/") or target == ".":
        target = "index.html" if target == "." else f"{target}/index.html"
    return target, fragment


def check_internal(pages: dict[str, PageLinks], site: Path, base_path: str = "/") -> list[Problem]:
    """`base_path` is the site's path on its host (from site_url), for root-relative links."""
    problems = []
    exists_cache: dict[str, bool] = {}

    def exists(target: str) -> bool:
        if target not in exists_cache:
            if target in pages:
                exists_cache[target] = True
            else:
                p = site / target
                exists_cache[target] = p.is_file() or (p.is_dir() and (p / "index.html").is_file())
        return exists_cache[target]

    for page in pages.values():
        # With a <base href>, relative links resolve against it: as if the page stood there.
        origin = page.path
        if page.base:
            b = urlsplit(page.base)
            if b.scheme or b.netloc:
                origin = ""  # every relative link leads to another site
            elif b.path:
                where = _resolve(page.path, b.path if b.path.endswith("/") else b.path, base_path)
                origin = where[0] if where and not where[0].startswith("\0") else page.path
        for url in page.links:
            if url in ("", "#") or url.lower().startswith(("mailto:", "tel:", "sms:", "ftp:", "data:", "javascript:")):
                continue
            if EXTERNAL.match(url):
                problems += _syntax_only(page.path, url)
                continue
            if not origin:
                continue
            resolved = _resolve(origin, url, base_path)
            if resolved is None:
                continue
            target, fragment = resolved
            if target.startswith(("\0outside", "..")) or not exists(target):
                problems.append(Problem(page.path, url, f"broken link to {url}"))
                continue
            # "#top" goes to the top of any page that has no element called "top" (HTML's rule).
            if fragment and fragment.lower() != "top":
                html_target = target if target.endswith(".html") else f"{target.rstrip('/')}/index.html"
                ids = pages[html_target].ids if html_target in pages else None
                if ids is not None and fragment not in ids:
                    problems.append(Problem(page.path, url,
                                            f"broken anchor in link to {url}: no id '{fragment}' on that page"))
    return problems


def _syntax_only(page: str, url: str) -> list[Problem]:
    """DOI and PubMed links are checked for form on every run; their hosts only with --external."""
    m = DOI_URL.match(url)
    if m and not DOI.match(unquote(m.group(1))):
        return [Problem(page, url, f"malformed DOI link {url}")]
    m = PUBMED_URL.match(url)
    if m and not PMID.match(m.group(1)):
        return [Problem(page, url, f"malformed PubMed link {url}")]
    return []


def external_urls(pages: dict[str, PageLinks], site_url: str = "") -> dict[str, list[str]]:
    """External http(s) URL -> pages linking to it. Links into the site itself (canonical
    links under site_url) are not external: the site is not published yet when checked."""
    found: dict[str, list[str]] = {}
    for page in pages.values():
        for url in page.links:
            if url.startswith(("http://", "https://")) and not (site_url and url.startswith(site_url)):
                found.setdefault(url.split("#")[0], []).append(page.path)
    return found


def source_locator(root: Path, sources: dict[str, tuple[str, int]]) -> Callable[[str, str], str]:
    """Map a built page (and a link on it) to `path:line` of the source that produced it.

    `sources` maps each generated page to its source file (relative to `root`)
    and a fallback line; the link's target is looked for in that file first."""
    by_page = {page_url(src) + "index.html": where for src, where in sources.items()}
    cache: dict[str, list[str]] = {}

    def locate(page: str, target: str) -> str:
        if page not in by_page:
            return ""
        path, line = by_page[page]
        if path not in cache:
            try:
                cache[path] = (root / path).read_text(encoding="utf-8").split("\n")
            except OSError:
                cache[path] = []
        needle = target.split("#")[-1] if "#" in target else target.rstrip("/").split("/")[-1]
        for i, text in enumerate(cache[path], 1):
            if needle and needle in text:
                return f"{path}:{i}"
        return f"{path}:{line}"

    return locate


def check_links(ctx: CheckContext, rep: Reporter) -> None:
    """The registered check: internal links of the built site, and external ones when asked."""
    assert ctx.built is not None
    s, site_url = ctx.settings, ctx.project.site_url
    config = ctx.options.external_config or ExternalConfig(
        cache_path=ctx.root / ".cache" / "links.json", max_age_days=s.external_cache_days,
        skip_hosts=tuple(s.external_skip_hosts), allow_private=s.external_private,
        deadline=s.external_deadline, budget=s.external_budget)
    check_site_links(ctx.built, ctx.prepared.rendered.sources, rep, urlsplit(site_url or "/").path or "/", site_url,
                     (ctx.options.external or bool(s.external_links)) and ctx.options.network, config)


def check_site_links(built: Path, sources: dict[str, tuple[str, int]], rep: Reporter, base_path: str,
                     site_url: str, external: bool, config: ExternalConfig) -> None:
    pages = scan_site(built)
    locate = source_locator(rep.root, sources)

    def add(page: str, level: str, message: str, target: str) -> None:
        where = locate(page, target)
        text = message + (f" (from {where})" if where else "")
        (rep.error if level == "error" else rep.warning)(page, 0, text)

    for problem in check_internal(pages, built, base_path):
        add(problem.page, problem.level, problem.message, problem.target)
    if not external:
        return
    urls = external_urls(pages, site_url)
    for url, result in ExternalChecker(config).check(urls).items():
        for page in sorted(set(urls[url])):
            if result.skipped:
                add(page, "warning", f"link to {url} {result.message}", url)
            elif not result.ok:
                add(page, "error", f"broken link to {url}: {result.message}", url)
            elif result.permanent_redirect:
                add(page, "warning", f"link to {url} permanently redirects to {result.final_url}; "
                    "update the link", url)
