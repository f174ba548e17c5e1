"""Query parameters shared by the read endpoints: ``as_of``, days and paging."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated

from fastapi import Depends, Query

from tickerwire.api.errors import ApiError

HONG_KONG = timezone(timedelta(hours=8), "HKT")  # no daylight saving since 1979

AS_OF_HELP = (
    "Answer as the database stood at this instant: ISO 8601 time (naive = Hong Kong time) or "
    "YYYY-MM-DD (the end of that day, Hong Kong time). Nothing first seen later is used."
)


def invalid_param(name: str, value: str, expected: str) -> ApiError:
    return ApiError(
        422,
        "validation_error",
        f"query parameter {name}={value!r} is not {expected}",
        detail=[{"loc": ["query", name], "msg": f"expected {expected}", "type": "value_error"}],
    )


def parse_day(value: str | None, name: str) -> date | None:
    """``YYYY-MM-DD`` → date."""
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise invalid_param(name, value, "a date like 2025-10-24") from None


def parse_instant(value: str | None, name: str) -> datetime | None:
    """A day (its last instant, HK time) or an ISO 8601 time; naive times are Hong Kong time."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if len(text) == 10:
        day = parse_day(text, name)
        if day is not None:
            return datetime.combine(day, time.max, tzinfo=HONG_KONG)
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_param(name, value, "a time like 2025-10-24T16:10:00+08:00") from None
    return instant if instant.tzinfo else instant.replace(tzinfo=HONG_KONG)


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
