"""The typed records every layer passes around.

``Article`` is what a reader in ``sources/`` produces; ``Extraction`` is what the pipeline in
``extract/`` adds to it. Both are frozen; ``to_dict`` gives the JSON contract of DESIGN.md.
Offsets (``start``/``end``) are character offsets into ``Article.text``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

PIPELINE_VERSION = "1.0.0"

@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink the publisher attached to an article (related news, locales)."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Article:
    """One news document as read from its source, before extraction.

    ``text`` is the body exactly as extraction sees it (the title is its first line when the
    source has one); every offset produced later points into it.
    """

    text: str
    title: str | None = None
    published_at: datetime | None = None
    date_source: str | None = None  # where published_at came from: sources.published.DATE_SOURCES
    lang: str | None = None  # "en" | "zh"
    source: str | None = None  # publisher or feed name
    url: str | None = None
    source_id: str | None = None  # the id the source gave (JSONL ``id``, feed guid)
    locale: str | None = None  # e.g. "en", "zh-CN", "zh-HK"
    format: str = "text"  # markdown | text | html | rss | jsonl
    origin: str | None = None  # file path (and line/entry) it was read from
    description: str | None = None
    author: str | None = None
    related_stocks: tuple[str, ...] = ()  # publisher's claim, canonical codes
    related_news: tuple[Link, ...] = ()
    locales: tuple[Link, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def id(self) -> str:
        """Stable id: the JSONL/feed id when given, else canonical URL, else hash of content."""
        if self.source_id:
            return self.source_id
        return stable_id(self.url, self.title, self.text)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(_normalize_for_hash(f"{self.title or ''}\n{self.text}").encode()).hexdigest()


def canonical_url(url: str) -> str:
    """Lower-case scheme/host, drop fragment, tracking parameters and trailing slash."""
    m = re.match(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://(?P<host>[^/?#]+)(?P<rest>[^#]*)", url.strip())
    if not m:
        return url.strip()
    rest = m.group("rest")
    path, _, query = rest.partition("?")
    kept = [p for p in query.split("&") if p and not re.match(r"(utm_[a-z]+|fbclid|gclid|ref|share)=", p)]
    path = path.rstrip("/") or "/"
    out = f"{m.group('scheme').lower()}://{m.group('host').lower()}{path}"
    return out + ("?" + "&".join(kept) if kept else "")


def _normalize_for_hash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


def stable_id(url: str | None, title: str | None, text: str) -> str:
    """``tw-`` + 16 hex digits of the canonical URL, or of normalized title and body."""
    basis = "url:" + canonical_url(url) if url else "txt:" + _normalize_for_hash(f"{title or ''}\n{text}")
    return "tw-" + hashlib.sha256(basis.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Mention:
    """A security named in the text."""

    issuer: str  # issuer id (its primary listing code)
    name: str  # issuer's display name
    listing: str  # the listing this mention refers to (canonical code)
    listings: tuple[str, ...]  # all listings of the issuer
    text: str
    start: int
    end: int
    confidence: float
    via: str = "name"  # name | code
    role: str | None = None  # venue ("listed on HKEX") | broker ("Citi upgrades …") | None: the news is about it

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "issuer": self.issuer,
            "name": self.name,
            "listing": self.listing,
            "listings": list(self.listings),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
            "via": self.via,
        }


@dataclass(frozen=True, slots=True)
class IndexMention:
    index: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "text": self.text, "start": self.start, "end": self.end}


VERDICTS = ("confirmed", "contradicted", "wrong_day", "unverifiable")
"""What checking a reported number against the day's price bar found (docs/prices.md)."""

CHECKED_KINDS = ("price_move", "index_level", "close_price", "turnover")
"""The fact kinds checked against prices; other kinds carry no verification."""


@dataclass(frozen=True, slots=True)
class Verification:
    """A fact checked against the market.

    ``field`` is the stated number that decided the verdict (``pct``, ``points``, ``price`` or
    ``value``), ``stated`` its value in the text and ``actual`` the market's, ``difference``
    actual − stated, and ``day`` the trading day whose bar was compared (for ``wrong_day``, the
    neighbouring day that matches). ``reason`` says why a number is ``unverifiable``.
    """

    verdict: str  # VERDICTS
    field: str | None = None
    stated: float | None = None
    actual: float | None = None
    difference: float | None = None
    day: date | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "field": self.field,
            "stated": self.stated,
            "actual": self.actual,
            "difference": self.difference,
            "day": self.day.isoformat() if self.day else None,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class PriceBar:
    """One trading day of a listing, an index or a market total (``HK``, ``CN``: turnover only).

    ``code`` is canonical (``00700.HK``, ``600519.SH``, ``HSI``); ``turnover`` is in plain units
    of ``currency``; ``prev_close`` is the exchange's previous close when the source gives it.
    """

    code: str
    day: date
    close: float | None
    open: float | None = None
    high: float | None = None
    low: float | None = None
    prev_close: float | None = None
    volume: float | None = None
    turnover: float | None = None
    currency: str | None = None
    source: str = "file"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "day": self.day.isoformat(), "open": self.open,
            "high": self.high, "low": self.low, "close": self.close,
            "prev_close": self.prev_close, "volume": self.volume, "turnover": self.turnover,
            "currency": self.currency, "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Fact:
    """A market number stated in the text, with the words it came from."""

    kind: str
    subject: str | None  # listing code, index id, "HK"/"CN" market, or None when unclear
    value: float | None = None
    pct: float | None = None
    points: float | None = None
    price: float | None = None
    currency: str | None = None
    qualifier: str = "exact"  # exact | over | under | about
    text: str = ""
    start: int = 0
    end: int = 0
    value_max: float | None = None  # upper end of a stated range
    previous: float | None = None  # the old value of a changed figure (target raised from → to)
    horizon: str | None = None  # moves and levels: extract.timeframes.HORIZONS (close, ytd …)
    day: date | None = None  # the market day it is about (None when the article is undated)
    # Checked against prices: None for kinds never checked, or before a store checked it. Not part
    # of what the fact is, so two extractions of the same words compare equal whatever the prices.
    verification: Verification | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "value": self.value,
            "pct": self.pct,
            "points": self.points,
            "price": self.price,
            "currency": self.currency,
            "qualifier": self.qualifier,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value_max": self.value_max,
            "previous": self.previous,
            "horizon": self.horizon,
            "day": self.day.isoformat() if self.day else None,
            "verification": self.verification.to_dict() if self.verification else None,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """An event the text reports; ``attributes`` hold what its words state beyond the type (an
    IPO's stage, stated dates, offer price: extract.ipo_details), as JSON-ready values."""

    type: str
    subjects: tuple[str, ...]
    text: str
    start: int
    end: int
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "subjects": list(self.subjects),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "attributes": dict(self.attributes),
        }


@dataclass(frozen=True, slots=True)
class SentimentEvidence:
    """Words that decided a company's tone: ``text == article.text[start:end]``."""

    text: str
    start: int
    end: int
    weight: float  # signed contribution after negation, intensity, scope and headline weight

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "weight": round(self.weight, 3)}


@dataclass(frozen=True, slots=True)
class Sentiment:
    score: float = 0.0  # -1..1
    label: str = "neutral"  # negative | neutral | positive
    by_subject: dict[str, float] = field(default_factory=dict, hash=False)
    labels: dict[str, str] = field(default_factory=dict, hash=False)  # listing → label
    evidence: dict[str, tuple[SentimentEvidence, ...]] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 3),
            "label": self.label,
            "by_subject": {k: round(v, 3) for k, v in sorted(self.by_subject.items())},
            "labels": dict(sorted(self.labels.items())),
            "evidence": {k: [e.to_dict() for e in v] for k, v in sorted(self.evidence.items())},
        }


@dataclass(frozen=True, slots=True)
class Relevance:
    """How central an issuer is to an article."""

    issuer: str
    level: str  # headline | major | passing
    count: int
    related_claimed: bool  # in the publisher's Related Stocks
    confirmed: bool  # the text supports it

    def to_dict(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "level": self.level,
            "count": self.count,
            "related_claimed": self.related_claimed,
            "confirmed": self.confirmed,
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the pipeline found in one article."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    indices: tuple[IndexMention, ...] = ()
    facts: tuple[Fact, ...] = ()
    events: tuple[Event, ...] = ()
    sentiment: Sentiment = field(default_factory=Sentiment)
    relevance: tuple[Relevance, ...] = ()
    errors: tuple[str, ...] = ()  # "component: message" for components that failed
    pipeline_version: str = PIPELINE_VERSION

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        a = self.article
        out: dict[str, Any] = {
            "id": a.id,
            "title": a.title,
            "published_at": a.published_at.isoformat() if a.published_at else None,
            "date_source": a.date_source,
            "lang": a.lang,
            "source": a.source,
            "url": a.url,
            "mentions": [m.to_dict() for m in self.mentions],
            "indices": [i.to_dict() for i in self.indices],
            "facts": [f.to_dict() for f in self.facts],
            "events": [e.to_dict() for e in self.events],
            "sentiment": self.sentiment.to_dict(),
            "relevance": [r.to_dict() for r in self.relevance],
            "related_stocks": list(a.related_stocks),
            "pipeline_version": self.pipeline_version,
            "errors": list(self.errors),
        }
        if with_text:
            out["text"] = a.text
        return out
