"""One page of an issuer's timeline: a slice of its articles with their facts and events.

A busy issuer's full timeline runs to hundreds of articles and thousands of facts, too much for
one response. A page holds ``limit`` articles (newest first, from ``offset``) and the facts and
events those articles state; ``days`` (one point per day with news) stays whole, so a chart of
coverage and sentiment needs no paging.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tickerwire.insights.issuers import IssuerHeader
from tickerwire.insights.records import Record
from tickerwire.insights.timeline import DayPoint, Timeline, TimelineArticle, TimelineEvent, TimelineFact


@dataclass(frozen=True, slots=True)
class TimelinePage(Record):
    query: str
    issuer: IssuerHeader
    since: date | None
    until: date | None
    as_of: datetime | None
    total: int  # articles across all pages
    limit: int
    offset: int
    articles: tuple[TimelineArticle, ...]  # newest first
    facts: tuple[TimelineFact, ...]  # of this page's articles, newest first
    events: tuple[TimelineEvent, ...]  # of this page's articles, newest first
    days: tuple[DayPoint, ...]  # every day with news, oldest first

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.articles) < self.total


def timeline_page(timeline: Timeline, *, limit: int, offset: int = 0) -> TimelinePage:
    """Articles ``offset`` … ``offset + limit`` of ``timeline`` and what they state."""
    articles = timeline.articles[offset : offset + limit]
    ids = {article.article_id for article in articles}
    return TimelinePage(
        query=timeline.query,
        issuer=timeline.issuer,
        since=timeline.since,
        until=timeline.until,
        as_of=timeline.as_of,
        total=len(timeline.articles),
        limit=limit,
        offset=offset,
        articles=articles,
        facts=tuple(f for f in timeline.facts if f.source.article_id in ids),
        events=tuple(e for e in timeline.events if e.source.article_id in ids),
        days=timeline.days,
    )
