"""``tickerwire search``: folded scripts, securities, why each hit matched, bad queries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from pg_server import new_target
from tickerwire.cli import app

SMIC_EN = """SMIC leads chipmakers higher
Semiconductor Manufacturing International Corp (SMIC, 00981.HK) rose 5.2% to HK$78.50 on
Monday as chip stocks rallied in Hong Kong.
"""
SMIC_HANT = """晶片股走高 中芯國際領漲
中芯國際(00981)周一升5.2%,報78.50港元;華虹半導體升3.1%。
"""
TENCENT_HANS = """腾讯控股收涨2%
腾讯控股(00700.HK)周一收涨2%,报650港元。
"""


@pytest.fixture(scope="module")
def db(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path | str]:
    """The articles above, ingested once per backend by ``tickerwire ingest``; every test here
    only reads (``search`` opens the database read-only)."""
    directory = tmp_path_factory.mktemp("search-command")
    news = directory / "news"
    news.mkdir()
    for name, text in [("2025-10-27-smic-en.txt", SMIC_EN), ("2025-10-27-smic-hant.txt", SMIC_HANT),
                       ("2025-10-27-tencent-hans.txt", TENCENT_HANS)]:
        (news / name).write_text(text, encoding="utf-8")
    wire = {"id": "wire-1", "title": "Xiaomi rises", "text": "Xiaomi rose 2% in Hong Kong.",
            "source": "Example Wire", "lang": "en", "published_at": "2025-10-27T10:00:00+08:00"}
    (news / "wire.jsonl").write_text(json.dumps(wire) + "\n", encoding="utf-8")
    for path in new_target(backend, request, directory):
        result = run("ingest", news, "--db", path, "--workers", "1")  # searching is the point
        assert result.exit_code == 0, result.stderr
        yield path


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def hits(db: Path | str, query: str) -> list[dict[str, Any]]:
    result = run("search", query, "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


@pytest.mark.parametrize("query", ["中芯国际", "中芯國際", "SMIC", "ＳＭＩＣ", "00981.HK", "981", "中芯"])
def test_every_name_finds_both_languages(db: Path | str, query: str) -> None:
    assert sorted(h["lang"] for h in hits(db, query)) == ["en", "zh"]


@pytest.mark.parametrize("query", ["騰訊", "腾讯", "Tencent", "700"])
def test_tencent_in_traditional_finds_simplified(db: Path | str, query: str) -> None:
    assert [h["title"] for h in hits(db, query)] == ["腾讯控股收涨2%"]


def test_the_table_says_why_each_hit_matched(db: Path | str) -> None:
    result = run("search", "SMIC", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "2 articles" in result.stdout
    assert 'matched: text "SMIC", mentions 00981.HK (SMIC)' in result.stdout
    assert "matched: mentions 00981.HK (SMIC)" in result.stdout


def test_json_carries_marks_and_reasons(db: Path | str) -> None:
    [hit] = hits(db, "港元 升")
    assert hit["matched"] == [{"kind": "text", "value": "港元", "name": None},
                              {"kind": "text", "value": "升", "name": None}]
    assert [hit["snippet"][s:e] for s, e in hit["marks"]] == ["升", "港元", "升"]
    [huahong] = hits(db, "华虹")  # names Hua Hong: the mention is a reason too
    assert [m["kind"] for m in huahong["matched"]] == ["text", "mention"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SMIC\x01", "control character (U+0001) at position 5"),
        ("\x1b[2J", "U+001B"),
        ('""', "no words to search for"),
        ("  ", "no words to search for"),
    ],
)
def test_bad_queries_get_one_clear_line(db: Path | str, query: str, message: str) -> None:
    result = run("search", query, "--db", db)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]


def test_source_option(db: Path | str) -> None:
    result = run("search", "", "--source", "Example Wire", "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    assert [h["title"] for h in json.loads(result.stdout)] == ["Xiaomi rises"]
    nothing = run("search", "", "--source", "no such wire", "--db", db, "--json")
    assert json.loads(nothing.stdout) == []
