"""A small hand-written news corpus with hand-built extractions, for the API and web tests.

Extractions are written directly (not by the pipeline) so the tests pin the adapters, not the
extractor. Offsets are computed from the text, so every stored span points at its words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tickerwire.model import (
    Article,
    Event,
    Extraction,
    Fact,
    IndexMention,
    Mention,
    Relevance,
    Sentiment,
)
from tickerwire.store import Store

HKT = timezone(timedelta(hours=8))
SEEN = datetime(2025, 10, 24, 9, 0, tzinfo=UTC)  # when the corpus was ingested
LATE_SEEN = datetime(2025, 11, 8, 9, 0, tzinfo=UTC)  # the late article is first seen here

SMIC = ("00981.HK", "SMIC", ("00981.HK", "688981.SH"))
HUA_HONG = ("01347.HK", "Hua Hong Semiconductor", ("01347.HK", "688347.SH"))
GIGADEVICE = ("603986.SH", "GigaDevice", ("603986.SH", "03986.HK"))

XSS_TITLE = "Chipmakers rally <script>alert(1)</script> as SMIC jumps"
XSS_BODY = (
    "SMIC rose 2.0% <img src=x onerror=alert(1)> in a test of escaping. "
    'Read more <a href="javascript:alert(1)">here</a>.'
)


def span(text: str, needle: str) -> tuple[str, int, int]:
    start = text.index(needle)
    return needle, start, start + len(needle)


def where(text: str, needle: str) -> dict[str, Any]:
    words, start, end = span(text, needle)
    return {"text": words, "start": start, "end": end}


def mention(text: str, who: tuple[str, str, tuple[str, ...]], words: str, listing: str = "",
            via: str = "name") -> Mention:
    issuer, name, listings = who
    return Mention(issuer, name, listing or issuer, listings, *span(text, words), 0.95, via=via)


def smic_rally() -> Extraction:
    text = (
        "SMIC jumps to record as chip stocks rally\n"
        "Semiconductor Manufacturing International Corp (SMIC, 00981.HK) rose 5.2% to HK$78.50 "
        "on Friday, a 52-week high, after Morgan Stanley raised its target price from HK$80 to HK$95. "
        "Hua Hong Semiconductor fell 1.5%. The Hang Seng Index rose 0.7% to 26,160 points.\n\n"
        "Turnover on the main board reached HK$118.6 billion."
    )
    article = Article(
        text=text,
        title="SMIC jumps to record as chip stocks rally",
        published_at=datetime(2025, 10, 24, 16, 10, tzinfo=HKT),
        lang="en",
        source="Example Wire",
        url="https://news.example.com/smic-record",
        format="markdown",
        related_stocks=("00981.HK", "688981.SH", "00700.HK"),
    )
    return Extraction(
        article=article,
        mentions=(
            mention(text, SMIC, "Semiconductor Manufacturing International Corp"),
            mention(text, SMIC, "00981.HK", via="code"),
            mention(text, HUA_HONG, "Hua Hong Semiconductor"),
        ),
        indices=(IndexMention("HSI", *span(text, "Hang Seng Index")),),
        facts=(
            Fact("price_move", "00981.HK", pct=5.2, price=78.5, currency="HKD",
                 **where(text, "rose 5.2% to HK$78.50")),
            Fact("target_price", "00981.HK", value=95.0, currency="HKD", previous=80.0,
                 **where(text, "target price from HK$80 to HK$95")),
            Fact("price_move", "01347.HK", pct=-1.5, **where(text, "fell 1.5%")),
            Fact("index_level", "HSI", value=26160.0, pct=0.7,
                 **where(text, "rose 0.7% to 26,160 points")),
            Fact("turnover", "HK", value=118.6e9, currency="HKD",
                 **where(text, "HK$118.6 billion")),
        ),
        events=(
            Event("price_move", ("00981.HK",), *span(text, "(SMIC, 00981.HK) rose 5.2%")),
            Event("target_price", ("00981.HK",), *span(text, "raised its target price")),
        ),
        sentiment=Sentiment(0.6, "positive", {"00981.HK": 0.7, "01347.HK": -0.3}),
        relevance=(
            Relevance("00981.HK", "headline", 2, True, True),
            Relevance("01347.HK", "passing", 1, False, True),
            Relevance("00700.HK", "passing", 0, True, False),
        ),
    )


def smic_zh() -> Extraction:
    text = (
        "中芯国际股价创新高\n"
        "中芯国际(00981.HK)周二收涨3.4%,报74.60港元。南向资金净流入65.48亿港元。"
    )
    article = Article(
        text=text,
        title="中芯国际股价创新高",
        published_at=datetime(2025, 10, 21, 16, 30, tzinfo=HKT),
        lang="zh",
        source="示例财经",
        url="https://news.example.com/zh/smic",
        format="markdown",
    )
    return Extraction(
        article=article,
        mentions=(mention(text, SMIC, "中芯国际"), mention(text, SMIC, "00981.HK", via="code")),
        facts=(
            Fact("price_move", "00981.HK", pct=3.4, price=74.6, currency="HKD",
                 **where(text, "收涨3.4%,报74.60港元")),
            Fact("southbound_net_inflow", "HK", value=6.548e9, currency="HKD",
                 **where(text, "南向资金净流入65.48亿港元")),
        ),
        events=(Event("price_move", ("00981.HK",), *span(text, "收涨3.4%")),),
        sentiment=Sentiment(0.5, "positive", {"00981.HK": 0.5}),
    )


def hua_hong_slide() -> Extraction:
    text = (
        "Hua Hong slides on tariff threat\n"
        "Hua Hong Semiconductor (01347.HK) fell 6.1% on Monday as tariff threats returned."
    )
    article = Article(
        text=text,
        title="Hua Hong slides on tariff threat",
        published_at=datetime(2025, 10, 13, 17, 0, tzinfo=HKT),
        lang="en",
        source="Example Wire",
        url="https://news.example.com/hua-hong-slide",
    )
    return Extraction(
        article=article,
        mentions=(mention(text, HUA_HONG, "Hua Hong Semiconductor"),),
        facts=(Fact("price_move", "01347.HK", pct=-6.1, **where(text, "fell 6.1%")),),
        events=(
            Event("price_move", ("01347.HK",), *span(text, "fell 6.1%")),
            Event("geopolitics", (), *span(text, "tariff threats")),
        ),
        sentiment=Sentiment(-0.7, "negative", {"01347.HK": -0.7}),
    )


def gigadevice_ipo() -> Extraction:
    text = (
        "GigaDevice files for Hong Kong listing\n"
        "GigaDevice (603986.SH) filed for a Hong Kong listing that could raise US$500 million."
    )
    article = Article(
        text=text,
        title="GigaDevice files for Hong Kong listing",
        published_at=datetime(2025, 10, 9, 9, 0, tzinfo=HKT),
        lang="en",
        source="Example Wire",
        url="https://news.example.com/gigadevice-h-share",
    )
    return Extraction(
        article=article,
        mentions=(mention(text, GIGADEVICE, "GigaDevice (603986.SH)"),),
        facts=(Fact("ipo_raise", "603986.SH", value=500e6, currency="USD",
                    **where(text, "raise US$500 million")),),
        events=(
            Event("listing_application", ("603986.SH",),
                  *span(text, "filed for a Hong Kong listing"),
                  {"subject": "603986.SH", "stage": "filed", "stages": [{"stage": "filed"}],
                   "hedged": False}),
        ),
        sentiment=Sentiment(0.1, "neutral", {}),
    )


def xss_article() -> Extraction:
    text = f"{XSS_TITLE}\n{XSS_BODY}"
    article = Article(
        text=text,
        title=XSS_TITLE,
        published_at=datetime(2025, 10, 24, 18, 0, tzinfo=HKT),
        lang="en",
        source="<b>Evil</b> Wire",
        url="javascript:alert(1)",
        source_id="tw-xss",
        related_stocks=("00981.HK",),
    )
    return Extraction(
        article=article,
        mentions=(mention(text, SMIC, "SMIC rose"),),
        facts=(Fact("price_move", "00981.HK", pct=2.0,
                    **where(text, "rose 2.0% <img src=x onerror=alert(1)>")),),
        events=(Event("price_move", ("00981.HK",), *span(text, "SMIC rose 2.0%")),),
        sentiment=Sentiment(0.2, "positive", {"00981.HK": 0.2}),
    )


def late_article() -> Extraction:
    """Published on the 24th but first seen in November: invisible ``as_of`` 2025-10-25."""
    text = "SMIC late note\nSMIC (00981.HK) was also mentioned in a late note."
    article = Article(
        text=text,
        title="SMIC late note",
        published_at=datetime(2025, 10, 24, 20, 0, tzinfo=HKT),
        lang="en",
        source="Slow Wire",
        source_id="tw-late",
    )
    return Extraction(
        article=article,
        mentions=(mention(text, SMIC, "SMIC (00981.HK)"),),
        sentiment=Sentiment(0.0, "neutral", {}),
    )


CORPUS = (smic_rally, smic_zh, hua_hong_slide, gigadevice_ipo, xss_article)


def build_store(path: Path | str) -> dict[str, str]:
    """Write the corpus to a new database at ``path`` (a file or URL); return {name: id}."""
    ids: dict[str, str] = {}
    with Store(path) as store:
        for build in CORPUS:
            extraction = build()
            store.ingest_article(extraction.article, extraction, now=SEEN)
            ids[build.__name__] = extraction.article.id
        late = late_article()
        store.ingest_article(late.article, late, now=LATE_SEEN)
        ids["late_article"] = late.article.id
    return ids
