"""External link checking that is polite to the sites it checks.

Stdlib only, deliberately: `http.client` gives exact control over HEAD vs GET,
each redirect hop and Retry-After, which is what politeness needs, and a small
thread pool is plenty for a few hundred links. Per-host semaphores cap the
requests in flight to any one host; results that succeeded are cached on disk.
"""
from __future__ import annotations

import http.client
import ipaddress
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
from typing import Any, Iterable
from urllib.parse import quote, urljoin, urlsplit

USER_AGENT = "tiered-docs-linkcheck/0.1 (+educational site link checker)"
PERMANENT = {301, 308}
REDIRECTS = {301, 302, 303, 307, 308}
SCHEMES = ("http", "https")


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


class _Deadline(Exception):
    pass


def request_target(url: str) -> tuple[str, str, str, str]:
    """(scheme, host, host[:port], path?query) ready for the wire: IDNA host, percent-encoded path.

    Raises ValueError for URLs that cannot be requested (bad brackets, ports, schemes)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise ValueError(f"unsupported scheme {parts.scheme or 'none'!r}")
    host = parts.hostname
    if not host:
        raise ValueError("no host")
    port = parts.port  # raises ValueError for a bad port
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise ValueError("host name cannot be encoded") from None
    netloc = (f"[{ascii_host}]" if ":" in ascii_host else ascii_host) + (f":{port}" if port else "")
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return parts.scheme.lower(), ascii_host, netloc, path + (f"?{query}" if query else "")


def private_address(host: str) -> str | None:
    """The first loopback, private, link-local or otherwise non-public address `host` resolves to."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None  # unresolvable: the request itself will fail and say so
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not addr.is_global:
            return str(addr)
    return None


class _Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage):
        self.status, self.headers = status, headers


class ExternalChecker:
    def __init__(self, config: ExternalConfig):
        self.config = config
        self._host_locks: dict[str, threading.BoundedSemaphore] = {}
        self._guard = threading.Lock()
        self._ssl = ssl.create_default_context()
        self._stop = threading.Event()  # set on Ctrl-C: every request in flight is cut off
        self._open: set[http.client.HTTPConnection] = set()

    # -- one request -----------------------------------------------------------------
    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._guard:
            if host not in self._host_locks:
                self._host_locks[host] = threading.BoundedSemaphore(self.config.per_host)
            return self._host_locks[host]

    def _request(self, method: str, url: str, until: float) -> _Response:
        scheme, _, host, path = request_target(url)
        with self._slot(host.lower()):
            remaining = until - time.monotonic()
            if remaining <= 0 or self._stop.is_set():
                raise _Deadline()
            conn: http.client.HTTPConnection
            timeout = min(self.config.timeout, remaining)
            if scheme == "https":
                conn = http.client.HTTPSConnection(host, timeout=timeout, context=self._ssl)
            else:
                conn = http.client.HTTPConnection(host, timeout=timeout)
            # The socket timeout is per read, so a server trickling a byte a second would never
            # trip it: a watchdog cuts the connection at the URL's overall deadline.
            watchdog = threading.Timer(remaining, self._cut, (conn,))
            watchdog.daemon = True
            with self._guard:
                self._open.add(conn)
            watchdog.start()
            try:
                conn.request(method, path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
                resp = conn.getresponse()
                resp.read(0 if method == "HEAD" else 65536)
                return _Response(resp.status, resp.headers)
            except OSError:
                if time.monotonic() >= until or self._stop.is_set():
                    raise _Deadline() from None
                raise
            finally:
                watchdog.cancel()
                with self._guard:
                    self._open.discard(conn)
                conn.close()

    @staticmethod
    def _cut(conn: http.client.HTTPConnection) -> None:
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self) -> None:
        """Cut every request in flight and start no more (Ctrl-C)."""
        self._stop.set()
        with self._guard:
            conns = list(self._open)
        for conn in conns:
            self._cut(conn)

    def _retry_after(self, headers: http.client.HTTPMessage) -> float:
        return retry_after(headers.get("Retry-After", ""), self.config.backoff, self.config.max_retry_after)

    def _wait(self, seconds: float, until: float) -> None:
        if seconds >= until - time.monotonic():
            raise _Deadline()
        if self._stop.wait(seconds):
            raise _Deadline()

    def _fetch(self, url: str, until: float) -> _Response | str:
        """HEAD first, GET when HEAD is refused; retries for 429/503, timeouts and 5xx."""
        method = "HEAD"
        delay = self.config.backoff
        attempts = 0
        while True:
            try:
                resp = self._request(method, url, until)
            except _Deadline:
                raise
            except ValueError as exc:
                return f"invalid URL ({exc})"
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
                    self._wait(self._retry_after(resp.headers), until)
                    continue
                if resp.status < 500:
                    return resp
                outcome = resp
            if attempts >= self.config.retries:
                return outcome
            attempts += 1
            self._wait(delay, until)
            delay *= 2

    # -- one URL, following redirects ------------------------------------------------------
    def check_url(self, url: str) -> LinkResult:
        until = time.monotonic() + self.config.deadline
        try:
            return self._check_url(url, until)
        except _Deadline:
            if self._stop.is_set():
                return LinkResult(url, False, "not checked: interrupted", skipped=True)
            return LinkResult(url, False, f"no complete answer within {self.config.deadline:g} s")

    def _refused(self, url: str) -> LinkResult | None:
        try:
            _, host, _, _ = request_target(url)
        except ValueError as exc:
            return LinkResult(url, False, f"invalid URL ({exc})")
        if not self.config.allow_private:
            address = private_address(host)
            if address:
                return LinkResult(url, False, f"not checked: {address} is a private, loopback or link-local "
                                  "address (set external_private: true for intranet sites)", skipped=True)
        return None

    def _check_url(self, url: str, until: float) -> LinkResult:
        seen = [url]
        current = url
        permanent = False
        for _ in range(self.config.max_redirects + 1):
            refused = self._refused(current)
            if refused is not None:
                return LinkResult(url, refused.ok, refused.message if current == url
                                  else f"redirects to {current}: {refused.message}", skipped=refused.skipped)
            outcome = self._fetch(current, until)
            if isinstance(outcome, str):
                return LinkResult(url, False, outcome)
            if outcome.status in REDIRECTS:
                location = outcome.headers.get("Location")
                if not location:
                    return LinkResult(url, False, f"HTTP {outcome.status} without a Location header")
                try:
                    nxt = urljoin(current, location)
                except ValueError:
                    return LinkResult(url, False, f"redirect to an invalid URL {location!r}")
                if urlsplit(nxt).scheme.lower() not in SCHEMES:
                    return LinkResult(url, False, f"redirects to {nxt}, which is not an http(s) URL")
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
        """Check every URL; Ctrl-C stops promptly and the cache is still written."""
        cache = self._load_cache()
        now = datetime.now(timezone.utc)
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
        if self._stop.is_set():
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
            seconds = (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds()
        except (TypeError, ValueError):
            seconds = default
    return max(0.0, min(seconds, cap))


def read_cache(path: Path | None) -> dict[str, Any]:
    """A cache file's top-level mapping; a missing, unreadable or malformed file is an empty cache."""
    if not path or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: object) -> None:
    """Write a cache file whole or not at all; a cache that cannot be written costs requests, nothing else."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None
