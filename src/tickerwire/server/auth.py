"""Bearer-token guard for the endpoints that write to the database."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tickerwire.api.deps import get_settings
from tickerwire.api.errors import ApiError
from tickerwire.settings import Settings

_bearer = HTTPBearer(
    auto_error=False,
    description="The server's TICKERWIRE_API_TOKEN, sent as `Authorization: Bearer <token>`.",
)


def require_write_token(
    request: Request,
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """403 when the server has no token (writes disabled), 401 when the token is missing/wrong."""
    if not settings.api_token:
        raise ApiError(
            403,
            "writes_disabled",
            "writes are disabled on this server: set TICKERWIRE_API_TOKEN in the server's "
            "environment and restart it to enable POST /api/articles",
        )
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise ApiError(
            401,
            "unauthorized",
            "missing credentials: send `Authorization: Bearer <TICKERWIRE_API_TOKEN>`",
            headers=challenge,
        )
    if not hmac.compare_digest(
        credentials.credentials.encode(), settings.api_token.encode()
    ):
        raise ApiError(
            401,
            "unauthorized",
            "invalid token: send the server's TICKERWIRE_API_TOKEN as a Bearer token",
            headers=challenge,
        )


WriteAccess = Annotated[None, Depends(require_write_token)]
