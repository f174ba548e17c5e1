"""Plain-text reports and pre-extracted newspaper text."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tickerwire.errors import SourceError
from tickerwire.sources import read_bytes
from tickerwire.sources.boilerplate import drop_furniture, is_furniture
from tickerwire.sources.dates import HONG_KONG

from .conftest import read_one

OCT_24 = datetime(2025, 10, 24, tzinfo=HONG_KONG)


def test_english_report(fixtures: Path) -> None:
    a = read_one(fixtures / "market_report.txt")
    assert a.format == "text"
    assert a.title == "Hang Seng Index edges higher as property stocks recover"
    assert a.text.startswith(a.title + "\n\nOn Friday")
    assert a.published_at == OCT_24
    assert (a.lang, a.locale) == ("en", "en")
    assert a.source is None and a.url is None and a.source_id is None
    assert "\nMarket Context\n" in a.text


def test_chinese_report_keeps_fullwidth_and_is_dated(fixtures: Path) -> None:
    a = read_one(fixtures / "market_report_zh.txt")
    assert a.title == "A股三大指数集体收涨\u3000沪指涨０．８％"
    assert a.published_at == OCT_24
    assert (a.lang, a.locale) == ("zh", "zh-CN")


def test_no_date_is_invented() -> None:
    (a,) = list(read_bytes(b"Stocks rose\n\nThe index gained 1% on Friday.", origin="x.txt"))
    assert not isinstance(a, SourceError)
    assert a.published_at is None


def test_newspaper_text_loses_its_furniture(fixtures: Path) -> None:
    a = read_one(fixtures / "newspaper.txt")
    assert a.title == "Harbour Bank shares slide on profit warning"
    for gone in (
        "Photo:",
        "newsletter",
        "Copyright",
        "More on this",
        "new chief executive",
        "Property loans weigh",
    ):
        assert gone not in a.text
    for kept in ("fell 4.2 per cent", "provisions for property loans", "dividend to be cut"):
        assert kept in a.text
    start = a.text.index("fell 4.2 per cent")
    assert a.text[start : start + len("fell 4.2 per cent")] == "fell 4.2 per cent"


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("Copyright © 2025 Example Daily Ltd. All rights reserved.", True),
        ("© 2025 Example Daily", True),
        ("Traders at the exchange. Photo: Example Agency", True),
        ("PHOTO: Example Agency", True),
        ("Sign up for our Markets newsletter", True),
        ("Subscribe to our newsletter", True),
        ("Related Articles", True),
        ("More on this story", True),
        ("Advertisement", True),
        ("圖：示例通訊社", True),
        ("版權所有 © 2025 示例日報", True),
        ("The post Stocks rise appeared first on Example Wire.", True),
        ("Copyright disputes weigh on media stocks, which fell 2 per cent.", False),
        ("Subscribers to the share sale included three funds.", False),
        ("The bank's newsletter said rates would stay on hold.", False),
        ("Related-party transactions rose 5 per cent.", False),
        ("", False),
    ],
)
def test_furniture_lines(line: str, furniture: bool) -> None:
    assert is_furniture(line) is furniture


def test_related_box_ends_at_a_sentence() -> None:
    text = "Lead.\nRelated\nHeadline one\nHeadline two\nThe index rose 1% on Friday."
    assert drop_furniture(text) == "Lead.\nThe index rose 1% on Friday."


@pytest.mark.parametrize("data", [b"", b"   \n\n  ", b"Photo: Example Agency\n"])
def test_empty_text(data: bytes) -> None:
    (error,) = list(read_bytes(data, origin="e.txt"))
    assert isinstance(error, SourceError)
    assert error.reason == "empty"
