"""The folded search index: built by migration 4 (empty or filled database), kept in step by
triggers, and used by every search (no query reads the article table from end to end)."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_builders import SMIC_ZH, make_article

from tickerwire.store import MIGRATIONS, Store
from tickerwire.store.codec import as_of_text
from tickerwire.store.folding import register
from tickerwire.store.search import (
    WALK,
    Plan,
    SearchClause,
    SearchFilters,
    SearchQuery,
    page_sql,
    parse_query,
    ways,
)

HANT = "滙豐私有化恒生銀行\n滙豐控股宣佈以每股155港元私有化恒生銀行。"


def _version_3_database(path: Path) -> None:
    """A database as version 3 left it, with two revisions indexed the old way."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                 " applied_at TEXT NOT NULL)")
    for migration in MIGRATIONS[:3]:
        for statement in migration.statements:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '2025-10-01T00:00:00Z')",
                     (migration.version, migration.name))
    for i, (title, text) in enumerate([("中芯国际股价创新高", SMIC_ZH), ("滙豐私有化恒生銀行", HANT)]):
        conn.execute("INSERT INTO articles(id, format, first_seen_at) VALUES (?, 'text', ?)",
                     (f"a{i}", "2025-10-24T01:00:00Z"))
        conn.execute(
            "INSERT INTO article_revisions(article_id, revision, content_hash, lang, day_hk,"
            " sort_at, first_seen_at, title, text) VALUES (?, 1, ?, 'zh', '2025-10-24', ?, ?, ?, ?)",
            (f"a{i}", f"h{i}", f"2025-10-24T0{i}:00:00Z", "2025-10-24T01:00:00Z", title, text),
        )
    assert conn.execute("SELECT count(*) FROM revisions_fts WHERE revisions_fts MATCH"
                        " '\"恒生银行\"'").fetchone()[0] == 0  # the old index does not fold
    conn.close()


def test_migration_4_rebuilds_the_index_of_a_version_3_database(db_path: Path) -> None:
    _version_3_database(db_path)
    with Store(db_path) as store:
        assert 4 in [version for version, _, _ in store.migrations()]
        assert [hit.title for hit in store.search("恒生银行")] == ["滙豐私有化恒生銀行"]
        assert [hit.title for hit in store.search("中芯國際")] == ["中芯国际股价创新高"]
        assert [hit.title for hit in store.search("汇丰")] == ["滙豐私有化恒生銀行"]
        assert store.integrity_check() == []


def test_migration_4_on_an_empty_database_then_new_rows_are_indexed(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store.search("中芯") == []
        store.ingest_article(make_article(HANT, url="https://x/hant", lang="zh"), None)
        assert store.count("汇丰 恒生银行") == 1


def test_the_index_follows_edits_and_deletes(db_path: Path) -> None:
    with Store(db_path) as store:
        store.ingest_article(make_article(HANT, url="https://x/hant", lang="zh"), None)
    conn = sqlite3.connect(db_path, isolation_level=None)
    register(conn)
    conn.execute("UPDATE article_revisions SET text = '騰訊控股公佈業績'")
    conn.close()
    with Store(db_path) as store:
        assert store.count("腾讯") == 1 and store.count("汇丰控股") == 0
    conn = sqlite3.connect(db_path, isolation_level=None)
    register(conn)
    conn.execute("DELETE FROM article_revisions")
    assert conn.execute("SELECT count(*) FROM revisions_fts").fetchone()[0] == 0
    conn.close()


QUERIES = [
    "中芯国际",  # a trigram phrase
    "中芯",  # a short term, through the vocabulary
    "HK",
    "中芯 南向资金 %",  # long and short together
    '"Hang Seng Tech"',
]

# Index reads of the full-text table: a MATCH, a vocabulary range, or one row by its rowid.
_FULL_SCAN = re.compile(r"^SCAN (?!\w+ VIRTUAL TABLE INDEX [1-9]|\w+ VIRTUAL TABLE INDEX 0:[M=])")
# A list with many matches walks the revisions newest first and stops at its LIMIT, checking
# each revision's folded text by its rowid.
_NEWEST_FIRST = "SCAN r USING INDEX article_revisions_sort"
_BY_ROWID = "SCAN f VIRTUAL TABLE INDEX 0:="


@pytest.mark.parametrize("way", [Plan(lead=0), WALK, Plan(by_set=0)],
                         ids=["matches lead", "newest first", "newest first, matches as a set"])
@pytest.mark.parametrize("text", QUERIES)
def test_every_text_query_is_answered_from_the_indexes(
    db_path: Path, text: str, way: Plan
) -> None:
    plain = parse_query(text)
    assert plain is not None
    with_security = SearchQuery(text, (SearchClause(plain.terms, ("00981.HK", "688981.SH"),
                                                    "SMIC"),))
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    try:
        for query in (plain, with_security):
            filters = SearchFilters(query, lang="zh")
            if way not in ways(filters, "sqlite"):
                continue  # a clause naming a security is checked revision by revision
            sql, params = page_sql(filters, as_of_text(datetime(2026, 1, 1, tzinfo=UTC)),
                                   plan=way)
            params.update(limit=20, offset=0)
            plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
            assert (_NEWEST_FIRST in plan) is (way.lead is None), plan
            assert not [step for step in plan
                        if _FULL_SCAN.match(step) and step != _NEWEST_FIRST], plan
            assert any("revisions_fts" in step or "revisions_terms" in step
                       or step == _BY_ROWID for step in plan)
    finally:
        conn.close()
