"""Does the news carry a signal? Returns of the companies news is about, by event and tone.

For every event about a listing (an event's subjects that are listing codes) on a dated
article, the **same-day** return is the return of the listing's trading day the article is dated
(a weekend or holiday article: the last session before it, which is what it reports on) and the
**next-day** return that of the trading day after. Each is also taken **relative** to the
listing's market index (HSI for Hong Kong, CSI 300 for A shares, the S&P 500 for US listings):
the listing's return minus the index's. Several articles reporting the same event about the same
company on the same day count once. Observations are grouped by event type and by the tone of
the article toward that company (its sentiment label for the company, else the article's),
and each group gets its count, mean and t-statistic (mean / (standard deviation / √n)).

Same-day returns are contemporaneous: a wrap published after the close describes them. The
next-day return is the first one after an after-close article; it is the question of a trader.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean, stdev

from tickerwire.insights.reader import StoreReader
from tickerwire.insights.records import Record
from tickerwire.prices.returns import daily_return
from tickerwire.prices.verdicts import bar_lookup
from tickerwire.refdata.calendars import calendar_for
from tickerwire.store.rows import EventRow, StoredArticle

TONES = ("negative", "neutral", "positive")
BENCHMARKS = {"HK": "HSI", "SH": "CSI300", "SZ": "CSI300", "BJ": "CSI300", "US": "SPX"}


@dataclass(frozen=True, slots=True)
class ReturnStats(Record):
    n: int
    mean_pct: float | None  # mean return in per cent
    t_stat: float | None  # None below two observations or with no spread


@dataclass(frozen=True, slots=True)
class StudyRow(Record):
    event_type: str
    tone: str
    same_day: ReturnStats
    next_day: ReturnStats
    same_day_relative: ReturnStats
    next_day_relative: ReturnStats


@dataclass(frozen=True, slots=True)
class Study(Record):
    since: date | None
    until: date | None
    as_of: datetime | None
    benchmarks: dict[str, str]  # listing market → index the relative returns use
    events: int  # distinct (event type, listing, day) observations
    without_prices: int  # of those, how many had no bar for the day (left out)
    rows: tuple[StudyRow, ...]  # by event type, then tone


@dataclass(frozen=True, slots=True)
class _Observation:
    event_type: str
    tone: str
    listing: str
    day: date


def study(
    store: StoreReader,
    *,
    since: date | None = None,
    until: date | None = None,
    as_of: datetime | None = None,
) -> Study:
    events = [row for row in store.event_rows(since=since, until=until, as_of=as_of)
              if row.published_date_hk is not None]
    articles = store.get_articles(sorted({row.article_id for row in events}), as_of=as_of)
    observations = sorted({obs for row in events for obs in _observations(row, articles)},
                          key=lambda o: (o.event_type, o.tone, o.listing, o.day))
    codes = sorted({o.listing for o in observations} | set(BENCHMARKS.values()))
    days = [o.day for o in observations]
    bars = bar_lookup(store.price_bars(
        codes, since=min(days) - timedelta(days=20) if days else None,
        until=max(days) + timedelta(days=20) if days else None, as_of=as_of))
    grouped: dict[tuple[str, str], list[tuple[float, float | None, float | None, float | None]]] = (
        defaultdict(list))
    missing = 0
    for obs in observations:
        calendar = calendar_for(obs.listing)
        day0 = calendar.on_or_before(obs.day)
        day1 = calendar.next(day0)
        same = daily_return(bars, obs.listing, day0)
        if same is None:
            missing += 1
            continue
        nxt = daily_return(bars, obs.listing, day1)
        index = BENCHMARKS.get(obs.listing.rsplit(".", 1)[-1])
        same_index = daily_return(bars, index, day0) if index else None
        next_index = daily_return(bars, index, day1) if index else None
        grouped[(obs.event_type, obs.tone)].append((
            same, nxt,
            same - same_index if same_index is not None else None,
            nxt - next_index if nxt is not None and next_index is not None else None,
        ))
    rows = tuple(
        StudyRow(event_type, tone, *(_stats([v[i] for v in values]) for i in range(4)))
        for (event_type, tone), values in sorted(grouped.items(), key=lambda kv: (kv[0][0], TONES.index(kv[0][1])))
    )
    return Study(since, until, as_of, dict(BENCHMARKS), len(observations), missing, rows)


def _observations(row: EventRow, articles: dict[str, StoredArticle]) -> list[_Observation]:
    article = articles.get(row.article_id)
    sentiment = article.extraction.sentiment if article and article.extraction else None
    assert row.published_date_hk is not None
    out = []
    for subject in row.subjects:
        if "." not in subject:  # an index or a market: not a company
            continue
        tone = (sentiment.labels.get(subject) or sentiment.label) if sentiment else "neutral"
        out.append(_Observation(row.type, tone if tone in TONES else "neutral", subject,
                                row.published_date_hk))
    return out


def _stats(values: list[float | None]) -> ReturnStats:
    kept = [v * 100 for v in values if v is not None]
    if not kept:
        return ReturnStats(0, None, None)
    mean = fmean(kept)
    spread = stdev(kept) if len(kept) > 1 else 0.0
    t_stat = mean / (spread / math.sqrt(len(kept))) if spread > 0 else None
    return ReturnStats(len(kept), round(mean, 4), round(t_stat, 3) if t_stat is not None else None)


__all__ = ["BENCHMARKS", "ReturnStats", "Study", "StudyRow", "study"]
