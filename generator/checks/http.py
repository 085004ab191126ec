"""The one HTTP client of the checks (external links, reference registries), and their disk cache.

Stdlib only, deliberately: `http.client` gives exact control over each request and each
redirect hop, which both politeness and safety need. Every request:
- has an overall deadline: the socket timeout is per read, so a server trickling a byte a
  second would never trip it; a watchdog cuts the connection at the deadline, and an answer
  from a connection that was cut is never taken as an answer (a status line read before the cut
  is not "HTTP 200");
- resolves its host once, refuses loopback, private and link-local addresses (unless allowed,
  or the host is one the configuration itself names), and connects to the address it checked,
  so a DNS answer that changes between check and connect (rebinding) cannot reach loopback;
- follows redirects by one policy: http(s) only, the same address rule at every hop, no
  loops, at most `max_redirects`.
"""
from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

SCHEMES = ("http", "https")
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class Deadline(Exception):
    """The request's deadline passed, or the run was stopped, before a complete answer."""


class Refused(Exception):
    """Not requested: the address policy forbids it. The message says why."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes = b""


def request_target(url: str) -> tuple[str, str, int, str]:
    """(scheme, IDNA host, port, path?query percent-encoded) ready for the wire.

    Raises ValueError for URLs that cannot be requested (bad brackets, ports, schemes)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ValueError(f"unsupported scheme {parts.scheme or 'none'!r}")
    host = parts.hostname
    if not host:
        raise ValueError("no host")
    port = parts.port or (443 if scheme == "https" else 80)  # raises ValueError for a bad port
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise ValueError("host name cannot be encoded") from None
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return scheme, ascii_host, port, path + (f"?{query}" if query else "")


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to; an empty list when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def non_public(address: str) -> bool:
    return not ipaddress.ip_address(address.split("%")[0]).is_global


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to an address resolved and checked beforehand; Host stays the name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address
        # Kept for the watchdog: http.client lets go of `sock` once a response that ends with the
        # connection takes it over, and the body is then read from a socket it no longer names.
        self.raw: socket.socket | None = None
        self.cut = threading.Event()  # set by the watchdog before it reads `raw`

    def connect(self) -> None:
        self.sock = self.raw = socket.create_connection((self.address, self.port), self.timeout)
        if self.cut.is_set():  # the deadline passed while connecting: the watchdog saw no socket
            self.raw.shutdown(socket.SHUT_RDWR)


class _PinnedHTTPS(_PinnedHTTP):
    def __init__(self, host: str, port: int, address: str, timeout: float, tls: ssl.SSLContext):
        super().__init__(host, port, address, timeout)
        self.tls = tls
        self.default_port = 443

    def connect(self) -> None:
        super().connect()
        self.sock = self.tls.wrap_socket(self.sock, server_hostname=self.host)  # the name's certificate


class HttpClient:
    def __init__(self, user_agent: str, timeout: float = 10.0, allow_private: bool = False,
                 trusted_hosts: tuple[str, ...] = (), max_redirects: int = 5, max_body: int = 4_000_000):
        self.user_agent, self.timeout, self.allow_private = user_agent, timeout, allow_private
        # Hosts the configuration names (a registry on an intranet or a test's 127.0.0.1): reachable
        # whatever their address; a redirect elsewhere is held to the address rule.
        self.trusted = {h.lower() for h in trusted_hosts}
        self.max_redirects, self.max_body = max_redirects, max_body
        self._tls = ssl.create_default_context()
        self._stop = threading.Event()
        self._guard = threading.Lock()
        self._open: set[_PinnedHTTP] = set()

    # -- one request -------------------------------------------------------------------------
    def address_for(self, host: str, port: int) -> str:
        """The address to connect to: the first one `host` resolves to, after the address rule."""
        addresses = resolve(host, port)
        if not addresses:
            raise OSError(f"cannot resolve {host}")
        if not self.allow_private and host.lower() not in self.trusted:
            bad = next((a for a in addresses if non_public(a)), None)
            if bad:
                raise Refused(f"{bad} is a private, loopback or link-local address")
        return addresses[0]

    def request(self, method: str, url: str, until: float, headers: dict[str, str] | None = None,
                read: int | None = None) -> Response:
        """One request, no redirects followed. Raises ValueError (a URL that cannot be requested),
        Refused, Deadline, or OSError/HTTPException for a failed connection."""
        scheme, host, port, path = request_target(url)
        remaining = until - time.monotonic()
        if remaining <= 0 or self._stop.is_set():
            raise Deadline()
        address = self.address_for(host, port)
        timeout = min(self.timeout, remaining)
        conn = (_PinnedHTTPS(host, port, address, timeout, self._tls) if scheme == "https"
                else _PinnedHTTP(host, port, address, timeout))
        cut = conn.cut
        watchdog = threading.Timer(remaining, self._cut, (conn,))
        watchdog.daemon = True
        with self._guard:
            # Checked again under the guard: a stop() between the check above and here has already
            # taken its list of open connections, so this one would run on, unstopped, until `until`.
            if self._stop.is_set():
                raise Deadline()
            self._open.add(conn)
        watchdog.start()
        try:
            conn.request(method, path, headers={"User-Agent": self.user_agent, "Accept": "*/*", **(headers or {})})
            resp = conn.getresponse()
            body = resp.read(0 if method == "HEAD" else (self.max_body if read is None else read))
            if cut.is_set() or self._stop.is_set():
                raise Deadline()  # what arrived before the cut (a status line, half the headers) is no answer
            return Response(resp.status, resp.headers, body)
        except (OSError, http.client.HTTPException):
            if cut.is_set() or self._stop.is_set() or time.monotonic() >= until:
                raise Deadline() from None
            raise
        finally:
            watchdog.cancel()
            with self._guard:
                self._open.discard(conn)
            conn.close()

    def _cut(self, conn: _PinnedHTTP) -> None:
        conn.cut.set()
        sock = conn.raw
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

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def wait(self, seconds: float, until: float) -> None:
        """Pause between attempts; Deadline when the pause would pass `until` or the run stops."""
        if seconds >= until - time.monotonic() or self._stop.wait(seconds):
            raise Deadline()

    # -- redirects ---------------------------------------------------------------------------
    def follow(self, url: str, hop: Callable[[str], Response | str]) -> tuple[Response | str, list[tuple[str, int]]]:
        """Run `hop` (one URL to a Response, or a message why none) along the redirect chain by
        the one policy. Returns the last outcome and the hops taken, (url, status) each."""
        chain: list[tuple[str, int]] = []
        seen = [url]
        current = url
        for _ in range(self.max_redirects + 1):
            outcome = hop(current)
            if isinstance(outcome, str) or outcome.status not in REDIRECTS:
                return outcome, chain
            location = outcome.headers.get("Location")
            if not location:
                return f"HTTP {outcome.status} without a Location header", chain
            try:
                nxt = urljoin(current, location)
            except ValueError:
                return f"redirect to an invalid URL {location!r}", chain
            if urlsplit(nxt).scheme.lower() not in SCHEMES:
                return f"redirects to {nxt}, which is not an http(s) URL", chain
            if nxt in seen:
                return f"redirect loop ({' -> '.join(seen + [nxt])})", chain
            chain.append((current, outcome.status))
            seen.append(nxt)
            current = nxt
        return f"more than {self.max_redirects} redirects", chain


def parse_json(body: str | bytes) -> Any:
    """A JSON answer, or None for one that is not JSON, or nested too deeply to read."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


# -- the checks' disk cache --------------------------------------------------------------------

def read_cache(path: Path | None) -> dict[str, Any]:
    """A cache file's top-level mapping; a missing, unreadable or malformed file is an empty cache."""
    if not path or not path.exists():
        return {}
    data = None
    try:
        data = parse_json(path.read_text(encoding="utf-8"))
    except OSError:
        pass
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
