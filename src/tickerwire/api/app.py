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
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    _mount_offline_docs(app)
    for module in (articles, securities, stocks, market, health):
        app.include_router(module.router, prefix="/api")
    renderer = mount_dashboard(app)
    install_error_handlers(app, html=renderer)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(SecurityHeaders)
    return app


def _mount_offline_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the swagger-ui-bundle package: no CDN, works offline."""
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="tickerwire API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon-32x32.png",
        )
