"""Reading and writing the exchange tables as files, a chunk at a time (memory stays bounded).

Writers: Parquet (one row group per chunk, the schema of ``tables.EXPORT_SCHEMAS``), CSV (list columns
as JSON text, times in ISO 8601) and JSON Lines. Reader: a table in a directory is either one
file ``DIR/NAME.parquet`` (what ``export`` writes) or a directory ``DIR/NAME/`` of part files
(what Spark writes), read in file-name order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import IO

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from tickerwire.batch.tables import EXPORT_SCHEMAS, Row
from tickerwire.errors import BatchError
from tickerwire.serialize import jsonable


class TableFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


class TableWriter:
    """Appends chunks of rows of one table to ``path`` in ``fmt``; use as a context manager."""

    def __init__(self, path: Path, table: str, fmt: TableFormat) -> None:
        self.path = path
        self.schema = EXPORT_SCHEMAS[table]
        self.fmt = fmt
        self.rows = 0
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pa_csv.CSVWriter | None = None
        self._text: IO[str] | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if fmt is TableFormat.parquet:
                self._parquet = pq.ParquetWriter(path, self.schema, compression="zstd")
            elif fmt is TableFormat.csv:
                self._csv = pa_csv.CSVWriter(path, _csv_schema(self.schema))
            else:
                self._text = path.open("w", encoding="utf-8")
        except OSError as exc:
            raise BatchError(f"{path}: cannot write here ({exc.strerror or exc}); pick another --out") from exc

    def write(self, rows: Sequence[Row]) -> None:
        if self._text is not None:
            for row in rows:
                self._text.write(json.dumps(jsonable(row), ensure_ascii=False) + "\n")
        elif rows:
            batch = pa.Table.from_pylist(list(rows), schema=self.schema)
            if self._parquet is not None:
                self._parquet.write_table(batch)
            elif self._csv is not None:
                self._csv.write_table(_as_csv(batch))
        self.rows += len(rows)

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.close()
        if self._text is not None:
            self._text.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _csv_schema(schema: pa.Schema) -> pa.Schema:
    """CSV has no lists: list columns become their JSON text."""
    return pa.schema([
        pa.field(f.name, pa.string()) if pa.types.is_list(f.type) else f for f in schema
    ])


def _as_csv(batch: pa.Table) -> pa.Table:
    columns: list[pa.Array | pa.ChunkedArray] = []
    for field in batch.schema:
        column = batch.column(field.name)
        if pa.types.is_list(field.type):
            column = pa.array(
                [None if v is None else json.dumps(v, ensure_ascii=False) for v in column.to_pylist()],
                pa.string(),
            )
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=_csv_schema(batch.schema))


def table_files(directory: Path, table: str) -> list[Path]:
    """The Parquet files holding ``table`` under ``directory``, in read order ([] if none)."""
    single = directory / f"{table}.parquet"
    if single.is_file():
        return [single]
    parts = directory / table
    if parts.is_dir():
        return sorted(p for p in parts.iterdir() if p.suffix == ".parquet" and not p.name.startswith((".", "_")))
    return []


def read_rows(directory: Path, table: str, *, batch_rows: int = 2048) -> Iterator[Row]:
    """The rows of ``table`` in file order, ``batch_rows`` decoded at a time.

    Columns the file lacks are None; columns the schema does not know are ignored.
    """
    schema = EXPORT_SCHEMAS[table]
    for path in table_files(directory, table):
        try:
            handle = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as exc:
            raise BatchError(f"{path}: not a readable Parquet file ({exc})") from exc
        present = [name for name in schema.names if name in handle.schema_arrow.names]
        for batch in handle.iter_batches(batch_size=batch_rows, columns=present):
            for row in batch.to_pylist():
                yield {name: row.get(name) for name in schema.names}


def describe_missing(directory: Path, table: str) -> str:
    return (f"{directory}: no {table} table ({table}.parquet or {table}/*.parquet); point at a "
            "directory written by `tickerwire batch extract` or `tickerwire export all`")


__all__ = ["TableFormat", "TableWriter", "describe_missing", "read_rows", "table_files"]
