"""The index-led reads give exactly what the whole-store reads gave: a timeline page read for its
own articles equals the slice of the full timeline, and the facts of a day equal the facts of
every day filtered to that one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickerwire.insights import timeline
from tickerwire.insights.timeline import DayPoint, Timeline, day_series
from tickerwire.insights.timeline_page import DAYS_ARTICLES, TimelinePage, timeline_page
from tickerwire.store import Store
from tickerwire.store import queries as store_queries
from tickerwire.store.rows import FactRow, RowContext

BEFORE_LATER = datetime(2025, 10, 14, 0, 0, tzinfo=UTC)


def _sliced(full: Timeline, limit: int, offset: int) -> tuple[object, ...]:
    articles = full.articles[offset : offset + limit]
    ids = {a.article_id for a in articles}
    return (len(full.articles), articles,
            tuple(f for f in full.facts if f.source.article_id in ids),
            tuple(e for e in full.events if e.source.article_id in ids), full.days)


def _paged(page: TimelinePage) -> tuple[object, ...]:
    return (page.total, page.articles, page.facts, page.events, page.days)


@pytest.mark.parametrize("query", ["SMIC", "中芯国际", "Tencent", "00700.HK", "阿里巴巴", "HSBC",
                                   "Xiaomi", "小米集团", "Meituan"])
@pytest.mark.parametrize(("limit", "offset"), [(3, 0), (3, 3), (50, 0), (2, 7), (5, 400)])
def test_a_page_is_the_slice_of_the_full_timeline(
    corpus: Store, query: str, limit: int, offset: int
) -> None:
    full = timeline(corpus, query)
    page = timeline_page(corpus, query, limit=limit, offset=offset)
    assert _paged(page) == _sliced(full, limit, offset)


@pytest.mark.parametrize(("query", "since", "until"), [
    ("SMIC", date(2025, 10, 13), date(2025, 10, 20)),
    ("Tencent", date(2025, 10, 20), None),
    ("阿里巴巴", None, date(2025, 10, 15)),
    ("HSBC", date(2025, 11, 1), date(2025, 11, 30)),
])
def test_a_page_within_days_is_the_slice_of_those_days(
    corpus: Store, query: str, since: date | None, until: date | None
) -> None:
    full = timeline(corpus, query, since=since, until=until)
    page = timeline_page(corpus, query, limit=4, offset=1, since=since, until=until)
    assert _paged(page) == _sliced(full, 4, 1)


@pytest.mark.parametrize("as_of", [BEFORE_LATER, None])
def test_a_page_is_point_in_time(handmade: Store, as_of: datetime | None) -> None:
    full = timeline(handmade, "SMIC", as_of=as_of)
    page = timeline_page(handmade, "SMIC", limit=1, offset=0, as_of=as_of)
    assert _paged(page) == _sliced(full, 1, 0)
    assert page.total == len(full.articles)


def _key(row: RowContext) -> tuple[str, int]:
    return (row.article_id, row.extraction_id)


def _fact_day(row: FactRow) -> date | None:
    return row.day or row.published_date_hk


def test_the_facts_of_a_day_are_every_fact_filtered_to_that_day(corpus: Store) -> None:
    every = corpus.fact_rows()
    days = sorted({d for row in every if (d := _fact_day(row)) is not None})
    assert len(days) > 10
    for day in days:
        expected = [row for row in every if _fact_day(row) == day]
        assert corpus.fact_rows(since=day, until=day) == expected, day
    kinds = ["price_move", "close_price"]
    day = days[len(days) // 2]
    assert corpus.fact_rows(kinds=kinds, since=day, until=day) == [
        row for row in every if _fact_day(row) == day and row.kind in kinds]


def test_the_events_and_mentions_of_a_day_are_every_row_filtered_to_that_day(
    corpus: Store,
) -> None:
    events, mentions = corpus.event_rows(), corpus.mention_rows()
    for day in sorted({row.published_date_hk for row in events if row.published_date_hk}):
        assert corpus.event_rows(since=day, until=day) == [
            row for row in events if row.published_date_hk == day]
        assert corpus.mention_rows(since=day, until=day) == [
            row for row in mentions if row.published_date_hk == day]


@pytest.mark.parametrize("codes", [["00981.HK", "688981.SH"], ["HSI"], ["00700.HK"], ["HSTECH"]])
def test_events_about_subjects_are_found_by_index(corpus: Store, codes: list[str]) -> None:
    """An event's subjects are listings and indices its extraction mentions: found from those
    indexes, the rows are those of a filter over every event."""
    expected = [row for row in corpus.event_rows() if set(row.subjects) & set(codes)]
    assert expected
    assert corpus.event_rows(subjects=codes) == expected


def test_rows_of_given_extractions(corpus: Store) -> None:
    every = corpus.fact_rows()
    chosen = sorted({row.extraction_id for row in every})[::5]
    assert corpus.fact_rows(extraction_ids=chosen) == [
        row for row in every if row.extraction_id in chosen]
    assert corpus.fact_rows(extraction_ids=[]) == []


def test_article_heads_carry_the_tone_without_the_text(corpus: Store) -> None:
    found = corpus.issuer_articles(["00981.HK", "688981.SH"])
    ids = [a.head.id for a in found]
    heads, full = corpus.article_heads(ids), corpus.get_articles(ids)
    assert set(heads) == set(full) == set(ids)
    assert {a.head.id: a.head for a in found} == heads  # the list reads the same headers
    assert [a.extraction_id for a in found] == [
        full[i].extraction.id for i in ids]  # type: ignore[union-attr]
    stories = corpus.story_memberships(ids)
    assert [a.story_id for a in found] == [
        stories[i].story_id if i in stories else None for i in ids]
    for article_id, head in heads.items():
        stored = full[article_id]
        assert stored.extraction is not None
        assert (head.title, head.published_at, head.first_seen_at, head.url) == (
            stored.title, stored.published_at, stored.first_seen_at, stored.url)
        sentiment = stored.extraction.sentiment
        assert (head.sentiment_score, head.sentiment_label, head.sentiment_by_subject) == (
            sentiment.score, sentiment.label, sentiment.by_subject)


@pytest.mark.parametrize(("query", "bound"), [("", 5), ("", 1000), ("HSBC", 2), ("恒生指数", 3),
                                              ("semiconductor", 1000)])
def test_a_list_counts_up_to_a_bound(
    corpus: Store, monkeypatch: pytest.MonkeyPatch, query: str, bound: int
) -> None:
    """Past ``COUNT_LIMIT`` matches a list says "at least that many" and counts its facets among
    the newest that many, so listing a big store never counts all of it."""
    from tickerwire.insights import search

    exact = search.search_articles(corpus, query, with_facets=True)
    monkeypatch.setattr(search, "COUNT_LIMIT", bound)
    bounded = search.search_articles(corpus, query, with_facets=True)
    assert bounded.results == exact.results
    assert bounded.total == min(exact.total, bound)
    assert bounded.total_exact is (exact.total <= bound)
    assert bounded.facets is not None and exact.facets is not None
    if bounded.total_exact:
        assert bounded.facets == exact.facets
    else:
        assert sum(v.count for v in bounded.facets.lang) == bound
        newest = corpus.search(query or None, limit=bound)
        assert {v.value: v.count for v in bounded.facets.lang} == {
            lang: sum(1 for hit in newest if hit.lang == lang) for lang in {h.lang for h in newest}}


# A page finds its articles from the listing and subject indexes when they hold few rows, and
# otherwise by walking the revisions newest first (store.queries.issuer_extractions); the
# sample store is small, so each way is forced in turn.
WAYS = {"matches lead": False, "newest first": True}


@contextmanager
def _found(walk: bool) -> Iterator[None]:
    with patch.object(store_queries, "_many_matches", lambda *_a, **_k: walk):
        yield


def _bounded_days(full: Timeline, bound: int) -> tuple[date | None, tuple[DayPoint, ...]]:
    """The day series of the newest ``bound`` articles and the first day it covers whole."""
    if len(full.articles) <= bound or full.articles[bound].day is None:
        return None, day_series(full.articles[:bound])
    cut = full.articles[bound].day
    assert cut is not None
    start = cut + timedelta(days=1)
    return start, tuple(p for p in day_series(full.articles[:bound]) if p.day >= start)


@pytest.mark.parametrize("way", WAYS)
@given(query=st.sampled_from(["SMIC", "騰訊", "HSBC", "小米集团", "Meituan"]),
       limit=st.integers(1, 30), offset=st.integers(0, 60), bound=st.integers(1, 40),
       window=st.sampled_from([(None, None), (date(2025, 10, 13), date(2025, 10, 24)),
                               (date(2025, 10, 20), None), (None, date(2025, 10, 15))]))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_bounded_page_is_the_slice_of_the_full_timeline(
    corpus: Store, way: str, query: str, limit: int, offset: int, bound: int,
    window: tuple[date | None, date | None],
) -> None:
    """Whichever way its articles are found, a page is the slice of the full timeline; its
    count stops at the bound or the page's end, and its day series covers the newest ``bound``
    articles from the first day they hold whole."""
    since, until = window
    full = timeline(corpus, query, since=since, until=until)
    with _found(WAYS[way]):
        page = timeline_page(corpus, query, limit=limit, offset=offset, since=since, until=until,
                             days_articles=bound)
    assert _paged(page)[1:4] == _sliced(full, limit, offset)[1:4]
    counted = max(bound, offset + limit + 1)
    assert (page.total, page.total_exact) == (min(len(full.articles), counted),
                                              len(full.articles) <= counted)
    assert page.has_more is (offset + limit < len(full.articles))
    assert (page.days_from, page.days) == _bounded_days(full, bound)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("query", ["SMIC", "Tencent", "阿里巴巴", "HSBC"])
def test_under_the_bound_a_page_has_every_day_and_the_exact_count(
    corpus: Store, way: str, query: str
) -> None:
    full = timeline(corpus, query)
    with _found(WAYS[way]):
        page = timeline_page(corpus, query, limit=5, offset=2)
    assert len(full.articles) < DAYS_ARTICLES
    assert (page.total, page.total_exact, page.days_from, page.days) == (
        len(full.articles), True, None, full.days)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("as_of", [BEFORE_LATER, None])
def test_either_way_a_page_is_point_in_time(handmade: Store, way: str,
                                            as_of: datetime | None) -> None:
    full = timeline(handmade, "SMIC", as_of=as_of)
    with _found(WAYS[way]):
        page = timeline_page(handmade, "SMIC", limit=2, offset=0, as_of=as_of, days_articles=1)
    assert _paged(page)[1:4] == _sliced(full, 2, 0)[1:4]
    assert (page.days_from, page.days) == _bounded_days(full, 1)
