"""What the insights need from a store: the read methods of ``tickerwire.store.Store``.

Insights never speak SQL; they compose these named queries. Declaring them as a protocol keeps
the dependency explicit (and lets a server store stand in for the SQLite one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from tickerwire.model import PriceBar
from tickerwire.store.rows import (
    ArticleHead,
    ArticleSummary,
    EventRow,
    FactRow,
    IssuerArticle,
    MentionRow,
    StoredArticle,
    StoryMemberRow,
    StoryRow,
)
from tickerwire.store.search import FacetCounts, SearchQuery


class StoreReader(Protocol):
    def get_article(
        self, article_id: str, *, as_of: datetime | None = None
    ) -> StoredArticle | None: ...

    def get_articles(
        self, article_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> dict[str, StoredArticle]: ...

    def article_heads(
        self, article_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> dict[str, ArticleHead]: ...

    def search(
        self,
        query: str | SearchQuery | None = None,
        *,
        since: date | None = None,
        until: date | None = None,
        lang: str | None = None,
        listing_codes: Sequence[str] | None = None,
        event_type: str | None = None,
        sentiment: str | None = None,
        source: str | None = None,
        limit: int = 20,
        offset: int = 0,
        as_of: datetime | None = None,
    ) -> list[ArticleSummary]: ...

    def count(
        self,
        query: str | SearchQuery | None = None,
        *,
        since: date | None = None,
        until: date | None = None,
        lang: str | None = None,
        listing_codes: Sequence[str] | None = None,
        event_type: str | None = None,
        sentiment: str | None = None,
        source: str | None = None,
        as_of: datetime | None = None,
        at_most: int | None = None,
    ) -> int: ...

    def facets(
        self,
        query: str | SearchQuery | None = None,
        *,
        since: date | None = None,
        until: date | None = None,
        lang: str | None = None,
        listing_codes: Sequence[str] | None = None,
        event_type: str | None = None,
        sentiment: str | None = None,
        source: str | None = None,
        limit: int = 20,
        as_of: datetime | None = None,
        among: int | None = None,
    ) -> FacetCounts: ...

    def list_page(
        self,
        query: str | SearchQuery | None = None,
        *,
        since: date | None = None,
        until: date | None = None,
        lang: str | None = None,
        listing_codes: Sequence[str] | None = None,
        event_type: str | None = None,
        sentiment: str | None = None,
        source: str | None = None,
        limit: int = 20,
        offset: int = 0,
        as_of: datetime | None = None,
        at_most: int,
        among: int,
        facet_limit: int = 20,
    ) -> tuple[list[ArticleSummary], int, FacetCounts]: ...

    def fact_rows(
        self,
        *,
        kinds: Sequence[str] | None = None,
        subjects: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
        extraction_ids: Sequence[int] | None = None,
    ) -> list[FactRow]: ...

    def event_rows(
        self,
        *,
        types: Sequence[str] | None = None,
        subjects: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
        extraction_ids: Sequence[int] | None = None,
    ) -> list[EventRow]: ...

    def mention_rows(
        self,
        *,
        listings: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
        extraction_ids: Sequence[int] | None = None,
    ) -> list[MentionRow]: ...

    def issuer_articles(
        self,
        listings: Sequence[str],
        *,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
        at_most: int | None = None,
    ) -> list[IssuerArticle]: ...

    def ipo_companies(
        self, *, since: date | None = None, until: date | None = None,
        as_of: datetime | None = None,
    ) -> list[tuple[str, date]]: ...

    def ipo_reports(
        self,
        company: str,
        *,
        limit: int,
        count_upto: int,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
    ) -> tuple[list[EventRow], list[FactRow], int]: ...

    def ipo_companies_of(self, extraction_ids: Sequence[int]) -> dict[int, set[str]]: ...

    def days(self, *, as_of: datetime | None = None) -> list[date]: ...

    def latest_day(
        self, *, kinds: Sequence[str] | None = None, until: date | None = None,
        as_of: datetime | None = None,
    ) -> date | None: ...

    def next_day(self, *, after: date, as_of: datetime | None = None) -> date | None: ...

    def price_bars(
        self,
        codes: Sequence[str],
        *,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
    ) -> list[PriceBar]: ...
    def story_members_anchored(
        self, since: datetime, until: datetime, *, as_of: datetime | None = None
    ) -> list[StoryMemberRow]: ...

    def story_members(
        self, story_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> list[StoryMemberRow]: ...

    def story_memberships(
        self, article_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> dict[str, StoryMemberRow]: ...

    def stories(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        story_ids: Sequence[str] | None = None,
        subjects: Sequence[str] | None = None,
        min_articles: int = 1,
        limit: int = 50,
        offset: int = 0,
        as_of: datetime | None = None,
    ) -> list[tuple[StoryRow, int]]: ...

    def count_stories(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        subjects: Sequence[str] | None = None,
        min_articles: int = 1,
        upto: int | None = None,
        as_of: datetime | None = None,
    ) -> int: ...
