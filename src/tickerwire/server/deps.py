"""Dependencies the routes of the API and the dashboard receive: settings and the store.

Nothing is read at import time: ``create_app`` puts the settings on ``app.state`` and the
dependencies below hand them to the routes. A store is opened for the duration of one call
(read-only for reads) in the thread that runs the route, since SQLite connections are bound to
the thread that opened them; on PostgreSQL each store borrows a connection from the process's
pool for that database, so the server's requests share one pool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, Request

from tickerwire.server.errors import ApiError
from tickerwire.settings import Settings

if TYPE_CHECKING:
    from tickerwire.store import Store

P = ParamSpec("P")
T = TypeVar("T")


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tickerwire")
    except PackageNotFoundError:
        return "0.0.0"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@dataclass(frozen=True, slots=True)
class StoreAccess:
    """Opens the configured database for one unit of work."""

    settings: Settings

    @contextmanager
    def reader(self) -> Iterator[Store]:
        from tickerwire.store import Store

        if not self.settings.database_exists():
            raise ApiError(
                503,
                "no_database",
                "no database yet: ingest news first (`tickerwire --db PATH ingest examples/`) "
                "or start the server with --db pointing at an existing database",
            )
        with Store(self.settings.database, readonly=True) as store:
            yield store

    @contextmanager
    def writer(self) -> Iterator[Store]:
        from tickerwire.store import Store

        with Store(self.settings.database, readonly=False) as store:
            yield store

    def read(
        self, query: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run ``query(store, *args, **kwargs)`` on a read-only store and close it."""
        with self.reader() as store:
            return query(store, *args, **kwargs)


def get_store_access(settings: Annotated[Settings, Depends(get_settings)]) -> StoreAccess:
    return StoreAccess(settings)


Stores = Annotated[StoreAccess, Depends(get_store_access)]
AppSettings = Annotated[Settings, Depends(get_settings)]
