"""A list starts from the matches of one of its conditions when they are few and walks the
revisions newest first when they are many (``store.search.leader``); every way finds exactly the
same page, total and facets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from insight_stores import BETWEEN

from tickerwire.insights import search_articles
from tickerwire.insights.search import COUNT_LIMIT, SearchPage, security_query
from tickerwire.store import Store
from tickerwire.store import search as store_search
from tickerwire.store.search import SearchFilters

# (query, filters) as a reader of the dashboard or the API would ask.
LISTS: list[tuple[str, dict[str, Any]]] = [
    ("semiconductor", {}),
    ("HK", {}),  # two letters: through the trigram vocabulary
    ("恒生指数", {}),
    ("半导体", {"lang": "zh"}),
    ("中芯", {}),  # a security's name: its mentions match too
    ("SMIC results", {}),
    ("騰訊", {"since": date(2025, 10, 1)}),
    ("Hang Seng", {"source": "longbridge.com"}),
    ("", {"security": "00700.HK"}),
    ("shares", {"security": "SMIC", "until": date(2025, 10, 31)}),
    ("", {"security": "00005.HK", "sentiment": "positive"}),
    ("", {"event_type": "earnings"}),
    ("no such words anywhere", {}),
    ("", {}),
]


def _page(store: Store, query: str, filters: dict[str, Any], **paging: Any) -> SearchPage:
    return search_articles(store, query, with_facets=True, **filters, **paging)


@pytest.mark.parametrize(("query", "filters"), LISTS)
@pytest.mark.parametrize(("limit", "offset"), [(20, 0), (3, 2)])
def test_leading_by_the_matches_or_walking_newest_first_agree(
    corpus: Store, monkeypatch: pytest.MonkeyPatch, query: str, filters: dict[str, Any],
    limit: int, offset: int,
) -> None:
    chosen = _page(corpus, query, filters, limit=limit, offset=offset)
    for way in _ways(query, filters):
        monkeypatch.setattr(store_search, "leader", lambda *_a, way=way, **_k: way)
        assert _page(corpus, query, filters, limit=limit, offset=offset) == chosen, way


def _ways(query: str, filters: dict[str, Any]) -> list[store_search.Plan]:
    """Every way to find the list (the set lookup too, whatever the backend)."""
    from tickerwire.insights.issuers import resolve_issuer

    security = filters.get("security")
    codes = list(resolve_issuer(security).codes) if security else None
    return store_search.ways(SearchFilters(security_query(query)[0], listing_codes=codes),
                             "sqlite")


@pytest.mark.parametrize("as_of", [BETWEEN, None])
@pytest.mark.parametrize("query", ["Hua Hong", "华虹", "SMIC", "wafer", ""])
def test_both_ways_keep_the_point_in_time(
    handmade: Store, monkeypatch: pytest.MonkeyPatch, as_of: datetime | None, query: str
) -> None:
    pages = []
    for way in _ways(query, {}):
        monkeypatch.setattr(store_search, "leader", lambda *_a, way=way, **_k: way)
        pages.append(search_articles(handmade, query, with_facets=True, as_of=as_of))
    for way in _ways("", {"security": "01347.HK"}):
        monkeypatch.setattr(store_search, "leader", lambda *_a, way=way, **_k: way)
        pages.append(search_articles(handmade, "", security="01347.HK", with_facets=True,
                                     as_of=as_of))
    ways = len(_ways(query, {}))
    assert pages[:ways] == [pages[0]] * ways
    assert pages[ways:] == [pages[ways]] * len(pages[ways:])


@pytest.mark.parametrize(
    ("query", "security", "wanted", "lead"),
    [
        ("quokka", None, 1, 0),  # no match: nothing to walk for
        ("no such words anywhere", None, 1, 2),  # "words" matches nothing: it leads
        ("私有化", None, 1, 0),  # a handful of matches
        ("HK", None, 1, None),  # nearly every article: the walk stops at once
        ("HK", None, None, 0),  # all of them are wanted: read the matches
        ("", None, 1, None),  # no words, no security: nothing to lead by
        ("", "00700.HK", COUNT_LIMIT + 1, 0),
        ("HK 私有化", None, 1, 1),  # the rarer word leads
        ("HK", "00700.HK", 1, None),
        ("HK", "00005.HK", None, 1),  # fewer HSBC articles than articles saying HK
    ],
)
def test_the_fewest_matches_lead_when_they_are_few(
    corpus: Store, query: str, security: str | None, wanted: int | None, lead: int | None
) -> None:
    from tickerwire.insights.issuers import resolve_issuer

    codes = list(resolve_issuer(security).codes) if security else None
    filters = SearchFilters(query=security_query(query)[0], listing_codes=codes)
    plan = corpus._run(lambda conn: store_search.leader(conn, filters, wanted=wanted))
    assert plan == store_search.Plan(lead=lead)


@pytest.mark.parametrize(
    ("query", "wanted", "way"),
    [
        ("恒指", 1, store_search.Plan(by_set=0)),  # in a sixth of the articles
        ("semiconductor", 3, store_search.Plan(by_set=0)),  # a third
        ("HK", 1, store_search.WALK),  # more than half: the walk stops at once
        ("私有化", 3, store_search.Plan(lead=0)),  # a handful: sort them
        ("中芯", 1, store_search.WALK),  # a security's name: its mentions are checked one by one
    ],
)
def test_a_word_neither_rare_nor_common_is_looked_up_in_its_matches(
    corpus: Store, query: str, wanted: int, way: store_search.Plan
) -> None:
    """On SQLite the walk newest first may check a clause of words against the set of its
    matches, read once from the full-text index; PostgreSQL plans such a lookup itself."""
    filters = SearchFilters(query=security_query(query)[0])
    plan = corpus._run(lambda conn: store_search.leader(conn, filters, wanted=wanted))
    if corpus.dialect == "sqlite":
        assert plan == way
    else:
        assert plan.by_set is None and plan in store_search.ways(filters, "postgresql")


@pytest.mark.parametrize(("query", "limit", "offset", "at_most", "among"), [
    ("", 20, 0, 5, 4), ("", 3, 4, 5, 5), ("semiconductor", 2, 1, 3, 3), ("腾讯", 20, 0, 1001, 1000),
    ("HK", 5, 10, 1001, 1000), ("HK", 5, 30, 8, 8),  # a page past the count's bound
    ("中芯", 20, 0, 1001, 0),  # no facets wanted: none counted
])
def test_a_list_page_read_at_once_equals_each_read_alone(
    corpus: Store, query: str, limit: int, offset: int, at_most: int, among: int
) -> None:
    parsed = security_query(query)[0]
    assert corpus.list_page(parsed, limit=limit, offset=offset, at_most=at_most, among=among,
                            facet_limit=12) == (
        corpus.search(parsed, limit=limit, offset=offset),
        corpus.count(parsed, at_most=at_most),
        corpus.facets(parsed, among=among, limit=12),
    )


def test_facets_need_as_many_counted(corpus: Store) -> None:
    with pytest.raises(ValueError, match="at least"):
        corpus.list_page(None, at_most=2, among=5)
