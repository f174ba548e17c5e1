"""The hand-made articles of the insight tests, and how they become extractions.

The hand-made store is built from ``Extraction`` objects written here, so every number an
insight shows can be checked exactly. Its articles arrive at two instants: ``SEEN_FIRST``
(the 13 October wraps) and ``SEEN_LATER`` (what was published on 14–16 October).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tickerwire.extract.ipo_details import IPO_EVENT_TYPES, ipo_attributes
from tickerwire.extract.ipo_words import Named
from tickerwire.model import Article, Event, Extraction, Fact, Mention, Relevance, Sentiment
from tickerwire.timeutil import HONG_KONG

SEEN_FIRST = datetime(2025, 10, 13, 12, 0, tzinfo=UTC)
SEEN_LATER = datetime(2025, 10, 16, 12, 0, tzinfo=UTC)
BETWEEN = datetime(2025, 10, 14, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    """An article and what to extract from it; spans are given by the words, not offsets."""

    text: str
    title: str
    published: datetime
    source: str
    url: str
    facts: Sequence[tuple[str, str | None, str, dict[str, object]]] = ()  # kind, subject, words
    events: Sequence[tuple[str, tuple[str, ...], str]] = ()  # type, subjects, words
    mentions: Sequence[tuple[str, str, str]] = ()  # issuer, listing, words
    sentiment: Sentiment = field(default_factory=Sentiment)
    related: tuple[str, ...] = ()


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def build_extraction(spec: Spec) -> Extraction:
    text = f"{spec.title}\n\n{spec.text}"
    article = Article(text=text, title=spec.title, published_at=spec.published, lang="en",
                      source=spec.source, url=spec.url, format="text",
                      related_stocks=spec.related)
    facts = tuple(
        Fact(kind=kind, subject=subject, text=words, start=_span(text, words)[0],
             end=_span(text, words)[1], **values)  # type: ignore[arg-type]
        for kind, subject, words, values in spec.facts
    )
    mentions = tuple(
        Mention(issuer, issuer, listing, (listing,), words, *_span(text, words), 0.9)
        for issuer, listing, words in spec.mentions
    )
    events = tuple(
        _with_ipo_details(Event(kind, subjects, words, *_span(text, words)), mentions, article)
        for kind, subjects, words in spec.events
    )
    relevance = tuple(
        Relevance(issuer, "major", 1, issuer in spec.related, True)
        for issuer in dict.fromkeys(m.issuer for m in mentions)
    )
    return Extraction(article, mentions=mentions, facts=facts, events=events,
                      sentiment=spec.sentiment, relevance=relevance)


def _with_ipo_details(event: Event, mentions: Sequence[Mention], article: Article) -> Event:
    """An IPO event with the attributes extraction gives it (its stages, days, prices)."""
    if event.type not in IPO_EVENT_TYPES:
        return event
    day = article.published_at.astimezone(HONG_KONG).date() if article.published_at else None
    named = [Named(f"{m.issuer} {m.listing}", m.start - event.start, m.end - event.start)
             for m in mentions if m.listing in event.subjects
             and event.start <= m.start and m.end <= event.end]
    attributes = ipo_attributes(event.text, event.type, named, day, subjects=event.subjects)
    return Event(event.type, event.subjects, event.text, event.start, event.end, attributes)


def _at(day: int, hour: int) -> datetime:
    return datetime(2025, 10, day, hour, 0, tzinfo=UTC)


WIRE_A = Spec(
    title="Hang Seng Index falls on tariff threat",
    text=(
        "The Hang Seng Index fell 1.52% to 25,889.48 on Monday. Turnover reached HK$309.2 "
        "billion. Southbound investors bought a net HK$31.12 billion. SMIC fell 3.6% to "
        "HK$76.35 after US tariff threats. Tencent lost 3.1% to HK$618.50. Chip stocks slumped "
        "across the board. Washington threatened an additional 100% tariff on Chinese goods."
    ),
    published=_at(13, 8),
    source="Wire A",
    url="https://example.com/a/hk-close-1013",
    facts=(
        ("price_move", "HSI", "The Hang Seng Index fell 1.52%", {"pct": -1.52}),
        ("index_level", "HSI", "The Hang Seng Index fell 1.52% to 25,889.48",
         {"value": 25889.48, "pct": -1.52}),
        ("turnover", "HK", "Turnover reached HK$309.2 billion",
         {"value": 309.2e9, "currency": "HKD"}),
        ("southbound_net_inflow", "HK", "bought a net HK$31.12 billion",
         {"value": 31.12e9, "currency": "HKD"}),
        ("price_move", "00981.HK", "SMIC fell 3.6% to HK$76.35",
         {"pct": -3.6, "price": 76.35, "currency": "HKD"}),
        ("price_move", "00700.HK", "Tencent lost 3.1% to HK$618.50",
         {"pct": -3.1, "price": 618.5, "currency": "HKD"}),
    ),
    events=(
        ("price_move", ("00981.HK",), "SMIC fell 3.6% to HK$76.35 after US tariff threats."),
        ("sector_move", (), "Chip stocks slumped across the board."),
        ("geopolitics", (), "Washington threatened an additional 100% tariff on Chinese goods."),
    ),
    mentions=(("00981.HK", "00981.HK", "SMIC"), ("00700.HK", "00700.HK", "Tencent")),
    sentiment=Sentiment(-0.5, "negative", {"00981.HK": -0.6}),
    related=("00981.HK", "09988.HK"),
)

WIRE_B = Spec(
    title="SMIC <b>closes</b> lower & chips slide",
    text=(
        "SMIC closed at HK$76.50, down 3.4%. The Hang Seng Index closed at 25,889.48. "
        "SMIC's Shanghai shares (688981.SH) rose 1.2% to CNY 120.10."
    ),
    published=_at(13, 9),
    source="Wire B",
    url="https://example.com/b/smic-1013",
    facts=(
        ("close_price", "00981.HK", "SMIC closed at HK$76.50", {"value": 76.5, "currency": "HKD"}),
        ("price_move", "00981.HK", "SMIC closed at HK$76.50, down 3.4%",
         {"pct": -3.4, "price": 76.5, "currency": "HKD"}),
        ("index_level", "HSI", "The Hang Seng Index closed at 25,889.48", {"value": 25889.48}),
        ("price_move", "688981.SH", "rose 1.2% to CNY 120.10",
         {"pct": 1.2, "price": 120.1, "currency": "CNY"}),
    ),
    mentions=(("00981.HK", "00981.HK", "SMIC"), ("00981.HK", "688981.SH", "688981.SH")),
    sentiment=Sentiment(-0.2, "negative", {}),
)

HUA_HONG = Spec(
    title="Hua Hong rebounds",
    text="Hua Hong Semiconductor jumped 6.1% to HK$82.90. The Hang Seng Index rose 1.0% to "
    "26,100.00. Sany Heavy Industry passed the listing hearing of the Hong Kong stock exchange.",
    published=_at(14, 8),
    source="Wire A",
    url="https://example.com/a/hua-hong-1014",
    facts=(
        ("price_move", "01347.HK", "Hua Hong Semiconductor jumped 6.1% to HK$82.90",
         {"pct": 6.1, "price": 82.9, "currency": "HKD"}),
        ("index_level", "HSI", "The Hang Seng Index rose 1.0% to 26,100.00",
         {"value": 26100.0, "pct": 1.0}),
    ),
    events=(
        ("ipo", ("06031.HK",),
         "Sany Heavy Industry passed the listing hearing of the Hong Kong stock exchange."),
    ),
    mentions=(("01347.HK", "01347.HK", "Hua Hong Semiconductor"),),
    sentiment=Sentiment(0.6, "positive", {"01347.HK": 0.7}),
)

ACME = Spec(
    title="Acme Robotics files for Hong Kong IPO",
    text="Acme Robotics Holdings filed a listing application for the Main Board of the Hong Kong "
    "stock exchange and could raise up to US$300 million.",
    published=_at(15, 3),
    source="Wire B",
    url="https://example.com/b/acme-1015",
    facts=(
        ("ipo_raise", None, "could raise up to US$300 million",
         {"value": 300e6, "currency": "USD", "qualifier": "under"}),
    ),
    events=(
        ("listing_application", (),
         "Acme Robotics Holdings filed a listing application for the Main Board of the Hong "
         "Kong stock exchange and could raise up to US$300 million."),
    ),
)

SANY = Spec(
    title="Sany Heavy debuts in Hong Kong",
    text="Sany Heavy Industry made its debut in Hong Kong on Thursday after raising HK$12.35 "
    "billion.",
    published=_at(16, 8),
    source="Wire A",
    url="https://example.com/a/sany-1016",
    facts=(
        ("ipo_raise", "06031.HK", "raising HK$12.35 billion",
         {"value": 12.35e9, "currency": "HKD"}),
    ),
    events=(
        ("ipo", ("06031.HK",),
         "Sany Heavy Industry made its debut in Hong Kong on Thursday after raising HK$12.35 "
         "billion."),
    ),
    mentions=(("06031.HK", "06031.HK", "Sany Heavy Industry"),),
)

FIRST = (WIRE_A, WIRE_B)
LATER = (HUA_HONG, ACME, SANY)


def pair(spec: Spec) -> tuple[Article, Extraction]:
    extraction = build_extraction(spec)
    return extraction.article, extraction


def article_id(spec: Spec) -> str:
    return build_extraction(spec).article.id
