"""The FastAPI application: REST API under ``/api`` and the dashboard, built by a factory."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from tickerwire.api.deps import package_version
from tickerwire.api.errors import install_error_handlers
from tickerwire.api.headers import SecurityHeaders
from tickerwire.api.limits import RequestSizeLimit
from tickerwire.api.routers import articles, health, market, securities, stocks
from tickerwire.settings import Settings

DESCRIPTION = """\
Point-in-time, source-cited market news about Hong Kong and mainland-China listed companies.

* Every read endpoint takes `as_of` (ISO 8601 time or `YYYY-MM-DD`): the answer uses only what
  the database had seen by then, so backtests never look ahead.
* Every number carries its citations: article id, title, source, URL, publication time and the
  exact quote with character offsets.
* `POST /api/articles` needs `Authorization: Bearer <TICKERWIRE_API_TOKEN>`; with no token
  configured on the server, writes are refused.
* Every error has one shape: `{"error": {"code": ..., "message": ..., "detail": ...}}`.
"""

TAGS = [
    {"name": "articles", "description": "Search, read and add news articles."},
    {"name": "securities", "description": "The security master: issuers and their listings."},
    {"name": "stocks", "description": "Everything the news said about one issuer over time."},
    {"name": "market", "description": "Daily market views: movers, index board, IPOs, brief."},
    {"name": "health", "description": "Server status."},
]


def create_app(settings: Settings) -> FastAPI:
    """Build the app for ``settings``; nothing is read from the environment here."""
    from tickerwire.web import mount_dashboard

    app = FastAPI(
        title="tickerwire",
        summary="Hong Kong and China market news as a point-in-time, source-cited database.",
        description=DESCRIPTION,
        version=package_version(),
        openapi_tags=TAGS,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    for module in (articles, securities, stocks, market, health):
        app.include_router(module.router, prefix="/api")
    renderer = mount_dashboard(app)
    install_error_handlers(app, html=renderer)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(SecurityHeaders)
    return app
