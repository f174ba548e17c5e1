"""The REST API (and the dashboard it serves): ``create_app`` builds it, ``serve`` runs it."""

from __future__ import annotations

from tickerwire.api.app import create_app
from tickerwire.api.server import serve

__all__ = ["create_app", "serve"]
