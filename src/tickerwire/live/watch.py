"""``Watcher``: follow folders and feeds, ingest what arrives, fire and deliver alerts.

Three threads, each with its own store connection (SQLite in WAL mode: one writer at a time,
readers never blocked, so ``tickerwire serve`` can run beside it on the same file):

- the folder thread (``watchfiles``) queues files that are added or changed;
- the feed thread polls the feeds that are due and queues what they return;
- the main thread takes the queue, ingests, saves feed state, runs the alert engine (also on a
  timer, to see articles other processes store) and wakes the delivery thread, which sends
  pending alerts.

Nothing is lost or doubled across a stop at any moment: at start every watched file is ingested
again (ingest skips what it stored before), feed validators are saved only after their body is
ingested, and alerts are recorded with the engine's cursor in one transaction and delivered from
the store's outbox. ``stop`` (set on SIGINT/SIGTERM by the CLI) ends every thread.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import httpx

from tickerwire.errors import InvalidInputError
from tickerwire.extract import Pipeline, build_pipeline
from tickerwire.ingest import IngestSummary, ingest_articles, ingest_paths
from tickerwire.live.alerting import AlertEngine
from tickerwire.live.conditions import Signals
from tickerwire.live.deliveries import Deliverer, build_senders, check_channels
from tickerwire.live.feeds import FeedPoller, FeedsConfig, FeedSpec, Fetched
from tickerwire.live.rules import AlertsConfig
from tickerwire.sources import read_bytes
from tickerwire.store import FeedState, Store

log = logging.getLogger(__name__)

_SKIPPED_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".swp", ".swx", "~")
_WATCH_READY_SECONDS = 30.0
_SKIPPED_NAMES = frozenset({"readme", "readme.md", "readme.markdown", "readme.txt"})


@dataclass(slots=True)
class WatchSummary:
    """What a watcher did, for its final log line and for tests."""

    files: int = 0
    polls: int = 0
    poll_failures: int = 0
    new: int = 0
    revised: int = 0
    unchanged: int = 0
    quarantined: int = 0
    alerts: int = 0
    errors: list[str] = field(default_factory=list)  # threads that failed (the watcher stopped)

    def add(self, summary: IngestSummary) -> None:
        self.new += summary.new
        self.revised += summary.revised
        self.unchanged += summary.unchanged
        self.quarantined += summary.quarantined


@dataclass(frozen=True, slots=True)
class _Files:
    paths: tuple[Path, ...]


def watched_file(path: Path) -> bool:
    """Whether a path inside a watched folder (relative to it) is news to ingest: not hidden or
    in a hidden folder, not temporary, not a README."""
    if any(part.startswith(".") for part in path.parts):
        return False
    name = path.name.lower()
    return name not in _SKIPPED_NAMES and not name.endswith(_SKIPPED_SUFFIXES)


class Watcher:
    def __init__(
        self,
        db_path: Path,
        *,
        folders: Sequence[Path] = (),
        feeds: FeedsConfig | None = None,
        alerts: AlertsConfig | None = None,
        max_bytes: int,
        signals: Signals | None = None,
        stream: TextIO | None = None,
        backlog: bool = False,
        tick: float = 1.0,
        pipeline: Pipeline | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        missing = [str(f) for f in folders if not Path(f).is_dir()]
        if missing:
            raise InvalidInputError(f"not a folder: {', '.join(missing)}; check the path")
        if not folders and (feeds is None or not feeds.feeds):
            raise InvalidInputError("nothing to watch: give a folder or --feeds FILE with feeds")
        self.db_path = db_path
        self.folders = tuple(Path(f) for f in folders)
        self.feeds = feeds or FeedsConfig()
        self.alerts = alerts or AlertsConfig()
        check_channels(self.alerts.channels)
        self.max_bytes = max_bytes
        self.signals = signals  # None: what claim verification and stories stored
        self.stream = stream or sys.stdout
        self.backlog = backlog
        self.tick = tick
        self.pipeline = pipeline
        self.client = client
        self.stop = threading.Event()
        self.summary = WatchSummary()
        self.started = threading.Event()  # set once the start-up scan is done and threads run
        self._queue: queue.Queue[_Files | tuple[FeedSpec, Fetched]] = queue.Queue()
        self._wake = threading.Event()
        self._watching = threading.Event()

    # -- the whole run --------------------------------------------------------------------

    def run(self, *, once: bool = False) -> WatchSummary:
        """Watch until ``stop`` is set; with ``once``, take what is there now and return."""
        client = self.client or httpx.Client(headers={"Accept-Encoding": "gzip, deflate"})
        try:
            with Store(self.db_path) as store:
                self._run(store, client, once=once)
        finally:
            if self.client is None:
                client.close()
        return self.summary

    def _run(self, store: Store, client: httpx.Client, *, once: bool) -> None:
        pipeline = self.pipeline or build_pipeline()
        engine = AlertEngine(store, self.alerts, signals=self.signals, backlog=self.backlog)
        engine.run()  # places the cursor before the start-up scan on a first run
        poller = FeedPoller(self.feeds, client, max_bytes=self.max_bytes)
        states = store.feed_states()
        if once:
            self._scan(store, pipeline)
            for feed in poller.due(states, _now()) if self.feeds.feeds else ():
                self._take_feed(store, pipeline, feed, poller.poll(feed, states.get(feed.url), _now()))
            self.summary.alerts += len(engine.run())
            self._deliverer(store, client).deliver_pending()
            return
        threads = [threading.Thread(target=self._deliver_loop, args=(client,), name="deliver")]
        if self.folders:
            threads.append(threading.Thread(target=self._folder_loop, name="folders"))
        if self.feeds.feeds:
            threads.append(threading.Thread(target=self._feed_loop, args=(poller, states),
                                            name="feeds"))
        for thread in threads:
            thread.start()
        try:
            # Scan once the folders are watched: a file landing in between is seen twice (the
            # second time skipped as unchanged), never missed.
            if self.folders and not self._folders_watched():
                return
            self._scan(store, pipeline)
            self._main_loop(store, pipeline, engine)
        finally:
            self.stop.set()
            self._wake.set()
            for thread in threads:
                thread.join()
            log.info("watch stopped: %d new, %d revised, %d quarantined, %d alerts",
                     self.summary.new, self.summary.revised, self.summary.quarantined,
                     self.summary.alerts)

    def _inside(self, path: Path) -> Path:
        """``path`` relative to the watched folder holding it."""
        for folder in self.folders:
            for base in (folder, folder.resolve()):
                if path.is_relative_to(base):
                    return path.relative_to(base)
        return Path(path.name)

    def _folders_watched(self) -> bool:
        """Wait until the folder thread watches the folders; False if the watcher stopped."""
        deadline = time.monotonic() + _WATCH_READY_SECONDS
        while not self._watching.wait(0.05):
            if self.stop.is_set():
                return False
            if time.monotonic() > deadline:
                raise InvalidInputError(
                    f"the folders could not be watched within {_WATCH_READY_SECONDS:.0f} s; "
                    "check that they are on a local file system")
        return True

    def _scan(self, store: Store, pipeline: Pipeline) -> None:
        """Ingest every watched file (those stored before are skipped as unchanged)."""
        if self.folders:
            self._ingest_files(store, pipeline, [p for f in self.folders for p in _walk(f)])

    def _main_loop(self, store: Store, pipeline: Pipeline, engine: AlertEngine) -> None:
        self._fire(engine)
        self.started.set()
        while not self.stop.is_set():
            try:
                item = self._queue.get(timeout=self.tick)
            except queue.Empty:
                self._fire(engine)  # articles other processes stored, rules added over the API
                continue
            if isinstance(item, _Files):
                self._ingest_files(store, pipeline, item.paths)
            else:
                self._take_feed(store, pipeline, *item)
            if self._queue.empty():
                self._fire(engine)

    def _fire(self, engine: AlertEngine) -> None:
        fired = engine.run()
        if fired:
            self.summary.alerts += len(fired)
            self._wake.set()

    # -- ingest ---------------------------------------------------------------------------

    def _ingest_files(self, store: Store, pipeline: Pipeline, paths: Sequence[Path]) -> None:
        present = [str(p) for p in paths if p.is_file()]
        if not present:
            return
        summary = ingest_paths(store, present, pipeline=pipeline, max_bytes=self.max_bytes)
        self.summary.files += len(present)
        self.summary.add(summary)
        if summary.new or summary.revised or summary.quarantined:
            log.info("files: %d read, %d new, %d revised, %d quarantined", len(present),
                     summary.new, summary.revised, summary.quarantined)

    def _take_feed(self, store: Store, pipeline: Pipeline, feed: FeedSpec, fetched: Fetched) -> None:
        self.summary.polls += 1
        if fetched.state.failures:
            self.summary.poll_failures += 1
        if fetched.body is not None:
            items = read_bytes(fetched.body, origin=feed.url, filename=fetched.filename,
                               max_bytes=self.max_bytes)
            summary = ingest_articles(store, items, pipeline=pipeline)
            self.summary.add(summary)
            if summary.new or summary.revised or summary.quarantined:
                log.info("feed %s: %d new, %d revised, %d unchanged, %d quarantined", feed.label,
                         summary.new, summary.revised, summary.unchanged, summary.quarantined)
        store.save_feed_state(fetched.state)  # only now: a stop before this refetches the feed

    # -- the other threads ----------------------------------------------------------------

    def _folder_loop(self) -> None:
        import watchfiles

        def wanted(change: watchfiles.Change, path: str) -> bool:
            return change != watchfiles.Change.deleted and watched_file(self._inside(Path(path)))

        def loop() -> None:
            for changes in watchfiles.watch(*self.folders, watch_filter=wanted, stop_event=self.stop,
                                            debounce=400, step=30, rust_timeout=200,
                                            yield_on_timeout=True, raise_interrupt=False):
                self._watching.set()  # the first (empty) yield: the folders are being watched
                if changes:
                    self._queue.put(_Files(tuple(sorted({Path(path) for _, path in changes}))))

        self._guard("folders", loop)

    def _feed_loop(self, poller: FeedPoller, states: dict[str, FeedState]) -> None:
        def loop() -> None:
            while not self.stop.is_set():
                for feed in poller.due(states, _now()):
                    if self.stop.is_set():
                        return
                    fetched = poller.poll(feed, states.get(feed.url), _now())
                    states[feed.url] = fetched.state
                    self._queue.put((feed, fetched))
                self.stop.wait(_seconds_to_next(states, self.tick))

        self._guard("feeds", loop)

    def _deliver_loop(self, client: httpx.Client) -> None:
        def loop() -> None:
            with Store(self.db_path) as store:
                deliverer = self._deliverer(store, client)
                while not self.stop.is_set():
                    deliverer.deliver_pending()
                    self._wake.wait(self.tick)
                    self._wake.clear()

        self._guard("deliveries", loop)

    def _deliverer(self, store: Store, client: httpx.Client) -> Deliverer:
        senders = build_senders(self.alerts.channels, stream=self.stream, client=client)
        return Deliverer(store, senders, stop=self.stop)

    def _guard(self, name: str, work: Callable[[], object]) -> None:
        """Run a thread's loop; if it dies, log why and stop the whole watcher."""
        try:
            work()
        except Exception as exc:  # a thread's failure must stop the watcher, not hang it
            log.exception("watch: the %s thread failed", name)
            self.summary.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            self.stop.set()


@contextmanager
def watching(watcher: Watcher) -> Iterator[WatchSummary]:
    """Run ``watcher`` in a background thread for the duration of the block, then stop it and
    wait for it (``tickerwire serve --watch``: the server keeps the main thread and its signal
    handlers). A watcher that fails is logged and ends the watching, not the block."""

    def run() -> None:
        try:
            watcher.run()
        except Exception as exc:  # recorded in the summary: the server goes on without it
            log.exception("watch: the watcher failed")
            watcher.summary.errors.append(f"watch: {type(exc).__name__}: {exc}")

    thread = threading.Thread(target=run, name="watch")
    thread.start()
    try:
        yield watcher.summary
    finally:
        watcher.stop.set()
        thread.join()


def _walk(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and watched_file(p.relative_to(folder)))


def _now() -> datetime:
    return datetime.now(UTC)


def _seconds_to_next(states: dict[str, FeedState], tick: float) -> float:
    now = _now()
    waits = [(s.next_poll_at - now).total_seconds() for s in states.values() if s.next_poll_at]
    return max(0.05, min([tick, *waits]))
