"""Link checks: internal links and anchors on built HTML; external links against a real local server."""
from __future__ import annotations

import http.server
import json
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, local_server, run_cli
from miniproject import make_project

from generator.checks import links
from generator.checks.external import ExternalChecker, ExternalConfig

# -- internal -------------------------------------------------------------------------------


def write(site: Path, rel: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><head></head><body>{body}</body></html>", encoding="utf-8")


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write(site, "index.html", '<h1 id="top">Home</h1><a href="a/">ok</a> <a href="a/#sec">ok anchor</a>'
          ' <a href="a/#missing">bad anchor</a> <a href="nowhere/">bad link</a> <img src="img/ok.png">'
          ' <img src="img/missing.png"> <a href="#top">self ok</a> <a href="#nope">self bad</a>'
          ' <a href="https://doi.org/10.1000/ok">doi ok</a> <a href="https://doi.org/11.x">doi bad</a>'
          ' <a href="https://pubmed.ncbi.nlm.nih.gov/0123/">pmid bad</a> <a href="/base/a/">root ok</a>'
          ' <link rel="stylesheet" href="css/missing.css">')
    write(site, "a/index.html", '<h2 id="sec">Sec</h2><a href="../">up</a> <a href="../index.html#top">up anchor</a>')
    (site / "img").mkdir()
    (site / "img/ok.png").write_bytes(b"\x89PNG")
    return site


def test_internal_problems_are_each_reported(fixture_site: Path) -> None:
    pages = links.scan_site(fixture_site, workers=1)
    found = sorted((p.page, p.target) for p in links.check_internal(pages, fixture_site, "/base/"))
    assert found == sorted([
        ("index.html", "a/#missing"), ("index.html", "nowhere/"), ("index.html", "img/missing.png"),
        ("index.html", "#nope"), ("index.html", "https://doi.org/11.x"),
        ("index.html", "https://pubmed.ncbi.nlm.nih.gov/0123/"), ("index.html", "css/missing.css"),
    ])


def test_top_a_kept_old_address_and_base_href_are_read_as_browsers_do(tmp_path: Path) -> None:
    site = tmp_path / "site"
    # "#top" with no element called top (HTML scrolls to the top); other schemes a page may use.
    write(site, "index.html", '<a href="#top">Back to top</a> <a href="a/#TOP">their top</a> <a href="a/">a</a>'
          ' <a href="tel:999">Call 999</a> <a href="sms:+447700900000">text</a> <a href="ftp://ftp.example.org/x">f</a>')
    write(site, "a/index.html", "<p>A</p>")
    # A page kept at an old address: docs/legacy.html.md builds to the folder legacy.html/.
    write(site, "legacy.html/index.html", '<a href="../a/">a</a>')
    # A page whose <base href> points elsewhere in the site: its relative links resolve from there.
    (site / "b").mkdir()
    (site / "b/index.html").write_text('<!doctype html><html><head><base href="/base/a/"></head><body>'
                                       '<a href="./">here</a> <a href="missing/">gone</a></body></html>', "utf-8")
    pages = links.scan_site(site, workers=1)
    assert "legacy.html/index.html" in pages and pages["b/index.html"].base == "/base/a/"
    found = [(p.page, p.target) for p in links.check_internal(pages, site, "/base/")]
    assert found == [("b/index.html", "missing/")]


def test_parallel_scan_gives_the_same_index(fixture_site: Path) -> None:
    for i in range(250):
        write(fixture_site, f"p{i}/index.html", f'<p id="x{i}"><a href="../p{(i + 1) % 250}/#x{(i + 1) % 250}">n</a></p>')
    one = links.scan_site(fixture_site, workers=1)
    two = links.scan_site(fixture_site, workers=2)
    assert {k: (v.ids, v.links) for k, v in one.items()} == {k: (v.ids, v.links) for k, v in two.items()}
    assert len(links.check_internal(two, fixture_site, "/base/")) == 7


def test_broken_link_in_a_topic_maps_back_to_its_source(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path)
    rel = "content/topics/fixture-topic.md"
    topic = project / rel
    text = topic.read_text().replace("# Academic\n", "# Academic\n\nSee [this page](../no-such-page/) and [that](#no-such-anchor).\n", 1)
    topic.write_text(text)
    line = next(i for i, l in enumerate(text.split("\n"), 1) if "no-such-page" in l)
    assert run_cli(project, "check", "--today", "2020-06-01") == 1
    out = capsys.readouterr().out
    assert (f"topics/fixture-topic/academic/index.html: error: broken link to ../no-such-page/ "
            f"(from {rel}:{line})") in out
    assert "broken anchor in link to #no-such-anchor" in out


# -- external -------------------------------------------------------------------------------


class Server:
    """A real HTTP server on 127.0.0.1 with one handler per outcome the checker must handle."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.methods: list[tuple[str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                self.handle_any("HEAD")

            def do_GET(self) -> None:
                self.handle_any("GET")

            def send(self, status: int, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def handle_any(self, method: str) -> None:
                path = self.path
                with server.lock:
                    server.requests[path] += 1
                    server.methods.append((method, path))
                    count = server.requests[path]
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                counted = True
                try:
                    if path == "/ok" or path.startswith("/many/"):
                        if path.startswith("/many/"):
                            server.stopping.wait(0.15)  # hold the slot a moment, so requests overlap
                            # Leave the count before answering: once the client has the answer it
                            # may start its next request before this thread runs `finally`.
                            with server.lock:
                                server.in_flight -= 1
                            counted = False
                        self.send(200)
                    elif path == "/moved":
                        self.send(301, {"Location": "/ok"})
                    elif path == "/found":
                        self.send(302, {"Location": "/ok"})
                    elif path == "/loop-a":
                        self.send(302, {"Location": "/loop-b"})
                    elif path == "/loop-b":
                        self.send(302, {"Location": "/loop-a"})
                    elif path == "/missing":
                        self.send(404)
                    elif path == "/no-head":
                        self.send(405 if method == "HEAD" else 200)
                    elif path == "/busy":
                        self.send(429, {"Retry-After": "1"} if count == 1 else None) if count == 1 else self.send(200)
                    elif path == "/slow":
                        server.stopping.wait(1.5)  # longer than the checker's 0.5 s timeout
                        self.send(200)
                    elif path == "/flaky":
                        self.send(500 if count == 1 else 200)
                    elif path == "/trickle":  # one byte of the status line at a time, forever
                        for ch in b"HTTP/1.0 200 OK\r\n" * 1000:
                            if server.stopping.is_set():
                                break
                            self.wfile.write(bytes([ch]))
                            self.wfile.flush()
                            server.stopping.wait(0.2)
                    elif path == "/stall-headers":  # a status line, then nothing until the test ends
                        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                        self.wfile.flush()
                        server.stopping.wait(30)
                    elif path == "/to-metadata":
                        self.send(302, {"Location": "http://169.254.169.254/latest/meta-data/"})
                    elif path == "/to-ftp":
                        self.send(302, {"Location": "ftp://127.0.0.1/file"})
                    elif path == "/%C3%A9t%C3%A9":
                        self.send(200)
                    else:
                        self.send(404)
                finally:
                    if counted:
                        with server.lock:
                            server.in_flight -= 1

        self.httpd, self.base = local_server(Handler)

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    s = Server()
    yield s
    s.close()


def checker(tmp_path: Path, **kw: object) -> ExternalChecker:
    # The test servers live on 127.0.0.1, which the checker skips unless told otherwise.
    options: dict[str, object] = {"allow_private": True, "timeout": 0.5, "retries": 1, "backoff": 0.05,
                                  "per_host": 2, "workers": 8, "cache_path": tmp_path / ".cache" / "links.json"}
    config = ExternalConfig(**{**options, **kw})  # type: ignore[arg-type]
    return ExternalChecker(config)


def test_each_outcome(server: Server, tmp_path: Path) -> None:
    urls = {name: f"{server.base}/{name}" for name in
            ["ok", "moved", "found", "loop-a", "missing", "no-head", "busy", "slow", "flaky"]}
    started = time.monotonic()
    results = checker(tmp_path).check(urls.values())
    r = {name: results[url] for name, url in urls.items()}
    assert r["ok"].ok and not r["ok"].permanent_redirect
    assert r["moved"].ok and r["moved"].permanent_redirect and r["moved"].final_url == f"{server.base}/ok"
    assert r["found"].ok and not r["found"].permanent_redirect
    assert not r["loop-a"].ok and "redirect loop" in r["loop-a"].message
    assert not r["missing"].ok and r["missing"].message == "HTTP 404"
    assert r["no-head"].ok and ("GET", "/no-head") in server.methods and ("HEAD", "/no-head") in server.methods
    assert r["busy"].ok and server.requests["/busy"] == 2  # waited Retry-After: 1, then succeeded
    assert not r["slow"].ok and r["slow"].message == "timed out" and server.requests["/slow"] == 2
    assert r["flaky"].ok and server.requests["/flaky"] == 2  # 500, retried with backoff, then 200
    assert time.monotonic() - started >= 1.0  # Retry-After was honoured, not ignored


def test_cache_stops_a_second_run_from_making_requests(server: Server, tmp_path: Path) -> None:
    urls = [f"{server.base}/ok", f"{server.base}/moved", f"{server.base}/missing"]
    # Requests are counted, so none may time out and be retried: the server answers at once, and
    # a loaded machine (seen under faketime beside another run) once took past the 0.5 s default.
    first = checker(tmp_path, timeout=60.0).check(urls)
    assert not first[f"{server.base}/missing"].ok
    cache = tmp_path / ".cache" / "links.json"
    assert cache.exists()  # written although the run found a failure
    before = sum(server.requests.values())
    second = checker(tmp_path, timeout=60.0).check(urls)
    made = sum(server.requests.values()) - before
    assert second[f"{server.base}/ok"].cached and second[f"{server.base}/moved"].cached
    assert second[f"{server.base}/moved"].permanent_redirect
    assert made == 1 and server.requests["/missing"] == 2  # only the failure is asked again


def test_cache_entries_expire(server: Server, tmp_path: Path) -> None:
    url = f"{server.base}/ok"
    checker(tmp_path).check([url])
    checker(tmp_path, max_age_days=0).check([url])
    assert server.requests["/ok"] == 2


def test_no_more_than_the_per_host_limit_in_flight(server: Server, tmp_path: Path) -> None:
    urls = [f"{server.base}/many/{i}" for i in range(12)]
    results = checker(tmp_path).check(urls)
    assert all(r.ok for r in results.values())
    assert 1 <= server.max_in_flight <= 2  # the cap holds; how close it gets depends on scheduling


def test_skipped_hosts_are_not_requested(server: Server, tmp_path: Path) -> None:
    results = checker(tmp_path, skip_hosts=("127.0.0.1",)).check([f"{server.base}/ok"])
    assert results == {} and server.requests["/ok"] == 0


def test_external_check_through_the_cli(server: Server, tmp_path: Path, capsys, monkeypatch) -> None:
    project = make_project(tmp_path)
    topic = project / "content/topics/fixture-topic.md"
    topic.write_text(topic.read_text().replace("# Academic\n", f"# Academic\n\nSee [gone]({server.base}/missing) "
                                               f"and [moved]({server.base}/moved).\n", 1))
    # Never reach the real internet from a test: skip the hosts of the fixture's references.
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("      funding: No funding.\n", "      funding: No funding.\n"
                                           "      external_skip_hosts: [doi.org, pubmed.ncbi.nlm.nih.gov]\n"
                                           "      external_private: true\n"))
    monkeypatch.chdir(project)
    assert run_cli(project, "check", "--today", "2020-06-01") == 0
    assert server.requests["/missing"] == 0  # off by default: no network unless asked
    assert run_cli(project, "check", "--external", "--today", "2020-06-01") == 1
    out = capsys.readouterr().out
    assert f"error: broken link to {server.base}/missing: HTTP 404" in out
    assert f"warning: link to {server.base}/moved permanently redirects to {server.base}/ok" in out
    assert (project / ".cache/links.json").exists()


# -- hostile servers and URLs ---------------------------------------------------------------

def test_a_trickling_server_cannot_hold_a_url_past_its_deadline(server: Server, tmp_path: Path) -> None:
    started = time.monotonic()
    result = checker(tmp_path, deadline=1.0, timeout=5.0).check([f"{server.base}/trickle"])[f"{server.base}/trickle"]
    assert not result.ok and "no complete answer within 1 s" in result.message
    assert time.monotonic() - started < 10  # a per-read timeout alone would wait for ever


def test_odd_urls_are_results_not_crashes(server: Server, tmp_path: Path) -> None:
    urls = [f"{server.base}/to-ftp", f"{server.base}/été", "http://[::1/x", "http://127.0.0.1:99999/x"]
    r = checker(tmp_path).check(urls)
    assert not r[urls[0]].ok and "not an http(s) URL" in r[urls[0]].message
    assert r[urls[1]].ok and server.requests["/%C3%A9t%C3%A9"] >= 1  # percent-encoded on the wire
    assert not r[urls[2]].ok and "invalid URL" in r[urls[2]].message
    assert not r[urls[3]].ok and "invalid URL" in r[urls[3]].message


def test_private_addresses_are_skipped_by_default(server: Server, tmp_path: Path) -> None:
    urls = [f"{server.base}/ok", "http://169.254.169.254/latest/meta-data/", "http://localhost:9/"]
    r = checker(tmp_path, allow_private=False).check(urls)
    assert all(res.skipped and "private, loopback or link-local" in res.message for res in r.values())
    assert sum(server.requests.values()) == 0


def test_a_bad_or_future_cache_entry_is_ignored(server: Server, tmp_path: Path) -> None:
    cache = tmp_path / ".cache" / "links.json"
    cache.parent.mkdir(parents=True)
    ok, moved = f"{server.base}/ok", f"{server.base}/moved"
    cache.write_text(json.dumps({ok: {"checked": "2999-01-01T00:00:00+00:00"}, moved: ["not", "a", "dict"],
                                 "x": {"checked": 5}}))
    r = checker(tmp_path).check([ok, moved])
    assert r[ok].ok and not r[ok].cached and r[moved].ok and not r[moved].cached
    assert server.requests["/ok"] >= 1
    assert set(json.loads(cache.read_text())) >= {ok, moved}  # rewritten with good entries


def test_ctrl_c_stops_promptly_and_still_writes_the_cache(server: Server, tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(f"""
import signal
import sys
from pathlib import Path
from generator.checks.external import ExternalChecker, ExternalConfig
# A terminal's Ctrl-C reaches a program whose SIGINT has its default action. In a full run the
# test process sometimes hands its children SIGINT ignored (seen in /proc: SigIgn 0x...1006,
# SIGINT and SIGQUIT, as libc system() leaves them while it runs), so restore what a shell gives.
signal.signal(signal.SIGINT, signal.default_int_handler)
c = ExternalChecker(ExternalConfig(deadline=600, timeout=600, allow_private=True, cache_path=Path({str(tmp_path / 'c.json')!r})))
print("ready", flush=True)
try:
    c.check([{server.base + '/ok'!r}, {server.base + '/trickle'!r}])
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
""")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 300  # a hang guard, not a speed limit: the condition ends the wait
    while server.requests["/trickle"] == 0 and time.monotonic() < deadline:
        server.stopping.wait(0.05)  # wait for the condition: the slow request is in flight
    proc.send_signal(signal.SIGINT)
    # The child's own deadline is 600 s and the trickling request would hold it that long, so
    # any exit before then is the interrupt at work; 300 s only guards against a hang (a loaded
    # machine once took over 20 s, which a fixed short limit called a failure). A timer, not
    # communicate(timeout): subprocess's timed wait sleeps, which fails under libfaketime.
    hung: dict[str, str] = {}

    def stop() -> None:
        # Say what the child's signal state was (an inherited ignored or blocked SIGINT would
        # explain a hang) rather than only "timed out".
        hung.update({l.split(":")[0]: l.split(":")[1].strip() for l in open(f"/proc/{proc.pid}/status")
                     if l.startswith("Sig")})
        proc.kill()
    timer = threading.Timer(300, stop)
    timer.start()
    try:
        out, _ = proc.communicate()
    finally:
        timer.cancel()
        proc.kill()
    assert not hung, ("no exit after SIGINT", hung, dict(server.requests))
    assert proc.returncode == 130 and "interrupted" in out, out
    assert (tmp_path / "c.json").exists()


def test_a_deadline_that_cuts_the_headers_is_never_an_ok(server: Server, tmp_path: Path) -> None:
    url = f"{server.base}/stall-headers"
    cache = tmp_path / ".cache" / "links.json"
    result = checker(tmp_path, deadline=1.0, timeout=5.0, retries=0).check([url])[url]
    assert not result.ok and "no complete answer within 1 s" in result.message
    assert url not in json.loads(cache.read_text())  # and nothing cached as fine


def test_a_redirect_to_a_link_local_address_is_not_followed(server: Server, tmp_path: Path) -> None:
    # The first hop is the configured intranet (allowed); the redirect is held to the rule again.
    url = f"{server.base}/to-metadata"
    result = ExternalChecker(ExternalConfig(allow_private=False, cache_path=None)).check([url])[url]
    assert result.skipped and sum(server.requests.values()) == 0  # 127.0.0.1 itself is private here
    from generator.checks.http import HttpClient, Refused
    client = HttpClient("test", trusted_hosts=("127.0.0.1",))
    first = client.request("GET", url, time.monotonic() + 5)
    assert first.status == 302
    with pytest.raises(Refused, match="169.254.169.254 is a private"):
        client.follow(url, lambda u: client.request("GET", u, time.monotonic() + 5))


def test_a_host_is_resolved_once_and_connected_at_that_address(server: Server, tmp_path: Path, monkeypatch) -> None:
    import socket
    real = socket.getaddrinfo
    asked: list[str] = []

    def counting(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(str(host))
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    url = server.base.replace("127.0.0.1", "localhost") + "/ok"
    assert checker(tmp_path, retries=0).check([url])[url].ok
    # One lookup of the name (the address rule's); the connection is made to that address, so a
    # second answer (DNS rebinding to loopback or the metadata service) is never asked for.
    assert asked.count("localhost") == 1, asked
