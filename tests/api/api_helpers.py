"""Helpers shared by the API tests."""

from __future__ import annotations

TOKEN = "s3cret-token"


def assert_error(response: object, status: int, code: str) -> dict[str, object]:
    """The response is an error in the one shape, with this status and code."""
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "detail"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error  # type: ignore[no-any-return]
