"""An issuer's daily closes beside its news: the series the stock page charts.

``price_history`` returns the stored bars of each listing of a timeline's issuer over the
timeline's period (or the days its news covers, with a margin), each close also rebased to 100
on the first day every listing has a bar, so an A share in yuan and its H share in Hong Kong
dollars can share one chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tickerwire.insights.reader import StoreReader
from tickerwire.insights.records import Record
from tickerwire.insights.timeline import Timeline
from tickerwire.insights.timeline_page import TimelinePage

MARGIN = timedelta(days=10)  # bars shown before the first and after the last news day


@dataclass(frozen=True, slots=True)
class PricePoint(Record):
    day: date
    close: float
    rebased: float | None  # close × 100 / close on the common first day (None before it)


@dataclass(frozen=True, slots=True)
class ListingPrices(Record):
    code: str
    currency: str | None
    points: tuple[PricePoint, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class PriceHistory(Record):
    since: date | None
    until: date | None
    base_day: date | None  # the day every series is rebased to 100 on
    listings: tuple[ListingPrices, ...]  # listings with at least one bar, in the issuer's order


def price_history(
    store: StoreReader, timeline: Timeline | TimelinePage, *, as_of: datetime | None = None
) -> PriceHistory:
    days = [point.day for point in timeline.days] + [fact.day for fact in timeline.facts]
    since = timeline.since or (min(days) - MARGIN if days else None)
    until = timeline.until or (max(days) + MARGIN if days else None)
    codes = [listing.code for listing in timeline.issuer.listings]
    bars = store.price_bars(codes, since=since, until=until, as_of=as_of)
    closes: dict[str, dict[date, float]] = {}
    currency: dict[str, str | None] = {}
    for bar in bars:
        if bar.close is not None:
            closes.setdefault(bar.code, {})[bar.day] = bar.close
            currency[bar.code] = bar.currency
    shared = set.intersection(*(set(series) for series in closes.values())) if closes else set()
    base_day = min(shared) if shared else None
    listings = []
    for code in codes:
        series = closes.get(code)
        if not series:
            continue
        listings.append(ListingPrices(code, currency.get(code), tuple(
            PricePoint(day, close, _rebased(series, day, base_day)) for day, close in sorted(series.items()))))
    return PriceHistory(since, until, base_day, tuple(listings))


def _rebased(series: dict[date, float], day: date, base_day: date | None) -> float | None:
    if base_day is None or day < base_day:
        return None
    return round(series[day] * 100 / series[base_day], 4)


__all__ = ["ListingPrices", "PriceHistory", "PricePoint", "price_history"]
