"""``movers``: the securities whose price moves were reported on a day, biggest first.

Each listing is its own row (an A share and its H share move apart). A row's numbers are the
readings its sources give (see ``readings``); the "why" is the events the same articles report
about the same issuer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tickerwire.insights.days import day_moves, pick_day
from tickerwire.insights.issuers import issuer_for_code
from tickerwire.insights.reader import StoreReader
from tickerwire.insights.readings import (
    Reading,
    article_reading,
    fact_reading,
    fact_source,
    merge,
    settle,
)
from tickerwire.insights.records import Record
from tickerwire.insights.refs import SourceRef, source_ref
from tickerwire.refdata.rules import load_rules
from tickerwire.store.rows import EventRow, FactRow

_words = load_rules().alternation

# A close_price fact quoting the previous session's close is not the day's close.
_PREVIOUS_CLOSE = re.compile(_words("previous_close"), re.I)
# Event types that explain a move when they carry no subject of their own (market-wide news).


# News that is announced for later, not reported: it cannot be the reason for today's move.
SCHEDULED = re.compile(_words("scheduled"), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Driver(Record):
    """An event about the security reported in the same article as its move: the stated reason,
    in its own words. Market-wide news beside a move is not its reason: none is better than a
    wrong one."""

    type: str
    subjects: tuple[str, ...]
    source: SourceRef


@dataclass(frozen=True, slots=True)
class Mover(Record):
    listing: str
    issuer: str | None
    name: str | None
    exchange: str | None
    kind: str | None  # the listing's kind in the security master (A, H, ADR …)
    pct: float
    qualifier: str
    price: float | None
    currency: str | None
    horizon: str | None  # "close", or the session figure shown without one (midday, intraday, open)
    sources: tuple[SourceRef, ...]  # of the numbers above
    values: tuple[Reading, ...]  # every distinct reading, best supported first
    disagreement: bool  # sources give different numbers: all are in ``values``
    drivers: tuple[Driver, ...]


@dataclass(frozen=True, slots=True)
class MoversBoard(Record):
    day: date
    as_of: datetime | None
    movers: tuple[Mover, ...]

    @property
    def gainers(self) -> tuple[Mover, ...]:
        """The listings that rose, biggest rise first."""
        return tuple(sorted((m for m in self.movers if m.pct > 0), key=lambda m: -m.pct))

    @property
    def losers(self) -> tuple[Mover, ...]:
        """The listings that fell, biggest fall first."""
        return tuple(sorted((m for m in self.movers if m.pct < 0), key=lambda m: m.pct))


def movers(
    store: StoreReader,
    day: date | None = None,
    *,
    as_of: datetime | None = None,
    limit: int = 50,
) -> MoversBoard:
    """Listings with reported price moves on ``day`` (default: the latest day with articles)."""
    day = pick_day(store, day, as_of)
    facts = store.fact_rows(kinds=list(MOVER_KINDS), since=day, until=day, as_of=as_of)
    events = store.event_rows(since=day, until=day, as_of=as_of)
    return movers_board(day, as_of, facts, events, limit=limit)


MOVER_KINDS = ("price_move", "close_price")


def movers_board(
    day: date, as_of: datetime | None, facts: Sequence[FactRow], events: Sequence[EventRow],
    *, limit: int = 50,
) -> MoversBoard:
    """The movers of ``day`` from its facts (``fact_rows`` of that day: of ``MOVER_KINDS`` or
    of every kind) and its events (``event_rows`` of that day)."""
    rows = day_moves([row for row in facts if row.kind in MOVER_KINDS])
    by_listing: dict[str, list[FactRow]] = defaultdict(list)
    for row in rows:
        if row.subject is not None and is_listing(row.subject):
            by_listing[row.subject].append(row)
    events_of: dict[str, list[EventRow]] = defaultdict(list)
    for event in events:
        events_of[event.article_id].append(event)
    board = [_mover(code, facts, events_of) for code, facts in by_listing.items()]
    ranked = sorted(
        (mover for mover in board if mover is not None),
        key=lambda mover: (-abs(mover.pct), mover.listing),
    )
    return MoversBoard(day=day, as_of=as_of, movers=tuple(ranked[: max(0, limit)]))


def is_listing(subject: str) -> bool:
    """Listing codes are canonical ``CODE.MARKET``; index ids and market ids have no dot."""
    return "." in subject


def listing_readings(rows: Sequence[FactRow]) -> tuple[Reading, ...]:
    """One reading per article (its close wins over intraday numbers), grouped by agreement."""
    by_article: dict[str, list[FactRow]] = defaultdict(list)
    for row in rows:
        if row.kind == "close_price" and _PREVIOUS_CLOSE.search(row.text):
            continue
        by_article[row.article_id].append(row)
    return settle(_one_article(facts) for facts in by_article.values())


def _one_article(rows: Sequence[FactRow]) -> Reading:
    moves = [row for row in rows if row.kind == "price_move"]
    closes = [_close_reading(row) for row in rows if row.kind == "close_price"]
    reading = article_reading(moves, fact_reading) if moves else closes.pop(0)
    for close in closes:
        reading = merge(reading, close) or reading
    return reading


def _close_reading(row: FactRow) -> Reading:
    return Reading(price=row.value, currency=row.currency, sources=(fact_source(row),),
                   verification=row.verification)


def _mover(
    code: str, rows: Sequence[FactRow], events_of: Mapping[str, Sequence[EventRow]]
) -> Mover | None:
    values = listing_readings(rows)
    primary = next((reading for reading in values if reading.pct is not None), None)
    if primary is None or primary.pct is None:
        return None
    issuer = issuer_for_code(code)
    listing = issuer.listing(code) if issuer else None
    articles = {ref.article_id for reading in values for ref in reading.sources}
    return Mover(
        listing=code,
        issuer=issuer.id if issuer else None,
        name=issuer.name if issuer else None,
        exchange=listing.exchange if listing else None,
        kind=listing.kind if listing else None,
        pct=primary.pct,
        qualifier=primary.qualifier,
        horizon=primary.horizon,
        price=primary.price,
        currency=primary.currency,
        sources=primary.sources,
        values=values,
        disagreement=len(values) > 1,
        drivers=drivers_for(code, issuer.codes if issuer else (code,), articles,
                            [e for article in articles for e in events_of.get(article, ())]),
    )


def drivers_for(
    listing: str, codes: Iterable[str], article_ids: set[str], events: Sequence[EventRow]
) -> tuple[Driver, ...]:
    """Events in ``article_ids`` about the issuer (a sector event naming it counts), the move's
    own sentence last. Another listing's price move (the H share's for an A-share mover) is not
    this listing's reason, and news that is only scheduled ("results from Tencent next week") is
    no reason at all."""
    wanted = set(codes)
    found = [
        Driver(row.type, row.subjects, source_ref(row, row.text, row.start, row.end))
        for row in events
        if row.article_id in article_ids
        and row.type != "index_move"
        and wanted & set(row.subjects)
        and (row.type != "price_move" or listing in row.subjects)
        and not SCHEDULED.search(row.text)
    ]
    found.sort(key=lambda d: (d.type == "price_move", d.source.article_id, d.source.start))
    return tuple(found)

