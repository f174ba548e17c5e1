"""``tickerwire batch extract``: the extraction pipeline as a Spark job.

Files (folders, globs, JSON Lines, feeds …) are listed on the driver and read whole by the
project's own readers on the executors, one task per slice of files; Parquet inputs of article
records are read by Spark and split by row groups. Each Python worker builds the pipeline once
(``extract.build_pipeline`` is cached per process) and runs it over every article of its tasks.
Articles are then grouped by id (``number_revisions``), and each exchange table is written as
Parquet sorted by its key, the layout ``batch load`` merges in one pass.

Needs the ``batch`` extra (pyspark) and a Java runtime; ``--master`` is any Spark master URL
(``local[*]`` by default; the cluster's ``spark://…`` or ``yarn`` in production).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

import pyarrow as pa
import pyarrow.parquet as pq

from tickerwire.batch.extract import Extracted, extract_files, extract_records, number_revisions
from tickerwire.batch.files import table_files
from tickerwire.batch.tables import SCHEMAS, SORT_KEYS, Row
from tickerwire.errors import BatchError, InvalidInputError
from tickerwire.sources import expand_inputs

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from pyspark.sql.types import DataType, StructType

log = logging.getLogger(__name__)

PARQUET_SUFFIX = ".parquet"


@dataclass(slots=True)
class ExtractJobSummary:
    """Rows written per table by one ``batch extract``."""

    rows: dict[str, int] = field(default_factory=dict)
    elapsed_seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.rows.get("articles", 0)


def spark_session(master: str, *, app_name: str = "tickerwire batch extract") -> SparkSession:
    """A Spark session for ``master`` with tickerwire's settings (UTC, no UI, this Python)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise BatchError("batch extract needs pyspark: pip install 'tickerwire[batch]'") from exc
    from tickerwire.batch.spark_errors import SPARK_ERRORS
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise BatchError("batch extract needs a Java runtime (Debian: apt-get install "
                         "openjdk-17-jre-headless) on PATH or in JAVA_HOME")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.sql.parquet.compression.codec", "zstd")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executorEnv.PYTHONPATH", os.environ.get("PYTHONPATH", ""))
    )
    try:
        session = builder.getOrCreate()
    except SPARK_ERRORS as exc:
        raise BatchError(f"Spark could not start on {master} ({type(exc).__name__}: {exc})") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_type(arrow: pa.DataType) -> DataType:
    """The Spark SQL type of an exchange-table column."""
    from pyspark.sql import types as t

    if pa.types.is_list(arrow):
        return t.ArrayType(spark_type(arrow.value_type))
    simple: list[tuple[Any, DataType]] = [
        (pa.types.is_string, t.StringType()), (pa.types.is_int32, t.IntegerType()),
        (pa.types.is_int64, t.LongType()), (pa.types.is_float64, t.DoubleType()),
        (pa.types.is_boolean, t.BooleanType()), (pa.types.is_date32, t.DateType()),
        (pa.types.is_timestamp, t.TimestampType()),
    ]
    for test, spark in simple:
        if test(arrow):
            return spark
    raise BatchError(f"no Spark type for Arrow type {arrow}")  # a new column type: map it here


def spark_schema(schema: pa.Schema) -> StructType:
    from pyspark.sql import types as t

    return t.StructType([t.StructField(f.name, spark_type(f.type), f.nullable) for f in schema])


def split_inputs(inputs: Sequence[str]) -> tuple[list[Path], list[str]]:
    """(files for the readers, Parquet files or folders of article records)."""
    parquet = [item for item in inputs if _is_parquet(Path(item))]
    files = list(expand_inputs([item for item in inputs if item not in parquet]))
    return files, parquet


def _is_parquet(path: Path) -> bool:
    if path.suffix == PARQUET_SUFFIX:
        return True
    return path.is_dir() and any(path.glob(f"*{PARQUET_SUFFIX}")) and not any(
        p.suffix != PARQUET_SUFFIX and not p.name.startswith(("_", ".")) for p in path.iterdir()
    )


def run_extract(
    inputs: Sequence[str],
    out: Path,
    *,
    master: str = "local[*]",
    max_bytes: int,
    partitions: int | None = None,
    now: datetime | None = None,
) -> ExtractJobSummary:
    """Extract ``inputs`` with Spark on ``master`` and write the exchange tables under ``out``."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidInputError(f"{out}: not an empty directory; batch extract writes a fresh one")
    files, parquet = split_inputs(inputs)
    seen_at = now or datetime.now(UTC)
    started = time.perf_counter()
    spark = spark_session(master)
    from tickerwire.batch.spark_errors import SPARK_ERRORS

    try:
        return _run(spark, files, parquet, out, max_bytes=max_bytes, partitions=partitions,
                    seen_at=seen_at, started=started)
    except SPARK_ERRORS as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BatchError(f"the Spark job on {master} failed ({type(exc).__name__}: {first_line}); "
                         f"what it wrote under {out} is incomplete: delete it and run again") from exc
    finally:
        spark.stop()


def _run(
    spark: SparkSession,
    files: list[Path],
    parquet: list[str],
    out: Path,
    *,
    max_bytes: int,
    partitions: int | None,
    seen_at: datetime,
    started: float,
) -> ExtractJobSummary:
    from pyspark import StorageLevel

    context = spark.sparkContext
    slices = partitions or max(1, min(len(files) or 1, context.defaultParallelism * 4))
    numbered = [(number, str(path)) for number, path in enumerate(files)]
    items = context.parallelize(numbered, slices).mapPartitions(
        lambda part: extract_files(part, max_bytes=max_bytes, seen_at=seen_at))
    if parquet:
        records = spark.read.parquet(*parquet).select("*", "_metadata.file_path")
        first = len(files)
        items = items.union(records.rdd.mapPartitionsWithIndex(
            lambda index, rows: extract_records(_records(first + index, rows), seen_at=seen_at)))
    items = items.persist(StorageLevel.MEMORY_AND_DISK)
    sorted_parts = partitions or max(1, min(items.getNumPartitions(), context.defaultParallelism * 4))
    # One shuffle: articles range-partitioned and sorted by id, so every table below comes out
    # in key order, part file after part file, without sorting again.
    tables = items.flatMap(_keyed_article).sortByKey(numPartitions=sorted_parts).mapPartitions(
        _numbered_rows).persist(StorageLevel.MEMORY_AND_DISK)
    quarantine = items.flatMap(_quarantined)
    for name, schema in SCHEMAS.items():
        source = quarantine if name == "quarantine" else tables
        rows = source.flatMap(_ColumnsOf(name, schema.names))
        frame = spark.createDataFrame(rows, spark_schema(schema), verifySchema=False)
        if name == "quarantine":
            frame = frame.coalesce(1).sortWithinPartitions(*SORT_KEYS[name])
        frame.write.parquet(str(out / name))
    items.unpersist()
    tables.unpersist()
    summary = ExtractJobSummary(rows={name: _row_count(out, name) for name in SCHEMAS})
    summary.elapsed_seconds = time.perf_counter() - started
    return summary


def _keyed_article(item: Extracted | Row) -> list[tuple[str, Extracted]]:
    return [(item.article_id, item)] if isinstance(item, Extracted) else []


def _quarantined(item: Extracted | Row) -> list[tuple[str, Row]]:
    return [] if isinstance(item, Extracted) else [("quarantine", item)]


class _ColumnsOf:
    """The rows of one table among ``(table, row)`` pairs, as tuples in schema order."""

    def __init__(self, table: str, names: list[str]) -> None:
        self.table = table
        self.names = names

    def __call__(self, pair: tuple[str, Row]) -> list[tuple[Any, ...]]:
        if pair[0] != self.table:
            return []
        return [tuple(pair[1][column] for column in self.names)]


def _numbered_rows(pairs: Iterable[tuple[str, Extracted]]) -> Iterator[tuple[str, Row]]:
    """``number_revisions`` over each run of one article id in a sorted partition."""
    for _, group in groupby(pairs, key=lambda pair: pair[0]):
        yield from number_revisions(item for _, item in group)


def _row_count(out: Path, table: str) -> int:
    """Rows Spark wrote for ``table``, from the Parquet footers (no Spark job)."""
    return sum(pq.ParquetFile(path).metadata.num_rows for path in table_files(out, table))


def _records(number: int, rows: Iterable[Any]) -> Iterator[tuple[int, dict[str, Any], str]]:
    """(input number, record, origin) of Parquet rows; Spark hands timestamps over as naive
    local times, made aware here."""
    for row in rows:
        record = row.asDict()
        path = _local_path(str(record.pop("file_path", "") or ""))
        for key, value in record.items():
            if isinstance(value, datetime) and value.tzinfo is None:
                record[key] = value.astimezone()
        ident = record.get("id")
        yield number, record, f"{path}:{ident}" if ident else path


def _local_path(uri: str) -> str:
    """``/data/a.parquet`` for Spark's ``file:///data/a.parquet``; other URIs as they are."""
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


__all__ = ["ExtractJobSummary", "Row", "run_extract", "spark_schema", "spark_session"]
