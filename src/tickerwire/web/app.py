"""The dashboard's contribution to the app: pages, static files and HTML error pages."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from tickerwire.web import pages, static
from tickerwire.web.templating import templates

_MACHINE_PATHS = ("/api", "/docs", "/openapi.json", "/static")


def include_dashboard(app: FastAPI) -> None:
    """Add the pages and static files to ``app``."""
    app.include_router(static.router)
    app.mount("/static", StaticFiles(packages=[("tickerwire.web", "static")]), name="static")
    app.include_router(pages.router)


def render_error_page(
    request: Request, status: int, code: str, message: str, detail: Any
) -> Response | None:
    """An HTML error page for browser paths; ``None`` lets the JSON error shape answer."""
    if request.url.path.startswith(_MACHINE_PATHS):
        return None
    return templates().TemplateResponse(
        request,
        "error.html",
        {
            "status": status,
            "code": code,
            "message": message,
            "candidates": detail.get("candidates") if isinstance(detail, dict) else None,
            "nav": None,
        },
        status_code=status,
    )
