"""An undated article stays undated: its date source is kept and no day-based query sees it."""

from __future__ import annotations

from datetime import date

from tests.store.store_builders import T0, make_article, tencent_extraction

from tickerwire.store import Store


def test_date_source_is_stored_and_read_back(store: Store) -> None:
    article = make_article(date_source="front_matter")
    store.ingest_article(article, tencent_extraction(article), now=T0)
    stored = store.get_article(article.id)
    assert stored is not None
    assert stored.date_source == "front_matter"
    assert stored.to_article().date_source == "front_matter"


def test_an_undated_article_is_on_no_day(store: Store) -> None:
    dated = make_article(date_source="front_matter")
    undated = make_article(
        "Tencent shares slide again\nTencent Holdings (00700.HK) fell 3.6% to HK$512.50 as the "
        "Hang Seng Tech Index lost 2.1%. Turnover on the main board reached HK$248.1 billion.",
        url="https://news.example.com/tencent-undated", published_at=None, date_source="none",
    )
    for article in (dated, undated):
        store.ingest_article(article, tencent_extraction(article), now=T0)
    stored = store.get_article(undated.id)
    assert stored is not None
    assert (stored.published_at, stored.published_date_hk, stored.date_source) == (None, None, "none")
    # Facts and events belong to a market day: only the dated article's are returned …
    assert {row.article_id for row in store.fact_rows()} == {dated.id}
    assert {row.article_id for row in store.event_rows()} <= {dated.id}
    # … date filters leave the undated article out, and it adds no day.
    day = date(2025, 10, 24)
    assert {row.article_id for row in store.mention_rows(since=day, until=day)} == {dated.id}
    assert store.days() == [day]
    # Its mentions remain (the stock page lists it, undated).
    assert undated.id in {row.article_id for row in store.mention_rows()}
