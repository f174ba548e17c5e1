"""The REST API: routers under ``/api`` and the offline OpenAPI docs (see ``include_api``)."""

from __future__ import annotations

from tickerwire.api.app import include_api

__all__ = ["include_api"]
