"""Full-text search in English and Chinese (trigram, LIKE for short terms) with filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from store_builders import (
    HSBC_ZH_HANT,
    SMIC_ZH,
    T0,
    TENCENT_EN,
    make_article,
    smic_extraction,
    tencent_extraction,
)

from tickerwire.model import Extraction, Sentiment
from tickerwire.store import Store


@pytest.fixture
def filled(store: Store) -> Store:
    tencent = make_article(TENCENT_EN)
    smic = make_article(SMIC_ZH, url="https://news.example.com/smic", lang="zh",
                        published_at=datetime(2025, 10, 23, 2, 0, tzinfo=UTC))
    hsbc = make_article(HSBC_ZH_HANT, url="https://news.example.com/hsbc", lang="zh",
                        published_at=datetime(2025, 10, 9, 3, 0, tzinfo=UTC))
    store.ingest_article(tencent, tencent_extraction(tencent), now=T0)
    store.ingest_article(smic, smic_extraction(smic), now=T0)
    store.ingest_article(hsbc, Extraction(article=hsbc, sentiment=Sentiment(0.2, "neutral")),
                         now=T0)
    return store


def _titles(store: Store, query: str | None, **filters: object) -> list[str | None]:
    return [hit.title for hit in store.search(query, **filters)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Tencent", ["Tencent shares slide as Hang Seng Tech falls"]),
        ("tencent", ["Tencent shares slide as Hang Seng Tech falls"]),  # case-insensitive
        ("hang seng tech", ["Tencent shares slide as Hang Seng Tech falls"]),  # all terms
        ('"Hang Seng Tech Index"', ["Tencent shares slide as Hang Seng Tech falls"]),  # phrase
        ("\"Tech Hang\"", []),
        ("Tencent 中芯", []),
        ("中芯国际", ["中芯国际股价创新高"]),  # trigram over simplified Chinese
        ("南向资金", ["中芯国际股价创新高"]),
        ("恒生銀行", ["滙豐私有化恒生銀行"]),  # traditional Chinese
        ("中芯", ["中芯国际股价创新高"]),  # two characters: LIKE fallback
        ("滙豐 私有化", ["滙豐私有化恒生銀行"]),  # a short and a long term together
        ("HK", ["Tencent shares slide as Hang Seng Tech falls", "中芯国际股价创新高"]),
        ("3.6%", ["Tencent shares slide as Hang Seng Tech falls"]),
        ("no such words anywhere", []),
    ],
)
def test_search_finds_english_and_chinese(filled: Store, query: str,
                                          expected: list[str]) -> None:
    assert _titles(filled, query) == expected
    assert filled.count(query) == len(expected)


@pytest.mark.parametrize(
    "query", ['"', "AND", "OR NOT", "NEAR(", "*", "a*b", "100%", "_", "'; DROP TABLE x; --",
              "title:Tencent", "\\", "^abc", "(", ""]
)
def test_awkward_queries_never_raise(filled: Store, query: str) -> None:
    filled.search(query)
    filled.count(query)


def test_no_query_lists_everything_newest_first(filled: Store) -> None:
    assert _titles(filled, None) == [
        "Tencent shares slide as Hang Seng Tech falls", "中芯国际股价创新高", "滙豐私有化恒生銀行"]


def test_date_filters_use_the_hong_kong_date(filled: Store) -> None:
    day = date(2025, 10, 23)
    assert _titles(filled, None, since=day, until=day) == ["中芯国际股价创新高"]
    assert _titles(filled, None, since=date(2025, 10, 24)) == [
        "Tencent shares slide as Hang Seng Tech falls"]
    assert _titles(filled, None, until=date(2025, 10, 9)) == ["滙豐私有化恒生銀行"]
    assert filled.count(None, since=date(2025, 10, 25)) == 0


def test_language_filter(filled: Store) -> None:
    assert filled.count(None, lang="zh") == 2
    assert _titles(filled, "HK", lang="en") == ["Tencent shares slide as Hang Seng Tech falls"]


def test_listing_event_and_sentiment_filters(filled: Store) -> None:
    assert _titles(filled, None, listing_codes=["00981.HK"]) == ["中芯国际股价创新高"]
    assert _titles(filled, None, listing_codes=["688981.SH"]) == ["中芯国际股价创新高"]  # A share
    assert filled.count(None, listing_codes=["00700.HK", "00981.HK"]) == 2
    assert _titles(filled, None, event_type="fund_flow") == ["中芯国际股价创新高"]
    assert _titles(filled, None, sentiment="negative") == [
        "Tencent shares slide as Hang Seng Tech falls"]
    assert filled.count(None, sentiment="neutral", lang="zh") == 1


def test_summaries_carry_listings_events_sentiment_and_a_snippet(filled: Store) -> None:
    [hit] = filled.search("南向")
    assert hit.listings == ("00981.HK",)
    assert hit.event_types == ("price_move", "fund_flow")
    assert (hit.sentiment_label, hit.sentiment_score) == ("positive", 0.7)
    assert "南向资金" in hit.snippet
    assert hit.published_date_hk == date(2025, 10, 23)
    assert hit.first_seen_at == T0


def test_limit_offset_and_count_paginate(store: Store) -> None:
    for i in range(7):
        article = make_article(f"Market wrap {i}\nStocks moved on day {i}.",
                               url=f"https://news.example.com/wrap-{i}",
                               published_at=T0 + timedelta(hours=i))
        store.ingest_article(article, None, now=T0 + timedelta(days=1))
    pages = [store.search("market wrap", limit=3, offset=o) for o in (0, 3, 6)]
    assert [len(p) for p in pages] == [3, 3, 1]
    titles = [hit.title for page in pages for hit in page]
    assert titles == [f"Market wrap {i}" for i in reversed(range(7))]
    assert store.count("market wrap") == 7
