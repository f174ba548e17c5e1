"""Property-based checks of the read endpoints against their own OpenAPI spec (bounded)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tickerwire.app import create_app
from tickerwire.settings import Settings

READ_PATHS = (
    "/api/articles",
    "/api/articles/{article_id}",
    "/api/securities",
    "/api/stocks/{query}",
    "/api/movers",
    "/api/market",
    "/api/ipos",
    "/api/brief",
    "/api/health",
    "/api/alerts",
    "/api/alerts/rules",
)
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def api_schema(settings: Settings) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(settings))


@pytest.mark.slow
@pytest.mark.parametrize("path", READ_PATHS)
def test_read_endpoint_follows_its_spec(api_schema: schemathesis.BaseSchema, path: str) -> None:
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None,
        derandomize=True,
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    check()
