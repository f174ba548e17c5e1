"""``market``: the index board, market turnover and Stock Connect flows of one day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tickerwire.insights.days import day_moves, pick_day
from tickerwire.insights.issuers import index_info
from tickerwire.insights.movers import is_listing
from tickerwire.insights.reader import StoreReader
from tickerwire.insights.readings import Reading, article_reading, fact_reading, fact_source, settle
from tickerwire.insights.records import Record
from tickerwire.insights.refs import SourceRef
from tickerwire.store.rows import FactRow
from tickerwire.taxonomy import MARKET_AMOUNT_KINDS

# Board order for the indices news most often quotes; others follow alphabetically.
INDEX_ORDER = ("HSI", "HSCEI", "HSTECH", "HSCCI", "SSE", "SZSE", "CSI300", "STAR50", "CHINEXT")
# Flows with no stated subject are market totals (a flow into one stock names the stock);
# a turnover without a subject may be one stock's, so it stays off the board.
_SUBJECTLESS_OK = frozenset({"southbound_net_inflow", "northbound_net_inflow"})


@dataclass(frozen=True, slots=True)
class IndexRow(Record):
    index: str
    name_en: str
    name_zh: str | None
    level: float | None
    points: float | None
    pct: float | None
    qualifier: str
    horizon: str | None  # "close", or the session figure shown without one (midday, intraday, open)
    sources: tuple[SourceRef, ...]
    values: tuple[Reading, ...]  # ``value`` is the level
    disagreement: bool


@dataclass(frozen=True, slots=True)
class AmountRow(Record):
    """A money amount for a market: turnover or a Stock Connect net flow (outflow negative)."""

    kind: str
    subject: str | None  # market id ("HK", "SH" …) or None when the text names none
    value: float | None
    value_max: float | None
    currency: str | None
    qualifier: str
    sources: tuple[SourceRef, ...]
    values: tuple[Reading, ...]
    disagreement: bool


@dataclass(frozen=True, slots=True)
class MarketBoard(Record):
    day: date
    as_of: datetime | None
    indices: tuple[IndexRow, ...]
    turnover: tuple[AmountRow, ...]
    southbound: tuple[AmountRow, ...]
    northbound: tuple[AmountRow, ...]


MARKET_KINDS = ("index_level", "price_move", *MARKET_AMOUNT_KINDS)


def market(
    store: StoreReader, day: date | None = None, *, as_of: datetime | None = None
) -> MarketBoard:
    """Index levels and moves, turnover and flows reported for ``day`` (default: latest day)."""
    day = pick_day(store, day, as_of)
    rows = store.fact_rows(kinds=list(MARKET_KINDS), since=day, until=day, as_of=as_of)
    return market_board(day, as_of, rows)


def market_board(day: date, as_of: datetime | None, facts: Sequence[FactRow]) -> MarketBoard:
    """The board of ``day`` from its facts (``fact_rows`` of that day: of ``MARKET_KINDS`` or
    of every kind; the others are left out)."""
    rows = day_moves([row for row in facts if row.kind in MARKET_KINDS])
    amounts = amount_rows([row for row in rows if row.kind in MARKET_AMOUNT_KINDS])
    return MarketBoard(
        day=day,
        as_of=as_of,
        indices=index_rows([row for row in rows if row.kind in ("index_level", "price_move")]),
        turnover=tuple(row for row in amounts if row.kind == "turnover"),
        southbound=tuple(row for row in amounts if row.kind == "southbound_net_inflow"),
        northbound=tuple(row for row in amounts if row.kind == "northbound_net_inflow"),
    )


def index_rows(rows: Sequence[FactRow]) -> tuple[IndexRow, ...]:
    """One row per index from its ``index_level`` facts and index ``price_move`` facts."""
    groups = _by_subject_and_article(
        row for row in rows if row.subject and not is_listing(row.subject)
    )
    board = [_index_row(index, articles) for index, articles in groups.items()]
    return tuple(sorted(board, key=_index_order))


def _index_row(index: str, articles: dict[str, list[FactRow]]) -> IndexRow:
    values = _settled(articles, index_reading)
    primary = values[0]
    info = index_info(index)
    return IndexRow(
        index=index,
        name_en=info.name_en,
        name_zh=info.name_zh,
        level=primary.value,
        points=primary.points,
        pct=primary.pct,
        qualifier=primary.qualifier,
        horizon=primary.horizon,
        sources=primary.sources,
        values=values,
        disagreement=len(values) > 1,
    )


def index_reading(row: FactRow) -> Reading:
    """An index fact as a reading whose ``value`` is the level (a move's ``price``)."""
    if row.kind == "index_level":
        return fact_reading(row)
    return Reading(
        value=row.price,
        pct=row.pct,
        points=row.points,
        qualifier=row.qualifier,
        sources=(fact_source(row),),
        verification=row.verification,
    )


def amount_rows(rows: Sequence[FactRow]) -> tuple[AmountRow, ...]:
    """Market-level amounts, one row per (kind, market)."""
    kept = [
        row for row in rows
        if (row.subject is None and row.kind in _SUBJECTLESS_OK)
        or (row.subject is not None and not is_listing(row.subject))
    ]
    by_kind: dict[tuple[str, str | None], list[FactRow]] = defaultdict(list)
    for row in kept:
        by_kind[(row.kind, row.subject)].append(row)
    out = []
    for (kind, subject), facts in by_kind.items():
        values = _settled(_by_article(facts), fact_reading)
        primary = values[0]
        out.append(
            AmountRow(
                kind=kind,
                subject=subject,
                value=primary.value,
                value_max=primary.value_max,
                currency=primary.currency,
                qualifier=primary.qualifier,
                sources=primary.sources,
                values=values,
                disagreement=len(values) > 1,
            )
        )
    return tuple(sorted(out, key=lambda row: (row.kind, row.subject or "")))


def _settled(
    articles: dict[str, list[FactRow]], convert: Callable[[FactRow], Reading]
) -> tuple[Reading, ...]:
    return settle(article_reading(facts, convert) for facts in articles.values())


def _by_article(rows: Sequence[FactRow]) -> dict[str, list[FactRow]]:
    out: dict[str, list[FactRow]] = defaultdict(list)
    for row in rows:
        out[row.article_id].append(row)
    return out


def _by_subject_and_article(rows: Iterable[FactRow]) -> dict[str, dict[str, list[FactRow]]]:
    out: dict[str, dict[str, list[FactRow]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        out[row.subject or ""][row.article_id].append(row)
    return out


def _index_order(row: IndexRow) -> tuple[int, str]:
    rank = INDEX_ORDER.index(row.index) if row.index in INDEX_ORDER else len(INDEX_ORDER)
    return (rank, row.index)
