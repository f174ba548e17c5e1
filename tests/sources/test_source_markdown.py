"""Broker markdown with YAML front matter."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tickerwire.errors import SourceError
from tickerwire.model import Link
from tickerwire.sources import read_bytes

from .conftest import read_all, read_one


def test_broker_page_fields(fixtures: Path) -> None:
    a = read_one(fixtures / "broker_en.md")
    assert a.format == "markdown"
    assert a.title == "Harbour Semiconductor jumps 6.5% after record quarter"
    assert a.text.startswith(a.title + "\n\n")
    assert a.published_at == datetime(2025, 10, 24, 8, 30, tzinfo=UTC)
    assert (a.lang, a.locale) == ("en", "en")
    assert a.url == "https://broker.example/en/news/1001"
    assert a.source == "broker.example"
    assert a.description is not None and a.description.startswith("Harbour Semiconductor rose")
    assert a.related_stocks == ("01234.HK", "603986.SH", "BABA.US")
    assert a.related_news == (
        Link("Chip stocks extend rally", "https://broker.example/en/news/998"),
        Link("What the plenum means for tech", "https://broker.example/en/news/997"),
    )
    assert a.locales == (
        Link("zh-CN", "https://broker.example/zh-CN/news/1001"),
        Link("zh-HK", "https://broker.example/zh-HK/news/1001"),
    )
    assert a.meta == {"type": "news", "channel": "markets"}
    assert a.origin == str(fixtures / "broker_en.md")
    assert a.source_id is None


def test_body_is_plain_text_without_related_sections(fixtures: Path) -> None:
    text = read_one(fixtures / "broker_en.md").text
    assert "Related Stocks" not in text and "Related News" not in text
    assert "603986" not in text and "https://" not in text
    assert "Shares of Harbour Semiconductor (01234.HK) rose 6.5%" in text
    assert "reported record third-quarter revenue." in text
    assert "\nAnalysts react\n" in text
    assert "- Another kept a neutral rating." in text
    assert "#" not in text and "*" not in text


def test_traditional_chinese_page_keeps_fullwidth(fixtures: Path) -> None:
    a = read_one(fixtures / "broker_zh_hant.md")
    assert (a.lang, a.locale) == ("zh", "zh-HK")
    assert a.title == "港股收市：恆指升1.2%，科技股領漲"
    assert "報２６１６０點" in a.text and "港交所（００３８８）升２％" in a.text
    assert a.related_stocks == ("00388.HK",)


def _md(front: str, body: str = "# Title\n\nBody text.") -> bytes:
    return f"---\n{front}\n---\n\n{body}\n".encode()


@pytest.mark.parametrize(
    ("data", "reason", "hint"),
    [
        (_md("title: ok\ndatetime: a: b"), "front_matter", "line 3"),
        (_md("title: ok\n  bad: indent\nurl: x"), "front_matter", "line"),
        (b"---\ntitle: never closed\n\n# Title\n\nBody.\n", "front_matter", "closing ---"),
        (_md("- just\n- a list"), "front_matter", "key: value"),
        (_md("title: Only a title", ""), "empty", "body"),
        (
            _md("title: Only a title", "# Only a title\n\n### Related Stocks\n- [00700.HK](x)"),
            "empty",
            "body",
        ),
    ],
    ids=["yaml-syntax", "yaml-indent", "unclosed", "not-a-mapping", "no-body", "only-related"],
)
def test_broken_markdown(data: bytes, reason: str, hint: str) -> None:
    (error,) = list(read_bytes(data, origin="page.md", filename="page.md"))
    assert isinstance(error, SourceError)
    assert (error.origin, error.reason) == ("page.md", reason)
    assert hint in error.detail


def test_markdown_without_front_matter_takes_the_heading() -> None:
    data = b"# Tencent edges up\n\nTencent rose 0.9% in [Hong Kong](https://x.example).\n"
    (a,) = list(read_bytes(data, origin="m.md"))
    assert not isinstance(a, SourceError)
    assert a.title == "Tencent edges up"
    assert a.text == "Tencent edges up\n\nTencent rose 0.9% in Hong Kong."
    assert a.published_at is None


def test_title_missing_from_body_is_prepended() -> None:
    (a,) = list(read_bytes(_md("title: Headline here", "Body only."), origin="m.md"))
    assert not isinstance(a, SourceError)
    assert a.text == "Headline here\n\nBody only."


def test_body_heading_is_not_doubled_by_a_different_front_matter_title() -> None:
    data = _md("title: Short title", "# Longer headline in the body\n\nBody text.")
    (a,) = list(read_bytes(data, origin="m.md"))
    assert not isinstance(a, SourceError)
    assert a.title == "Short title"
    assert a.text == "Longer headline in the body\n\nBody text."


def test_date_only_front_matter_is_hong_kong_midnight(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_bytes(_md("title: T\ndatetime: 2025-10-24"))
    articles, errors = read_all(path)
    assert not errors
    published = articles[0].published_at
    assert published is not None and published.isoformat() == "2025-10-24T00:00:00+08:00"


@pytest.mark.parametrize(
    "url",
    ["https://[zh-CN]/news/tencent", "[zh-HK](https://news.example.com/hk/tencent)", "http://[::1"],
)
def test_a_url_python_cannot_split_is_kept_and_gives_no_publisher(url: str) -> None:
    (a,) = list(read_bytes(_md(f"title: Tencent gains\nurl: '{url}'", "騰訊控股升2%。"), origin="m.md"))
    assert a.url == url
    assert a.source is None
