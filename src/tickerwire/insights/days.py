"""Which Hong Kong day an article, fact or event belongs to, and the default day of a board."""

from __future__ import annotations

from datetime import date, datetime

from tickerwire.errors import NotFoundError
from tickerwire.insights.reader import StoreReader
from tickerwire.store.rows import RowContext

BOARD_KINDS = ("price_move", "index_level", "turnover", "close_price")


def row_day(row: RowContext) -> date:
    """The published Hong Kong date, or the day it was first seen for an undated article."""
    return row.day_hk


def latest_day(store: StoreReader, as_of: datetime | None) -> date:
    """The default day of every board: the latest published day with market numbers.

    Falls back to the latest day with any visible article (an undated article counts on the
    day it was first seen, which is why dated facts come first).
    """
    dated = [row.published_date_hk for row in store.fact_rows(kinds=BOARD_KINDS, as_of=as_of)]
    known = [day for day in dated if day is not None]
    if known:
        return max(known)
    days = store.days(as_of=as_of)
    if not days:
        when = f" as of {as_of.isoformat()}" if as_of else ""
        raise NotFoundError(f"no articles{when}: ingest some news first (tickerwire ingest PATH)")
    return max(days)


def pick_day(store: StoreReader, day: date | None, as_of: datetime | None) -> date:
    return day if day is not None else latest_day(store, as_of)
