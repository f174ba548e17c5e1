"""``GET /api/health``: liveness and what the server is pointed at."""

from __future__ import annotations

from fastapi import APIRouter

from tickerwire.api.deps import AppSettings, Stores, package_version
from tickerwire.api.schemas import DatabaseHealth, Health
from tickerwire.errors import TickerwireError
from tickerwire.model import PIPELINE_VERSION
from tickerwire.serialize import jsonable

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Server and database status")
def health(settings: AppSettings, stores: Stores) -> Health:
    path = settings.db_path
    database = DatabaseHealth(path=str(path), exists=path.exists(), ok=False)
    if database.exists:
        try:
            counts = stores.read(lambda store: store.stats())
            database = database.model_copy(update={"ok": True, "counts": jsonable(counts)})
        except TickerwireError as exc:
            database = database.model_copy(update={"message": str(exc)})
    else:
        database = database.model_copy(
            update={"message": f"no database yet: `tickerwire --db {path} ingest PATH` creates it"}
        )
    return Health(
        status="ok" if database.ok else "degraded",
        version=package_version(),
        pipeline_version=PIPELINE_VERSION,
        writes_enabled=bool(settings.api_token),
        database=database,
    )
