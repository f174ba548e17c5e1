"""Publication dates: metadata, URL, dateline, file name, or none — never invented."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tickerwire.model import Article
from tickerwire.sources import read_bytes
from tickerwire.sources.dates import HONG_KONG
from tickerwire.sources.published import (
    DATE_SOURCES,
    date_from_dateline,
    date_from_filename,
    date_from_url,
    with_publication_date,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.astimezone(HONG_KONG).date()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.com/markets/2025/11/07/hang-seng-closes-higher/", date(2025, 11, 7)),
        ("https://example.com/a/202508/27/WS0001.html", date(2025, 8, 27)),
        ("https://example.com/motoring/2025-09-01-byd-shares-slide/", date(2025, 9, 1)),
        ("http://example.cn/stock/202512/t20251205_2624681.shtml", date(2025, 12, 5)),
        ("http://example.com/IG2024090300026096.shtml", date(2024, 9, 3)),
        ("https://example.com/2025/06/10160450973741.shtml", date(2025, 6, 10)),
        ("https://example.hk/en/dividends/250821-tencent-declares-dividend", date(2025, 8, 21)),
        ("https://example.com/p/2024_01_22_hsi_midday", date(2024, 1, 22)),
        # Not dates: an impossible month, a plain id, a year alone, a date in the future.
        ("https://example.com/article/2024567890123", None),
        ("https://example.com/story/8976842", None),
        ("https://example.com/2025/review-of-the-year", None),
        ("https://example.com/2027/01/05/outlook", None),
        # URLs Python cannot split (a bracketed host that is no IP address): no date, no error.
        ("https://[zh-CN]/2025/11/07/hang-seng", None),
        ("http://[::1/2025/11/07/x", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, expected: date | None) -> None:
    assert _day(date_from_url(url, now=NOW)) == expected


def test_date_from_an_object_id_in_the_url() -> None:
    created = datetime(2025, 9, 8, 10, 21, tzinfo=UTC)
    oid = f"{int(created.timestamp()):08x}" + "8e9f0935ff6cb6bc"
    assert date_from_url(f"https://app.example.com/news/article.php?pk={oid}", now=NOW) == created
    # An id whose time would lie in the future is a hash, not a creation time.
    assert date_from_url("https://example.com/a/ffffffff8e9f0935ff6cb6bc", now=NOW) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A date header line, with a clock time.
        ("HSI ends higher\n2025-04-29 09:44\n\nThe index rose 1.2%.", datetime(2025, 4, 29, 9, 44)),
        ("Published Mon, Feb 9, 2026 · 05:08 PM\nShares of the chipmaker soared.", datetime(2026, 2, 9, 17, 8)),
        ("Tech rally lifts Hang Seng\n25 January 2026\n1 min read\n\nStocks rose.", datetime(2026, 1, 25)),
        ("Shanghai, Jan 23, 2026, 08:13 CST — Markets closed higher on Friday.", datetime(2026, 1, 23, 8, 13)),
        # A Chinese report that opens with its date.
        ("2025 年 8 月 6 日，腾讯控股股价延续强势，盘中创新高。", datetime(2025, 8, 6)),
        ("发布时间：2025年11月7日 16:10\n恒指收报26,318点。", datetime(2025, 11, 7, 16, 10)),
        ("港股收市\n2025/11/07\n恒指升212點。", datetime(2025, 11, 7)),
        # A site banner with today's date above the article's own: the earlier one.
        ("• Sat, Feb 28, 2026|\nMarket news portal\n2 February 2026 09:38 |\nStocks fell.",
         datetime(2026, 2, 2, 9, 38)),
        # Dates the text reports are not datelines.
        ("Tencent said on Thursday that results released on November 6, 2025 beat estimates by a wide margin.", None),
        ("在2025年11月3日至11月7日的交易周中，恒生指数先抑后扬，全周累计上涨1.29%。", None),
        ("公司将于2025年11月20日公布第三季业绩，市场预期收入按年增长约百分之十二。", None),
        # Too far down to be a header.
        ("Headline\n" + "A long paragraph of market commentary. " * 12 + "\n2025-11-07", None),
        # No year anywhere: not a full date, and no year is guessed.
        ("恒指半日收市\n11月7日\n恒指升0.8%。", None),
        # A date header without its year takes the year the text names most often.
        ("理想汽车跌近7%\n1月22日\n2024年第二周销量榜中，问界再度超越理想，2024年首周亦然。", datetime(2024, 1, 22)),
        ("Chip stocks slide\nJan 22\nSales in 2024 slowed; the 2024 target was cut, 2025 looks better.",
         datetime(2024, 1, 22)),
        # ... but a day in a sentence, or a header that would lie in the future, is not one.
        ("恒指升0.8%，公司将于11月20日公布2025年第三季业绩。", None),
        ("Outlook\nDec 30\nThe 2026 budget was approved.", None),
    ],
)
def test_date_from_dateline(text: str, expected: datetime | None) -> None:
    found = date_from_dateline(text, now=NOW)
    assert found == (None if expected is None else expected.replace(tzinfo=HONG_KONG))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2025-11-07-hsi-close.md", date(2025, 11, 7)),
        ("20251107_market_report.txt", date(2025, 11, 7)),
        ("reports/2025_11_07 恒指.txt", date(2025, 11, 7)),
        ("market_report.txt", None),
        ("2025-13-07-close.md", None),
        (None, None),
    ],
)
def test_date_from_filename(name: str | None, expected: date | None) -> None:
    assert _day(date_from_filename(name, now=NOW)) == expected


def test_metadata_wins_and_names_its_source() -> None:
    at = datetime(2025, 11, 7, 16, 0, tzinfo=HONG_KONG)
    for fmt, source in (("markdown", "front_matter"), ("rss", "feed"), ("jsonl", "feed"), ("html", "metadata")):
        article = Article(text="2024-01-01\nOld header.", published_at=at, format=fmt,
                          url="https://example.com/2023/05/05/x")
        dated = with_publication_date(article, filename="2022-02-02.md", now=NOW)
        assert (dated.published_at, dated.date_source) == (at, source)


def test_order_url_then_dateline_then_filename_then_none() -> None:
    text = "Close report\n2025-11-06\nThe index rose."
    url = "https://example.com/2025/11/07/close"
    base = Article(text=text, url=url, format="text")
    assert with_publication_date(base, filename="2025-11-05.txt", now=NOW).date_source == "url"
    no_url = Article(text=text, format="text")
    dated = with_publication_date(no_url, filename="2025-11-05.txt", now=NOW)
    assert (_day(dated.published_at), dated.date_source) == (date(2025, 11, 6), "dateline")
    plain = Article(text="Close report\nThe index rose on 2025-11-06 after results.", format="text")
    dated = with_publication_date(plain, filename="2025-11-05.txt", now=NOW)
    assert (_day(dated.published_at), dated.date_source) == (date(2025, 11, 5), "filename")
    undated = with_publication_date(plain, now=NOW)
    assert (undated.published_at, undated.date_source) == (None, "none")
    assert {"front_matter", "feed", "url", "dateline", "filename", "none"} <= set(DATE_SOURCES)


def test_plain_text_is_not_dated_by_a_date_it_reports() -> None:
    data = (
        b"Hang Seng Index closes higher\n\n"
        b"The index added 0.8% on Friday. Tencent, which released its results on November 6, 2025, "
        b"gained 1.2%.\n"
    )
    [article] = list(read_bytes(data, origin="report.txt", filename="report.txt"))
    assert isinstance(article, Article)
    assert (article.published_at, article.date_source) == (None, "none")
    [named] = list(read_bytes(data, origin="x", filename="2025-11-07-close.txt"))
    assert isinstance(named, Article)
    assert (_day(named.published_at), named.date_source) == (date(2025, 11, 7), "filename")


def test_a_file_name_does_not_date_the_entries_of_a_feed() -> None:
    record = Article(text="Stocks rose.\nThe index gained 1%.", format="jsonl")
    dated = with_publication_date(record, filename="2025-11-07-wire.jsonl", now=NOW)
    assert (dated.published_at, dated.date_source) == (None, "none")
