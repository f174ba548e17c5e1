"""Which Hong Kong day an article, fact or event belongs to, and the default day of a board."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TypeVar

from tickerwire.errors import NotFoundError
from tickerwire.insights.reader import StoreReader
from tickerwire.store.rows import FactRow, RowContext
from tickerwire.taxonomy import MOVE_KINDS

FactRowT = TypeVar("FactRowT", bound=FactRow)

BOARD_KINDS = ("price_move", "index_level", "turnover", "close_price")
DAY_HORIZONS = ("close", "midday", "intraday", "open")
"""Horizons that describe one day's trading, best first: a board shows a subject's close, or
without one its latest session figure; ytd, week, since-listing … moves are not the day's move."""


def row_day(row: RowContext) -> date:
    """The published Hong Kong date of a fact's or event's article.

    Fact and event rows come from dated articles only (``store.fact_rows``/``event_rows``), so
    an undated article is never put on the day it was ingested.
    """
    if row.published_date_hk is None:
        raise ValueError(f"{row.article_id}: an undated article has no market day")
    return row.published_date_hk


def latest_day(store: StoreReader, as_of: datetime | None) -> date:
    """The default day of every board: the latest published day with market numbers.

    Falls back to the latest published day with any visible article.
    """
    day = store.latest_day(kinds=BOARD_KINDS, as_of=as_of) or store.latest_day(as_of=as_of)
    if day is None:
        when = f" as of {as_of.isoformat()}" if as_of else ""
        raise NotFoundError(f"no articles{when}: ingest some news first (tickerwire ingest PATH)")
    return day


def day_moves(rows: Sequence[FactRowT]) -> list[FactRowT]:
    """``rows`` with each subject's moves narrowed to its best day horizon (close first).

    Rows that are not moves pass through; a move stored before horizons were kept counts as a
    close.
    """
    rank = {h: i for i, h in enumerate(DAY_HORIZONS)}
    best: dict[tuple[str, str | None], int] = {}
    for row in rows:
        if row.kind in MOVE_KINDS and (row.horizon or "close") in rank:
            key = (row.kind, row.subject)
            best[key] = min(best.get(key, len(rank)), rank[row.horizon or "close"])
    return [
        row for row in rows
        if row.kind not in MOVE_KINDS
        or ((row.horizon or "close") in rank
        and rank[row.horizon or "close"] == best[(row.kind, row.subject)])
    ]


def pick_day(store: StoreReader, day: date | None, as_of: datetime | None) -> date:
    return day if day is not None else latest_day(store, as_of)
