"""One page of an issuer's timeline: a slice of its articles with their facts and events.

A busy issuer's full timeline runs to hundreds of thousands of articles (583,338 of a million
for 00981.HK in the benchmark store), too much for one response and for one request's memory.
A page holds ``limit`` articles (newest first, from ``offset``) and the facts and events those
articles state, read for those articles only. What a page reads is bounded by
``DAYS_ARTICLES`` and the page's end, not by the issuer's coverage:

- ``days`` (one point per day with news, for a chart of coverage and sentiment) comes from the
  newest ``DAYS_ARTICLES`` articles; when the issuer has more, the series starts at
  ``days_from``, the first day it covers completely (None: it covers every article).
  ``since``/``until`` move the window.
- ``total`` counts articles up to ``DAYS_ARTICLES`` or one past the page's end, whichever is more
  (``total_exact`` false: there are more), like the story list.

The newest articles are found by index or by a newest-first walk that stops after them
(``store.issuer_articles``); then one query per 500 of them for their headers, tones and
stories, and three for the page's mentions, facts and events (docs/performance-insights.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tickerwire.insights.issuers import IssuerHeader, resolve_issuer
from tickerwire.insights.reader import StoreReader
from tickerwire.insights.records import Record
from tickerwire.insights.timeline import (
    DayPoint,
    TimelineArticle,
    TimelineEvent,
    TimelineFact,
    day_points,
    issuer_sentiment,
    newest_event,
    newest_fact,
    timeline_article,
    timeline_event,
    timeline_fact,
)
from tickerwire.store.rows import IssuerArticle, MentionRow


@dataclass(frozen=True, slots=True)
class TimelinePage(Record):
    query: str
    issuer: IssuerHeader
    since: date | None
    until: date | None
    as_of: datetime | None
    total: int  # articles across all pages, counted up to the bound (see total_exact)
    limit: int
    offset: int
    articles: tuple[TimelineArticle, ...]  # newest first
    facts: tuple[TimelineFact, ...]  # of this page's articles, newest first
    events: tuple[TimelineEvent, ...]  # of this page's articles, newest first
    days: tuple[DayPoint, ...]  # every day with news from days_from, oldest first
    total_exact: bool = True  # false: more than ``total`` articles (the count stopped there)
    days_from: date | None = None  # the first day ``days`` covers; None: every article's day

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.articles) < self.total


# The newest articles the day series and the count read (see above): 85 ms of CPU for a page of
# 00981.HK at a million articles, about a week of its news (docs/performance-insights.md).
DAYS_ARTICLES = 1000


def timeline_page(
    store: StoreReader,
    query: str,
    *,
    limit: int,
    offset: int = 0,
    since: date | None = None,
    until: date | None = None,
    as_of: datetime | None = None,
    days_articles: int = DAYS_ARTICLES,
) -> TimelinePage:
    """Articles ``offset`` … ``offset + limit`` of the issuer ``query`` names, and what they
    state: the same page as slicing the full ``timeline``, read for those articles only;
    ``days`` and ``total`` from the newest ``days_articles`` (or to the page's end)."""
    issuer = resolve_issuer(query)
    codes = list(issuer.codes)
    counted = max(days_articles, offset + limit + 1)  # one past the page: is there a next?
    found = store.issuer_articles(codes, since=since, until=until, as_of=as_of,
                                  at_most=counted + 1)
    page = found[offset : offset + limit]
    extractions = [article.extraction_id for article in page]
    named: dict[str, list[MentionRow]] = defaultdict(list)
    for mention in store.mention_rows(listings=codes, since=since, until=until, as_of=as_of,
                                      extraction_ids=extractions):
        named[mention.article_id].append(mention)
    facts = store.fact_rows(subjects=codes, since=since, until=until, as_of=as_of,
                            extraction_ids=extractions)
    events = store.event_rows(subjects=codes, since=since, until=until, as_of=as_of,
                              extraction_ids=extractions)

    days = day_points((a.head.published_date_hk, issuer_sentiment(a.head, codes)[0],
                       a.story_id or a.head.id) for a in found[:days_articles])
    days_from = _complete_from(found[days_articles:])
    return TimelinePage(
        query=query,
        issuer=issuer,
        since=since,
        until=until,
        as_of=as_of,
        total=min(len(found), counted),
        total_exact=len(found) <= counted,
        limit=limit,
        offset=offset,
        articles=tuple(timeline_article(a.head, issuer, named.get(a.head.id, []), a.story_id)
                       for a in page),
        facts=tuple(sorted((timeline_fact(row) for row in facts), key=newest_fact)),
        events=tuple(sorted((timeline_event(row) for row in events), key=newest_event)),
        days=tuple(point for point in days if days_from is None or point.day >= days_from),
        days_from=days_from,
    )


def _complete_from(left_out: Sequence[IssuerArticle]) -> date | None:
    """The first day the day series covers completely when ``left_out`` (newest first) are
    the articles it leaves out: the day after the newest of them (whose day is cut); None when
    none of them has a day (undated articles belong to no day)."""
    day = left_out[0].head.published_date_hk if left_out else None
    return None if day is None else day + timedelta(days=1)
