"""Bearer-token guard for the endpoints that write to the database.

The token is read from the ``Authorization`` header only. A token in the query string is
refused outright: URLs end up in access logs, browser history and proxies (the access log
redacts it too, see :mod:`tickerwire.server.run`).
"""

from __future__ import annotations

import hmac
from typing import Annotated, Final

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tickerwire.server.deps import get_settings
from tickerwire.server.errors import ApiError
from tickerwire.settings import Settings

# Query parameter names clients commonly use for credentials.
TOKEN_QUERY_PARAMS: Final = frozenset({"token", "access_token", "api_token", "api_key", "key"})

_bearer = HTTPBearer(
    auto_error=False,
    description="The server's TICKERWIRE_API_TOKEN, sent as `Authorization: Bearer <token>`.",
)


def require_write_token(
    request: Request,
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """400 for a token in the URL, 403 when the server has no token (writes disabled), 401 when
    the header's token is missing or wrong."""
    in_url = sorted(TOKEN_QUERY_PARAMS.intersection(request.query_params))
    if in_url:
        raise ApiError(
            400,
            "token_in_url",
            f"credentials in the query string ({', '.join(in_url)}) are refused: URLs are "
            "logged; send `Authorization: Bearer <TICKERWIRE_API_TOKEN>` instead",
            detail=[{"loc": ["query", name], "msg": "not accepted here", "type": "token_in_url"}
                    for name in in_url],
        )
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
