"""The dashboard: server-rendered pages served by the API app (see ``mount_dashboard``)."""

from __future__ import annotations

from tickerwire.web.app import mount_dashboard

__all__ = ["mount_dashboard"]
