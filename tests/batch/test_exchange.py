"""``export`` → ``batch load`` round trips, point-in-time and filtered exports, bad tables."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from batch_helpers import database_rows

from tickerwire.batch.exchange import EXPORT_TABLES, ExportFilters, export_paths, export_tables, load_tables
from tickerwire.batch.files import TableFormat, read_rows
from tickerwire.batch.tables import EXPORT_SCHEMAS
from tickerwire.errors import BatchError
from tickerwire.extract import build_pipeline
from tickerwire.model import Article
from tickerwire.store import Store


def _export_all(db: Path, out: Path, fmt: TableFormat = TableFormat.parquet, *, page: int = 500,
                filters: ExportFilters | None = None) -> dict[str, int]:
    with Store(db, readonly=True) as store:
        return export_tables(store, export_paths(out, list(EXPORT_TABLES), fmt), fmt,
                             filters or ExportFilters(), page=page)


def test_export_then_load_gives_the_same_rows(
    sample_db: Path, db_target: Path | str, tmp_path: Path
) -> None:
    counts = _export_all(sample_db, tmp_path / "tables", page=7)  # many pages, many row groups
    assert counts["articles"] == 72 and counts["facts"] > 500 and counts["events"] > 500
    assert pq.ParquetFile(tmp_path / "tables" / "facts.parquet").num_row_groups > 5
    with Store(db_target) as store:
        summary = load_tables(store, tmp_path / "tables", chunk=10)
        assert store.unassigned_articles() == []
    assert (summary.new, summary.unchanged, summary.revised) == (72, 0, 0)
    assert summary.stories_assigned == 72
    assert database_rows(db_target) == database_rows(sample_db)
    # and the loaded database exports the very same tables, times included, stories too: each
    # article joined its story in first-seen order as of that instant, as ingest decided
    _export_all(db_target, tmp_path / "again")
    for table in EXPORT_TABLES:
        first = pq.read_table(tmp_path / "tables" / f"{table}.parquet")
        again = pq.read_table(tmp_path / "again" / f"{table}.parquet")
        assert first.num_rows == counts[table] and first.equals(again), table


def test_loading_twice_adds_nothing(sample_db: Path, db_target: Path | str, tmp_path: Path) -> None:
    _export_all(sample_db, tmp_path / "tables")
    with Store(db_target) as store:
        load_tables(store, tmp_path / "tables")
        before = database_rows(db_target)
        summary = load_tables(store, tmp_path / "tables")
        stats = store.stats()
    assert (summary.new, summary.unchanged, summary.stories_assigned) == (0, 72, 0)
    assert database_rows(db_target) == before
    assert stats["extractions"] == 72 and stats["stories"] > 0


def test_a_load_stopped_before_its_stories_is_finished_by_the_next(
    sample_db: Path, db_target: Path | str, tmp_path: Path
) -> None:
    _export_all(sample_db, tmp_path / "tables")
    with Store(db_target) as store:
        first = load_tables(store, tmp_path / "tables", assign=False)
        left = len(store.unassigned_articles())
        again = load_tables(store, tmp_path / "tables")
        assert store.unassigned_articles() == []
    assert (first.new, first.stories_assigned, left) == (72, 0, 72)
    assert (again.unchanged, again.stories_assigned) == (72, 72)
    _export_all(db_target, tmp_path / "again")
    assert pq.read_table(tmp_path / "again" / "stories.parquet").equals(
        pq.read_table(tmp_path / "tables" / "stories.parquet"))


def test_a_changed_article_loads_as_a_new_revision(db_target: Path | str, tmp_path: Path) -> None:
    pipeline = build_pipeline()
    url = "https://news.example.com/hk/smic-rally"
    first = Article(text="SMIC rose 3.2% to HK$70.5 on Friday.", title="SMIC rises",
                    url=url, published_at=datetime(2025, 10, 24, 8, tzinfo=UTC), lang="en")
    second = Article(text="中芯国际周五收涨5.1%，报72.3港元。", title="SMIC rises",
                     url=url, published_at=datetime(2025, 10, 24, 8, tzinfo=UTC), lang="zh")
    source = tmp_path / "source.db"
    with Store(source) as store:
        store.ingest_article(first, pipeline(first), now=datetime(2025, 10, 24, 9, tzinfo=UTC))
    _export_all(source, tmp_path / "v1")
    with Store(source) as store:
        store.ingest_article(second, pipeline(second), now=datetime(2025, 10, 24, 10, tzinfo=UTC))
    _export_all(source, tmp_path / "v2")
    with Store(db_target) as store:
        load_tables(store, tmp_path / "v1")
        summary = load_tables(store, tmp_path / "v2")
        again = load_tables(store, tmp_path / "v2")
        stored = store.get_article(first.id)
        earlier = store.get_article(first.id, as_of=datetime(2025, 10, 24, 9, 30, tzinfo=UTC))
    assert (summary.revised, again.unchanged) == (1, 1)
    assert database_rows(db_target) == database_rows(source)
    assert stored is not None and stored.revision == 2 and stored.lang == "zh"
    assert stored.extraction is not None
    assert [(f.kind, f.pct) for f in stored.extraction.facts][:1] == [("price_move", 5.1)]
    assert earlier is not None and earlier.revision == 1  # seen times survive the trip


@pytest.mark.parametrize(("filters", "expected"), [
    (ExportFilters(since=date(2025, 10, 30), until=date(2025, 10, 31)),
     lambda a: a["published_date_hk"] is not None
     and date(2025, 10, 30) <= a["published_date_hk"] <= date(2025, 10, 31)),
    (ExportFilters(listings=("00981.HK", "688981.SH")),
     lambda a: "00981.HK" in a["mentioned"] or "688981.SH" in a["mentioned"]),
    (ExportFilters(as_of=datetime(2000, 1, 1, tzinfo=UTC)), lambda a: False),
])
def test_export_filters(sample_db: Path, tmp_path: Path, filters: ExportFilters, expected: object) -> None:
    _export_all(sample_db, tmp_path / "every")
    _export_all(sample_db, tmp_path / "some", filters=filters)
    mentioned: dict[str, set[str]] = {}
    for m in read_rows(tmp_path / "every", "mentions"):
        mentioned.setdefault(m["article_id"], set()).update([m["listing"], *m["listings"]])
    wanted = {a["article_id"] for a in read_rows(tmp_path / "every", "articles")
              if expected({**a, "mentioned": mentioned.get(a["article_id"], set())})}  # type: ignore[operator]
    got = {a["article_id"] for a in read_rows(tmp_path / "some", "articles")}
    assert got == wanted
    assert {f["article_id"] for f in read_rows(tmp_path / "some", "facts")} <= got


def test_export_as_of_before_a_revision_gives_the_old_one(tmp_path: Path) -> None:
    pipeline = build_pipeline()
    url = "https://news.example.com/hk/hsi-close"
    old = Article(text="The Hang Seng Index fell 1.2% to 25,000.", url=url, lang="en")
    new = Article(text="The Hang Seng Index fell 1.4% to 24,950.", url=url, lang="en")
    with Store(tmp_path / "db") as store:
        store.ingest_article(old, pipeline(old), now=datetime(2025, 10, 24, 9, tzinfo=UTC))
        store.ingest_article(new, pipeline(new), now=datetime(2025, 10, 24, 12, tzinfo=UTC))
        export_tables(store, {"facts": tmp_path / "f.jsonl"}, TableFormat.jsonl,
                      ExportFilters(as_of=datetime(2025, 10, 24, 10, tzinfo=UTC)))
    facts = [json.loads(line) for line in (tmp_path / "f.jsonl").read_text().splitlines()]
    assert {(f["revision"], f["kind"], f["pct"]) for f in facts if f["kind"] == "price_move"} == {
        (1, "price_move", -1.2)}


def test_csv_and_jsonl_hold_the_parquet_rows(sample_db: Path, tmp_path: Path) -> None:
    with Store(sample_db, readonly=True) as store:
        for fmt in TableFormat:
            export_tables(store, {"events": tmp_path / f"events.{fmt.value}"}, fmt, ExportFilters())
    parquet = pq.read_table(tmp_path / "events.parquet").to_pylist()
    lines = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    csv = pa_csv.read_csv(tmp_path / "events.csv").to_pylist()
    assert len(parquet) == len(lines) == len(csv) > 500
    assert [(r["article_id"], r["seq"], r["text"], r["subjects"]) for r in parquet] == [
        (r["article_id"], r["seq"], r["text"], r["subjects"]) for r in lines]
    assert [json.loads(r["subjects"]) for r in csv] == [r["subjects"] for r in parquet]
    assert any("港" in r["text"] for r in csv)  # Chinese survives every format


def test_parquet_schema_is_the_declared_one(sample_db: Path, tmp_path: Path) -> None:
    _export_all(sample_db, tmp_path)
    for table in EXPORT_TABLES:
        assert pq.read_schema(tmp_path / f"{table}.parquet").remove_metadata() == EXPORT_SCHEMAS[table]


def _copy_tables(sample_db: Path, tmp_path: Path) -> Path:
    out = tmp_path / "tables"
    _export_all(sample_db, out)
    return out


def test_unsorted_tables_are_refused(sample_db: Path, tmp_path: Path) -> None:
    out = _copy_tables(sample_db, tmp_path)
    articles = pq.read_table(out / "articles.parquet")
    pq.write_table(articles.take(list(reversed(range(articles.num_rows)))), out / "articles.parquet")
    with Store(tmp_path / "db") as store, pytest.raises(BatchError, match="must be sorted"):
        load_tables(store, out)


def test_child_rows_without_their_article_are_refused(sample_db: Path, tmp_path: Path) -> None:
    out = _copy_tables(sample_db, tmp_path)
    articles = pq.read_table(out / "articles.parquet")
    pq.write_table(articles.slice(1), out / "articles.parquet")  # drop the first article
    with Store(tmp_path / "db") as store, pytest.raises(BatchError, match="matches no article"):
        load_tables(store, out)


def test_an_edited_article_row_is_refused(sample_db: Path, tmp_path: Path) -> None:
    out = _copy_tables(sample_db, tmp_path)
    table = pq.read_table(out / "articles.parquet")
    urls = table.column("url").to_pylist()
    metadata = [json.loads(text) for text in table.column("metadata").to_pylist()]
    position = next(i for i, url in enumerate(urls) if url and not metadata[i]["source_id"])
    urls[position] = "https://elsewhere.example.com/moved"
    table = table.set_column(table.schema.get_field_index("url"), "url", pa.array(urls, pa.string()))
    pq.write_table(table, out / "articles.parquet")
    with Store(tmp_path / "db") as store, pytest.raises(BatchError, match="rebuilds an article"):
        load_tables(store, out)


def test_a_directory_without_tables_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store, pytest.raises(BatchError, match="no articles table"):
        load_tables(store, tmp_path)


def test_spark_style_part_files_are_read_in_order(sample_db: Path, tmp_path: Path) -> None:
    out = _copy_tables(sample_db, tmp_path)
    parts = tmp_path / "parts"
    for table in EXPORT_TABLES:
        whole = pq.read_table(out / f"{table}.parquet")
        (parts / table).mkdir(parents=True)
        half = whole.num_rows // 2
        pq.write_table(whole.slice(0, half), parts / table / "part-00000-x.parquet")
        pq.write_table(whole.slice(half), parts / table / "part-00001-x.parquet")
        (parts / table / "_SUCCESS").touch()
    shutil.rmtree(out)
    with Store(tmp_path / "db") as store:
        summary = load_tables(store, parts)
    assert summary.new == 72
    assert database_rows(tmp_path / "db") == database_rows(sample_db)


def test_an_article_the_database_refuses_is_quarantined_and_the_rest_load(
    db_target: Path | str, backend: str, tmp_path: Path
) -> None:
    """PostgreSQL text cannot hold NUL (SQLite keeps it): the chunk is retried article by article."""
    pipeline = build_pipeline()
    good = Article(text="Tencent rose 2.3% to HK$650 on Thursday.", lang="en",
                   url="https://news.example.com/hk/tencent")
    bad = Article(text="中芯国际周五收跌1.1%\x00，报70.5港元。", lang="zh",
                  url="https://news.example.com/hk/smic")
    source = tmp_path / "source.db"
    with Store(source) as store:
        for article in (good, bad):
            store.ingest_article(article, pipeline(article), now=datetime(2025, 10, 24, 9, tzinfo=UTC))
    _export_all(source, tmp_path / "tables")
    with Store(db_target) as store:
        summary = load_tables(store, tmp_path / "tables")
        quarantined = store.quarantined()
        stored = {a.id for a in store.search(limit=10)}
    if backend == "postgresql":
        assert (summary.new, summary.quarantined, stored) == (1, 1, {good.id})
        assert [(q.origin, q.reason) for q in quarantined] == [(bad.id, "unstorable_text")]
        assert "NUL" in quarantined[0].detail
    else:
        assert (summary.new, summary.quarantined, stored) == (2, 0, {good.id, bad.id})
