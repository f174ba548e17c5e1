"""The exchange tables mirror the store's columns, and rows turn back into what they came from."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from tickerwire.batch.tables import (
    CHILD_TABLES,
    EXPORT_SCHEMAS,
    SCHEMAS,
    STORE_TABLES,
    article_from_row,
    article_row,
    child_rows,
    extraction_from_rows,
)
from tickerwire.extract import build_pipeline
from tickerwire.model import Article
from tickerwire.store import Store
from tickerwire.store.writer import article_metadata

# Store columns that have no exchange column: surrogate ids (replaced by the natural key), the
# old JSON home of the errors, and the store's own derived or bookkeeping columns.
_NOT_EXCHANGED = {
    "articles": {"id", "first_seen_at"},  # the row's first_seen_at is the revision's
    "article_revisions": {"id", "day_hk", "sort_at"},
    "extractions": {"id"},
    "mentions": {"id", "extraction_id"},
    "index_mentions": {"id", "extraction_id"},
    "facts": {"id", "extraction_id"},
    "events": {"id", "extraction_id"},
    "quarantine": {"id", "size_bytes", "first_seen_at", "last_seen_at", "count"},
    "story_members": {"signature"},  # what story matching reads, not a figure of the story
}
_RENAMED = {"id": "article_id"}


@pytest.mark.parametrize("table", list(EXPORT_SCHEMAS))
def test_every_store_column_has_its_exchange_column(tmp_path: Path, table: str) -> None:
    with Store(tmp_path / "db") as store:
        store_columns = {
            column
            for source in STORE_TABLES[table]
            for column in store.columns(source)
            if column not in _NOT_EXCHANGED[source]
        }
    names = set(EXPORT_SCHEMAS[table].names)
    assert {_RENAMED.get(c, c) for c in store_columns} <= names
    extra = names - {_RENAMED.get(c, c) for c in store_columns}
    assert extra <= {"article_id", "revision", "first_seen_at", "extracted_at", "errors", "first_report"}, extra


def test_child_tables_are_keyed_by_article_revision_and_seq() -> None:
    for table in CHILD_TABLES:
        assert SCHEMAS[table].names[:3] == ["article_id", "revision", "seq"]


ARTICLES = [
    Article(text="SMIC jumped 6.1% to HK$78.85 and Hua Hong Semiconductor rose 4.3% on Friday; "
                 "the Hang Seng Index added 0.7% to 26,160.",
            title="Chip stocks rally", url="https://news.example.com/a?utm_source=x",
            published_at=datetime(2025, 10, 24, 16, 10, tzinfo=UTC), lang="en",
            source="Example Wire", related_stocks=("00981.HK",)),
    Article(text="中芯國際年初至今累升九成，華虹半導體收報七十二港元。恒生指數收市跌0.5%。",
            title="中芯國際年初至今累升九成", published_at=None, lang="zh", source="示例新聞",
            source_id="zh-0001", meta={"desk": "港股"}),
]


@pytest.mark.parametrize("article", ARTICLES, ids=["en", "zh"])
def test_rows_give_back_the_article_and_its_extraction(article: Article) -> None:
    extraction = build_pipeline()(article)
    seen = datetime(2025, 10, 25, 1, tzinfo=UTC)
    row = article_row(article, extraction, revision=1, first_seen_at=seen, extracted_at=seen,
                      metadata=article_metadata(article))
    children = child_rows(article.id, 1, extraction)
    for table, rows in {"articles": [row], **children}.items():
        pa.Table.from_pylist(rows, schema=SCHEMAS[table])  # every row fits its schema
    rebuilt = article_from_row(row)
    assert (rebuilt.id, rebuilt.content_hash) == (article.id, article.content_hash)
    back = extraction_from_rows(rebuilt, row, children)
    assert back is not None
    assert back.mentions == extraction.mentions
    assert back.indices == extraction.indices
    assert back.events == extraction.events
    assert [f.to_dict() | {"previous": None} for f in back.facts] == [
        f.to_dict() | {"previous": None} for f in extraction.facts]  # the store keeps no previous
    assert back.sentiment.to_dict() == extraction.sentiment.to_dict()
    assert back.relevance == extraction.relevance


def test_whole_number_figures_are_written_as_floats() -> None:
    article = Article(text="港交所連升三日 年初至今累升近四成\n香港交易所股價今日再升2%。", lang="zh")
    extraction = build_pipeline()(article)
    assert 40 in [f.pct for f in extraction.facts]  # the pipeline gives an int for 四成
    facts = child_rows(article.id, 1, extraction)["facts"]
    assert [(f["pct"], type(f["pct"])) for f in facts if f["kind"] == "price_move"] == [
        (40.0, float), (2.0, float)]


def test_an_article_without_extraction_has_empty_extraction_columns() -> None:
    article = ARTICLES[0]
    row = article_row(article, None, revision=2, first_seen_at=datetime(2025, 10, 25, tzinfo=UTC),
                      extracted_at=None, metadata=article_metadata(article))
    assert row["pipeline_version"] is None and row["errors"] is None
    assert extraction_from_rows(article, row, {}) is None
