"""Stories as the CLI, API and dashboard show them: a page of stories, and one story in full.

A story's lead article is its earliest published visible member (first seen on ties); the
others are its "+N sources". Its subjects are the companies its articles name in their titles
and the subjects of their facts; its languages and sources are those of its visible articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tickerwire.errors import NotFoundError
from tickerwire.insights.reader import StoreReader
from tickerwire.insights.records import Record
from tickerwire.insights.stories import first_reports
from tickerwire.insights.story_match import StorySignature, fact_key
from tickerwire.store.codec import hk_date
from tickerwire.store.rows import StoredArticle, StoryMemberRow, StoryRow
from tickerwire.timeutil import HONG_KONG


@dataclass(frozen=True, slots=True)
class StoryArticle(Record):
    article_id: str
    title: str | None
    source: str | None
    url: str | None
    lang: str | None
    published_at: datetime | None
    joined_at: datetime
    reason: str  # first | locale | near_duplicate | facts
    matched_article_id: str | None
    score: float | None
    novelty: float | None
    facts: int
    new_facts: int


@dataclass(frozen=True, slots=True)
class StoryFact(Record):
    """A fact of a story's article; ``first_report`` when no earlier article had stated it."""

    article_id: str
    kind: str
    subject: str | None
    text: str
    start: int
    end: int
    day: date | None
    first_report: bool
    first_article_id: str | None


@dataclass(frozen=True, slots=True)
class StorySummary(Record):
    id: str
    title: str | None
    lead_article_id: str
    day: date  # Hong Kong day of the lead article's publication (or first sight)
    first_seen_at: datetime
    articles: int
    other_sources: int  # articles besides the lead ("+N sources")
    sources: tuple[str, ...]
    languages: tuple[str, ...]
    subjects: tuple[str, ...]


# A story list counts its stories up to this many (or to its page's end): counting every story
# of a large store reads them all (791,673 in the million-article benchmark store).
COUNT_LIMIT = 1_000


@dataclass(frozen=True, slots=True)
class StoryPage(Record):
    total: int  # stories, counted up to COUNT_LIMIT (or to the page's end, past it)
    offset: int
    stories: tuple[StorySummary, ...]
    total_exact: bool = True  # false: more stories than ``total``


@dataclass(frozen=True, slots=True)
class StoryDetail(Record):
    story: StorySummary
    articles: tuple[StoryArticle, ...]
    facts: tuple[StoryFact, ...]


def _day_bounds(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    lo = None if since is None else datetime.combine(since, time.min, HONG_KONG)
    hi = None if until is None else datetime.combine(until + timedelta(days=1), time.min,
                                                     HONG_KONG) - timedelta(microseconds=1)
    return lo, hi


def list_stories(
    store: StoreReader,
    *,
    since: date | None = None,
    until: date | None = None,
    subjects: Sequence[str] | None = None,
    min_articles: int = 1,
    limit: int = 50,
    offset: int = 0,
    as_of: datetime | None = None,
) -> StoryPage:
    """Stories first published between ``since`` and ``until`` (Hong Kong days), newest first.

    ``subjects`` keeps stories about any of those listings or index ids; ``min_articles`` keeps
    stories told by at least that many articles.
    """
    lo, hi = _day_bounds(since, until)
    wanted = list(subjects) if subjects else None
    rows = store.stories(since=lo, until=hi, subjects=wanted, min_articles=min_articles,
                         limit=limit, offset=offset, as_of=as_of)
    bound = max(COUNT_LIMIT, offset + limit)
    counted = store.count_stories(since=lo, until=hi, subjects=wanted, min_articles=min_articles,
                                  upto=bound + 1, as_of=as_of)
    return StoryPage(min(counted, bound), offset,
                     tuple(_summaries(store, [story for story, _ in rows], as_of)),
                     total_exact=counted <= bound)


def story_detail(store: StoreReader, story_id: str, *, as_of: datetime | None = None) -> StoryDetail:
    """One story with its articles (lead first) and their facts, each marked first report or
    not; raises ``NotFoundError`` when no such story is visible ``as_of``."""
    rows = store.stories(story_ids=[story_id], as_of=as_of, limit=1)
    if not rows:
        raise NotFoundError(f"no story {story_id!r}" + (f" as of {as_of.isoformat()}" if as_of else ""))
    members = store.story_members([story_id], as_of=as_of)
    articles = store.get_articles([m.article_id for m in members], as_of=as_of)
    summary = _summary(rows[0][0], members, articles)
    keyed = [
        (m.article_id, fact, fact_key(fact))
        for m in members if (a := articles.get(m.article_id)) and a.extraction
        for fact in a.extraction.facts
    ]
    firsts = first_reports(store, [k for _, _, k in keyed if k is not None],
                           around=[m.anchor_at for m in members], as_of=as_of)
    facts = tuple(
        StoryFact(article_id, f.kind, f.subject, f.text, f.start, f.end, f.day,
                  key is not None and firsts.get(key) == article_id,
                  firsts.get(key) if key is not None else None)
        for article_id, f, key in keyed
    )
    return StoryDetail(summary, tuple(_article(m, articles.get(m.article_id)) for m in members),
                       facts)


def _summaries(
    store: StoreReader, stories: Sequence[StoryRow], as_of: datetime | None
) -> list[StorySummary]:
    members = store.story_members([s.id for s in stories], as_of=as_of)
    articles = store.get_articles([m.article_id for m in members], as_of=as_of)
    by_story: dict[str, list[StoryMemberRow]] = {}
    for member in members:
        by_story.setdefault(member.story_id, []).append(member)
    return [_summary(story, by_story.get(story.id, []), articles) for story in stories
            if by_story.get(story.id)]


def _summary(
    story: StoryRow, members: Sequence[StoryMemberRow], articles: dict[str, StoredArticle]
) -> StorySummary:
    lead = members[0]  # members come oldest publication first
    lead_article = articles.get(lead.article_id)
    visible = [articles[m.article_id] for m in members if m.article_id in articles]
    subjects: set[str] = set()
    for member in members:
        signature = StorySignature.from_dict(member.article_id, member.anchor_at, member.signature)
        subjects.update(signature.subjects())
    return StorySummary(
        id=story.id,
        title=(lead_article.title if lead_article and lead_article.title else story.title),
        lead_article_id=lead.article_id,
        day=hk_date(lead.anchor_at),
        first_seen_at=story.first_seen_at,
        articles=len(members),
        other_sources=len(members) - 1,
        sources=tuple(sorted({a.source for a in visible if a.source})),
        languages=tuple(sorted({a.lang for a in visible if a.lang})),
        subjects=tuple(sorted(subjects)),
    )


def _article(member: StoryMemberRow, stored: StoredArticle | None) -> StoryArticle:
    return StoryArticle(
        article_id=member.article_id,
        title=stored.title if stored else None,
        source=stored.source if stored else None,
        url=stored.url if stored else None,
        lang=stored.lang if stored else None,
        published_at=stored.published_at if stored else None,
        joined_at=member.joined_at,
        reason=member.reason,
        matched_article_id=member.matched_article_id,
        score=member.score,
        novelty=member.novelty,
        facts=member.facts,
        new_facts=member.new_facts,
    )
