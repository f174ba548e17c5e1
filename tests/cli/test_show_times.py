"""``show`` prints times in Hong Kong time, like every other surface; no date is ``Undated``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tickerwire.cli import app

ARTICLES = [
    {"id": "wire-dated", "title": "SMIC rallies", "lang": "en",
     "text": "SMIC rose 3.2% in Hong Kong on Friday.", "published_at": "2025-10-24T08:10:00Z"},
    {"id": "wire-undated", "title": "中芯国际上涨", "lang": "zh", "text": "中芯国际股价上涨3.2%。"},
]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_target: Path | str) -> Path | str:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TICKERWIRE_DB", str(tmp_path / "env-default.db"))
    source = tmp_path / "wire.jsonl"
    source.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES),
                      encoding="utf-8")
    path = db_target
    assert run("--db", path, "ingest", source).exit_code == 0
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def _line(result: Result, key: str) -> str:
    return next(line for line in result.stdout.splitlines() if line.lstrip("│ ").startswith(key))


def test_show_prints_hong_kong_time(db: Path | str) -> None:
    result = run("--db", db, "show", "wire-dated")
    assert result.exit_code == 0, result.stderr
    assert "2025-10-24 16:10 HKT" in _line(result, "published")  # 08:10 UTC
    assert "+00:00" not in result.stdout
    assert "HKT" in _line(result, "revision")  # seen / first seen
    assert "HKT" in _line(result, "pipeline")  # extracted


def test_show_says_undated_without_a_zone(db: Path | str) -> None:
    result = run("--db", db, "show", "wire-undated")
    assert result.exit_code == 0, result.stderr
    published = _line(result, "published")
    assert "Undated" in published and "HKT" not in published
