"""The dashboard: server-rendered pages, static files and HTML error pages."""

from __future__ import annotations

from tickerwire.web.app import include_dashboard, render_error_page

__all__ = ["include_dashboard", "render_error_page"]
