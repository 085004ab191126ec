"""External link checking that is polite to the sites it checks.

Requests go through the checks' one HTTP client (http.py: deadline, address rule, redirect
policy); this module adds politeness: HEAD before GET, retries with backoff and Retry-After,
per-host semaphores capping the requests in flight to any one host, a small thread pool,
and a disk cache of the links that were fine.
"""
from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.checks.http import (
    Deadline,
    HttpClient,
    Refused,
    Response,
    read_cache,
    write_json,
)

USER_AGENT = "tiered-docs-linkcheck/0.1 (+educational site link checker)"
PERMANENT = {301, 308}


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    message: str = ""
    final_url: str = ""
    permanent_redirect: bool = False
    cached: bool = False
    skipped: bool = False  # not requested (private address, run budget spent): a warning, not a failure


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
    deadline: float = 30.0  # seconds for one URL, all retries and redirects included
    budget: float = 900.0  # seconds for the whole run; URLs not started by then are reported unchecked
    allow_private: bool = False  # request loopback, private and link-local addresses (intranet sites)


class ExternalChecker:
    def __init__(self, config: ExternalConfig):
        self.config = config
        self.client = HttpClient(USER_AGENT, timeout=config.timeout, allow_private=config.allow_private,
                                 max_redirects=config.max_redirects)
        self._host_locks: dict[str, threading.BoundedSemaphore] = {}
        self._guard = threading.Lock()

    # -- one request -----------------------------------------------------------------
    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._guard:
            if host not in self._host_locks:
                self._host_locks[host] = threading.BoundedSemaphore(self.config.per_host)
            return self._host_locks[host]

    def _request(self, method: str, url: str, until: float) -> Response:
        with self._slot((_hostname(url) or "").lower()):
            return self.client.request(method, url, until, read=65536)

    def stop(self) -> None:
        """Cut every request in flight and start no more (Ctrl-C)."""
        self.client.stop()

    def _retry_after(self, headers: http.client.HTTPMessage) -> float:
        return retry_after(headers.get("Retry-After", ""), self.config.backoff, self.config.max_retry_after)

    def _fetch(self, url: str, until: float) -> Response | str:
        """HEAD first, GET when HEAD is refused; retries for 429/503, timeouts and 5xx."""
        method = "HEAD"
        delay = self.config.backoff
        attempts = 0
        while True:
            try:
                resp = self._request(method, url, until)
            except (Deadline, Refused):
                raise
            except ValueError as exc:
                return f"invalid URL ({exc})"
            except TimeoutError:
                outcome: Response | str = "timed out"
            except (OSError, http.client.HTTPException) as exc:
                outcome = f"connection failed ({exc.__class__.__name__})"
            else:
                if method == "HEAD" and resp.status in (405, 501):
                    method = "GET"
                    continue
                if resp.status in (429, 503) and attempts < self.config.retries + 1:
                    attempts += 1
                    self.client.wait(self._retry_after(resp.headers), until)
                    continue
                if resp.status < 500:
                    return resp
                outcome = resp
            if attempts >= self.config.retries:
                return outcome
            attempts += 1
            self.client.wait(delay, until)
            delay *= 2

    # -- one URL, following redirects ------------------------------------------------------
    def check_url(self, url: str) -> LinkResult:
        until = time.monotonic() + self.config.deadline
        current = [url]  # the hop being requested, for a refusal's message

        def hop(target: str) -> Response | str:
            current[0] = target
            return self._fetch(target, until)

        try:
            outcome, chain = self.client.follow(url, hop)
        except Deadline:
            if self.client.stopped:
                return LinkResult(url, False, "not checked: interrupted", skipped=True)
            return LinkResult(url, False, f"no complete answer within {self.config.deadline:g} s")
        except Refused as exc:
            why = f"not checked: {exc} (set external_private: true for intranet sites)"
            return LinkResult(url, False, why if current[0] == url else f"redirects to {current[0]}: {why}",
                              skipped=True)
        if isinstance(outcome, str):
            return LinkResult(url, False, outcome)
        if outcome.status >= 400:
            return LinkResult(url, False, f"HTTP {outcome.status}")
        final = current[0]
        permanent = bool(chain) and chain[0][1] in PERMANENT
        return LinkResult(url, True, final_url=final if final != url else "", permanent_redirect=permanent)

    # -- many URLs, with the cache ---------------------------------------------------------
    def check(self, urls: Iterable[str]) -> dict[str, LinkResult]:
        """Check every URL; Ctrl-C stops promptly and the cache is still written."""
        cache = self._load_cache()
        now = datetime.now(UTC)
        fresh = timedelta(days=self.config.max_age_days)
        results: dict[str, LinkResult] = {}
        todo = []
        for url in sorted(set(urls)):
            host = (_hostname(url) or "").lower()
            if any(host == h or host.endswith("." + h) for h in self.config.skip_hosts):
                continue
            hit = cache.get(url)
            if hit and timedelta(0) <= now - hit["checked"] < fresh:  # a future date is never trusted
                results[url] = LinkResult(url, True, final_url=hit["final_url"],
                                          permanent_redirect=hit["permanent"], cached=True)
            else:
                todo.append(url)
        run_ends = time.monotonic() + self.config.budget
        pool = ThreadPoolExecutor(self.config.workers)
        try:
            futures = {url: pool.submit(self._within_budget, url, run_ends) for url in todo}
            for url, future in futures.items():
                result = future.result()
                results[url] = result
                if result.ok:  # failures are never cached: they are re-checked next run
                    cache[url] = {"checked": now, "final_url": result.final_url,
                                  "permanent": result.permanent_redirect}
        except BaseException:
            self.stop()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        else:
            pool.shutdown(wait=True)
        finally:
            self._save_cache(cache)  # written even when links failed or the run was interrupted
        return results

    def _within_budget(self, url: str, run_ends: float) -> LinkResult:
        if self.client.stopped:
            return LinkResult(url, False, "not checked: interrupted", skipped=True)
        if time.monotonic() >= run_ends:
            return LinkResult(url, False, f"not checked: the run's budget of {self.config.budget:g} s was spent",
                              skipped=True)
        return self.check_url(url)

    def _load_cache(self) -> dict[str, dict[str, Any]]:
        """Entries that are well formed; anything else in the file is ignored, never fatal."""
        entries: dict[str, dict[str, Any]] = {}
        for url, hit in read_cache(self.config.cache_path).items():
            try:
                checked = datetime.fromisoformat(hit["checked"])
                if checked.tzinfo is None:
                    continue
                entries[url] = {"checked": checked, "final_url": str(hit.get("final_url") or ""),
                                "permanent": hit.get("permanent") is True}
            except (TypeError, KeyError, ValueError, AttributeError):
                continue
        return entries

    def _save_cache(self, cache: dict[str, dict[str, Any]]) -> None:
        path = self.config.cache_path
        if not path:
            return
        write_json(path, {url: {**hit, "checked": hit["checked"].isoformat()} for url, hit in cache.items()})


def retry_after(value: str, default: float, cap: float) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), within [0, cap]."""
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            seconds = default
    return max(0.0, min(seconds, cap))


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None
