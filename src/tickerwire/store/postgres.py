"""The PostgreSQL backend: psycopg 3 connections from one pool per database URL.

Imported only when a ``postgresql://`` URL is opened, so the SQLite path never loads psycopg
(the ``tickerwire[postgres]`` extra). Every ``Store`` opened on the same URL in a process
borrows from the same pool (the API server's requests share it) and gives its connection back
on close. Statements are translated by ``dialect.to_postgresql``.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, ClassVar

from tickerwire.dburl import redact
from tickerwire.errors import StoreError
from tickerwire.store.connection import Cursor, Params, UnstorableText
from tickerwire.store.dialect import POSTGRESQL, to_postgresql

try:
    import psycopg
    from psycopg import pq
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
            kwargs={"autocommit": True, "row_factory": _rows}, name=redact(url),
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
