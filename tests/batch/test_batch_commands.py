"""``tickerwire export`` and ``tickerwire batch load|extract`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner, Result

from tickerwire.cli import app


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKERWIRE_DB", str(tmp_path / "env-default.db"))
    monkeypatch.setenv("COLUMNS", "200")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_export_all_then_load(sample_db: Path, tmp_path: Path) -> None:
    done = run("--db", sample_db, "export", "all", "--out", tmp_path / "tables", "--json")
    assert done.exit_code == 0, done.stderr
    rows = json.loads(done.stdout)["rows"]
    assert rows["articles"] == 72 and set(rows) == {"articles", "mentions", "indices", "facts", "events", "stories"}
    loaded = run("--db", tmp_path / "copy.db", "batch", "load", tmp_path / "tables", "--json")
    assert loaded.exit_code == 0, loaded.stderr
    assert json.loads(loaded.stdout)["new"] == 72
    again = run("--db", tmp_path / "copy.db", "batch", "load", tmp_path / "tables")
    assert again.exit_code == 0 and "0 new" in again.stdout and "72 unchanged" in again.stdout


@pytest.mark.parametrize(("args", "check"), [
    (["facts", "--listing", "中芯国际", "--format", "jsonl"],
     lambda rows: rows and all(r["kind"] for r in rows)),
    (["articles", "--since", "2025-10-24", "--until", "2025-10-24", "--format", "jsonl"],
     lambda rows: rows and {r["published_date_hk"] for r in rows} == {"2025-10-24"}),
    (["events", "--as-of", "2000-01-01", "--format", "jsonl"], lambda rows: rows == []),
    # every article of the sample news joined one story; a story's first article is its first report
    (["stories", "--format", "jsonl"],
     lambda rows: len(rows) == 72 and len({r["story_id"] for r in rows}) < 72
     and all(r["first_report"] == (r["reason"] == "first") for r in rows)),
    (["stories", "--as-of", "2000-01-01", "--format", "jsonl"], lambda rows: rows == []),
])
def test_export_one_table_with_filters(sample_db: Path, tmp_path: Path, args: list[str], check: object) -> None:
    out = tmp_path / "out.jsonl"
    done = run("--db", sample_db, "export", *args, "--out", out)
    assert done.exit_code == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert check(rows)  # type: ignore[operator]


def test_export_parquet_by_default(sample_db: Path, tmp_path: Path) -> None:
    done = run("--db", sample_db, "export", "mentions", "--out", tmp_path / "m.parquet")
    assert done.exit_code == 0, done.stderr
    assert pq.read_metadata(tmp_path / "m.parquet").num_rows > 500


@pytest.mark.parametrize(("args", "message"), [
    (["export", "headlines", "--out", "x"], "headlines"),
    (["export", "facts", "--out", "x", "--since", "24/10/2025"], "--since"),
    (["export", "facts", "--out", "x", "--listing", "NOT-A-COMPANY-XYZ"], "not a known security"),
])
def test_export_refuses_bad_arguments(sample_db: Path, args: list[str], message: str) -> None:
    done = run("--db", sample_db, *args)
    assert done.exit_code == 2
    assert message in done.stderr


def test_load_of_a_folder_without_tables_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = run("--db", tmp_path / "db", "batch", "load", tmp_path / "empty")
    assert done.exit_code == 1
    assert done.stderr.startswith("error: ") and "no articles table" in done.stderr


def test_extract_refuses_a_non_empty_output_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    done = run("batch", "extract", str(Path(__file__)), "--out", out)
    assert done.exit_code == 2 and "not an empty directory" in done.stderr
    assert (out / "keep.txt").read_text() == "mine"
