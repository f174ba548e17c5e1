"""Newspaper HTML through trafilatura."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from tickerwire.errors import SourceError
from tickerwire.sources import read_bytes

from .conftest import read_one

HK = timezone(timedelta(hours=8))


def test_newspaper_page(fixtures: Path) -> None:
    a = read_one(fixtures / "newspaper.html")
    assert a.format == "html"
    assert a.title == "Chip stocks rally in Hong Kong"
    assert a.text.startswith("Chip stocks rally in Hong Kong\n\nShares of chipmakers")
    assert a.text.count("Chip stocks rally in Hong Kong") == 1
    assert a.published_at == datetime(2025, 10, 24, 17, 45, tzinfo=HK)
    assert a.author == "Jane Lee"
    assert a.source == "Example Daily"
    assert a.url == "https://www.exampledaily.example/markets/chip-rally"
    assert (a.lang, a.locale) == ("en", "en-GB")
    assert "Harbour Semiconductor (1234) gained 5.2 per cent" in a.text
    assert "HK$250 billion" in a.text


def test_newspaper_page_has_no_furniture(fixtures: Path) -> None:
    text = read_one(fixtures / "newspaper.html").text
    for gone in (
        "Photo:",
        "newsletter",
        "Copyright",
        "More on this",
        "Lantau Telecom",
        "Home",
        "About us",
    ):
        assert gone not in text


def test_declared_big5_page() -> None:
    page = (
        '<html lang="zh-HK"><head><meta charset="big5"><title>港股收市</title></head><body>'
        "<article><h1>港股收市</h1><p>恆生指數今日收市上漲百分之一點二，科技股普遍造好，"
        "成交額為二千四百億港元，較上一個交易日增加。</p>"
        "<p>分析師預期，市場短期內將繼續受到貿易消息影響，投資者宜審慎。</p></article></body></html>"
    )
    (a,) = list(read_bytes(page.encode("big5"), origin="p.html"))
    assert not isinstance(a, SourceError), a
    assert a.title == "港股收市"
    assert (a.lang, a.locale) == ("zh", "zh-HK")
    assert "恆生指數今日收市上漲百分之一點二" in a.text
    assert a.published_at is None


def test_page_without_article_is_empty() -> None:
    page = b"<html><head><script>var x = 1;</script></head><body><div></div></body></html>"
    (error,) = list(read_bytes(page, origin="n.html"))
    assert isinstance(error, SourceError)
    assert error.reason == "empty"


def test_publisher_is_never_the_headline() -> None:
    from tickerwire.sources import read_bytes

    page = (
        "<html><head><title>港股收评：恒指收涨1% - 财经速递网</title></head><body>"
        "<article><h1>港股收评：恒指收涨1%</h1>"
        "<p>恒生指数收涨1%，科技股领涨，成交额增至2,500亿港元。南向资金净流入逾50亿港元，市场情绪回暖。</p>"
        "<p>分析师认为，在政策支持下，港股短期有望延续反弹态势，但需留意外围市场波动。</p></article></body></html>"
    ).encode()
    (article,) = list(read_bytes(page, origin="page.html", filename="page.html"))
    assert article.source == "财经速递网"
