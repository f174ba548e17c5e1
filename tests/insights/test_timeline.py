"""Issuer timelines: resolution, all listings, sentiment series."""

from __future__ import annotations

from datetime import date

import pytest
from insight_stores import WIRE_A, WIRE_B, article_id

from tickerwire.errors import NotFoundError
from tickerwire.insights import timeline
from tickerwire.store import Store


@pytest.mark.parametrize("query", ["SMIC", "981 HK", "688981.SH", "中芯国际"])
def test_timeline_covers_every_listing_of_the_issuer(handmade: Store, query: str) -> None:
    found = timeline(handmade, query)
    assert found.issuer.id == "00981.HK"
    assert {"00981.HK", "688981.SH"} <= {listing.code for listing in found.issuer.listings}
    assert [a.article_id for a in found.articles] == [article_id(WIRE_B), article_id(WIRE_A)]
    assert {f.subject for f in found.facts} == {"00981.HK", "688981.SH"}
    assert [e.type for e in found.events] == ["price_move"]


def test_timeline_sentiment_prefers_the_issuer_score(handmade: Store) -> None:
    found = timeline(handmade, "SMIC")
    by_id = {a.article_id: a for a in found.articles}
    assert (by_id[article_id(WIRE_A)].sentiment, by_id[article_id(WIRE_A)].sentiment_basis) == (
        -0.6, "issuer")
    assert (by_id[article_id(WIRE_B)].sentiment, by_id[article_id(WIRE_B)].sentiment_basis) == (
        -0.2, "article")
    (day,) = found.days
    assert (day.day, day.articles, day.sentiment) == (date(2025, 10, 13), 2, -0.4)


def test_timeline_is_newest_first_and_filters_days(handmade: Store) -> None:
    found = timeline(handmade, "SMIC", since=date(2025, 10, 14))
    assert found.articles == () and found.facts == ()
    facts = timeline(handmade, "SMIC").facts
    published = [f.source.published_at for f in facts]
    assert published == sorted(published, reverse=True)


def test_unknown_security_is_not_found(handmade: Store) -> None:
    with pytest.raises(NotFoundError):
        timeline(handmade, "no such company zzqx")
