"""Markdown conversion of a one-off build shared with forked worker processes.

MkDocs converts every page, one after another, in one process; at 1,000 topics that is
two thirds of a build (bench/build.py). The plugin deals the pages out once the navigation is
known (`start`, from on_nav): every other page, by size, to a worker slot, one per extra
core. A worker is a fork of the build, so it converts its pages with exactly the same config,
files, plugins and extensions, through MkDocs' own `Page.render`. The build process converts
the rest as usual and, for a page a worker owns, renders an empty string and takes the
worker's result instead (`take`, from on_page_content). A worker sends back everything
`render` leaves on a page: the HTML, the table of contents, the title from the first
heading, the anchors, and the log records (warnings count in strict mode) in the order they
were emitted. So the built site is byte-identical to a build in one process
(site_tests/test_page_workers.py).

Memory: a fork shares the build's memory until either process writes to it, and both write
all the time (reference counts, new objects in half-used blocks), so a long-lived worker
ends up with a private copy of most of the build. A worker therefore converts one batch,
about a sixteenth of its slot's pages, and exits; the build forks the next one, sharing what
the build holds by then. The build process reads the results itself, between pages, so no
thread runs when it forks.

A page whose worker failed or died is converted by the build process itself, so an error
is reported there with MkDocs' own message. Only used where forking is safe: a POSIX
system, no other thread running, and not during `mkdocs serve`.
"""
from __future__ import annotations

import fcntl
import gc
import logging
import os
import pickle
import select
import sys
import threading
import traceback
from collections import deque
from dataclasses import dataclass, field

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

BATCHES = 16  # per worker slot: a worker's private memory grows with the pages it converts
PIPE_BYTES = 1 << 20  # a worker rarely waits for the build to read: pages arrive between its pages
FRAME = 8  # bytes of the length before each message
_exit = os._exit  # a worker's way out, whatever a plugin does to the os module


def fork_safe() -> bool:
    """Whether this process may fork: a POSIX system and no other thread (a thread holding a
    lock at the fork would leave it held in the child forever)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def available_processes(wanted: int) -> int:
    """Processes in all: `wanted`, or with 0 one per core this process may run on."""
    if not hasattr(os, "fork"):
        return 1
    if wanted > 0:
        return wanted
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


@dataclass
class Converted:
    """What `Page.render` left on one page in a worker."""
    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None  # by the src_uri of the page linked to
    records: list[logging.LogRecord]


class _Capture(logging.Handler):
    """In a worker: keeps the records that would have reached any handler, once each."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def handle(self, record: logging.LogRecord) -> bool:
        if not self.records or self.records[-1] is not record:  # propagated to a second logger
            self.records.append(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:  # pragma: no cover - handle() is overridden
        pass


def _portable(record: logging.LogRecord) -> logging.LogRecord:
    """A record that pickles: its message formatted, a traceback as text."""
    record.msg, record.args = record.getMessage(), None
    if record.exc_info:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        record.exc_info = None
    return record


def _share(files: list[File], processes: int) -> list[list[File]]:
    """Pages dealt in order to whichever process has the fewest bytes so far: even shares,
    interleaved, so the build process rarely waits for a page."""
    shares: list[list[File]] = [[] for _ in range(processes)]
    loads = [0] * processes
    for file in files:
        i = loads.index(min(loads))
        shares[i].append(file)
        loads[i] += len(file.content_string) if file.generated_by else os.path.getsize(file.abs_src_path or "")
    return shares


@dataclass
class _Running:
    """One worker: its process, the read end of its pipe, bytes not yet a whole message."""
    pid: int
    fd: int
    batch: int
    buffer: bytearray = field(default_factory=bytearray)


class PageWorkers:
    """Forked workers converting their share of the pages; the build process takes the results."""

    def __init__(self, files: Files, config: MkDocsConfig, shares: list[list[File]]) -> None:
        self._files, self._config = files, config
        # A worker forked mid-build holds a copy of this object (the plugin's): there, it owns nothing.
        self._build_pid = os.getpid()
        self._queues: list[deque[list[File]]] = []
        self._owner: dict[str, tuple[int, int]] = {}  # src_uri -> (slot, batch)
        for slot, share in enumerate(shares):
            size = max(1, -(-len(share) // BATCHES))
            batches = [share[i:i + size] for i in range(0, len(share), size)]
            self._queues.append(deque(batches))
            for number, batch in enumerate(batches):
                for file in batch:
                    self._owner[file.src_uri] = (slot, number)
        self._started = [0] * len(shares)  # batches forked so far, per slot
        self._running: dict[int, _Running] = {}
        self._results: dict[str, Converted | None] = {}

    @classmethod
    def start(cls, pages: list[File], files: Files, config: MkDocsConfig, processes: int) -> PageWorkers | None:
        """Deal `pages` to `processes - 1` worker slots and fork their first workers; None where
        that is not safe or useful."""
        if processes < 2 or len(pages) < 2 or not fork_safe():
            return None
        self = cls(files, config, _share(pages, processes)[1:])
        for slot in range(len(self._queues)):
            self._fork(slot)
        return self

    def owns(self, page: Page) -> bool:
        return os.getpid() == self._build_pid and page.file.src_uri in self._owner

    def _fork(self, slot: int) -> bool:
        """Start the slot's next batch; False when none is left."""
        if not self._queues[slot]:
            return False
        batch = self._queues[slot].popleft()
        try:
            read_fd, write_fd = os.pipe()
        except OSError:  # out of file descriptors: the build converts this slot's pages itself
            self._queues[slot].clear()
            return False
        try:
            fcntl.fcntl(write_fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
        except OSError:
            pass  # the system's default pipe size: the worker waits for reads more often
        sys.stdout.flush()
        sys.stderr.flush()
        # The collector leaves everything the build holds now alone until the workers are done,
        # in both processes: a collection writes to each object it visits, which would copy
        # the memory the processes share. Only what is garbage at this moment waits for close().
        gc.collect(1)
        gc.freeze()
        try:
            pid = os.fork()
        except OSError:  # a process limit: the build converts the rest of this slot's pages itself
            os.close(read_fd)
            os.close(write_fd)
            self._queues[slot].clear()
            return False
        if pid == 0:  # the worker
            try:
                os.close(read_fd)
                for other in self._running.values():
                    os.close(other.fd)
                _work(batch, self._files, self._config, write_fd)
            finally:  # never back into the build's own code: that would run the build twice
                _exit(1)
        os.close(write_fd)
        os.set_blocking(read_fd, False)
        self._running[slot] = _Running(pid, read_fd, self._started[slot])
        self._started[slot] += 1
        return True

    def poll(self) -> None:
        """Read what the workers have sent; fork the next batch where a worker has finished.
        Called between pages (on_page_markdown), from the build's only thread."""
        if os.getpid() == self._build_pid:
            self._poll()

    def _poll(self) -> None:
        for slot, running in list(self._running.items()):
            if self._read(running):
                os.close(running.fd)
                os.waitpid(running.pid, 0)
                del self._running[slot]
                self._fork(slot)

    def _read(self, running: _Running) -> bool:
        """Take in the complete messages waiting in a worker's pipe; True at its end."""
        ended = False
        while True:
            try:
                chunk = os.read(running.fd, PIPE_BYTES)
            except BlockingIOError:
                break
            if not chunk:
                ended = True
                break
            running.buffer += chunk
        buffer = running.buffer
        while len(buffer) >= FRAME:
            size = int.from_bytes(buffer[:FRAME], "big")
            if len(buffer) < FRAME + size:
                break
            try:
                uri, result = pickle.loads(bytes(buffer[FRAME:FRAME + size]))
                self._results[uri] = result
            except Exception:
                pass  # a page without a result is converted by the build process
            del buffer[:FRAME + size]
        return ended

    def take(self, page: Page, files: Files) -> str | None:
        """The worker's HTML for `page`, with the rest of what rendering sets put on the page
        and its log records emitted here; None: convert it here (its worker could not)."""
        uri = page.file.src_uri
        slot, batch = self._owner.pop(uri)
        while uri not in self._results:
            running = self._running.get(slot)
            if running is None:
                if self._started[slot] > batch or not self._fork(slot):
                    break  # its worker ended without it
            elif running.batch > batch:
                break
            else:
                select.select([running.fd], [], [])
                self._poll()
        result = self._results.pop(uri, None)
        if result is None:
            return None
        page.toc = result.toc
        page._title_from_render = result.title  # what Page.render sets; read by Page.title
        page.present_anchor_ids = result.anchors
        if result.links is not None:
            page.links_to_anchors = {target: links for uri, links in result.links.items()
                                     if (target := files.get_file_from_path(uri)) is not None}
        for record in result.records:
            logging.getLogger(record.name).handle(record)
        return result.content

    def close(self) -> None:
        """Wait for the workers (they have sent everything once the pages are taken)."""
        self._finish(kill=False)

    def abort(self) -> None:
        """Stop the workers: the build failed."""
        self._finish(kill=True)

    def _finish(self, kill: bool) -> None:
        for running in self._running.values():
            if kill:
                try:
                    os.kill(running.pid, 9)
                except ProcessLookupError:
                    pass
            os.close(running.fd)
            os.waitpid(running.pid, 0)
        self._running.clear()
        for queue in self._queues:
            queue.clear()
        gc.unfreeze()


def _work(share: list[File], files: Files, config: MkDocsConfig, write_fd: int) -> None:
    """Convert `share` as MkDocs' build would (mkdocs/commands/build.py: _populate_page, up
    to render), send each result, exit. Plugins' events before render run here and again in
    the build process; only rendering's own log records are sent, so none is counted twice."""
    status = 0
    try:
        capture = _Capture()
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger) and logger.handlers:
                logger.handlers = [capture]
        with os.fdopen(write_fd, "wb") as out:
            for file in share:
                result: Converted | None = None
                page = file.page or Page(None, file, config)
                try:
                    config._current_page = page
                    page = config.plugins.on_pre_page(page, config=config, files=files)
                    page.read_source(config)
                    page.markdown = config.plugins.on_page_markdown(page.markdown or "", page=page,
                                                                    config=config, files=files)
                    del capture.records[:]
                    page.render(config, files)
                    links = page.links_to_anchors
                    result = Converted(
                        content=page.content or "", toc=page.toc, title=page._title_from_render,
                        anchors=page.present_anchor_ids,
                        links=None if links is None else {f.src_uri: v for f, v in links.items()},
                        records=[_portable(r) for r in capture.records])
                except Exception:  # the build process converts it again and reports the error
                    result = None
                finally:
                    config._current_page = None
                page.markdown = page.content = None  # sent: the worker's copy is not needed
                try:
                    message = pickle.dumps((file.src_uri, result), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # something a plugin put in the toc or a record does not pickle
                    message = pickle.dumps((file.src_uri, None), protocol=pickle.HIGHEST_PROTOCOL)
                out.write(len(message).to_bytes(FRAME, "big") + message)
                out.flush()
    except BaseException:  # a closed pipe: the build stopped
        status = 1
    finally:
        os._exit(status)


def convert_here(page: Page, markdown: str, config: MkDocsConfig, files: Files) -> str:
    """Convert a page the worker could not, as MkDocs would have."""
    page.markdown = markdown
    page.render(config, files)
    return page.content or ""

