"""The bare application every surface registers its routes into."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from tickerwire.server.deps import package_version
from tickerwire.server.errors import HtmlRenderer, install_error_handlers
from tickerwire.server.headers import SecurityHeaders
from tickerwire.server.limits import RequestSizeLimit
from tickerwire.settings import Settings

log = logging.getLogger(__name__)


def build_app(
    settings: Settings,
    *,
    title: str,
    error_page: HtmlRenderer | None = None,
    warm: Callable[[], object] | None = None,
) -> FastAPI:
    """A FastAPI app with the settings on ``app.state``, one error shape (``error_page`` may
    answer browsers with HTML) and the request-size, compression and header middleware; at
    start-up it runs ``warm`` and freezes what is alive then (``frozen_start``).

    Routes are added by the caller; nothing is read from the environment here.
    """
    app = FastAPI(title=title, version=package_version(), docs_url=None, redoc_url=None,
                  lifespan=frozen_start(warm))
    app.state.settings = settings
    install_error_handlers(app, html=error_page)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(SecurityHeaders)
    return app


def frozen_start(
    warm: Callable[[], object] | None,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that loads what the reads need (``warm``), then moves every object alive at
    start-up out of the garbage collector's reach (``gc.freeze``) until shutdown.

    The modules, the security master and its name index are tens of thousands of long-lived
    objects, and every full collection walked them all: about 30 ms, paid by whichever request
    happened to trigger it (a stock page at a million articles: p95 86 -> 73 ms, the brief
    88 -> 61 ms, docs/performance-insights.md). Garbage is collected first, so nothing
    unreachable is frozen; objects freed later by reference counting are freed as before.
    """
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm is not None:
            try:
                warm()
            except Exception:  # each read that needs it reports its own error
                log.warning("could not load at start-up what the reads need", exc_info=True)
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()

    return lifespan
