"""Pydantic models that document response envelopes in the OpenAPI spec."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorInfo(BaseModel):
    code: str = Field(description="Machine-readable slug, e.g. not_found, validation_error.")
    message: str = Field(description="What went wrong and how to fix it.")
    detail: Any = Field(default=None, description="Structured context (validation problems …).")


class ErrorResponse(BaseModel):
    """The one shape of every error response."""

    error: ErrorInfo


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid input"},
    404: {"model": ErrorResponse, "description": "Not found"},
    422: {"model": ErrorResponse, "description": "Invalid parameters"},
    500: {"model": ErrorResponse, "description": "Server error"},
    503: {"model": ErrorResponse, "description": "Database unavailable"},
}

WRITE_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    401: {"model": ErrorResponse, "description": "Missing or wrong token"},
    403: {"model": ErrorResponse, "description": "Writes disabled (no token configured)"},
    413: {"model": ErrorResponse, "description": "Request body too large"},
    415: {"model": ErrorResponse, "description": "Unsupported content type"},
}


class DatabaseHealth(BaseModel):
    ok: bool = Field(description="The database opens and its schema is current.")
    schema_version: int | None = Field(default=None, description="Applied migrations.")
    message: str | None = Field(default=None, description="Why not ok.")


class Health(BaseModel):
    status: str = Field(description="ok, or degraded when the database cannot be read.")
    version: str
    pipeline_version: str
    writes_enabled: bool
    database: DatabaseHealth


class Page(BaseModel):
    """A page of search results."""

    query: str
    total: int = Field(description="Matches in all pages, counted up to 1,000.")
    total_exact: bool = Field(
        default=True, description="False when more than `total` (1,000) articles match: "
        "`total` and `facets` then count the newest 1,000.")
    limit: int
    offset: int
    results: list[dict[str, Any]] = Field(
        description="Articles, newest first: id, title, source, url, lang, published_at, "
        "first_seen_at, sentiment, the listings mentioned, event types, a snippet with `marks` "
        "([start, end) offsets of the matched words in it) and `matched` (why it matched: "
        "{kind: text, value: the term} or {kind: mention, value: listing, name})."
    )
    securities: list[dict[str, Any]] = Field(
        default_factory=list, description="The securities the query names, with every listing."
    )
    facets: dict[str, Any] | None = Field(
        default=None,
        description="Counts of all matches by day, lang, source and listing: "
        "[{value, label, count}], largest first (days newest first).",
    )


class IngestResult(BaseModel):
    """What a POST did with each document."""

    status: str = Field(description="ok, partial (some documents refused) or failed.")
    articles: list[dict[str, Any]] = Field(description="One entry per stored article.")
    quarantined: list[dict[str, Any]] = Field(description="Documents refused, with reasons.")
    summary: dict[str, Any] = Field(default_factory=dict)
