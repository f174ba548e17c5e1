"""RSS and Atom feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tickerwire.errors import SourceError
from tickerwire.sources import read_bytes

from .conftest import read_all

HK = timezone(timedelta(hours=8))


def test_rss_entries(fixtures: Path) -> None:
    articles, errors = read_all(fixtures / "feed.rss")
    assert not errors
    first, second = articles
    assert first.format == "rss"
    assert first.title == "Hang Seng Index ends 0.7% higher"
    assert first.text == (
        "Hang Seng Index ends 0.7% higher\n\n"
        "The Hang Seng Index rose 0.7% to 26,160.\nTechnology shares led the gains."
    )
    assert first.source_id == "wire-1"
    assert first.url == "https://wire.example/news/1"
    assert first.source == "Example Markets Wire"
    assert first.published_at == datetime(2025, 10, 24, 16, 30, tzinfo=HK)
    assert (first.lang, first.locale) == ("en", "en-HK")
    assert first.origin == f"{fixtures / 'feed.rss'}#1"
    assert second.origin == f"{fixtures / 'feed.rss'}#2"
    assert second.published_at == datetime(2025, 10, 23, 10, 5, tzinfo=UTC)


def test_atom_entry(fixtures: Path) -> None:
    articles, errors = read_all(fixtures / "feed.atom")
    assert not errors
    (a,) = articles
    assert a.title == "沪指收涨0.8%"
    assert a.text == "沪指收涨0.8%\n\n沪指收涨0.8%，两市成交额1.9万亿元。"  # full-width comma kept
    assert a.source == "示例财经"
    assert a.source_id == "urn:example:entry:1"
    assert a.url == "https://zh.example/news/1"
    assert a.published_at == datetime(2025, 10, 24, 15, 5, tzinfo=HK)
    assert a.lang == "zh"


def _truncate(data: bytes, marker: bytes) -> bytes:
    return data[: data.index(marker)]


@pytest.mark.parametrize(
    ("cut_at", "complete_entries"),
    [(b"<link>https://wire.example/news/2", 1), (b"<item>", 0), (b"<channel>", 0)],
    ids=["inside-second-entry", "before-entries", "in-header"],
)
def test_truncated_feed(fixtures: Path, cut_at: bytes, complete_entries: int) -> None:
    data = _truncate((fixtures / "feed.rss").read_bytes(), cut_at)
    items = list(read_bytes(data, origin="f.xml"))
    *articles, error = items
    assert isinstance(error, SourceError)
    assert error.reason == "truncated_feed"
    assert "Download the feed again" in error.detail
    assert len(articles) == complete_entries
    assert all(not isinstance(a, SourceError) for a in articles)


def test_feed_without_entries_is_empty() -> None:
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    (error,) = list(read_bytes(data, origin="f.xml"))
    assert isinstance(error, SourceError)
    assert error.reason == "empty"


def test_gb2312_feed() -> None:
    xml = (
        '<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel><title>财经</title>'
        "<item><title>沪指收涨</title><description>两市成交额1.9万亿元</description></item>"
        "</channel></rss>"
    )
    (a,) = list(read_bytes(xml.encode("gb2312"), origin="f.xml"))
    assert not isinstance(a, SourceError), a
    assert a.text == "沪指收涨\n\n两市成交额1.9万亿元"
    assert a.source == "财经"
