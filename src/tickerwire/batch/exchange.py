"""``export`` (store → exchange tables) and ``batch load`` (exchange tables → store).

Export walks the store a page of articles at a time, point-in-time (``as_of``), and appends each
page to the table files, so memory stays bounded however big the store is. Load merges the
sorted tables on ``(article_id, revision)`` in one pass, a chunk of articles at a time, and
writes each chunk in one transaction through ``Store.load_articles`` (``COPY`` on PostgreSQL);
an article whose latest stored revision has the same content is left alone, so loading twice
adds nothing. Then every stored article without a story joins one, in the order the articles
were first seen and as of that instant, as ``tickerwire ingest`` assigns them
(``insights.stories.assign_stories``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tickerwire.batch.files import TableFormat, TableWriter, describe_missing, read_rows, table_files
from tickerwire.batch.tables import CHILD_TABLES, Row, article_from_row, article_row, child_rows, extraction_from_rows
from tickerwire.errors import BatchError, UnstorableArticleError
from tickerwire.insights.stories import assign_stories
from tickerwire.model import Extraction
from tickerwire.store import IngestOutcome, LoadedArticle, Store, StoredArticle

log = logging.getLogger(__name__)

EXPORT_TABLES = ("articles", *CHILD_TABLES, "stories")


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """What ``export`` takes from the store: the view at ``as_of``, articles published on
    ``since``…``until`` (Hong Kong days, inclusive) that mention one of ``listings``."""

    as_of: datetime | None = None
    since: date | None = None
    until: date | None = None
    listings: tuple[str, ...] | None = None


def stored_rows(stored: StoredArticle) -> dict[str, list[Row]]:
    """Every exchange-table row of one stored revision and its visible extraction."""
    article = stored.to_article()
    found = stored.extraction
    extraction = None
    if found is not None:
        extraction = Extraction(
            article=article, mentions=found.mentions, indices=found.indices, facts=found.facts,
            events=found.events, sentiment=found.sentiment, relevance=found.relevance,
            errors=found.errors, pipeline_version=found.pipeline_version,
        )
    rows: dict[str, list[Row]] = {"articles": [article_row(
        article, extraction, revision=stored.revision, first_seen_at=stored.revision_seen_at,
        extracted_at=found.extracted_at if found is not None else None, metadata=stored.metadata,
    )]}
    if extraction is not None:
        rows.update(child_rows(stored.id, stored.revision, extraction))
    return rows


def story_rows(store: Store, article_ids: Sequence[str], as_of: datetime | None) -> list[Row]:
    """The ``stories`` rows of ``article_ids``: the story each joined, as seen at ``as_of``."""
    members = store.story_memberships(article_ids, as_of=as_of)
    return [
        {"article_id": m.article_id, "story_id": m.story_id, "joined_at": m.joined_at,
         "anchor_at": m.anchor_at, "reason": m.reason, "matched_article_id": m.matched_article_id,
         "score": m.score, "novelty": m.novelty, "facts": m.facts, "new_facts": m.new_facts,
         "first_report": m.reason == "first"}
        for m in (members[a] for a in article_ids if a in members)
    ]


def export_tables(
    store: Store,
    outputs: Mapping[str, Path],
    fmt: TableFormat,
    filters: ExportFilters,
    *,
    page: int = 500,
) -> dict[str, int]:
    """Write the tables named in ``outputs`` (table → file) in one pass over the store; return
    rows written per table."""
    unknown = sorted(set(outputs) - set(EXPORT_TABLES))
    if unknown:
        raise BatchError(f"no table {', '.join(unknown)}; export one of {', '.join(EXPORT_TABLES)}")
    writers = {name: TableWriter(path, name, fmt) for name, path in outputs.items()}
    try:
        for stored_page in store.iter_article_pages(
                as_of=filters.as_of, since=filters.since, until=filters.until,
                listing_codes=filters.listings, page=page):
            chunk: dict[str, list[Row]] = {name: [] for name in writers}
            for stored in stored_page:
                for name, rows in stored_rows(stored).items():
                    if name in chunk:
                        chunk[name].extend(rows)
            if "stories" in chunk:
                chunk["stories"] = story_rows(store, [stored.id for stored in stored_page], filters.as_of)
            for name, rows in chunk.items():
                writers[name].write(rows)
    finally:
        for writer in writers.values():
            writer.close()
    return {name: writer.rows for name, writer in writers.items()}


@dataclass(slots=True)
class LoadSummary:
    """What one ``batch load`` did."""

    new: int = 0
    unchanged: int = 0
    revised: int = 0
    quarantined: int = 0
    stories_assigned: int = 0
    elapsed_seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.new + self.unchanged + self.revised

    @property
    def articles_per_second(self) -> float | None:
        return self.articles / self.elapsed_seconds if self.elapsed_seconds > 0 else None

    def record(self, outcomes: Sequence[IngestOutcome]) -> None:
        for outcome in outcomes:
            if outcome.status == "new":
                self.new += 1
            elif outcome.status == "revised":
                self.revised += 1
            else:
                self.unchanged += 1


Key = tuple[str, int]


class _SortedGroups:
    """The rows of one child table, handed out per article key in one forward pass."""

    def __init__(self, table: str, rows: Iterator[Row]) -> None:
        self.table = table
        self.rows = rows
        self.head: Row | None = next(rows, None)
        self.last: tuple[str, int, int] | None = None

    def take(self, key: Key) -> list[Row]:
        out: list[Row] = []
        while self.head is not None:
            head_key = (self.head["article_id"], self.head["revision"])
            if head_key > key:
                break
            if head_key < key:
                raise BatchError(
                    f"{self.table}: a row of article {head_key[0]} revision {head_key[1]} comes "
                    f"before article {key[0]}'s and matches no article row; the tables must be "
                    "sorted by article_id, revision (batch extract and export write them so)")
            order = (*head_key, self.head["seq"])
            if self.last is not None and order <= self.last:
                raise BatchError(f"{self.table}: rows of article {key[0]} are out of order or repeated")
            self.last = order
            out.append(self.head)
            self.head = next(self.rows, None)
        return out

    def leftover(self) -> Row | None:
        return self.head


def _loaded(row: Row, children: dict[str, list[Row]]) -> LoadedArticle:
    article = article_from_row(row)
    if article.id != row["article_id"]:
        raise BatchError(
            f"articles: the row for {row['article_id']} rebuilds an article with id {article.id}; "
            "its url, title, text or metadata were changed after extraction")
    seen = row["first_seen_at"]
    if seen is None:
        raise BatchError(f"articles: {row['article_id']} has no first_seen_at")
    return LoadedArticle(article, extraction_from_rows(article, row, children), seen,
                         row["extracted_at"])


def _store_chunk(store: Store, pending: Sequence[LoadedArticle], summary: LoadSummary) -> None:
    """Store a chunk in one transaction; if the database refuses a value in it, store its
    articles one by one and quarantine the ones refused, as ingest does."""
    try:
        summary.record(store.load_articles(pending))
        return
    except UnstorableArticleError:
        pass
    for item in pending:
        try:
            summary.record(store.load_articles([item]))
        except UnstorableArticleError as exc:
            log.info("quarantined %s: %s: %s", exc.origin, exc.reason, exc.detail)
            store.quarantine(exc.origin, exc.reason, exc.detail)
            summary.quarantined += 1


def load_tables(
    store: Store, directory: Path, *, chunk: int = 500, assign: bool = True
) -> LoadSummary:
    """Load the exchange tables under ``directory`` into ``store``; see the module docstring.

    ``assign=False`` leaves the articles without stories (`tickerwire stories --rebuild` or the
    next load assigns them): for building a store to measure, not for a store in use."""
    if not table_files(directory, "articles"):
        raise BatchError(describe_missing(directory, "articles"))
    started = time.perf_counter()
    summary = LoadSummary()
    groups = [_SortedGroups(name, read_rows(directory, name)) for name in CHILD_TABLES]
    pending: list[LoadedArticle] = []
    last: Key | None = None
    for row in read_rows(directory, "articles"):
        key: Key = (row["article_id"], row["revision"])
        if last is not None and key <= last:
            raise BatchError(f"articles: {key[0]} revision {key[1]} is out of order or repeated; "
                             "the tables must be sorted by article_id, revision")
        last = key
        children = {group.table: group.take(key) for group in groups}
        pending.append(_loaded(row, children))
        if len(pending) >= chunk:
            _store_chunk(store, pending, summary)
            pending = []
    if pending:
        _store_chunk(store, pending, summary)
    for group in groups:
        orphan = group.leftover()
        if orphan is not None:
            raise BatchError(f"{group.table}: rows of article {orphan['article_id']} match no article "
                             "row (everything before them was loaded)")
    for row in read_rows(directory, "quarantine"):
        store.quarantine(row["origin"], row["reason"], row["detail"] or "",
                         sha256=row["content_sha256"])
        summary.quarantined += 1
    if assign:
        summary.stories_assigned = assign_stories(store).articles
    summary.elapsed_seconds = time.perf_counter() - started
    log.info("loaded %s: %d new, %d unchanged, %d revised, %d joined stories", directory,
             summary.new, summary.unchanged, summary.revised, summary.stories_assigned)
    return summary


def export_paths(out: Path, tables: Sequence[str], fmt: TableFormat) -> dict[str, Path]:
    """Where ``export`` writes: ``out`` itself for one table, ``out/TABLE.EXT`` for several."""
    if len(tables) == 1:
        return {tables[0]: out}
    return {name: out / f"{name}.{fmt.value}" for name in tables}
