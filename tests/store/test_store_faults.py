"""Values the store cannot keep are one article's typed error; component errors are stored."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_builders import T0, make_article, tencent_extraction

from tickerwire.errors import StoreError, UnstorableArticleError
from tickerwire.store import MIGRATIONS, Store

FAR_WEST = timezone(timedelta(hours=-12))
FAR_EAST = timezone(timedelta(hours=14))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"published_at": datetime(9999, 12, 31, 23, 0, tzinfo=FAR_WEST)}, "unstorable_time"),
        ({"published_at": datetime(1, 1, 1, 0, 0, tzinfo=FAR_EAST)}, "unstorable_time"),
        ({"text": "Tencent \ud800 fell 3.6%"}, "unstorable_text"),
        ({"title": "騰訊\udfff"}, "unstorable_text"),
        ({"meta": {"loop": []}}, "unstorable_metadata"),
    ],
    ids=["year-9999-west", "year-1-east", "surrogate-text", "surrogate-title", "circular-meta"],
)
def test_unstorable_article_is_a_typed_error_and_writes_nothing(
    store: Store, change: dict[str, object], reason: str
) -> None:
    article = replace(make_article(), **change)  # type: ignore[arg-type]
    meta = change.get("meta")
    if isinstance(meta, dict):
        meta["loop"].append(meta)  # a value that refers to itself
    with pytest.raises(UnstorableArticleError) as caught:
        store.ingest_article(article, None, now=T0)
    assert caught.value.reason == reason
    assert isinstance(caught.value, StoreError)
    assert store.stats()["articles"] == 0  # the transaction rolled back whole
    good = make_article(url="https://news.example.com/other")
    assert store.ingest_article(good, tencent_extraction(good), now=T0).status == "new"


def test_quarantine_keeps_an_origin_with_undecodable_file_name_bytes(store: Store) -> None:
    row_id = store.quarantine("news/bad-\udcff.md", "binary", "detail \udcfe", now=T0)
    [row] = store.quarantined()
    assert row.id == row_id
    assert row.origin == "news/bad-\\udcff.md"
    assert row.detail == "detail \\udcfe"


@pytest.mark.parametrize(
    "errors",
    [
        ("facts: ValueError: could not convert string to float",),
        ("time_limit: stopped after facts (21.0 s, limit 20 s); not run: events",
         "sentiment: KeyError: '00981.HK'"),
        ("a message without a component",),
    ],
)
def test_component_errors_are_stored_and_counted(store: Store, errors: tuple[str, ...]) -> None:
    article = make_article()
    extraction = replace(tencent_extraction(article), errors=errors)
    store.ingest_article(article, extraction, now=T0)
    stored = store.get_article(article.id)
    assert stored is not None and stored.extraction is not None
    assert stored.extraction.errors == errors
    assert store.stats()["incomplete_extractions"] == 1


def test_clean_extraction_is_not_counted_as_incomplete(store: Store) -> None:
    article = make_article()
    store.ingest_article(article, replace(tencent_extraction(article), errors=()), now=T0)
    assert store.stats()["incomplete_extractions"] == 0


def test_migration_5_moves_errors_out_of_the_json_column(db_path: Path) -> None:
    article = make_article()
    with Store(db_path) as store:
        store.ingest_article(article, replace(tencent_extraction(article), errors=()), now=T0)
    conn = sqlite3.connect(db_path, isolation_level=None)
    # An extraction as an older tickerwire wrote it: errors only in the JSON column.
    conn.execute(
        "UPDATE extractions SET errors = ?",
        ('["facts: ValueError: bad digit", "no component here"]',),
    )
    [migration] = [m for m in MIGRATIONS if m.version == 5]
    for statement in migration.statements[2:]:  # the backfill (the tables already exist)
        conn.execute(statement)
    rows = conn.execute(
        "SELECT seq, component, message FROM extraction_errors ORDER BY seq"
    ).fetchall()
    assert rows == [(0, "facts", "ValueError: bad digit"), (1, "", "no component here")]
    assert conn.execute("SELECT errors FROM extractions").fetchone() == ("[]",)
    conn.close()
    with Store(db_path) as store:
        stored = store.get_article(article.id)
        assert stored is not None and stored.extraction is not None
        assert stored.extraction.errors == ("facts: ValueError: bad digit", "no component here")
