"""Markdown conversion of a one-off build shared with forked worker processes.

MkDocs converts every page, one after another, in one process; at 1,000 topics that is
two thirds of a build (bench/build.py). The plugin forks workers once the navigation is
known (`start`, from on_nav): a worker is a copy of the build at that moment, so it converts
its share of the pages with exactly the same config, files, plugins and extensions, through
MkDocs' own `Page.render`. The build process converts the rest as usual and, for a page a
worker owns, renders an empty string and takes the worker's result instead (`take`, from
on_page_content). What a worker sends back is everything `render` leaves on a page: the
HTML, the table of contents, the title from the first heading, the anchors, and the log
records (warnings count in strict mode) in the order they were emitted. So the built site
is byte-identical to a build in one process (site_tests/test_page_workers.py).

A page whose worker failed or died is converted by the build process itself, so an error
is reported there with MkDocs' own message. Only used where forking is safe: a POSIX
system, more than one core, no other thread running, and not during `mkdocs serve`.
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import threading
import traceback
from dataclasses import dataclass
from typing import IO

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents


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
        loads[i] += len(file.content_bytes) if file.generated_by else os.path.getsize(file.abs_src_path or "")
    return shares


class PageWorkers:
    """Forked workers converting their share of the pages; the build process takes the results."""

    def __init__(self) -> None:
        self._owner: dict[str, int] = {}  # src_uri -> worker index
        self._results: dict[str, Converted | None] = {}
        self._done: set[int] = set()
        self._ready = threading.Condition()
        self._pids: list[int] = []
        self._readers: list[threading.Thread] = []

    @classmethod
    def start(cls, pages: list[File], files: Files, config: MkDocsConfig, processes: int) -> PageWorkers | None:
        """Fork `processes - 1` workers for `pages`, or None where that is not safe or useful."""
        if processes < 2 or len(pages) < 2 or threading.active_count() > 1:
            return None
        self = cls()
        shares = _share(pages, processes)
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # objects inherited from the build stay shared instead of copied by the collector
        try:
            for index, share in enumerate(shares[1:]):
                read_fd, write_fd = os.pipe()
                pid = os.fork()
                if pid == 0:  # the worker: never returns
                    os.close(read_fd)
                    _work(share, files, config, write_fd)
                os.close(write_fd)
                self._pids.append(pid)
                for file in share:
                    self._owner[file.src_uri] = index
                reader = threading.Thread(target=self._read, args=(index, os.fdopen(read_fd, "rb")), daemon=True)
                reader.start()
                self._readers.append(reader)
        finally:
            gc.unfreeze()
        return self

    def owns(self, page: Page) -> bool:
        return page.file.src_uri in self._owner

    def take(self, page: Page, files: Files) -> str | None:
        """The worker's HTML for `page`, with the rest of what rendering sets put on the page
        and its log records emitted here; None: convert it here (the worker could not)."""
        uri = page.file.src_uri
        worker = self._owner.pop(uri)
        with self._ready:
            self._ready.wait_for(lambda: uri in self._results or worker in self._done)
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

    def _read(self, index: int, stream: IO[bytes]) -> None:
        try:
            with stream:
                while True:
                    try:
                        uri, result = pickle.load(stream)
                    except Exception:  # EOF: the worker is done (or died mid-message)
                        return
                    with self._ready:
                        self._results[uri] = result
                        self._ready.notify_all()
        finally:
            with self._ready:
                self._done.add(index)
                self._ready.notify_all()

    def close(self) -> None:
        """Wait for the workers (they have sent everything once the pages are taken)."""
        self._finish(kill=False)

    def abort(self) -> None:
        """Stop the workers: the build failed."""
        self._finish(kill=True)

    def _finish(self, kill: bool) -> None:
        for pid in self._pids:
            if kill:
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
            os.waitpid(pid, 0)
        for reader in self._readers:
            reader.join()
        self._pids, self._readers = [], []


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
                out.write(message)
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

