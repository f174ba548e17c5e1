"""Query parameters shared by the API and the dashboard: ``as_of``, days, paging, errors.

The parsing is :mod:`tickerwire.timeutil`'s; here its :class:`InvalidTimeError` becomes the
server's 422 naming the query parameter.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Query, Request

from tickerwire import timeutil
from tickerwire.server.deps import AppSettings
from tickerwire.server.errors import ApiError

MAX_OFFSET = 1_000_000

AS_OF_HELP = (
    "Answer as the database stood at this instant: ISO 8601 time (naive = Hong Kong time) or "
    "YYYY-MM-DD (the end of that day, Hong Kong time). Nothing first seen later is used. "
    "Instants past year 9999 or before year 1 (in UTC) are clamped to the calendar's ends."
)


def invalid_param(name: str, value: str, expected: str) -> ApiError:
    return ApiError(
        422,
        "validation_error",
        f"query parameter {name}={value!r} is not {expected}",
        detail=[{"loc": ["query", name], "msg": f"expected {expected}", "type": "value_error"}],
    )


def parse_day(value: str | None, name: str) -> date | None:
    """``YYYY-MM-DD`` → date; blank → ``None``; anything else a 422 naming ``name``."""
    try:
        return timeutil.parse_day(value, name)
    except timeutil.InvalidTimeError as exc:
        raise invalid_param(name, exc.value, exc.expected) from None


def parse_instant(value: str | None, name: str) -> datetime | None:
    """A day (its last instant, HK time) or an ISO 8601 time; naive times are Hong Kong time."""
    try:
        return timeutil.parse_instant(value, name)
    except timeutil.InvalidTimeError as exc:
        raise invalid_param(name, exc.value, exc.expected) from None


def as_of_param(
    as_of: Annotated[str | None, Query(description=AS_OF_HELP, examples=["2025-10-24"])] = None,
) -> datetime | None:
    return parse_instant(as_of, "as_of")


def day_param(
    day: Annotated[
        str | None,
        Query(
            alias="date",
            description="Trading day YYYY-MM-DD (Hong Kong); default: the latest day with news.",
            examples=["2025-10-24"],
        ),
    ] = None,
) -> date | None:
    return parse_day(day, "date")


AsOf = Annotated[datetime | None, Depends(as_of_param)]
Day = Annotated[date | None, Depends(day_param)]


def page_param(
    settings: AppSettings,
    limit: Annotated[
        int, Query(ge=1, description="Results per page (at most the server's max page size).")
    ] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Results to skip.")] = 0,
) -> tuple[int, int]:
    """``(limit, offset)``; a limit over the server's ``max_page_size`` is a 422."""
    if limit > settings.max_page_size:
        raise ApiError(
            422,
            "validation_error",
            f"limit={limit} is over the maximum page size of {settings.max_page_size}: "
            "page through results with offset",
            detail=[{"loc": ["query", "limit"], "msg": f"at most {settings.max_page_size}",
                     "type": "less_than_equal"}],
        )
    return limit, offset


Paging = Annotated[tuple[int, int], Depends(page_param)]


def next_page(request: Request, *, limit: int, offset: int, total: int) -> str | None:
    """The path and query of the next page (same parameters, ``offset`` moved on), or ``None``
    on the last page."""
    if offset + limit >= total or offset + limit > MAX_OFFSET:
        return None
    url = request.url.include_query_params(limit=limit, offset=offset + limit)
    return f"{url.path}?{url.query}"
