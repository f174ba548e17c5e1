"""Ingest: read documents, extract, and write them to the store, one article at a time.

Idempotent (an article already stored with the same content is skipped before extraction) and
crash-safe (each article and its extraction are committed together, so a killed run can simply
be run again). A document that cannot be read, or an article holding a value the store cannot
keep, is quarantined with its reason and the batch goes on; only a database that cannot be
written at all (``StoreError``) stops the run.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tickerwire.errors import SourceError, UnstorableArticleError
from tickerwire.extract import Pipeline, build_pipeline
from tickerwire.insights.stories import StoryAssigner, regroup_stories
from tickerwire.model import Article
from tickerwire.sources import expand_inputs, read_path
from tickerwire.store import IngestOutcome, Store
from tickerwire.store.database import unstorable_as_error

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


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


class _IngestRun:
    """The per-item loop shared by ``ingest_paths`` and ``ingest_articles``."""

    def __init__(self, store: Store, pipeline: Pipeline | None) -> None:
        self.store = store
        self.pipeline = pipeline if pipeline is not None else build_pipeline()
        self.stories = StoryAssigner(store)
        self.summary = IngestSummary()
        self.started = time.perf_counter()

    def add(self, item: Article | SourceError, *, sha256: Callable[[], str | None]) -> None:
        if isinstance(item, SourceError):
            self.quarantine(item, sha256())
        else:
            self.article(item)

    def article(self, article: Article) -> None:
        try:
            with unstorable_as_error(article.origin or "article"):
                key = article.id, article.content_hash
            latest = self.store.latest_revision(key[0])
            if latest is not None and latest[1] == key[1]:
                self.summary.unchanged += 1  # skip extraction: nothing would be written
                return
            extraction = self.pipeline(article)
            now = datetime.now(UTC)
            join = None if latest is not None else self.stories.decide(
                key[0], article, extraction, now=now)
            outcome = self.store.ingest_article(article, extraction, now=now, story=join)
        except UnstorableArticleError as exc:
            self.quarantine(SourceError(exc.origin, exc.reason, exc.detail), None)
            return
        if join is not None and outcome.status == "new":
            self.stories.remember(join)
        self.summary.record(outcome)

    def quarantine(self, error: SourceError, sha256: str | None) -> None:
        log.info("quarantined %s: %s: %s", error.origin, error.reason, error.detail)
        self.store.quarantine(error.origin, error.reason, error.detail, sha256=sha256)
        self.summary.quarantined += 1
        self.summary.errors.append(error)

    def finish(self) -> IngestSummary:
        self.summary.elapsed_seconds = time.perf_counter() - self.started
        return self.summary


def _no_hash() -> str | None:
    return None


def ingest_articles(
    store: Store,
    items: Iterable[Article | SourceError],
    *,
    pipeline: Pipeline | None = None,
) -> IngestSummary:
    """Ingest already-read items (stdin, API uploads); errors go to the quarantine."""
    run = _IngestRun(store, pipeline)
    for item in items:
        run.add(item, sha256=_no_hash)
    return run.finish()


def ingest_paths(
    store: Store,
    inputs: Sequence[str],
    *,
    pipeline: Pipeline | None = None,
    max_bytes: int,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest files, folders and globs. ``progress`` is called with each file before it is read.

    Raises ``InvalidInputError`` before anything is written when an input does not exist.
    """
    paths = list(expand_inputs(inputs))
    run = _IngestRun(store, pipeline)
    for path in paths:
        if progress is not None:
            progress(str(path))
        digest = _FileDigest(path)
        try:
            for item in read_path(path, max_bytes=max_bytes):
                run.add(item, sha256=digest)
        except SourceError as exc:  # a reader that raises instead of yielding
            run.quarantine(exc, digest())
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


__all__ = ["IngestSummary", "file_sha256", "ingest_articles", "ingest_paths", "reprocess"]
