"""JSON Lines input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tickerwire.sources.dates import HONG_KONG

from .conftest import read_all


def test_jsonl_lines_and_errors(fixtures: Path) -> None:
    path = fixtures / "articles.jsonl"
    articles, errors = read_all(path)
    assert [a.source_id for a in articles] == ["a1", "a2", "a5"]
    assert [(e.origin, e.reason) for e in errors] == [
        (f"{path}:3", "bad_json"),
        (f"{path}:4", "missing_text"),
    ]
    first, second, third = articles
    assert first.origin == f"{path}:1"
    assert first.text == "Harbour Bank fell 4% on Thursday.\nThe lender warned on profit."
    assert first.title == "Harbour Bank fell 4% on Thursday."
    assert first.published_at == datetime(2025, 10, 23, 10, 5, tzinfo=UTC)
    assert (first.source, first.url, first.lang) == (
        "Example Wire",
        "https://wire.example/news/2",
        "en",
    )
    assert second.title == "沪指收涨"
    assert second.published_at == datetime(2025, 10, 24, tzinfo=HONG_KONG)
    assert (second.lang, second.locale) == ("zh", "zh-CN")
    assert third.origin == f"{path}:6"
    assert third.meta == {"desk": "tech"}
    assert third.source is None


def test_jsonl_text_keeps_length(fixtures: Path) -> None:
    articles, _ = read_all(fixtures / "articles.jsonl")
    raw = "沪指收涨０．８％，成交额１．９万亿元。"
    assert articles[1].text == raw  # stored as written; extraction folds its own copy
