"""Which Hong Kong day an article, fact or event belongs to, and the default day of a board."""

from __future__ import annotations

from datetime import date, datetime

from tickerwire.errors import NotFoundError
from tickerwire.insights.reader import StoreReader
from tickerwire.store.codec import hk_date
from tickerwire.store.rows import RowContext


def row_day(row: RowContext) -> date:
    """The published Hong Kong date, or the day it was first seen for an undated article."""
    return row.published_date_hk or hk_date(row.first_seen_at)


def latest_day(store: StoreReader, as_of: datetime | None) -> date:
    """The latest Hong Kong day with visible articles (the default day of every board)."""
    days = store.days(as_of=as_of)
    if not days:
        when = f" as of {as_of.isoformat()}" if as_of else ""
        raise NotFoundError(f"no articles{when}: ingest some news first (tickerwire ingest PATH)")
    return max(days)


def pick_day(store: StoreReader, day: date | None, as_of: datetime | None) -> date:
    return day if day is not None else latest_day(store, as_of)
