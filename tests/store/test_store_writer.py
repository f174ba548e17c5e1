"""The writer: idempotency, revisions, extraction round-trips, atomicity, quarantine."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from store_builders import (
    SMIC_ZH,
    T0,
    make_article,
    smic_extraction,
    tencent_extraction,
)

from tickerwire.errors import NotFoundError, StoreError
from tickerwire.model import Fact, Link
from tickerwire.store import Store


def test_same_article_twice_is_unchanged_and_writes_nothing(store: Store) -> None:
    article = make_article()
    first = store.ingest_article(article, tencent_extraction(article), now=T0)
    before = store.stats()
    again = store.ingest_article(article, tencent_extraction(article), now=T0 + timedelta(1))
    assert (first.status, again.status) == ("new", "unchanged")
    assert first.article_id == again.article_id == article.id
    assert again.revision == 1
    assert store.stats() == before


def test_whitespace_only_differences_are_the_same_content(store: Store) -> None:
    article = make_article()
    store.ingest_article(article, None)
    reflowed = dataclasses.replace(article, text=article.text.replace(" ", "  "))
    assert store.ingest_article(reflowed, None).status == "unchanged"


def test_changed_content_becomes_a_new_revision_with_its_extraction(store: Store) -> None:
    article = make_article()
    store.ingest_article(article, tencent_extraction(article), now=T0)
    edited = dataclasses.replace(article, text=article.text + " Shares later pared losses.")
    outcome = store.ingest_article(edited, tencent_extraction(edited), now=T0 + timedelta(hours=2))
    assert outcome.status == "revised" and outcome.revision == 2
    stored = store.get_article(article.id)
    assert stored is not None
    assert stored.revision == stored.revisions == 2
    assert stored.text.endswith("pared losses.")
    assert stored.first_seen_at == T0
    assert stored.revision_seen_at == T0 + timedelta(hours=2)
    stats = store.stats()
    assert (stats["articles"], stats["revisions"], stats["extractions"]) == (1, 2, 2)
    assert stats["facts"] == 3  # only the current extraction counts


def test_a_revision_is_never_seen_before_the_one_it_replaces(store: Store) -> None:
    article = make_article()
    store.ingest_article(article, None, now=T0)
    edited = dataclasses.replace(article, text=article.text + " Update.")
    store.ingest_article(edited, None, now=T0 - timedelta(days=1))  # a clock that went back
    stored = store.get_article(article.id)
    assert stored is not None and stored.revision == 2 and stored.revision_seen_at == T0


def test_extraction_round_trips_every_field(store: Store) -> None:
    article = make_article()
    extraction = tencent_extraction(article)
    store.ingest_article(article, extraction, now=T0)
    stored = store.get_article(article.id)
    assert stored is not None and stored.extraction is not None
    got = stored.extraction
    assert got.mentions == extraction.mentions
    assert got.indices == extraction.indices
    assert got.facts == extraction.facts
    assert got.events == extraction.events
    assert got.sentiment == extraction.sentiment
    assert got.sentiment.by_subject == {"00700.HK": -0.6}
    assert got.relevance == extraction.relevance
    assert got.errors == extraction.errors
    assert got.pipeline_version == "1.0.0"
    assert got.extracted_at == T0
    for fact in got.facts:
        assert stored.text[fact.start:fact.end] == fact.text


def test_article_metadata_round_trips(store: Store) -> None:
    article = make_article(source_id=None, meta={"feed": "wire", "rank": 3})
    store.ingest_article(article, None, now=T0)
    stored = store.get_article(article.id)
    assert stored is not None
    assert stored.to_article() == article
    assert stored.metadata["related_stocks"] == ["00700.HK"]
    assert stored.metadata["meta"] == {"feed": "wire", "rank": 3}
    assert stored.to_article().related_news == (Link("HSI closes lower", "https://x/1"),)
    assert stored.to_article().id == article.id


def test_published_at_is_utc_with_the_hong_kong_date(store: Store) -> None:
    late_evening = datetime(2025, 10, 24, 17, 30, tzinfo=UTC)  # 01:30 on the 25th in HK
    article = make_article(published_at=late_evening)
    store.ingest_article(article, None, now=T0)
    stored = store.get_article(article.id)
    assert stored is not None
    assert stored.published_at == late_evening
    assert stored.published_at is not None and stored.published_at.utcoffset() == timedelta(0)
    assert stored.published_date_hk == date(2025, 10, 25)
    assert store.days() == [date(2025, 10, 25)]


def test_naive_published_time_is_hong_kong_time(store: Store) -> None:
    article = make_article(published_at=datetime(2025, 10, 24, 16, 10))
    store.ingest_article(article, None, now=T0)
    stored = store.get_article(article.id)
    assert stored is not None
    assert stored.published_at == datetime(2025, 10, 24, 8, 10, tzinfo=UTC)


def test_undated_article_is_never_filed_under_the_day_it_was_first_seen(store: Store) -> None:
    article = make_article(published_at=None)
    store.ingest_article(article, tencent_extraction(article),
                         now=datetime(2025, 10, 26, 20, 0, tzinfo=UTC))
    stored = store.get_article(article.id)
    assert stored is not None and stored.published_at is None and stored.published_date_hk is None
    assert store.days() == []  # no market day of its own
    assert store.fact_rows() == [] and store.event_rows() == []  # so no day-based fact either


def test_save_extraction_adds_a_row_and_keeps_the_old_one(store: Store) -> None:
    article = make_article(SMIC_ZH, url=None, lang="zh")
    store.ingest_article(article, smic_extraction(article), now=T0)
    new_id = store.save_extraction(article.id, 1, smic_extraction(article, version="2.0.0"),
                                   now=T0 + timedelta(days=1))
    stored = store.get_article(article.id)
    assert stored is not None and stored.extraction is not None
    assert stored.extraction.id == new_id and stored.extraction.pipeline_version == "2.0.0"
    old = store.get_article(article.id, as_of=T0 + timedelta(hours=1))
    assert old is not None and old.extraction is not None
    assert old.extraction.pipeline_version == "1.0.0"
    assert store.stats()["extractions"] == 2


def test_save_extraction_for_an_unknown_revision_is_not_found(store: Store) -> None:
    article = make_article()
    store.ingest_article(article, None)
    with pytest.raises(NotFoundError, match="no revision 2"):
        store.save_extraction(article.id, 2, tencent_extraction(article))


def test_a_failing_write_leaves_no_half_written_article(store: Store) -> None:
    article = make_article()
    broken_fact = Fact("price_move", "00700.HK", text="fell", start=None, end=None)  # type: ignore[arg-type]
    bad = dataclasses.replace(tencent_extraction(article), facts=(broken_fact,))
    with pytest.raises(StoreError, match=r"(?i)not.null"):
        store.ingest_article(article, bad, now=T0)
    assert store.get_article(article.id) is None
    assert store.stats()["revisions"] == 0 and store.stats()["mentions"] == 0
    assert store.ingest_article(article, tencent_extraction(article), now=T0).status == "new"


def test_quarantine_same_bad_file_twice_updates_one_row(store: Store) -> None:
    first = store.quarantine("in/blob.md", "binary", "looks binary", content=b"\x00\x01\x02",
                             now=T0)
    second = store.quarantine("in/blob.md", "binary", "looks binary", content=b"\x00\x01\x02",
                              now=T0 + timedelta(hours=1))
    assert first == second
    [row] = store.quarantined()
    assert row.count == 2 and row.size_bytes == 3
    assert row.first_seen_at == T0 and row.last_seen_at == T0 + timedelta(hours=1)
    assert store.stats()["quarantined"] == 1


def test_quarantine_keeps_different_content_or_reasons_apart(store: Store) -> None:
    store.quarantine("in/blob.md", "binary", "looks binary", content=b"\x00")
    store.quarantine("in/blob.md", "binary", "looks binary", content=b"\x00\x00")
    store.quarantine("in/blob.md", "empty", "nothing here")
    store.quarantine("in/other.md", "empty", "nothing here")
    store.quarantine("in/other.md", "empty", "nothing here")
    rows = store.quarantined()
    assert len(rows) == 4
    assert sorted(r.count for r in rows) == [1, 1, 1, 2]
    assert len(store.quarantined(limit=2)) == 2
