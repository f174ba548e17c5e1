"""Articles and extractions the store tests write (hand-built, in English and Chinese)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tickerwire.model import (
    Article,
    Event,
    Extraction,
    Fact,
    IndexMention,
    Link,
    Mention,
    Relevance,
    Sentiment,
)

T0 = datetime(2025, 10, 24, 9, 0, tzinfo=UTC)

TENCENT_EN = (
    "Tencent shares slide as Hang Seng Tech falls\n"
    "Tencent Holdings (00700.HK) fell 3.6% to HK$512.50 on Friday as the Hang Seng Tech Index "
    "lost 2.1%. Turnover on the main board reached HK$248.1 billion."
)
SMIC_ZH = (
    "中芯国际股价创新高\n"
    "中芯国际(00981.HK)周五收涨5.2%,报78.35港元,创52周新高。恒生指数收报26,160点。"
    "南向资金净流入65.48亿港元。"
)
HSBC_ZH_HANT = (
    "滙豐私有化恒生銀行\n"
    "滙豐控股宣佈以每股155港元私有化恒生銀行,恒生銀行股價大漲25.9%。"
)


def span(text: str, needle: str) -> tuple[str, int, int]:
    """``needle`` with its offsets in ``text`` (so every stored offset points at its words)."""
    start = text.index(needle)
    return needle, start, start + len(needle)


def tencent_extraction(article: Article, *, version: str = "1.0.0") -> Extraction:
    t = article.text
    listings = ("00700.HK", "TCEHY.US")
    return Extraction(
        article=article,
        mentions=(
            Mention("00700.HK", "Tencent", "00700.HK", listings, *span(t, "Tencent"), 0.95),
            Mention("00700.HK", "Tencent", "00700.HK", listings, *span(t, "00700.HK"), 1.0,
                    via="code"),
        ),
        indices=(IndexMention("HSTECH", *span(t, "Hang Seng Tech")),),
        facts=(
            Fact("price_move", "00700.HK", pct=-3.6, price=512.5, currency="HKD",
                 **_where(t, "fell 3.6% to HK$512.50")),
            Fact("price_move", "HSTECH", pct=-2.1, **_where(t, "lost 2.1%")),
            Fact("turnover", "HK", value=248.1e9, currency="HKD",
                 **_where(t, "HK$248.1 billion")),
        ),
        events=(Event("price_move", ("00700.HK",), *span(t, "Tencent Holdings (00700.HK) fell")),),
        sentiment=Sentiment(-0.6, "negative", {"00700.HK": -0.6}),
        relevance=(Relevance("00700.HK", "headline", 2, True, True),),
        errors=("sentiment: ValueError: demo",),
        pipeline_version=version,
    )


def smic_extraction(article: Article, *, version: str = "1.0.0") -> Extraction:
    t = article.text
    return Extraction(
        article=article,
        mentions=(
            Mention("00981.HK", "SMIC", "00981.HK", ("00981.HK", "688981.SH"),
                    *span(t, "中芯国际"), 0.9),
        ),
        facts=(
            Fact("price_move", "00981.HK", pct=5.2, price=78.35, currency="HKD",
                 **_where(t, "收涨5.2%")),
            Fact("southbound_net_inflow", "HK", value=6_548_000_000, currency="HKD",
                 **_where(t, "南向资金净流入65.48亿港元")),
        ),
        events=(
            Event("price_move", ("00981.HK",), *span(t, "周五收涨5.2%")),
            Event("fund_flow", ("HK",), *span(t, "南向资金净流入")),
        ),
        sentiment=Sentiment(0.7, "positive", {"00981.HK": 0.7}),
        pipeline_version=version,
    )


def _where(text: str, needle: str) -> dict[str, Any]:
    words, start, end = span(text, needle)
    return {"text": words, "start": start, "end": end}


def make_article(
    text: str = TENCENT_EN,
    *,
    url: str | None = "https://news.example.com/tencent-slides",
    published_at: datetime | None = datetime(2025, 10, 24, 8, 30, tzinfo=UTC),
    lang: str | None = "en",
    **fields: Any,
) -> Article:
    title = fields.pop("title", text.split("\n", 1)[0])
    return Article(
        text=text,
        title=title,
        url=url,
        published_at=published_at,
        lang=lang,
        source=fields.pop("source", "Example Wire"),
        format=fields.pop("format", "markdown"),
        origin=fields.pop("origin", "news/tencent.md"),
        related_stocks=fields.pop("related_stocks", ("00700.HK",)),
        related_news=fields.pop("related_news", (Link("HSI closes lower", "https://x/1"),)),
        locales=fields.pop("locales", (Link("zh-CN", "https://x/zh"),)),
        description=fields.pop("description", "Tencent drops"),
        author=fields.pop("author", "Desk"),
        locale=fields.pop("locale", "en"),
        **fields,
    )
