"""Typed, frozen records the store returns. Nothing here speaks SQL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from tickerwire.model import (
    Article,
    Event,
    Extraction,
    Fact,
    IndexMention,
    Link,
    Mention,
    Relevance,
    Sentiment,
    Verification,
)
from tickerwire.store.folding import fold_sql

IngestStatus = Literal["new", "unchanged", "revised"]


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What ``Store.ingest_article`` did with one article."""

    article_id: str
    revision: int
    status: IngestStatus
    extraction_id: int | None = None  # the extraction written with it, if any


@dataclass(frozen=True, slots=True)
class LoadedArticle:
    """An article extracted elsewhere (``batch extract``, an export), to store as if ingested
    when it was first seen."""

    article: Article
    extraction: Extraction | None
    first_seen_at: datetime
    extracted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SearchText:
    """What the full-text index holds for one revision: its folded title and text."""

    title: str | None
    text: str

    @classmethod
    def of(cls, article: Article) -> SearchText:
        return cls(fold_sql(article.title), fold_sql(article.text) or "")


@dataclass(frozen=True, slots=True)
class ExtractionRows:
    """An extraction as the rows it adds, less what only the database knows: its own row's values
    after (article_id, revision, pipeline_version, extracted_at), and its mentions, facts, events
    … as rows of ``writer.CHILD_COLUMNS`` without the leading extraction id."""

    pipeline_version: str
    values: tuple[Any, ...]  # sentiment_score … relevance, JSON already encoded
    children: dict[str, list[tuple[Any, ...]]]

    def extraction_row(self, article_id: str, revision: int, extracted_at: str
                       ) -> tuple[Any, ...]:
        """The ``extractions`` row (without its id)."""
        return (article_id, revision, self.pipeline_version, extracted_at, *self.values)

    def child_rows(self, extraction_id: int) -> dict[str, list[tuple[Any, ...]]]:
        """The rows of each child table of extraction ``extraction_id``."""
        return {table: [(extraction_id, *row) for row in rows]
                for table, rows in self.children.items()}


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article read and extracted, with everything its writing needs that does not need the
    database already computed (``writer.prepare_article``), so that a parallel ingest computes it
    in the processes that extract and the one writer only runs SQL: its id and content hash, its
    index text (``search``), its metadata JSON, its extraction's rows, and the MinHash of its text
    that story matching reads (``minhash``; None: the story decider computes it)."""

    article: Article
    extraction: Extraction | None
    article_id: str
    content_hash: str
    search: SearchText
    metadata: str
    rows: ExtractionRows | None  # None when there is no extraction
    minhash: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class StoredExtraction:
    """One extraction row with everything attached to it."""

    id: int
    pipeline_version: str
    extracted_at: datetime
    mentions: tuple[Mention, ...] = ()
    indices: tuple[IndexMention, ...] = ()
    facts: tuple[Fact, ...] = ()
    events: tuple[Event, ...] = ()
    sentiment: Sentiment = field(default_factory=Sentiment)
    relevance: tuple[Relevance, ...] = ()
    errors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as of some instant: its visible revision and that revision's extraction."""

    id: str
    revision: int
    revisions: int  # how many revisions were visible at the instant asked
    url: str | None
    source: str | None
    lang: str | None
    format: str
    origin: str | None
    title: str | None
    text: str
    content_hash: str
    published_at: datetime | None
    published_date_hk: date | None
    date_source: str | None  # sources.published.DATE_SOURCES; None if stored before it was kept
    first_seen_at: datetime  # when the article (revision 1) was first seen
    revision_seen_at: datetime  # when this revision was first seen
    metadata: dict[str, Any] = field(default_factory=dict, hash=False)
    extraction: StoredExtraction | None = None

    def to_article(self) -> Article:
        """Rebuild the ``Article`` this revision was ingested from."""
        return rebuild_article(
            text=self.text, title=self.title, published_at=self.published_at,
            date_source=self.date_source, lang=self.lang, source=self.source, url=self.url,
            format=self.format, origin=self.origin, metadata=self.metadata,
        )


def rebuild_article(
    *,
    text: str,
    title: str | None,
    published_at: datetime | None,
    date_source: str | None,
    lang: str | None,
    source: str | None,
    url: str | None,
    format: str,
    origin: str | None,
    metadata: dict[str, Any],
) -> Article:
    """The ``Article`` a stored revision came from: its columns plus the ``metadata`` JSON that
    ``writer.article_metadata`` made of the rest (same id and content hash)."""
    md = metadata
    return Article(
        text=text,
        title=title,
        published_at=published_at,
        date_source=date_source,
        lang=lang,
        source=source,
        url=url,
        source_id=md.get("source_id"),
        locale=md.get("locale"),
        format=format,
        origin=origin,
        description=md.get("description"),
        author=md.get("author"),
        related_stocks=tuple(md.get("related_stocks", ())),
        related_news=tuple(Link(**link) for link in md.get("related_news", ())),
        locales=tuple(Link(**link) for link in md.get("locales", ())),
        meta=dict(md.get("meta", {})),
    )


@dataclass(frozen=True, slots=True)
class SearchMatch:
    """Why a search hit matched: a query term found in its text (``kind`` "text", ``value`` the
    term as typed) or a mention of a listing of the security the query names (``kind``
    "mention", ``value`` the listing code, ``name`` the security's short name)."""

    kind: Literal["text", "mention"]
    value: str
    name: str | None = None

    def describe(self) -> str:
        """``text "中芯"`` or ``mentions 00981.HK (SMIC)``."""
        if self.kind == "text":
            return f'text "{self.value}"'
        return f"mentions {self.value}" + (f" ({self.name})" if self.name else "")


@dataclass(frozen=True, slots=True)
class ArticleHead:
    """A visible revision's header and its visible extraction's tone: what a list of articles
    shows, read without the text or the extraction's mentions, facts and events."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    lang: str | None
    published_at: datetime | None
    published_date_hk: date | None
    first_seen_at: datetime  # when the article (revision 1) was first seen
    extracted: bool  # whether the revision has a visible extraction
    sentiment_score: float | None
    sentiment_label: str | None
    sentiment_by_subject: dict[str, float] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class IssuerArticle:
    """An article of an issuer's timeline: its header and tone, its visible extraction, and the
    story it had joined by then (None when not assigned)."""

    head: ArticleHead
    extraction_id: int
    story_id: str | None


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One search hit. ``marks`` are the ``[start, end)`` spans of ``snippet`` to highlight."""

    id: str
    revision: int
    title: str | None
    source: str | None
    url: str | None
    lang: str | None
    published_at: datetime | None
    published_date_hk: date | None
    first_seen_at: datetime
    sentiment_label: str | None
    sentiment_score: float | None
    listings: tuple[str, ...]  # distinct mentioned listings, in order of first mention
    event_types: tuple[str, ...]
    snippet: str
    marks: tuple[tuple[int, int], ...] = ()
    matched: tuple[SearchMatch, ...] = ()


@dataclass(frozen=True, slots=True)
class RowContext:
    """Where a fact, event or mention row comes from (shared by the row types below)."""

    article_id: str
    revision: int
    extraction_id: int
    pipeline_version: str
    title: str | None
    source: str | None
    url: str | None
    lang: str | None
    published_at: datetime | None
    published_date_hk: date | None
    day_hk: date  # published_date_hk, or the Hong Kong date first seen when undated
    first_seen_at: datetime  # when this revision was first seen
    extracted_at: datetime


@dataclass(frozen=True, slots=True)
class FactRow(RowContext):
    kind: str
    subject: str | None
    value: float | None
    pct: float | None
    points: float | None
    price: float | None
    currency: str | None
    qualifier: str
    text: str
    start: int
    end: int
    value_max: float | None
    horizon: str | None = None  # moves and levels: extract.timeframes.HORIZONS
    day: date | None = None  # the market day the fact is about
    verification: Verification | None = None  # checked against prices (docs/prices.md)
    previous: float | None = None  # the old value of a changed figure (target raised from → to)

    def to_fact(self) -> Fact:
        return Fact(
            kind=self.kind,
            subject=self.subject,
            value=self.value,
            pct=self.pct,
            points=self.points,
            price=self.price,
            currency=self.currency,
            qualifier=self.qualifier,
            text=self.text,
            start=self.start,
            end=self.end,
            value_max=self.value_max,
            horizon=self.horizon,
            day=self.day,
            verification=self.verification,
            previous=self.previous,
        )


@dataclass(frozen=True, slots=True)
class EventRow(RowContext):
    type: str
    subjects: tuple[str, ...]
    text: str
    start: int
    end: int
    attributes: Mapping[str, Any] = field(default_factory=dict)  # model.Event.attributes


@dataclass(frozen=True, slots=True)
class MentionRow(RowContext):
    issuer: str
    name: str
    listing: str
    listings: tuple[str, ...]
    text: str
    start: int
    end: int
    confidence: float
    via: str
    role: str | None


@dataclass(frozen=True, slots=True)
class QuarantineRow:
    """A document that could not be read; the same bad input seen again bumps ``count``."""

    id: int
    origin: str
    reason: str
    detail: str
    content_sha256: str | None
    size_bytes: int | None
    first_seen_at: datetime
    last_seen_at: datetime
    count: int


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story: ``anchor_at`` is its first article's publication time (else first-seen time)."""

    id: str
    title: str | None
    first_article_id: str
    first_seen_at: datetime
    anchor_at: datetime


@dataclass(frozen=True, slots=True)
class StoryMemberRow:
    """How one article joined its story (``reason`` "first" for the article that opened it)."""

    article_id: str
    story_id: str
    joined_at: datetime
    anchor_at: datetime
    reason: str  # first | near_duplicate | locale | facts
    matched_article_id: str | None
    score: float | None
    novelty: float | None  # share of its fact keys no earlier article had reported; None: no facts
    facts: int
    new_facts: int
    signature: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    subjects: tuple[str, ...] = ()  # companies its title names and its facts' subjects


@dataclass(frozen=True, slots=True)
class StoryJoin:
    """What to write when an article joins a story: the story itself when the article opens it."""

    member: StoryMemberRow
    story: StoryRow | None = None
