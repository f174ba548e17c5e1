"""Helpers of the batch tests: the sample news paths and a database (SQLite or PostgreSQL)
compared row by row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tickerwire.ingest import ingest_paths
from tickerwire.store import Store

ROOT = Path(__file__).resolve().parents[2]
NEWS = ROOT / "examples" / "news"
BAD = ROOT / "examples" / "bad"

# Every stored row by its natural key, without surrogate ids and the times of this run.
_ROW_QUERIES = {
    "articles": "SELECT id, url, source, lang, format, origin FROM articles",
    "article_revisions": "SELECT article_id, revision, content_hash, lang, origin, published_at, "
    "published_date_hk, day_hk, title, text, metadata, date_source FROM article_revisions",
    "extractions": "SELECT article_id, revision, pipeline_version, sentiment_score, sentiment_label, "
    "sentiment_by_subject, sentiment_labels, sentiment_evidence, relevance, errors FROM extractions",
}
_KEY = "e.article_id, e.revision, x.seq"
_CHILD_QUERIES = {
    table: f"SELECT {_KEY}, {columns} FROM {table} x JOIN extractions e ON e.id = x.extraction_id"
    for table, columns in {
        "mentions": 'x.issuer, x.name, x.listing, x.listings, x.text, x.start, x."end", '
                    "x.confidence, x.via, x.role",
        "index_mentions": 'x.index_id, x.text, x.start, x."end"',
        "facts": "x.kind, x.subject, x.value, x.pct, x.points, x.price, x.currency, x.qualifier, "
                 'x.text, x.start, x."end", x.value_max, x.horizon, x.day',
        "events": 'x.type, x.subjects, x.text, x.start, x."end"',
        "extraction_errors": "x.component, x.message",
    }.items()
}
_VERDICTS = {
    "fact_verifications": f"SELECT {_KEY}, v.verdict, v.field, v.stated, v.actual, v.difference, "
    "v.day, v.reason FROM fact_verifications v JOIN facts x ON x.id = v.fact_id "
    "JOIN extractions e ON e.id = x.extraction_id",
}


def database_rows(target: Path | str) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows (sorted) with ids and run times left out: equal for equal contents,
    whichever backend holds them (``target``: a SQLite file or a PostgreSQL URL)."""
    queries = {**_ROW_QUERIES, **_CHILD_QUERIES, **_VERDICTS}
    if isinstance(target, str):
        import psycopg

        with psycopg.connect(target) as pg:
            return {table: sorted((tuple(row) for row in pg.execute(sql)), key=repr)  # type: ignore[arg-type]
                    for table, sql in queries.items()}
    conn = sqlite3.connect(target)
    try:
        return {table: sorted(conn.execute(sql).fetchall(), key=repr)
                for table, sql in queries.items()}
    finally:
        conn.close()


def ingest_into(path: Path | str, inputs: list[str]) -> None:
    with Store(path) as store:
        ingest_paths(store, inputs, max_bytes=20 << 20)
