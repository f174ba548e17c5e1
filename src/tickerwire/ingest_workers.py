"""Parallel ingest: worker processes read and extract files, this process writes them.

Each worker is a fresh process, the same on every platform: forked from a *fork server* (where
it exists: Linux, macOS, the BSDs), a clean process that imported this module, the story
MinHash's library (datasketch: numpy, scipy) and the extraction components once
(``tickerwire._worker_imports``), so a worker starts in milliseconds instead of importing them
again (a second or more each); on Windows a ``spawn``ed process that imports them itself. It
takes the environment of the run that started it (``WorkerSpec.environment``), opens the
database read-only and builds the pipeline once, when it first has an article to extract. It
is handed one file at a time, reads it, asks the database in one query per chunk which of its
articles are stored already with the same content, extracts only the others, prepares them
(``ingest.prepare``: every row, the search text, the story MinHash) and sends them back in
chunks. The calling process (``IngestRun``) only runs the SQL, in batched transactions, in the
order of the input files and, within a file, of its articles, so the database ends up exactly
as a one-process run would leave it (stories included).

Memory stays bounded: each worker holds at most ``_TASKS_PER_WORKER`` files, sends over a pipe
(a busy writer makes it wait), and results that arrive ahead of their turn are buffered only up
to ``_MAX_BUFFERED`` articles; past that, only the worker whose file is next is read from.

A file whose reading or extraction raises is quarantined (``worker_failed``) and the run goes
on; so is every file a worker held when it died (killed, out of memory), and a new worker
takes its place. The run never waits on a dead worker: it watches every worker's process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tickerwire.errors import SourceError, UnstorableArticleError, WorkerError
from tickerwire.extract import Pipeline
from tickerwire.ingest import IngestProgress, IngestRun, RunProgress, file_sha256, prepare
from tickerwire.model import Article, Extraction
from tickerwire.store import PreparedArticle, Store
from tickerwire.store.database import unstorable_as_error

if TYPE_CHECKING:  # ForkServerContext does not exist on Windows
    from multiprocessing.context import ForkServerContext, SpawnContext

log = logging.getLogger(__name__)

_TASKS_PER_WORKER = 2  # files handed to a worker at once: one in work, one waiting
_CHUNK = 32  # articles per message from a worker
_MAX_BUFFERED = 2000  # articles held for files whose turn to be written has not come
# What the fork server imports before it forks any worker (``__main__``: as multiprocessing's
# default, so a script's module is imported once there too).
_PRELOAD = ["__main__", "tickerwire._worker_imports"]


def _worker_context() -> ForkServerContext | SpawnContext:
    """Fork-server workers where the platform has them, else spawned ones."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A document (or one article of it) that could not be read or stored, as it travels
    between processes (``SourceError`` itself does not pickle)."""

    origin: str
    reason: str
    detail: str
    sha256: str | None = None

    def error(self) -> SourceError:
        return SourceError(self.origin, self.reason, self.detail)


@dataclass(frozen=True, slots=True)
class Unchanged:
    """Articles already stored with the same content: skipped before extraction."""

    count: int


Item = PreparedArticle | Quarantined | Unchanged


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    """What every worker needs: where the database is, the size limit, the pipeline (None: the
    standard one, built in the worker) and the environment of the run (a fork server's workers
    would otherwise see the one it started with)."""

    database: Path | str
    max_bytes: int
    pipeline: Pipeline | None = None
    environment: dict[str, str] = field(default_factory=lambda: dict(os.environ))


# --- the worker process ---------------------------------------------------------------------


def worker_main(conn: Connection, spec: WorkerSpec) -> None:
    """Serve files until told to stop (``None``) or until the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.environ.clear()
    os.environ.update(spec.environment)
    try:
        store = Store(spec.database, readonly=True)
    except Exception as exc:  # the parent reports it and stops the run
        conn.send(("broken", -1, f"{type(exc).__name__}: {exc}"))
        return
    pipeline = _Extractor(spec.pipeline)
    try:
        with store:
            conn.send(("ready", -1, None))
            while (task := conn.recv()) is not None:
                seq, path = task
                try:
                    for items in _file_items(store, pipeline, Path(path), spec.max_bytes):
                        conn.send(("items", seq, items))
                except (EOFError, BrokenPipeError, ConnectionResetError):
                    raise
                except _PipelineUnavailable as exc:
                    conn.send(("broken", seq, str(exc)))
                    return
                except Exception as exc:  # any failure is this file's reason
                    log.warning("reading %s failed: %s: %s", path, type(exc).__name__, exc)
                    detail = (f"reading or extracting it failed ({type(exc).__name__}: {exc}); "
                              "report it with the file")
                    conn.send(("items", seq, [Quarantined(path, "worker_failed", detail,
                                                          file_sha256(Path(path)))]))
                conn.send(("done", seq, None))
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return  # the parent stopped (or was killed): nothing left to do


class _PipelineUnavailable(Exception):
    """The standard pipeline could not be built in a worker."""


class _Extractor:
    """The worker's pipeline, built on first use: a run whose articles are all stored already
    (a re-ingest) never pays for building it."""

    def __init__(self, pipeline: Pipeline | None) -> None:
        self.pipeline = pipeline

    def __call__(self, article: Article) -> Extraction:
        if self.pipeline is None:
            from tickerwire.extract import build_pipeline

            try:
                self.pipeline = build_pipeline()
            except Exception as exc:
                raise _PipelineUnavailable(
                    f"building the pipeline failed ({type(exc).__name__}: {exc})") from exc
        return self.pipeline(article)


def _file_items(store: Store, pipeline: _Extractor, path: Path, max_bytes: int
                ) -> Iterator[list[Item]]:
    """What one file holds, ready to write, ``_CHUNK`` articles per list."""
    from tickerwire.sources import read_path

    digest: list[str | None] = []
    chunk: list[Article | Quarantined] = []
    for read in read_path(path, max_bytes=max_bytes):
        if isinstance(read, SourceError):
            if not digest:
                digest.append(file_sha256(path))
            chunk.append(Quarantined(read.origin, read.reason, read.detail, digest[0]))
        else:
            chunk.append(read)
        if len(chunk) >= _CHUNK:
            yield _prepare(store, pipeline, chunk)
            chunk = []
    if chunk:
        yield _prepare(store, pipeline, chunk)


def _prepare(store: Store, pipeline: _Extractor, chunk: list[Article | Quarantined]
             ) -> list[Item]:
    """Extract the articles of ``chunk`` whose content is not stored yet (one query for all)."""
    keys: dict[int, tuple[str, str]] = {}
    items: list[Item] = []
    for at, read in enumerate(chunk):
        if isinstance(read, Article):
            try:
                with unstorable_as_error(read.origin or "article"):
                    keys[at] = (read.id, read.content_hash)
            except UnstorableArticleError as exc:
                chunk[at] = Quarantined(exc.origin, exc.reason, exc.detail)
    stored = store.latest_revisions([key[0] for key in keys.values()])
    for at, read in enumerate(chunk):
        if isinstance(read, Quarantined):
            items.append(read)
            continue
        latest = stored.get(keys[at][0])
        if latest is not None and latest[1] == keys[at][1]:
            items.append(Unchanged(1))
            continue
        items.append(prepare(read, pipeline(read)))
    return items


# --- the writing process ----------------------------------------------------------------------


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    conn: Connection
    files: deque[int] = field(default_factory=deque)  # seqs handed to it, oldest first
    ready: bool = False  # it has built its pipeline and opened the database


class _Pool:
    """The workers, the files handed to each, and the results waiting for their turn."""

    def __init__(self, run: IngestRun, paths: Sequence[Path], spec: WorkerSpec, workers: int,
                 progress: RunProgress | None) -> None:
        self.run = run
        self.paths = [str(p) for p in paths]
        self.spec = spec
        self.progress = progress
        self.context = _worker_context()
        self.workers: list[_Worker] = []
        self.next_task = 0  # the next file to hand out
        self.again: deque[int] = deque()  # files a dead worker held but had not begun
        self.next_write = 0  # the file whose items are written now
        self.finished: set[int] = set()
        self.waiting: dict[int, list[Item]] = {}  # items of files ahead of their turn
        self.buffered = 0
        for _ in range(workers):
            self._start_worker()

    # -- workers ---------------------------------------------------------------------------

    def _start_worker(self) -> None:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=worker_main, args=(child, self.spec),
                                       name="tickerwire-ingest-worker", daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        self._hand_out(worker)

    def _hand_out(self, worker: _Worker) -> None:
        while len(worker.files) < _TASKS_PER_WORKER:
            if self.again:
                seq = self.again.popleft()
            elif self.next_task < len(self.paths):
                seq = self.next_task
                self.next_task += 1
            else:
                return
            worker.files.append(seq)
            worker.conn.send((seq, self.paths[seq]))

    def _pending_tasks(self) -> bool:
        return bool(self.again) or self.next_task < len(self.paths)

    def _lost(self, worker: _Worker) -> None:
        """A worker died: quarantine the file it was reading, hand the ones it had not begun
        to the others, and start a new worker in its place."""
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        self.workers.remove(worker)
        worker.conn.close()
        if not worker.ready:
            raise WorkerError(
                f"an ingest worker process stopped before it could start (exit code {code}); "
                "see the messages above, or ingest with --workers 1"
            )
        if worker.files:
            seq = worker.files.popleft()
            path = self.paths[seq]
            log.warning("the worker reading %s stopped (exit code %s)", path, code)
            detail = (f"the worker process reading it stopped (exit code {code}): the file may "
                      "need more memory than is free, or crash its reader; report it")
            self._items(seq, [Quarantined(path, "worker_failed", detail, file_sha256(Path(path)))])
            self._done(seq)
        self.again.extendleft(reversed(worker.files))
        if self._pending_tasks():
            self._start_worker()

    def stop(self, *, graceful: bool) -> None:
        """Let idle workers exit (``graceful``), or kill them at once."""
        for worker in self.workers:
            if graceful:
                with suppress(OSError):
                    worker.conn.send(None)
            else:
                worker.process.kill()
        for worker in self.workers:
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers = []

    # -- results ---------------------------------------------------------------------------

    def _items(self, seq: int, items: list[Item]) -> None:
        if seq == self.next_write:
            self._write(items)
        else:
            self.waiting.setdefault(seq, []).extend(items)
            self.buffered += len(items)

    def _done(self, seq: int) -> None:
        self.finished.add(seq)
        while self.next_write in self.finished:
            self.finished.discard(self.next_write)
            if self.progress is not None:
                self.progress(IngestProgress(self.run.read, self.next_write + 1, len(self.paths),
                                             self.paths[self.next_write]))
            self.next_write += 1
            held = self.waiting.pop(self.next_write, [])
            self.buffered -= len(held)
            self._write(held)

    def _write(self, items: list[Item]) -> None:
        for item in items:
            if isinstance(item, PreparedArticle):
                self.run.read += 1
                self.run.add(item)
            elif isinstance(item, Unchanged):
                self.run.unchanged(item.count)
            else:
                self.run.quarantine(item.error(), item.sha256)

    def _receive(self, worker: _Worker) -> None:
        try:
            kind, seq, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._lost(worker)
            return
        if kind == "items":
            self._items(seq, payload)
        elif kind == "done":
            worker.files.remove(seq)
            self._done(seq)
            self._hand_out(worker)
        elif kind == "ready":
            worker.ready = True
        else:  # "broken": it could not build the pipeline or open the database
            raise WorkerError(f"an ingest worker process could not start: {payload}")

    def _head(self) -> _Worker | None:
        """The worker holding the file written now."""
        return next((w for w in self.workers if self.next_write in w.files), None)

    def run_all(self) -> None:
        while self.next_write < len(self.paths):
            head = self._head() if self.buffered >= _MAX_BUFFERED else None
            listening = [head] if head is not None else list(self.workers)
            sources: list[Any] = [w.conn for w in listening]
            sources += [w.process.sentinel for w in self.workers]
            ready = set(wait(sources, timeout=self.run.seconds_left()))
            for worker in list(listening):
                if worker.conn in ready and worker in self.workers:
                    self._receive(worker)
            for worker in list(self.workers):
                if worker.process.sentinel in ready and worker in self.workers:
                    while worker in self.workers and worker.conn.poll():
                        self._receive(worker)  # what it sent before it died is kept
                    if worker in self.workers:
                        self._lost(worker)
            self.run.flush_if_due()


def ingest_in_workers(
    run: IngestRun,
    paths: Sequence[Path],
    *,
    pipeline: Pipeline | None,
    max_bytes: int,
    workers: int,
    progress: RunProgress | None = None,
) -> None:
    """Read and extract ``paths`` in ``workers`` processes and write them through ``run``."""
    spec = WorkerSpec(run.store.target, max_bytes, pipeline)
    pool = _Pool(run, paths, spec, workers, progress)
    graceful = False
    try:
        pool.run_all()
        graceful = True
    finally:
        pool.stop(graceful=graceful)


__all__ = ["Quarantined", "Unchanged", "WorkerSpec", "ingest_in_workers", "worker_main"]
