"""Request-size limit, enforced before any route reads the body."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tickerwire.server.errors import ApiError, error_response


def too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "request_too_large",
        f"request body is larger than the limit of {limit:,} bytes: send smaller or fewer "
        "documents per request (the server's max_request_bytes setting)",
        detail={"max_request_bytes": limit},
    )


class RequestSizeLimit:
    """Refuse bodies over ``max_bytes`` with 413, by Content-Length or by counting the stream."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            exc = too_large(self.max_bytes)
            response = error_response(exc.status_code, exc.code, exc.message, exc.extra)
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise too_large(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
