"""The bare application every surface registers its routes into."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from tickerwire.server.deps import package_version
from tickerwire.server.errors import HtmlRenderer, install_error_handlers
from tickerwire.server.headers import SecurityHeaders
from tickerwire.server.limits import RequestSizeLimit
from tickerwire.settings import Settings


def build_app(settings: Settings, *, title: str, error_page: HtmlRenderer | None = None) -> FastAPI:
    """A FastAPI app with the settings on ``app.state``, one error shape (``error_page`` may
    answer browsers with HTML) and the request-size, compression and header middleware.

    Routes are added by the caller; nothing is read from the environment here.
    """
    app = FastAPI(title=title, version=package_version(), docs_url=None, redoc_url=None)
    app.state.settings = settings
    install_error_handlers(app, html=error_page)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(SecurityHeaders)
    return app
