"""Conversions between Python values and the text the database stores.

Instants are stored as fixed-width ISO 8601 UTC text (``2025-10-24T08:30:00.000000+00:00``) so
that string order is time order. A naive datetime handed to the store is Hong Kong time, the
same rule the readers apply to source times.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from tickerwire.timeutil import HONG_KONG

# Upper bound used when a query has no ``as_of``: later than any instant the store will hold.
END_OF_TIME = "9999-12-31T23:59:59.999999+00:00"


def aware(moment: datetime) -> datetime:
    """``moment`` with a time zone; naive values are taken as Hong Kong time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HONG_KONG)


def utc_text(moment: datetime) -> str:
    return aware(moment).astimezone(UTC).isoformat(timespec="microseconds")


def utc_now_text(now: datetime | None = None) -> str:
    return utc_text(now if now is not None else datetime.now(UTC))


def as_of_text(as_of: datetime | None) -> str:
    return END_OF_TIME if as_of is None else utc_text(as_of)


def hk_date(moment: datetime) -> date:
    return aware(moment).astimezone(HONG_KONG).date()


@lru_cache(maxsize=16384)
def parse_instant(text: str) -> datetime:
    """Cached: row queries repeat the same article times on many rows."""
    return datetime.fromisoformat(text)


def parse_optional_instant(text: str | None) -> datetime | None:
    return None if text is None else parse_instant(text)


@lru_cache(maxsize=4096)
def parse_date(text: str) -> date:
    return date.fromisoformat(text)


def parse_optional_date(text: str | None) -> date | None:
    return None if text is None else parse_date(text)


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)


def to_json(value: Any) -> str:
    """``value`` as the store's JSON: UTF-8 text, sorted keys. One encoder serves every call:
    ``json.dumps`` with options builds one per call, and an article's rows take about forty."""
    return _ENCODER.encode(value)


def from_json(text: str | None, default: Any) -> Any:
    return default if text is None else json.loads(text)
