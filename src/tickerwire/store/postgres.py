"""The PostgreSQL backend: psycopg 3 connections from one pool per database URL.

Imported only when a ``postgresql://`` URL is opened, so the SQLite path never loads psycopg
(the ``tickerwire[postgres]`` extra). Every ``Store`` opened on the same URL in a process
borrows from the same pool (the API server's requests share it) and gives its connection back
on close. Statements are translated by ``dialect.to_postgresql``.

``bulk_load`` is ``Store.load_articles`` on PostgreSQL: one ``COPY`` per table per chunk of
articles instead of one ``INSERT`` per row (see docs/postgresql.md, "Bulk loads").
"""

from __future__ import annotations

import atexit
import os
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from tickerwire.dburl import redact
from tickerwire.errors import StoreError
from tickerwire.model import Extraction
from tickerwire.store import grams, issuer_index, prices
from tickerwire.store.codec import hk_date, parse_instant, to_json, utc_now_text, utc_text
from tickerwire.store.connection import Connection, Cursor, Params, UnstorableText
from tickerwire.store.dialect import POSTGRESQL, to_postgresql
from tickerwire.store.folding import fold_sql
from tickerwire.store.rows import IngestOutcome, IngestStatus, LoadedArticle
from tickerwire.store.writer import CHILD_COLUMNS, article_day, article_metadata, extraction_rows

try:
    import psycopg
    from psycopg import pq, sql
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise StoreError(
        "a postgresql:// database needs psycopg: pip install 'tickerwire[postgres]'"
    ) from exc

POOL_SIZE_ENV = "TICKERWIRE_PG_POOL_SIZE"
_POOLS: dict[str, ConnectionPool[Any]] = {}
_LOCK = threading.Lock()


class PgRow(tuple[Any, ...]):
    """A result row readable by position and by column name, like ``sqlite3.Row``."""

    __slots__ = ()
    _positions: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._positions[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._positions)


@lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[PgRow]:
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        positions.setdefault(name, i)  # the first column of a name wins, as in sqlite3.Row
    return type("PgRow", (PgRow,), {"__slots__": (), "_positions": positions})


def _rows(cursor: Any) -> Any:
    if cursor.description is None:
        return tuple
    row_class = _row_class(tuple(column.name for column in cursor.description))
    return row_class


# The store's reads are short index walks: compiling one with JIT (which the planner turns on
# when its row estimates for a join are pessimistic) costs 30-70 ms, and starting parallel
# workers for a few hundred rows 10-40 ms, more than the read itself (measured on the
# million-article store, docs/scale.md). Concurrent requests use the cores instead.
_SESSION_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0"


def _pool(url: str, timeout: float) -> ConnectionPool[Any]:
    with _LOCK:
        found = _POOLS.get(url)
        if found is not None:
            return found
        try:  # one direct attempt first, so a wrong URL fails at once with the server's reason
            psycopg.connect(url, connect_timeout=max(1, int(timeout))).close()
        except psycopg.Error as exc:
            raise pg_error(redact(url), exc) from exc
        size = int(os.environ.get(POOL_SIZE_ENV) or 10)
        pool: ConnectionPool[Any] = ConnectionPool(
            url, min_size=1, max_size=max(1, size), timeout=timeout, open=True,
            kwargs={"autocommit": True, "row_factory": _rows, "options": _SESSION_OPTIONS},
            name=redact(url),
        )
        _POOLS[url] = pool
        if len(_POOLS) == 1:
            atexit.register(close_pools)
        return pool


def close_pools(url: str | None = None) -> None:
    """Close the pool of ``url`` (every pool when None); the next ``Store`` opens a new one."""
    with _LOCK:
        urls = list(_POOLS) if url is None else [url] if url in _POOLS else []
        pools = [_POOLS.pop(key) for key in urls]
    for pool in pools:
        pool.close()


class PgConnection:
    """A pooled psycopg connection in autocommit mode, speaking the store's SQL."""

    dialect = POSTGRESQL
    errors: tuple[type[Exception], ...] = (psycopg.Error,)

    def __init__(self, url: str, *, timeout: float) -> None:
        self.location = redact(url)
        self._pool = _pool(url, timeout)
        try:
            self.raw: psycopg.Connection[Any] = self._pool.getconn()
        except PoolTimeout as exc:
            raise StoreError(
                f"{self.location}: no free database connection within {timeout:g} s; raise "
                f"${POOL_SIZE_ENV} or check the server ({exc})"
            ) from exc

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        # Parameters are always passed (an empty tuple too), so psycopg reads ``%%`` as ``%``.
        try:
            return self.raw.execute(to_postgresql(sql), params)  # type: ignore[arg-type]
        except psycopg.DataError as exc:
            _refuse_nul(exc)
            raise

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if batch:
            with self.raw.cursor() as cursor:
                try:
                    cursor.executemany(to_postgresql(sql), batch)
                except psycopg.DataError as exc:
                    _refuse_nul(exc)
                    raise

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Add ``rows`` to ``table`` with ``COPY`` through a staging table dropped at commit;
        rows whose key is already stored are skipped (``ON CONFLICT DO NOTHING``). Runs in the
        caller's transaction."""
        if not rows:
            return
        stage = sql.Identifier(f"staged_{table}")
        names = sql.SQL(", ").join(map(sql.Identifier, columns))
        with self.raw.cursor() as cursor:
            try:
                cursor.execute(sql.SQL(
                    "CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA"
                ).format(stage, names, sql.Identifier(table)))
                with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(stage, names)) as copy:
                    for row in rows:
                        copy.write_row(row)
            except psycopg.DataError as exc:
                _refuse_nul(exc)
                raise
            cursor.execute(sql.SQL(
                "INSERT INTO {} ({}) SELECT {} FROM {} ON CONFLICT DO NOTHING"
            ).format(sql.Identifier(table), names, names, stage))
            cursor.execute(sql.SQL("DROP TABLE {}").format(stage))

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def close(self) -> None:
        self._pool.putconn(self.raw)

    def error(self, exc: Exception) -> StoreError:
        return pg_error(self.location, exc)


def _refuse_nul(exc: psycopg.DataError) -> None:
    """Raise ``UnstorableText`` for a NUL character in a value (the article becomes an
    ``UnstorableArticleError``, see ``database.unstorable_as_error``); any other data error
    stays a database error."""
    if "NUL" in str(exc):
        raise UnstorableText(
            "the text holds a NUL character, which PostgreSQL cannot store") from exc


def pg_error(location: str, exc: Exception) -> StoreError:
    """A ``StoreError`` naming the database, the problem and the fix."""
    message = " ".join(str(exc).split())
    if "database" in message and "does not exist" in message:
        hint = "no such database; create it first (createdb NAME)"
    elif isinstance(exc, psycopg.OperationalError) and "connect" in message:
        hint = "cannot connect to the PostgreSQL server; check that it runs and the URL"
    elif isinstance(exc, psycopg.errors.InsufficientPrivilege):
        hint = "the user lacks a privilege; grant it or connect as the database's owner"
    elif isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
        hint = "the server is read-only (a standby?); connect to the primary to write"
    else:
        hint = "the database could not be used"
    return StoreError(f"{location}: {hint} ({message})")


def current_version(conn: PgConnection) -> int:
    row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not row[0]:
        return 0
    return int(conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0])


# -- bulk load -------------------------------------------------------------------------------

# What a bulk load writes, table by table in foreign-key order, and the columns it copies (the
# ones ``writer.ingest_article`` fills; the rest keep their defaults).
BULK_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("id", "url", "source", "lang", "format", "origin", "first_seen_at"),
    "article_revisions": (
        "id", "article_id", "revision", "content_hash", "lang", "origin", "published_at",
        "published_date_hk", "day_hk", "sort_at", "first_seen_at", "title", "text", "metadata",
        "date_source"),
    "revisions_fts": ("rowid", "title", "text"),
    "revisions_grams": ("rowid", "grams"),
    "extractions": (
        "id", "article_id", "revision", "pipeline_version", "extracted_at", "sentiment_score",
        "sentiment_label", "sentiment_by_subject", "sentiment_labels", "sentiment_evidence",
        "relevance"),
    **CHILD_COLUMNS,
}


@dataclass(frozen=True, slots=True)
class _Planned:
    """One article revision a bulk load writes: its row ids and instants are decided."""

    item: LoadedArticle
    revision: int
    seen: str  # first_seen_at of the revision
    new_article: bool


def bulk_load(conn: Connection, items: Sequence[LoadedArticle]) -> list[IngestOutcome]:
    """Store ``items`` inside the caller's write transaction exactly as ``writer.ingest_article``
    would one by one (same revisions, instants, rows and verdicts), with one ``COPY`` per table.

    Each table's rows are copied into a temporary staging table and moved with ``INSERT …
    SELECT … ON CONFLICT DO NOTHING``; the write lock the transaction holds means no other
    writer can add the same article meanwhile.
    """
    if not isinstance(conn, PgConnection):
        raise TypeError("bulk_load needs a PostgreSQL connection")
    plans, outcomes = _plan(conn, items)
    revision_ids = _reserve_ids(conn, "article_revisions", len(plans))
    extracted = [plan for plan in plans if plan.item.extraction is not None]
    extraction_ids = _reserve_ids(conn, "extractions", len(extracted))
    rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for plan, revision_id in zip(plans, revision_ids, strict=True):
        _revision_rows(rows, plan, revision_id)
    stamps: dict[str, list[int]] = defaultdict(list)
    for plan, extraction_id in zip(extracted, extraction_ids, strict=True):
        assert plan.item.extraction is not None
        extracted_at = plan.item.extracted_at
        stamp = max(plan.seen, plan.seen if extracted_at is None else utc_now_text(extracted_at))
        _extraction_rows(rows, plan, plan.item.extraction, extraction_id, stamp)
        stamps[stamp].append(extraction_id)
    for table, columns in BULK_COLUMNS.items():
        conn.copy_rows(table, columns, rows[table])
    issuer_index.fill(conn, extraction_ids)
    for stamp, ids in stamps.items():  # verdicts, as writer.insert_extraction makes them
        prices.refresh_verdicts(conn, stamp, extraction_ids=ids)
    return outcomes


def _plan(conn: PgConnection, items: Sequence[LoadedArticle]) -> tuple[list[_Planned], list[IngestOutcome]]:
    """Which items are new articles, new revisions or unchanged, against the stored revisions
    and the items before them."""
    latest = _latest_revisions(conn, sorted({item.article.id for item in items}))
    plans: list[_Planned] = []
    outcomes: list[IngestOutcome] = []
    for item in items:
        article_id, content_hash = item.article.id, item.article.content_hash
        seen = utc_now_text(item.first_seen_at)
        found = latest.get(article_id)
        status: IngestStatus
        if found is not None and found[1] == content_hash:
            outcomes.append(IngestOutcome(article_id, found[0], "unchanged"))
            continue
        if found is None:
            revision, status = 1, "new"
        else:
            revision, status = found[0] + 1, "revised"
            seen = max(seen, found[2])  # a revision is never seen before the one it replaces
        latest[article_id] = (revision, content_hash, seen)
        plans.append(_Planned(item, revision, seen, new_article=found is None))
        outcomes.append(IngestOutcome(article_id, revision, status))
    return plans, outcomes


def _latest_revisions(conn: PgConnection, article_ids: Sequence[str]) -> dict[str, tuple[int, str, str]]:
    """(revision, content_hash, first_seen_at) of the newest stored revision of each id."""
    found = conn.raw.execute(
        "SELECT DISTINCT ON (article_id) article_id, revision, content_hash, first_seen_at"
        " FROM article_revisions WHERE article_id = ANY(%s)"
        " ORDER BY article_id, revision DESC", (list(article_ids),))
    return {row[0]: (int(row[1]), str(row[2]), str(row[3])) for row in found}


def _reserve_ids(conn: PgConnection, table: str, count: int) -> list[int]:
    """``count`` new values of ``table``'s identity column (the rows are copied with them)."""
    if count == 0:
        return []
    found = conn.raw.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        (table, count))
    return [int(row[0]) for row in found]


def _revision_rows(rows: dict[str, list[tuple[Any, ...]]], plan: _Planned, revision_id: int) -> None:
    article = plan.item.article
    published = article.published_at
    published_day = article_day(article)
    published_text = utc_text(published) if published is not None else None
    if plan.new_article:
        rows["articles"].append((article.id, article.url, article.source, article.lang,
                                 article.format, article.origin, plan.seen))
    rows["article_revisions"].append((
        revision_id, article.id, plan.revision, article.content_hash, article.lang,
        article.origin, published_text, published_day,
        published_day or hk_date(parse_instant(plan.seen)).isoformat(),
        published_text or plan.seen, plan.seen, article.title, article.text,
        to_json(article_metadata(article)),
        article.date_source or ("none" if published is None else None)))
    title, text = fold_sql(article.title), fold_sql(article.text)
    rows["revisions_fts"].append((revision_id, title, text))
    rows["revisions_grams"].extend(grams.rows([(revision_id, title, text)]))


def _extraction_rows(
    rows: dict[str, list[tuple[Any, ...]]], plan: _Planned, extraction: Extraction, eid: int,
    stamp: str,
) -> None:
    article = plan.item.article
    prepared = extraction_rows(extraction, article_day(article))
    rows["extractions"].append((eid, *prepared.extraction_row(article.id, plan.revision, stamp)))
    for table, found in prepared.child_rows(eid).items():
        rows[table].extend(found)
