"""``GET /api/health``: liveness, version and whether the database opens (constant time)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from fastapi import APIRouter

from tickerwire.api.schemas import DatabaseHealth, Health
from tickerwire.errors import TickerwireError
from tickerwire.model import PIPELINE_VERSION
from tickerwire.server.deps import AppSettings, Stores, package_version

if TYPE_CHECKING:
    from tickerwire.store import Store

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Server and database status")
def health(settings: AppSettings, stores: Stores) -> Health:
    """Opens the database read-only and reads its schema version: no table is scanned, and
    where the database lives on the server is not disclosed."""
    if not settings.database_exists():
        database = DatabaseHealth(
            ok=False, message="no database yet: ingest news first (`tickerwire ingest PATH`)"
        )
    else:
        try:
            database = DatabaseHealth(ok=True, schema_version=stores.read(_schema_version))
        except TickerwireError as exc:
            log.error("health check: the database cannot be read: %s", exc)
            database = DatabaseHealth(
                ok=False, message="the database cannot be read: see the server log"
            )
    return Health(
        status="ok" if database.ok else "degraded",
        version=package_version(),
        pipeline_version=PIPELINE_VERSION,
        writes_enabled=bool(settings.api_token),
        database=database,
    )


def _schema_version(store: Store) -> int:
    return store.schema_version
