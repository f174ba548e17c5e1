"""Ingest: read documents, extract, and write them to the store in batched transactions.

Idempotent (an article already stored with the same content is skipped before extraction) and
crash-safe (a batch of articles and their extractions is committed together, so a killed run can
simply be run again: what was committed is skipped, the rest is written). A document that cannot
be read, or an article holding a value the store cannot keep, is quarantined with its reason and
the batch goes on; only a database that cannot be written at all (``StoreError``) stops the run.

``ingest_paths(..., workers=N)`` reads and extracts in N worker processes and writes here, in
the order of the inputs (``tickerwire.ingest_workers``); ``workers=1`` does everything in this
process. Either way the database ends up the same.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tickerwire.errors import SourceError, UnstorableArticleError
from tickerwire.extract import Pipeline, build_pipeline
from tickerwire.insights.stories import StoryAssigner, regroup_stories
from tickerwire.insights.story_match import text_minhash
from tickerwire.model import Article, Extraction
from tickerwire.sources import expand_inputs, read_path
from tickerwire.store import IngestOutcome, PreparedArticle, Store, prepare_article
from tickerwire.store.database import unstorable_as_error

log = logging.getLogger(__name__)

# A batch is written when it holds this many articles, or when its first article has waited
# this long (so a slow trickle of news is still committed within about a second).
BATCH_ARTICLES = 250
BATCH_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class IngestProgress:
    """Where a run is: articles read so far and files done, of how many."""

    articles: int
    files_done: int
    files: int
    current: str


Progress = Callable[[str], None]  # reprocess: called with each article id
RunProgress = Callable[[IngestProgress], None]  # ingest: called as each file is done


@dataclass(slots=True)
class IngestSummary:
    """Counts of what one ingest run did."""

    new: int = 0
    unchanged: int = 0
    revised: int = 0
    quarantined: int = 0
    errors: list[SourceError] = field(default_factory=list)
    elapsed_seconds: float = 0.0

    @property
    def articles(self) -> int:
        """Articles read successfully (new, unchanged or revised)."""
        return self.new + self.unchanged + self.revised

    @property
    def articles_per_second(self) -> float | None:
        if self.elapsed_seconds <= 0:
            return None
        return self.articles / self.elapsed_seconds

    def record(self, outcome: IngestOutcome) -> None:
        if outcome.status == "new":
            self.new += 1
        elif outcome.status == "revised":
            self.revised += 1
        else:
            self.unchanged += 1


def prepare(article: Article, extraction: Extraction) -> PreparedArticle:
    """``article`` and its extraction with everything the writer needs that does not need the
    database (``store.prepare_article``: ids, search text, rows) and the MinHash story matching
    reads, so that a parallel ingest computes it all in its workers and leaves the one writer
    only SQL. One process or many, articles are prepared here."""
    return prepare_article(article, extraction, minhash=text_minhash(article.text))


class IngestRun:
    """The writing side of an ingest: collects extracted articles into batches and writes each
    batch in one transaction (stories assigned in it); counts and quarantines as it goes.

    ``ingest_paths``/``ingest_articles`` feed it in this process; ``ingest_workers`` feeds it
    what its worker processes extracted.
    """

    def __init__(
        self,
        store: Store,
        *,
        batch_articles: int = BATCH_ARTICLES,
        batch_seconds: float = BATCH_SECONDS,
    ) -> None:
        self.store = store
        self.stories = StoryAssigner(store)
        self.summary = IngestSummary()
        self.started = time.perf_counter()
        self.batch_articles = max(1, batch_articles)
        self.batch_seconds = batch_seconds
        self.pending: list[PreparedArticle] = []
        self.pending_since = 0.0
        self.read = 0  # articles handed in (prepared, unchanged or unstorable)

    def extract(self, article: Article, pipeline: Pipeline) -> None:
        """Extract ``article`` here unless its latest stored revision has the same content."""
        self.read += 1
        try:
            with unstorable_as_error(article.origin or "article"):
                key = article.id, article.content_hash
                latest = self.store.latest_revision(key[0])
        except UnstorableArticleError as exc:
            self.unstorable(exc)
            return
        if latest is not None and latest[1] == key[1]:
            self.summary.unchanged += 1  # skip extraction: nothing would be written
            return
        self.add(prepare(article, pipeline(article)))

    def add(self, entry: PreparedArticle) -> None:
        """Queue an extracted article; the batch is written once it is full or old enough."""
        if not self.pending:
            self.pending_since = time.monotonic()
        self.pending.append(entry)
        if len(self.pending) >= self.batch_articles or self.seconds_left() == 0.0:
            self.flush()

    def unchanged(self, count: int = 1) -> None:
        """Articles skipped before extraction (their content is stored already)."""
        self.read += count
        self.summary.unchanged += count

    def seconds_left(self) -> float | None:
        """How long the pending batch may still wait (None when nothing is pending)."""
        if not self.pending:
            return None
        return max(0.0, self.pending_since + self.batch_seconds - time.monotonic())

    def flush_if_due(self) -> None:
        if self.pending and self.seconds_left() == 0.0:
            self.flush()

    def flush(self) -> None:
        """Write the pending articles in one transaction."""
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        for result in self.store.ingest_batch(batch, assigner=self.stories):
            if isinstance(result, UnstorableArticleError):
                self.unstorable(result)
            else:
                self.summary.record(result)

    def unstorable(self, exc: UnstorableArticleError) -> None:
        self.quarantine(SourceError(exc.origin, exc.reason, exc.detail), None)

    def quarantine(self, error: SourceError, sha256: str | None) -> None:
        log.info("quarantined %s: %s: %s", error.origin, error.reason, error.detail)
        self.store.quarantine(error.origin, error.reason, error.detail, sha256=sha256)
        self.summary.quarantined += 1
        self.summary.errors.append(error)

    def finish(self) -> IngestSummary:
        self.flush()
        self.summary.elapsed_seconds = time.perf_counter() - self.started
        return self.summary


def ingest_articles(
    store: Store,
    items: Iterable[Article | SourceError],
    *,
    pipeline: Pipeline | None = None,
    batch_articles: int = BATCH_ARTICLES,
    batch_seconds: float = BATCH_SECONDS,
) -> IngestSummary:
    """Ingest already-read items (stdin, API uploads, feeds); errors go to the quarantine.

    A batch is written once it holds ``batch_articles`` or, when the next item arrives, once
    it is ``batch_seconds`` old; the rest when the items end."""
    active = pipeline if pipeline is not None else build_pipeline()
    run = IngestRun(store, batch_articles=batch_articles, batch_seconds=batch_seconds)
    for item in items:
        run.flush_if_due()
        if isinstance(item, SourceError):
            run.quarantine(item, None)
        else:
            run.extract(item, active)
    return run.finish()


def ingest_paths(
    store: Store,
    inputs: Sequence[str],
    *,
    pipeline: Pipeline | None = None,
    max_bytes: int,
    progress: RunProgress | None = None,
    workers: int = 1,
    batch_articles: int = BATCH_ARTICLES,
) -> IngestSummary:
    """Ingest files, folders and globs, in ``workers`` processes (1: all in this one).

    ``progress`` is called as files are done. With several workers, ``pipeline`` (default: the
    standard one, built by each worker) is sent to every worker, so it must be picklable.
    Raises ``InvalidInputError`` before anything is written when an input does not exist.
    """
    paths = list(expand_inputs(inputs))
    run = IngestRun(store, batch_articles=batch_articles)
    if workers > 1 and len(paths) > 1:
        from tickerwire.ingest_workers import ingest_in_workers

        ingest_in_workers(run, paths, pipeline=pipeline, max_bytes=max_bytes,
                          workers=min(workers, len(paths)), progress=progress)
        return run.finish()
    active = pipeline if pipeline is not None else build_pipeline()
    for done, path in enumerate(paths):
        digest = _FileDigest(path)
        try:
            for item in read_path(path, max_bytes=max_bytes):
                run.flush_if_due()
                if isinstance(item, SourceError):
                    run.quarantine(item, digest())
                else:
                    run.extract(item, active)
        except SourceError as exc:  # a reader that raises instead of yielding
            run.quarantine(exc, digest())
        if progress is not None:
            progress(IngestProgress(run.read, done + 1, len(paths), str(path)))
    return run.finish()


class _FileDigest:
    """SHA-256 of a file, computed at most once and only when an error needs it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.value: str | None = None
        self.done = False

    def __call__(self) -> str | None:
        if not self.done:
            self.done = True
            self.value = file_sha256(self.path)
        return self.value


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file's bytes (None when it cannot be read): how the quarantine tells
    contents apart."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def reprocess(
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> int:
    """Re-extract current revisions whose extraction is missing or from another pipeline version
    (every current revision with ``force``). Adds extraction rows; older ones are kept for
    ``as_of`` queries. Returns how many articles were re-extracted.
    """
    active = pipeline if pipeline is not None else build_pipeline()
    stale_unless = None if force else active.version
    done = 0
    for article_id, revision, article in store.iter_current(unless_version=stale_unless):
        if progress is not None:
            progress(article_id)
        store.save_extraction(article_id, revision, active(article))
        done += 1
    if done:
        regroup_stories(store)  # stories follow the new facts
    return done


__all__ = [
    "IngestProgress",
    "IngestRun",
    "IngestSummary",
    "file_sha256",
    "ingest_articles",
    "ingest_paths",
    "prepare",
    "reprocess",
]
