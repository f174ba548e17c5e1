"""No main read scans a big table: every statement the boards, the brief, a stock page, the IPO
pipeline, an article and a search run is checked with EXPLAIN QUERY PLAN.

The store has no planner statistics (no ANALYZE), as a user's store has none: SQLite then
plans as if every table were large, so a plan that searches here searches at a million articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest

from tickerwire import insights
from tickerwire.insights.ipos import ipos_on
from tickerwire.insights.timeline_page import timeline_page
from tickerwire.store import Store
from tickerwire.store import queries as store_queries
from tickerwire.store import search as store_search
from tickerwire.store.connection import SqliteConnection

BIG_TABLES = ("articles", "article_revisions", "extractions", "facts", "mentions", "events",
              "extraction_listings", "index_mentions", "story_members", "ipo_companies",
              "issuer_articles")
_ALIASED = re.compile(r"\b(" + "|".join(BIG_TABLES) + r")\b(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|JOIN\b"
                      r"|INDEXED\b|CROSS\b|LEFT\b|USING\b|GROUP\b|ORDER\b|LIMIT\b|UNION\b)(\w+))?",
                      re.IGNORECASE)
# A whole table or index read: a SCAN, or a SEARCH bounded only by the as-of instant (every
# row seen by then: all of them, for a question about now).
_SCAN = re.compile(r"^(?:SCAN (\w+)|SEARCH (\w+) USING (?:COVERING )?INDEX \w+"
                   r" \((?:first_seen_at|extracted_at|joined_at)<\?\)$)")
DAY = date(2025, 10, 24)
ARTICLE = "tw-c5f15470ca584455"  # examples/news/2025-10-06-hk-close-hsi-holiday-eve.md
# Lists walk the revisions newest first and stop at their LIMIT (a page, or the bound on what a
# list counts: insights.search.COUNT_LIMIT), so reading that index in order is not a scan.
NEWEST_FIRST = "SCAN r USING INDEX article_revisions_sort"


@contextmanager
def _statements(store: Store) -> Iterator[list[str]]:
    """Every statement ``store`` runs meanwhile, its parameters bound."""
    conn = store._conn
    assert isinstance(conn, SqliteConnection)
    seen: list[str] = []
    conn.raw.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.raw.set_trace_callback(None)


def _plan(store: Store, sql: str) -> list[str]:
    raw = store._conn.raw  # type: ignore[attr-defined]
    return [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}")]


def _scans(store: Store, sql: str) -> list[str]:
    """The big tables ``sql`` reads from end to end (a whole table or a whole index). Reading
    the rows of a subquery (``SCAN r`` after ``CO-ROUTINE r``: the sample of the newest
    revisions ``store.search.leader`` takes) reads only what the subquery made."""
    aliases = {alias or table: table for table, alias in _ALIASED.findall(sql)}
    plan = _plan(store, sql)
    made = {line.split()[-1] for line in plan if line.startswith(("CO-ROUTINE ", "MATERIALIZE "))}
    return [line for line in plan if line != NEWEST_FIRST and line.split()[-1] not in made
            and (m := _SCAN.match(line)) and (m.group(1) or m.group(2)) in aliases]


READS: dict[str, Callable[[Store], Any]] = {
    "market": lambda s: insights.market(s, day=DAY),
    "market (latest day)": lambda s: insights.market(s),
    "movers": lambda s: insights.movers(s, day=DAY),
    "brief": lambda s: insights.brief(s, day=DAY),
    "brief of a day without news": lambda s: insights.brief(s, day=date(2025, 10, 12)),
    "days with news": lambda s: s.days(),
    "days with news as of a past day": lambda s: s.days(as_of=datetime(2025, 10, 20, tzinfo=UTC)),
    "stock page": lambda s: timeline_page(s, "SMIC", limit=20, offset=0),
    "stock page (days)": lambda s: timeline_page(s, "騰訊", limit=20, offset=0,
                                                 since=date(2025, 10, 1), until=DAY),
    "ipos of a month": lambda s: insights.ipos(s, since=date(2025, 10, 1), until=DAY),
    "ipos (the pipeline's window)": lambda s: insights.ipos(s),
    "ipos until a day": lambda s: insights.ipos(s, until=DAY),
    "a page of ipos": lambda s: insights.ipo_page(s, limit=2, offset=1),
    "ipos as of a past day": lambda s: insights.ipo_page(
        s, limit=5, as_of=datetime(2025, 10, 20, tzinfo=UTC)),
    "ipos with news on a day": lambda s: ipos_on(s, DAY),
    "article": lambda s: insights.article_view(s, ARTICLE),
    "search words": lambda s: insights.search_articles(s, "semiconductor"),
    "search 中文": lambda s: insights.search_articles(s, "半导体"),
    "search a security": lambda s: insights.search_articles(s, security="00700.HK"),
    "latest articles": lambda s: insights.search_articles(s, with_facets=True),
}

# Lists start from their matches when they are few and otherwise walk newest first
# (store.search.leader); the sample store is small, so each way is forced in turn.
LISTS: dict[str, Callable[[Store], Any]] = {
    "search words": lambda s: insights.search_articles(s, "semiconductor", with_facets=True),
    "search two letters": lambda s: insights.search_articles(s, "HK", with_facets=True),
    "search 中文": lambda s: insights.search_articles(s, "半导体", with_facets=True),
    "search a security's name": lambda s: insights.search_articles(s, "中芯", with_facets=True),
    "search words and a security": lambda s: insights.search_articles(
        s, "shares", security="SMIC", with_facets=True),
    "a security": lambda s: insights.search_articles(s, security="00700.HK", with_facets=True),
}


@pytest.mark.parametrize("read", READS)
def test_no_main_read_scans_a_big_table(corpus: Store, read: str) -> None:
    if corpus.dialect != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans by its own statistics")
    with _statements(corpus) as seen:
        READS[read](corpus)
    reads = [sql for sql in seen if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert reads
    scanning = {sql[:160]: scans for sql in reads if (scans := _scans(corpus, sql))}
    assert scanning == {}


@pytest.mark.parametrize("way", [store_search.Plan(lead=0), store_search.WALK,
                                 store_search.Plan(by_set=0)],
                         ids=["matches lead", "newest first", "newest first, matches as a set"])
@pytest.mark.parametrize("read", LISTS)
def test_lists_scan_no_big_table_either_way(
    corpus: Store, monkeypatch: pytest.MonkeyPatch, read: str, way: store_search.Plan
) -> None:
    if corpus.dialect != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans by its own statistics")

    def leader(_conn: object, filters: store_search.SearchFilters, **_k: object) -> store_search.Plan:
        # a way this list has (the set only for a clause of words; else the walk)
        return way if way in store_search.ways(filters, "sqlite") else store_search.WALK

    monkeypatch.setattr(store_search, "leader", leader)
    with _statements(corpus) as seen:
        LISTS[read](corpus)
    reads = [sql for sql in seen if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    plans = [_plan(corpus, sql) for sql in reads if "ORDER BY r.sort_at DESC" in sql]
    assert plans
    # Walking: every list statement reads the newest-first index; leading: none does.
    assert all((NEWEST_FIRST in plan) is (way.lead is None) for plan in plans)
    scanning = {sql[:160]: scans for sql in reads if (scans := _scans(corpus, sql))}
    assert scanning == {}


@pytest.mark.parametrize("walk", [False, True], ids=["matches lead", "newest first"])
@pytest.mark.parametrize(("query", "since", "until"), [
    ("SMIC", None, None), ("騰訊", date(2025, 10, 1), DAY), ("HSBC", None, DAY)])
def test_a_stock_page_scans_no_big_table_either_way(
    corpus: Store, monkeypatch: pytest.MonkeyPatch, walk: bool, query: str,
    since: date | None, until: date | None,
) -> None:
    """A stock page without day bounds reads each listing's newest rows of ``issuer_articles``
    in its order index; with day bounds it finds its newest articles from the listing and subject
    indexes or walks the revisions newest first (store.queries.issuer_extractions); the sample
    store is small, so each way is forced in turn (with a bound the walk fills before it runs
    out)."""
    if corpus.dialect != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans by its own statistics")
    monkeypatch.setattr(store_queries, "_many_matches", lambda *_a, **_k: walk)
    with _statements(corpus) as seen:
        timeline_page(corpus, query, limit=3, offset=0, since=since, until=until, days_articles=4)
    reads = [sql for sql in seen if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    walks = [sql for sql in reads if "ORDER BY r.sort_at DESC" in sql]
    ordered = [sql for sql in reads if "FROM issuer_articles" in sql]
    bounded = since is not None or until is not None
    assert len(walks) == (walk and bounded)
    assert bool(ordered) is not bounded
    assert all(NEWEST_FIRST in _plan(corpus, sql) for sql in walks)
    assert all(_plan(corpus, sql) == [
        "SEARCH issuer_articles USING COVERING INDEX issuer_articles_order (listing=?)"]
        for sql in ordered)  # in the index's order: no sort, and it stops at its LIMIT
    scanning = {sql[:160]: scans for sql in reads if (scans := _scans(corpus, sql))}
    assert scanning == {}


def test_the_check_sees_a_scan(corpus: Store) -> None:
    """The check itself: a query that filters facts on an unindexed column is caught."""
    if corpus.dialect != "sqlite":
        pytest.skip("SQLite only")
    assert _scans(corpus, "SELECT x.id FROM facts x WHERE x.qualifier = 'exact'") == ["SCAN x"]
    assert _scans(corpus, "SELECT count(*) FROM article_revisions r JOIN articles a"
                          " ON a.id = r.article_id") != []
    assert _scans(corpus, "SELECT r.id FROM article_revisions r WHERE r.first_seen_at <= '9999'"
                          " AND r.title LIKE '%HSBC%'") != []
