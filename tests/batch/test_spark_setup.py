"""Spark set-up without starting a JVM: types, input split, and clear errors when pieces are missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_helpers import NEWS

from tickerwire.batch import spark
from tickerwire.batch.tables import SCHEMAS
from tickerwire.errors import BatchError


def test_spark_schema_follows_the_arrow_schema() -> None:
    from pyspark.sql import types as t

    facts = spark.spark_schema(SCHEMAS["facts"])
    assert facts.names == SCHEMAS["facts"].names
    kinds = {field.name: type(field.dataType) for field in facts.fields}
    assert kinds["pct"] is t.DoubleType and kinds["day"] is t.DateType and kinds["seq"] is t.IntegerType
    articles = spark.spark_schema(SCHEMAS["articles"])
    assert isinstance(articles["errors"].dataType, t.ArrayType)
    assert type(articles["published_at"].dataType) is t.TimestampType
    assert not articles["article_id"].nullable


def test_parquet_inputs_go_to_spark_and_the_rest_to_the_readers(tmp_path: Path) -> None:
    records = tmp_path / "records.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": ["SMIC rose 1%."]}), records)
    folder = tmp_path / "parts"
    folder.mkdir()
    pq.write_table(pa.table({"text": ["騰訊升2%。"]}), folder / "part-0.parquet")
    (folder / "_SUCCESS").touch()
    files, parquet = spark.split_inputs([str(NEWS), str(records), str(folder)])
    assert parquet == [str(records), str(folder)]
    assert len(files) == len(list(NEWS.iterdir())) and all(f.suffix != ".parquet" for f in files)


def test_a_missing_pyspark_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(BatchError, match=r"tickerwire\[batch\]"):
        spark.spark_session("local[1]")


def test_a_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spark.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(BatchError, match="openjdk-17-jre-headless"):
        spark.spark_session("local[1]")
