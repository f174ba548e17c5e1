"""``batch extract`` on Spark (local mode) + ``batch load`` reproduce ``tickerwire ingest`` exactly.

These need pyspark and a Java runtime: they fail, not skip, where either is missing (CI installs
both), and take ten seconds or more (JVM start), hence ``slow``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_helpers import BAD, NEWS, database_rows, ingest_into

from tickerwire.batch.exchange import load_tables
from tickerwire.batch.files import table_files
from tickerwire.batch.spark import run_extract
from tickerwire.batch.tables import SCHEMAS
from tickerwire.ingest import ingest_articles
from tickerwire.sources.jsonl import read_record
from tickerwire.store import Store

pytestmark = pytest.mark.slow

FILES = [
    NEWS / "2025-10-08-smic-huahong-52-week-high.md",
    NEWS / "2025-10-09_2025-11-07-newswire.jsonl",
    NEWS / "2025-10-14-xiaomi-slide-zh-hant.md",
    NEWS / "2025-10-16-a-share-close-zh-hans.txt",
    NEWS / "2025-10-24-smic-huahong-rally.html",
    NEWS / "2025-11-04-hkex-three-day-run-zh-hant.txt",
    NEWS / "2025-10-15_2025-11-07-hk-desk.atom",
    BAD / "binary-image-named-as-markdown.md",
    BAD / "mixed-lines.jsonl",
]
RECORDS = [
    {"id": "pq-001", "text": "Tencent rose 2.3% to HK$650 on Thursday as the Hang Seng Tech Index gained 1.1%.",
     "url": "https://news.example.com/tencent-rise", "published_at": "2025-10-23T08:30:00Z", "source": "Example Wire"},
    {"id": "pq-002", "text": "比亚迪股份周五收跌3.4%，报98.5港元，成交额约25亿港元。",
     "published_at": "2025-10-31T16:20:00+08:00", "lang": "zh"},
    {"id": "pq-003", "title": "a record without text"},
]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(Spark's table directory, the Parquet file of records it also read)."""
    root = tmp_path_factory.mktemp("spark")
    records = root / "records.parquet"
    pq.write_table(pa.Table.from_pylist(RECORDS), records)
    out = root / "tables"
    summary = run_extract([*map(str, FILES), str(records)], out, master="local[2]",
                          max_bytes=20 << 20, partitions=2)
    assert summary.articles > 20
    yield out, records


def _ingested(path: Path, records: Path) -> None:
    ingest_into(path, [str(f) for f in FILES])
    items = [read_record(dict(r), origin=f"{records}:{r['id']}") for r in RECORDS]
    with Store(path) as store:
        ingest_articles(store, items)


def test_extract_and_load_reproduce_ingest(
    extracted: tuple[Path, Path], db_target: Path | str, tmp_path: Path
) -> None:
    """Loaded into either backend, the tables hold what ingest stores in SQLite."""
    out, records = extracted
    _ingested(tmp_path / "ingested.db", records)
    with Store(db_target) as store:
        summary = load_tables(store, out)
        again = load_tables(store, out)
        stories = store.count_stories()
        assert store.unassigned_articles() == []
    assert summary.new > 20 and summary.quarantined >= 2
    assert summary.stories_assigned == summary.new and 0 < stories < summary.new
    assert again.new == 0 and again.unchanged == summary.new  # loading twice adds nothing
    assert again.stories_assigned == 0
    assert database_rows(db_target) == database_rows(tmp_path / "ingested.db")


def test_tables_have_the_declared_schema_and_order(extracted: tuple[Path, Path]) -> None:
    out, _ = extracted
    for table, schema in SCHEMAS.items():
        files = table_files(out, table)
        assert files, table
        data = pa.concat_tables([pq.read_table(f) for f in files])
        assert data.schema.names == schema.names
        for name in schema.names:
            assert data.schema.field(name).type == schema.field(name).type, (table, name)
        if table != "quarantine":
            keys = list(zip(data.column("article_id").to_pylist(), data.column("revision").to_pylist(),
                            strict=True))
            assert keys == sorted(keys), table


def test_unreadable_inputs_are_in_the_quarantine_table(extracted: tuple[Path, Path]) -> None:
    out, _ = extracted
    rows = pa.concat_tables([pq.read_table(f) for f in table_files(out, "quarantine")]).to_pylist()
    reasons = {(Path(r["origin"].split(":")[0]).name, r["reason"]) for r in rows}
    assert ("binary-image-named-as-markdown.md", "binary") in reasons
    assert ("records.parquet", "missing_text") in reasons
