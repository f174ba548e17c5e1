"""Article search and the single-article view."""

from __future__ import annotations

import json

import pytest
from insight_stores import WIRE_A, WIRE_B, article_id

from tickerwire.errors import NotFoundError
from tickerwire.insights import article_view, search_articles
from tickerwire.store import Store


def test_search_by_security_covers_all_listings(handmade: Store) -> None:
    page = search_articles(handmade, security="688981.SH")
    assert page.total == 2
    assert [hit.id for hit in page.results] == [article_id(WIRE_B), article_id(WIRE_A)]
    assert search_articles(handmade, "tariff").total == 1


def test_article_view_has_highlights_and_related_stock_check(handmade: Store) -> None:
    view = article_view(handmade, article_id(WIRE_A))
    assert view.title == WIRE_A.title
    kinds = {h.kind for h in view.highlights}
    assert kinds == {"mention", "fact", "event"}
    for highlight in view.highlights:
        assert 0 <= highlight.start < highlight.end <= len(view.text)
    related = {r.issuer: r for r in view.related}
    assert (related["00981.HK"].claimed, related["00981.HK"].found) == (True, True)
    assert (related["09988.HK"].claimed, related["09988.HK"].found) == (True, False)
    assert (related["00700.HK"].claimed, related["00700.HK"].found) == (False, True)
    json.dumps(view.to_dict())


def test_article_view_of_an_unknown_id_is_not_found(handmade: Store) -> None:
    with pytest.raises(NotFoundError):
        article_view(handmade, "tw-0000000000000000")
