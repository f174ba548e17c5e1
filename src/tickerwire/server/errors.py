"""One JSON error shape for every failure the API reports.

Every error body is ``{"error": {"code": str, "message": str, "detail": any}}``: routing errors
(404/405), request validation (422), oversized bodies (413), auth (401/403), the typed
``TickerwireError`` subclasses the core raises, and unexpected failures (500).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from tickerwire.errors import (
    InvalidInputError,
    NotFoundError,
    RefdataError,
    SourceError,
    StoreError,
    TickerwireError,
)
from tickerwire.serialize import jsonable

log = logging.getLogger(__name__)

# HTTP status → the ``code`` slug used when nothing more specific is known.
_STATUS_CODES: Mapping[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    500: "internal_error",
    503: "unavailable",
}

# TickerwireError subclass → (HTTP status, code); the first match in order wins.
_CORE_ERRORS: tuple[tuple[type[TickerwireError], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (InvalidInputError, 400, "invalid_input"),
    (SourceError, 422, "unreadable_document"),
    (StoreError, 503, "store_unavailable"),
    (RefdataError, 500, "refdata_error"),
    (TickerwireError, 500, "tickerwire_error"),
)


class ApiError(StarletteHTTPException):
    """An HTTP error raised by the adapter itself, with an explicit ``code`` slug."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        detail: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=message, headers=dict(headers or {}))
        self.code = code
        self.message = message
        self.extra = detail


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "detail": jsonable_encoder(detail)}}


def error_response(
    status_code: int,
    code: str,
    message: str,
    detail: Any = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        error_body(code, message, detail), status_code=status_code, headers=dict(headers or {})
    )


def status_code_slug(status_code: int) -> str:
    return _STATUS_CODES.get(status_code, HTTPStatus(status_code).phrase.lower().replace(" ", "_"))


def describe(exc: Exception) -> tuple[int, str, str, Any]:
    """``(status, code, message, detail)`` for any exception the app lets escape a route."""
    if isinstance(exc, ApiError):
        return exc.status_code, exc.code, exc.message, exc.extra
    if isinstance(exc, RequestValidationError):
        problems = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        summary = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in problems
        )
        return 422, "validation_error", f"invalid request: {summary}", problems
    if isinstance(exc, StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return exc.status_code, status_code_slug(exc.status_code), message, None
    if isinstance(exc, SourceError):
        source = {"origin": exc.origin, "reason": exc.reason, "detail": exc.detail}
        return 422, "unreadable_document", str(exc), source
    if isinstance(exc, TickerwireError):
        candidates = getattr(exc, "candidates", None)
        near = {"candidates": jsonable(candidates)} if candidates else None
        for cls, status, code in _CORE_ERRORS:
            if isinstance(exc, cls):
                return status, code, str(exc), near
    return 500, "internal_error", "internal server error: see the server log", None


def _routing_message(request: Request, status: int, message: str) -> str:
    where = f"{request.method} {request.url.path}"
    if status == 404 and message == "Not Found":
        return f"nothing at {where}: the API's endpoints are listed at /docs"
    if status == 405 and message == "Method Not Allowed":
        return f"{where} is not allowed: see /docs for the methods each endpoint takes"
    return message


HtmlRenderer = Callable[[Request, int, str, str, Any], Response | None]


def install_error_handlers(app: FastAPI, *, html: HtmlRenderer | None = None) -> None:
    """Route every error through :func:`describe`; ``html`` may render pages for browsers."""

    def handle(request: Request, exc: Exception) -> Response:
        status, code, message, detail = describe(exc)
        if isinstance(exc, StarletteHTTPException) and not isinstance(exc, ApiError):
            message = _routing_message(request, status, message)
        if status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
        if html is not None:
            page = html(request, status, code, message, detail)
            if page is not None:
                return page
        headers = getattr(exc, "headers", None)
        return error_response(status, code, message, detail, headers)

    for exc_class in (StarletteHTTPException, RequestValidationError, TickerwireError, Exception):
        app.add_exception_handler(exc_class, handle)
