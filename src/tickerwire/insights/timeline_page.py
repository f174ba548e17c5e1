"""One page of an issuer's timeline: a slice of its articles with their facts and events.

A busy issuer's full timeline runs to thousands of articles and tens of thousands of facts, too
much for one response and for one request's memory. A page holds ``limit`` articles (newest
first, from ``offset``) and the facts and events those articles state, read for those articles
only; ``days`` (one point per day with news) stays whole, from each article's header and tone
alone, so a chart of coverage and sentiment needs no paging. The number of queries does not grow
with the issuer's coverage: one for the article list, one per 500 articles for their headers,
tones and stories, and three for the page's mentions, facts and events. The
rows read still do: ``days`` and ``total`` read one header per article of the issuer
(docs/performance-insights.md, "Not reached").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

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
from tickerwire.store.rows import MentionRow


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


def timeline_page(
    store: StoreReader,
    query: str,
    *,
    limit: int,
    offset: int = 0,
    since: date | None = None,
    until: date | None = None,
    as_of: datetime | None = None,
) -> TimelinePage:
    """Articles ``offset`` … ``offset + limit`` of the issuer ``query`` names, and what they
    state: the same page as slicing the full ``timeline``, read for those articles only."""
    issuer = resolve_issuer(query)
    codes = list(issuer.codes)
    found = store.issuer_articles(codes, since=since, until=until, as_of=as_of)
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

    return TimelinePage(
        query=query,
        issuer=issuer,
        since=since,
        until=until,
        as_of=as_of,
        total=len(found),
        limit=limit,
        offset=offset,
        articles=tuple(timeline_article(a.head, issuer, named.get(a.head.id, []), a.story_id)
                       for a in page),
        facts=tuple(sorted((timeline_fact(row) for row in facts), key=newest_fact)),
        events=tuple(sorted((timeline_event(row) for row in events), key=newest_event)),
        days=day_points((a.head.published_date_hk, issuer_sentiment(a.head, codes)[0],
                         a.story_id or a.head.id) for a in found),
    )
