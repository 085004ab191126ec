"""External link checking that is polite to the sites it checks.

Stdlib only, deliberately: `http.client` gives exact control over HEAD vs GET,
each redirect hop and Retry-After, which is what politeness needs, and a small
thread pool is plenty for a few hundred links. Per-host semaphores cap the
requests in flight to any one host; results that succeeded are cached on disk.
"""
from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Iterable
from urllib.parse import urljoin, urlsplit

USER_AGENT = "tiered-docs-linkcheck/0.1 (+educational site link checker)"
PERMANENT = {301, 308}
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    message: str = ""
    final_url: str = ""
    permanent_redirect: bool = False
    cached: bool = False


@dataclass
class ExternalConfig:
    timeout: float = 10.0
    retries: int = 2  # extra attempts after timeouts, connection errors and 5xx
    backoff: float = 1.0  # seconds, doubled on each retry
    per_host: int = 2
    workers: int = 8
    max_redirects: int = 5
    max_retry_after: float = 60.0
    cache_path: Path | None = None
    max_age_days: float = 7.0
    skip_hosts: tuple[str, ...] = ()


class _Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage):
        self.status, self.headers = status, headers


class ExternalChecker:
    def __init__(self, config: ExternalConfig):
        self.config = config
        self._host_locks: dict[str, threading.BoundedSemaphore] = {}
        self._guard = threading.Lock()
        self._ssl = ssl.create_default_context()

    # -- one request -----------------------------------------------------------------
    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._guard:
            if host not in self._host_locks:
                self._host_locks[host] = threading.BoundedSemaphore(self.config.per_host)
            return self._host_locks[host]

    def _request(self, method: str, url: str) -> _Response:
        parts = urlsplit(url)
        host = parts.netloc
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        with self._slot(host.lower()):
            conn: http.client.HTTPConnection
            if parts.scheme == "https":
                conn = http.client.HTTPSConnection(host, timeout=self.config.timeout, context=self._ssl)
            else:
                conn = http.client.HTTPConnection(host, timeout=self.config.timeout)
            try:
                conn.request(method, path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
                resp = conn.getresponse()
                resp.read(0 if method == "HEAD" else 65536)
                return _Response(resp.status, resp.headers)
            finally:
                conn.close()

    def _retry_after(self, headers: http.client.HTTPMessage) -> float:
        value = headers.get("Retry-After", "")
        try:
            seconds = float(value)
        except ValueError:
            try:
                seconds = (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds()
            except (TypeError, ValueError):
                seconds = self.config.backoff
        return max(0.0, min(seconds, self.config.max_retry_after))

    def _fetch(self, url: str) -> _Response | str:
        """HEAD first, GET when HEAD is refused; retries for 429/503, timeouts and 5xx."""
        method = "HEAD"
        delay = self.config.backoff
        attempts = 0
        while True:
            try:
                resp = self._request(method, url)
            except (socket.timeout, TimeoutError):
                outcome: _Response | str = "timed out"
            except (OSError, http.client.HTTPException) as exc:
                outcome = f"connection failed ({exc.__class__.__name__})"
            else:
                if method == "HEAD" and resp.status in (405, 501):
                    method = "GET"
                    continue
                if resp.status in (429, 503) and attempts < self.config.retries + 1:
                    attempts += 1
                    time.sleep(self._retry_after(resp.headers))
                    continue
                if resp.status < 500:
                    return resp
                outcome = resp
            if attempts >= self.config.retries:
                return outcome
            attempts += 1
            time.sleep(delay)
            delay *= 2

    # -- one URL, following redirects ------------------------------------------------------
    def check_url(self, url: str) -> LinkResult:
        seen = [url]
        current = url
        permanent = False
        for _ in range(self.config.max_redirects + 1):
            outcome = self._fetch(current)
            if isinstance(outcome, str):
                return LinkResult(url, False, outcome)
            if outcome.status in REDIRECTS:
                location = outcome.headers.get("Location")
                if not location:
                    return LinkResult(url, False, f"HTTP {outcome.status} without a Location header")
                nxt = urljoin(current, location)
                if nxt in seen:
                    return LinkResult(url, False, f"redirect loop ({' -> '.join(seen + [nxt])})")
                permanent = permanent or (outcome.status in PERMANENT and len(seen) == 1)
                seen.append(nxt)
                current = nxt
                continue
            if outcome.status >= 400:
                return LinkResult(url, False, f"HTTP {outcome.status}")
            return LinkResult(url, True, final_url=current if current != url else "", permanent_redirect=permanent)
        return LinkResult(url, False, f"more than {self.config.max_redirects} redirects")

    # -- many URLs, with the cache ---------------------------------------------------------
    def check(self, urls: Iterable[str]) -> dict[str, LinkResult]:
        cache = self._load_cache()
        now = datetime.now(timezone.utc)
        fresh = timedelta(days=self.config.max_age_days)
        results: dict[str, LinkResult] = {}
        todo = []
        for url in sorted(set(urls)):
            host = (urlsplit(url).hostname or "").lower()
            if any(host == h or host.endswith("." + h) for h in self.config.skip_hosts):
                continue
            hit = cache.get(url)
            if hit and now - datetime.fromisoformat(hit["checked"]) < fresh:
                results[url] = LinkResult(url, True, final_url=hit.get("final_url", ""),
                                          permanent_redirect=hit.get("permanent", False), cached=True)
            else:
                todo.append(url)
        try:
            with ThreadPoolExecutor(self.config.workers) as pool:
                for result in pool.map(self.check_url, todo):
                    results[result.url] = result
                    if result.ok:  # failures are never cached: they are re-checked next run
                        cache[result.url] = {"checked": now.isoformat(), "final_url": result.final_url,
                                             "permanent": result.permanent_redirect}
        finally:
            self._save_cache(cache)  # written even when links failed or the run was interrupted
        return results

    def _load_cache(self) -> dict[str, dict]:
        path = self.config.cache_path
        if not path or not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save_cache(self, cache: dict[str, dict]) -> None:
        path = self.config.cache_path
        if not path:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(cache, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
