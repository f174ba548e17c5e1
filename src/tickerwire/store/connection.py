"""One connection type for both databases: ``execute`` SQLite-spelled SQL, get rows by name.

``Connection`` wraps a ``sqlite3.Connection`` or (``store/postgres.py``) a psycopg connection
borrowed from a pool. Rows behave like ``sqlite3.Row`` on both: by position, by column name,
iterable, with ``keys()``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from tickerwire.errors import StoreError
from tickerwire.store.dialect import SQLITE, Dialect

Params = Mapping[str, Any] | Sequence[Any]


class UnstorableText(ValueError):
    """A value this database cannot hold (PostgreSQL text cannot contain NUL characters)."""


class Row(Protocol):
    def __getitem__(self, key: int | str, /) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...
    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What the store's queries and writers use."""

    dialect: Dialect
    location: str  # the file path, or the URL without its password

    def execute(self, sql: str, params: Params = ()) -> Cursor: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    @property
    def in_transaction(self) -> bool: ...
    def close(self) -> None: ...
    def error(self, exc: Exception) -> StoreError: ...
    @property
    def errors(self) -> tuple[type[Exception], ...]: ...


class SqliteConnection:
    """A ``sqlite3.Connection`` in autocommit mode; statements run as written."""

    dialect = SQLITE

    def __init__(self, raw: sqlite3.Connection, location: str,
                 error: Callable[[str, sqlite3.Error], StoreError]) -> None:
        raw.row_factory = sqlite3.Row
        self.raw = raw
        self.location = location
        self._error = error

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.raw.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    def close(self) -> None:
        self.raw.close()

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error,)

    def error(self, exc: Exception) -> StoreError:
        assert isinstance(exc, sqlite3.Error)
        return self._error(self.location, exc)
