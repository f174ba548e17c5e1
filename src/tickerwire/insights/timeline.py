"""``timeline``: everything stored about one issuer, across all its listings, newest first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import fmean
from typing import Any

from tickerwire.insights.days import row_day
from tickerwire.insights.issuers import IssuerHeader, resolve_issuer
from tickerwire.insights.reader import StoreReader
from tickerwire.insights.readings import fact_source
from tickerwire.insights.records import Record
from tickerwire.insights.refs import SourceRef, instant_key, source_ref
from tickerwire.model import Verification
from tickerwire.store.rows import ArticleHead, EventRow, FactRow, MentionRow, RowContext


@dataclass(frozen=True, slots=True)
class TimelineArticle(Record):
    article_id: str
    title: str | None
    source: str | None
    url: str | None
    lang: str | None
    published_at: datetime | None
    day: date | None  # None for an undated article: listed last, left out of the day series
    first_seen_at: datetime
    listings: tuple[str, ...]  # the issuer's listings the article names
    mentions: int
    sentiment: float | None  # toward the issuer when scored, else the article's tone
    sentiment_basis: str | None  # "issuer" | "article" | None
    sentiment_label: str | None  # the article's label
    story_id: str | None = None  # the story it belongs to (insights/stories.py), when assigned


@dataclass(frozen=True, slots=True)
class TimelineFact(Record):
    kind: str
    subject: str | None
    value: float | None
    value_max: float | None
    pct: float | None
    points: float | None
    price: float | None
    currency: str | None
    qualifier: str
    day: date  # the market day the fact is about
    horizon: str | None  # moves and levels: close, intraday, ytd … (extract.timeframes)
    source: SourceRef
    verification: Verification | None = None  # the prices' verdict (docs/prices.md)
    previous: float | None = None  # the old value of a changed figure (target raised from → to)


@dataclass(frozen=True, slots=True)
class TimelineEvent(Record):
    type: str
    subjects: tuple[str, ...]
    day: date
    source: SourceRef
    attributes: Mapping[str, Any] = field(default_factory=dict)  # an IPO's stage, prices …


@dataclass(frozen=True, slots=True)
class DayPoint(Record):
    day: date
    articles: int
    sentiment: float | None  # mean of the day's article scores (None when none are scored)
    stories: int = 0  # distinct stories among the day's articles (an unassigned one counts alone)


@dataclass(frozen=True, slots=True)
class Timeline(Record):
    query: str
    issuer: IssuerHeader
    since: date | None
    until: date | None
    as_of: datetime | None
    articles: tuple[TimelineArticle, ...]  # newest first
    facts: tuple[TimelineFact, ...]  # newest first
    events: tuple[TimelineEvent, ...]  # newest first
    days: tuple[DayPoint, ...]  # oldest first, days with articles only


def timeline(
    store: StoreReader,
    query: str,
    *,
    since: date | None = None,
    until: date | None = None,
    as_of: datetime | None = None,
) -> Timeline:
    """Every article, fact and event about the issuer ``query`` names, newest first.

    Raises ``UnknownSecurityError`` (a ``NotFoundError``) or ``AmbiguousSecurityError`` (an
    ``InvalidInputError``), both carrying candidates, when ``query`` does not name one issuer.
    """
    issuer = resolve_issuer(query)
    codes = list(issuer.codes)
    mentions = store.mention_rows(listings=codes, since=since, until=until, as_of=as_of)
    facts = store.fact_rows(subjects=codes, since=since, until=until, as_of=as_of)
    events = store.event_rows(subjects=codes, since=since, until=until, as_of=as_of)
    articles = _articles(store, issuer, mentions, [*facts, *events], as_of)
    return Timeline(
        query=query,
        issuer=issuer,
        since=since,
        until=until,
        as_of=as_of,
        articles=articles,
        facts=tuple(sorted((timeline_fact(row) for row in facts), key=newest_fact)),
        events=tuple(sorted((timeline_event(row) for row in events), key=newest_event)),
        days=day_series(articles),
    )


def _articles(
    store: StoreReader,
    issuer: IssuerHeader,
    mentions: Sequence[MentionRow],
    others: Iterable[RowContext],
    as_of: datetime | None,
) -> tuple[TimelineArticle, ...]:
    named: dict[str, list[MentionRow]] = defaultdict(list)
    for mention in mentions:
        named[mention.article_id].append(mention)
    ids = list(dict.fromkeys([*named, *(row.article_id for row in others)]))
    stored = store.article_heads(ids, as_of=as_of)
    stories = store.story_memberships(ids, as_of=as_of)
    out = [timeline_article(stored[article_id], issuer, named.get(article_id, []),
                    stories[article_id].story_id if article_id in stories else None)
           for article_id in ids if article_id in stored]
    return tuple(sorted(out, key=_newest_article))


def timeline_article(
    stored: ArticleHead, issuer: IssuerHeader, mentions: Sequence[MentionRow],
    story_id: str | None,
) -> TimelineArticle:
    score, basis = issuer_sentiment(stored, issuer.codes)
    return TimelineArticle(
        article_id=stored.id,
        title=stored.title,
        source=stored.source,
        url=stored.url,
        lang=stored.lang,
        published_at=stored.published_at,
        day=stored.published_date_hk,
        first_seen_at=stored.first_seen_at,
        listings=tuple(dict.fromkeys(m.listing for m in mentions)),
        mentions=len(mentions),
        sentiment=score,
        sentiment_basis=basis,
        sentiment_label=stored.sentiment_label,
        story_id=story_id,
    )


def issuer_sentiment(
    stored: ArticleHead, codes: Sequence[str]
) -> tuple[float | None, str | None]:
    """The article's tone toward the issuer (its ``by_subject`` scores), else its overall tone."""
    if not stored.extracted:
        return None, None
    by_subject = stored.sentiment_by_subject
    scores = [by_subject[code] for code in codes if code in by_subject]
    if scores:
        return fmean(scores), "issuer"
    return stored.sentiment_score, "article"


def day_series(articles: Iterable[TimelineArticle]) -> tuple[DayPoint, ...]:
    """Per day: how many articles and stories, and the mean of their sentiment scores."""
    return day_points((a.day, a.sentiment, a.story_id or a.article_id) for a in articles)


def day_points(articles: Iterable[tuple[date | None, float | None, str]]) -> tuple[DayPoint, ...]:
    """``day_series`` of (day, sentiment, story id or else article id) triples."""
    by_day: dict[date, list[tuple[float | None, str]]] = defaultdict(list)
    for day, sentiment, story in articles:
        if day is not None:
            by_day[day].append((sentiment, story))
    points = []
    for day in sorted(by_day):
        scores = [score for score, _ in by_day[day] if score is not None]
        stories = {story for _, story in by_day[day]}
        points.append(DayPoint(day, len(by_day[day]), round(fmean(scores), 4) if scores else None,
                               len(stories)))
    return tuple(points)


def timeline_fact(row: FactRow) -> TimelineFact:
    return TimelineFact(
        kind=row.kind,
        subject=row.subject,
        value=row.value,
        value_max=row.value_max,
        pct=row.pct,
        points=row.points,
        price=row.price,
        currency=row.currency,
        qualifier=row.qualifier,
        day=row.day or row_day(row),
        horizon=row.horizon,
        verification=row.verification,
        source=fact_source(row),
        previous=row.previous,
    )


def timeline_event(row: EventRow) -> TimelineEvent:
    return TimelineEvent(
        type=row.type,
        subjects=row.subjects,
        day=row_day(row),
        source=source_ref(row, row.text, row.start, row.end),
        attributes=row.attributes,
    )


def _newest_article(article: TimelineArticle) -> tuple[bool, float, str]:
    """Newest published first; undated articles last, most recently seen first."""
    when = article.published_at or article.first_seen_at
    return (article.published_at is None, -instant_key(when), article.article_id)


def newest_fact(fact: TimelineFact) -> tuple[float, str, int]:
    return (-instant_key(fact.source.published_at), fact.source.article_id, fact.source.start)


def newest_event(event: TimelineEvent) -> tuple[float, str, int]:
    return (-instant_key(event.source.published_at), event.source.article_id, event.source.start)
