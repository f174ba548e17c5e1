"""The REST API's contribution to the app: routers under ``/api`` and offline docs."""

from __future__ import annotations

from fastapi import FastAPI

from tickerwire.api.routers import alerts, articles, health, market, securities, stocks, stories

DESCRIPTION = """\
Point-in-time, source-cited market news about Hong Kong and mainland-China listed companies.

* Every read endpoint takes `as_of` (ISO 8601 time or `YYYY-MM-DD`): the answer uses only what
  the database had seen by then, so backtests never look ahead.
* Every number carries its citations: article id, title, source, URL, publication time and the
  exact quote with character offsets.
* `POST /api/articles` and changes to alert rules need
  `Authorization: Bearer <TICKERWIRE_API_TOKEN>`; with no token configured on the server, writes
  are refused.
* Every error has one shape: `{"error": {"code": ..., "message": ..., "detail": ...}}`.
"""

TAGS = [
    {"name": "articles", "description": "Search, read and add news articles."},
    {"name": "securities", "description": "The security master: issuers and their listings."},
    {"name": "stocks", "description": "Everything the news said about one issuer over time."},
    {"name": "market", "description": "Daily market views: movers, index board, IPOs, brief."},
    {"name": "alerts", "description": "Alert rules, fired alerts and the live stream (SSE)."},
    {"name": "health", "description": "Server status."},
]


def include_api(app: FastAPI) -> None:
    """Add the routers under ``/api``, their OpenAPI description and the docs at ``/docs``."""
    app.summary = "Hong Kong and China market news as a point-in-time, source-cited database."
    app.description = DESCRIPTION
    app.openapi_tags = TAGS
    _mount_offline_docs(app)
    for module in (articles, securities, stocks, stories, market, alerts, health):
        app.include_router(module.router, prefix="/api")


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
