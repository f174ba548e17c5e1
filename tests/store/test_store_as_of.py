"""Point-in-time reads: nothing first seen or extracted after ``as_of`` is visible."""

from __future__ import annotations

import dataclasses
import itertools
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from store_builders import SMIC_ZH, T0, make_article, smic_extraction, tencent_extraction

from tickerwire.model import Fact
from tickerwire.store import Store

HOUR = timedelta(hours=1)


def _two_revisions(store: Store) -> str:
    """Revision 1 at T0 (extracted at T0 and re-extracted at T0+2h); revision 2 at T0+4h."""
    article = make_article()
    store.ingest_article(article, tencent_extraction(article), now=T0)
    store.save_extraction(article.id, 1, tencent_extraction(article, version="1.1.0"),
                          now=T0 + 2 * HOUR)
    edited = dataclasses.replace(
        article, text=article.text.replace("fell 3.6%", "tumbled 4.8%") + " Analysts cut targets."
    )
    extraction = dataclasses.replace(
        tencent_extraction(article, version="1.1.0"),
        facts=(Fact("price_move", "00700.HK", pct=-4.8, text="tumbled 4.8%",
                    start=edited.text.index("tumbled"), end=edited.text.index("tumbled") + 12),),
    )
    store.ingest_article(edited, extraction, now=T0 + 4 * HOUR)
    return article.id


def test_nothing_is_visible_before_it_was_first_seen(store: Store) -> None:
    article_id = _two_revisions(store)
    before = T0 - timedelta(seconds=1)
    assert store.get_article(article_id, as_of=before) is None
    assert store.search("Tencent", as_of=before) == []
    assert store.count(as_of=before) == 0
    assert store.fact_rows(as_of=before) == []
    assert store.mention_rows(as_of=before) == []
    assert store.event_rows(as_of=before) == []
    assert store.days(as_of=before) == []
    assert list(store.iter_current(before)) == []
    assert store.stats(as_of=before)["articles"] == 0


def test_later_revision_is_hidden_before_its_time(store: Store) -> None:
    article_id = _two_revisions(store)
    early = store.get_article(article_id, as_of=T0 + 3 * HOUR)
    late = store.get_article(article_id, as_of=T0 + 4 * HOUR)
    assert early is not None and late is not None
    assert (early.revision, early.revisions) == (1, 1)
    assert "fell 3.6%" in early.text
    assert (late.revision, late.revisions) == (2, 2)
    assert "tumbled 4.8%" in late.text
    assert store.search("tumbled", as_of=T0 + 3 * HOUR) == []
    assert [s.revision for s in store.search("tumbled")] == [2]
    # the old wording is no longer current, but was findable back then
    assert store.search("fell 3.6%") == []
    assert [s.id for s in store.search("fell 3.6%", as_of=T0 + HOUR)] == [article_id]


def test_later_extraction_is_hidden_before_its_time(store: Store) -> None:
    article_id = _two_revisions(store)
    first = store.get_article(article_id, as_of=T0 + HOUR)
    second = store.get_article(article_id, as_of=T0 + 2 * HOUR)
    assert first is not None and first.extraction is not None
    assert second is not None and second.extraction is not None
    assert first.extraction.pipeline_version == "1.0.0"
    assert second.extraction.pipeline_version == "1.1.0"
    assert second.extraction.extracted_at == T0 + 2 * HOUR


def test_fact_rows_follow_the_visible_revision_and_extraction(store: Store) -> None:
    _two_revisions(store)
    early = store.fact_rows(kinds=["price_move"], subjects=["00700.HK"], as_of=T0 + 3 * HOUR)
    late = store.fact_rows(kinds=["price_move"], subjects=["00700.HK"])
    assert [(r.pct, r.revision, r.pipeline_version) for r in early] == [(-3.6, 1, "1.1.0")]
    assert [(r.pct, r.revision) for r in late] == [(-4.8, 2)]
    assert late[0].first_seen_at == T0 + 4 * HOUR
    assert late[0].extracted_at == T0 + 4 * HOUR
    assert late[0].to_fact().text == "tumbled 4.8%"


def test_stats_count_the_visible_extraction_only(store: Store) -> None:
    _two_revisions(store)
    assert store.stats(as_of=T0 + 3 * HOUR) == {
        "articles": 1, "stories": 0, "revisions": 1, "extractions": 2, "mentions": 2, "facts": 3,
        "events": 1, "quarantined": 0, "incomplete_extractions": 1,
    }
    assert store.stats()["facts"] == 1
    assert store.stats()["extractions"] == 3


def test_row_queries_filter_by_kind_subject_listing_and_day(store: Store) -> None:
    tencent = make_article()
    smic = make_article(SMIC_ZH, url="https://news.example.com/smic", lang="zh")
    store.ingest_article(tencent, tencent_extraction(tencent), now=T0)
    store.ingest_article(smic, smic_extraction(smic), now=T0)
    flows = store.fact_rows(kinds=["southbound_net_inflow"])
    assert [(r.subject, r.value, r.currency) for r in flows] == [("HK", 6_548_000_000, "HKD")]
    assert {r.subject for r in store.fact_rows(subjects=["HSTECH", "00981.HK"])} == {
        "HSTECH", "00981.HK"}
    assert [r.listing for r in store.mention_rows(listings=["688981.SH"])] == ["00981.HK"]
    assert len(store.mention_rows(listings=["TCEHY.US"])) == 2
    assert [r.type for r in store.event_rows(types=["fund_flow"])] == ["fund_flow"]
    assert {r.article_id for r in store.event_rows(subjects=["00981.HK", "00700.HK"])} == {
        tencent.id, smic.id}
    day = date(2025, 10, 24)
    assert len(store.fact_rows(since=day, until=day)) == 5
    assert store.fact_rows(since=day + timedelta(1)) == []
    assert store.fact_rows(until=day - timedelta(1)) == []
    assert store.fact_rows(kinds=[]) == []


def test_iter_current_rebuilds_articles_and_skips_up_to_date_ones(store: Store) -> None:
    article_id = _two_revisions(store)
    other = make_article(SMIC_ZH, url=None, lang="zh")
    store.ingest_article(other, None, now=T0)
    current = list(store.iter_current())
    assert sorted((i, r) for i, r, _ in current) == sorted([(article_id, 2), (other.id, 1)])
    assert all(a.id == i for i, _, a in current)
    stale = [i for i, _, _ in store.iter_current(unless_version="1.1.0")]
    assert stale == [other.id]
    assert {i: r for i, r, _ in store.iter_current(T0 + HOUR)} == {article_id: 1, other.id: 1}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["alpha", "beta", "gamma"]), min_size=1, max_size=8))
def test_every_past_instant_sees_what_was_ingested_then(bodies: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "t.db") as store:
        base = make_article()
        expected: list[tuple[int, str]] = []
        for step, body in enumerate(bodies):
            article = dataclasses.replace(base, text=f"{base.text} {body}")
            outcome = store.ingest_article(article, None, now=T0 + step * HOUR)
            expected.append((outcome.revision, body))
        for step, (revision, body) in enumerate(expected):
            stored = store.get_article(base.id, as_of=T0 + step * HOUR + timedelta(minutes=30))
            assert stored is not None
            assert stored.revision == revision and stored.text.endswith(body)
        changes = sum(1 for a, b in itertools.pairwise(bodies) if a != b)
        assert store.stats()["revisions"] == 1 + changes
