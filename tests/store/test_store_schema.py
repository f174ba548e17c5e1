"""Opening, migrating and refusing to open the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_builders import make_article

from tickerwire.errors import StoreError
from tickerwire.store import MIGRATIONS, Store


def test_sqlite_supports_trigram_search() -> None:
    assert sqlite3.sqlite_version_info >= (3, 34, 0)


def test_new_database_records_every_migration_in_order(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dirs" / "tw.db"
    with Store(path) as store:
        applied = store.migrations()
        assert [(v, name) for v, name, _ in applied] == [(m.version, m.name) for m in MIGRATIONS]
        assert store.schema_version == MIGRATIONS[-1].version
        assert store.integrity_check() == []
    assert path.is_file()


def test_reopening_applies_nothing_twice(db_path: Path) -> None:
    with Store(db_path) as store:
        first = store.migrations()
    with Store(db_path) as store:
        assert store.migrations() == first


def test_migrations_are_numbered_in_increasing_order() -> None:
    # Numbers are handed out to branches in advance, so a gap stays until the branch that holds
    # the missing number is merged; the order is what migrate() relies on.
    versions = [m.version for m in MIGRATIONS]
    assert versions[0] == 1
    assert versions == sorted(set(versions))


def test_database_uses_wal_foreign_keys_and_trigram_fts(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        sql = conn.execute(
            "SELECT sql FROM sqlite_schema WHERE name = 'revisions_fts'"
        ).fetchone()[0]
        assert "trigram" in sql
    finally:
        conn.close()


def test_an_older_database_is_upgraded_on_open(db_path: Path) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT,"
                 " applied_at TEXT)")
    for statement in MIGRATIONS[0].statements:
        conn.execute(statement)
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'core tables', '2025-01-01')")
    conn.close()
    with Store(db_path) as store:
        assert [v for v, _, _ in store.migrations()] == [m.version for m in MIGRATIONS]
        store.ingest_article(make_article(), None)
        assert len(store.search("Tencent")) == 1


def test_readonly_refuses_an_outdated_schema(db_path: Path) -> None:
    sqlite3.connect(db_path).close()
    with pytest.raises(StoreError, match="without --readonly"):
        Store(db_path, readonly=True)


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2099-01-01')")
    conn.close()
    with pytest.raises(StoreError, match="newer tickerwire"):
        Store(db_path)


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError, match=r"notes\.db: it is not a tickerwire database"):
        Store(path)


def test_readonly_on_a_missing_file_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="ingest some news first"):
        Store(tmp_path / "missing.db", readonly=True)


def test_readonly_store_reads_but_refuses_writes(db_path: Path) -> None:
    with Store(db_path) as store:
        store.ingest_article(make_article(), None)
    with Store(db_path, readonly=True) as reader:
        assert reader.stats()["articles"] == 1
        with pytest.raises(StoreError, match="read-only"):
            reader.ingest_article(make_article(text="Another story\nbody"), None)
        with pytest.raises(StoreError, match="read-only"):
            reader.quarantine("x.bin", "binary", "not text")


def test_a_locked_database_gives_a_clear_error(db_path: Path) -> None:
    Store(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store(db_path, timeout=0.2) as store, pytest.raises(
            StoreError, match="another process is writing"
        ):
            store.ingest_article(make_article(), None)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_mention_roles_round_trip(tmp_path: Path) -> None:
    from tickerwire.model import Article, Extraction, Mention
    from tickerwire.store import Store

    article = Article(text="Listed on HKEX today.", url="https://example.com/roles")
    venue = Mention("00388.HK", "HKEX", "00388.HK", ("00388.HK",), "HKEX", 10, 14, 0.9, role="venue")
    with Store(tmp_path / "roles.db") as store:
        store.ingest_article(article, Extraction(article=article, mentions=(venue,)))
        stored = store.get_article(article.id)
        assert stored is not None and stored.extraction is not None
        assert stored.extraction.mentions[0].role == "venue"
        assert [row.role for row in store.mention_rows()] == ["venue"]
