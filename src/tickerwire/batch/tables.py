"""The exchange tables: articles, mentions, indices, facts, events and quarantine, as Arrow schemas.

Declared once here and used by ``batch extract`` (Spark writes them), ``export`` (the store
writes them) and ``batch load`` (the store reads them back). They mirror the store's columns:
every column of the store tables in ``STORE_TABLES`` is here under the same name, with the
surrogate row ids replaced by the natural key ``(article_id, revision[, seq])``
(tests/batch/test_tables.py checks this against the live schema). One row per article revision:
its extraction (pipeline version, sentiment, relevance, errors) lives on the article row.

Rows are plain dicts, built from an ``Article`` and its ``Extraction`` by ``extraction_rows`` and
turned back into them by ``article_from_row`` / ``extraction_from_rows``, so that what goes
through Parquet is exactly what ``tickerwire ingest`` would store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from tickerwire.model import (
    Article,
    Event,
    Extraction,
    Fact,
    IndexMention,
    Mention,
    Relevance,
)
from tickerwire.store.codec import aware, from_json, hk_date, to_json
from tickerwire.store.rows import rebuild_article
from tickerwire.store.sql import to_sentiment

Row = dict[str, Any]

_TIME = pa.timestamp("us", tz="UTC")
_KEY = [pa.field("article_id", pa.string(), nullable=False), pa.field("revision", pa.int32(), nullable=False)]
_SEQ = [pa.field("seq", pa.int32(), nullable=False)]
_SPAN = [
    pa.field("text", pa.string()),
    pa.field("start", pa.int32()),
    pa.field("end", pa.int32()),
]

ARTICLES = pa.schema([
    *_KEY,
    pa.field("content_hash", pa.string()),
    pa.field("url", pa.string()),
    pa.field("source", pa.string()),
    pa.field("lang", pa.string()),
    pa.field("format", pa.string()),
    pa.field("origin", pa.string()),
    pa.field("title", pa.string()),
    pa.field("text", pa.string()),
    pa.field("published_at", _TIME),
    pa.field("published_date_hk", pa.date32()),
    pa.field("date_source", pa.string()),
    pa.field("first_seen_at", _TIME),
    pa.field("metadata", pa.string()),  # JSON object: source_id, locale, related stocks …
    pa.field("pipeline_version", pa.string()),
    pa.field("extracted_at", _TIME),
    pa.field("sentiment_score", pa.float64()),
    pa.field("sentiment_label", pa.string()),
    pa.field("sentiment_by_subject", pa.string()),  # JSON {listing: score}
    pa.field("sentiment_labels", pa.string()),  # JSON {listing: label}
    pa.field("sentiment_evidence", pa.string()),  # JSON {listing: [{text, start, end, weight}]}
    pa.field("relevance", pa.string()),  # JSON [{issuer, level, count, …}]
    pa.field("errors", pa.list_(pa.string())),  # "component: message" per failed component
])

MENTIONS = pa.schema([
    *_KEY, *_SEQ,
    pa.field("issuer", pa.string()),
    pa.field("name", pa.string()),
    pa.field("listing", pa.string()),
    pa.field("listings", pa.list_(pa.string())),
    *_SPAN,
    pa.field("confidence", pa.float64()),
    pa.field("via", pa.string()),
    pa.field("role", pa.string()),
])

INDICES = pa.schema([*_KEY, *_SEQ, pa.field("index_id", pa.string()), *_SPAN])

FACTS = pa.schema([
    *_KEY, *_SEQ,
    pa.field("kind", pa.string()),
    pa.field("subject", pa.string()),
    pa.field("value", pa.float64()),
    pa.field("pct", pa.float64()),
    pa.field("points", pa.float64()),
    pa.field("price", pa.float64()),
    pa.field("currency", pa.string()),
    pa.field("qualifier", pa.string()),
    *_SPAN,
    pa.field("value_max", pa.float64()),
    pa.field("horizon", pa.string()),
    pa.field("day", pa.date32()),
    pa.field("previous", pa.float64()),
])

EVENTS = pa.schema([
    *_KEY, *_SEQ,
    pa.field("type", pa.string()),
    pa.field("subjects", pa.list_(pa.string())),
    *_SPAN,
    pa.field("attributes", pa.string()),  # JSON: an IPO event's stage, dates, prices (docs/store.md)
])

QUARANTINE = pa.schema([
    pa.field("origin", pa.string(), nullable=False),
    pa.field("reason", pa.string(), nullable=False),
    pa.field("detail", pa.string()),
    pa.field("content_sha256", pa.string()),
])

# Which story each exported article joined (docs/stories.md): export only — stories are assigned
# when articles are stored, so after ``batch load`` run ``tickerwire stories --rebuild``.
STORIES = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("story_id", pa.string(), nullable=False),
    pa.field("joined_at", pa.timestamp("us", tz="UTC")),
    pa.field("anchor_at", pa.timestamp("us", tz="UTC")),
    pa.field("reason", pa.string()),
    pa.field("matched_article_id", pa.string()),
    pa.field("score", pa.float64()),
    pa.field("novelty", pa.float64()),
    pa.field("facts", pa.int64()),
    pa.field("new_facts", pa.int64()),
    pa.field("first_report", pa.bool_()),
])

SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "mentions": MENTIONS,
    "indices": INDICES,
    "facts": FACTS,
    "events": EVENTS,
    "quarantine": QUARANTINE,
}
# What ``export`` can write: the tables above and the export-only ones.
EXPORT_SCHEMAS: dict[str, pa.Schema] = {**SCHEMAS, "stories": STORIES}
# The tables that hang off an article row, in the order ``batch load`` reads them.
CHILD_TABLES = ("mentions", "indices", "facts", "events")
# The store tables each exchange table mirrors (what tests/batch/test_tables.py checks).
STORE_TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("articles", "article_revisions", "extractions"),
    "mentions": ("mentions",),
    "indices": ("index_mentions",),
    "facts": ("facts",),
    "events": ("events",),
    "quarantine": ("quarantine",),
    "stories": ("story_members",),
}
# Columns a table is sorted by: ``batch load`` merges the tables on the key in one pass.
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id", "revision"),
    **{name: ("article_id", "revision", "seq") for name in CHILD_TABLES},
    "quarantine": ("origin", "reason"),
}


def _real(number: float | None) -> float | None:
    """A float column's value as a float: an ``int`` (a 九成 move is 90) would be dropped as
    null by engines that do not coerce, Spark among them."""
    return None if number is None else float(number)


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else aware(moment).astimezone(UTC)


def article_row(
    article: Article,
    extraction: Extraction | None,
    *,
    revision: int,
    first_seen_at: datetime,
    extracted_at: datetime | None,
    metadata: Mapping[str, Any],
) -> Row:
    """The ``articles`` row of one revision; ``metadata`` is what the store keeps for it."""
    published = article.published_at
    row: Row = {
        "article_id": article.id,
        "revision": revision,
        "content_hash": article.content_hash,
        "url": article.url,
        "source": article.source,
        "lang": article.lang,
        "format": article.format,
        "origin": article.origin,
        "title": article.title,
        "text": article.text,
        "published_at": _utc(published),
        "published_date_hk": hk_date(published) if published is not None else None,
        "date_source": article.date_source or ("none" if published is None else None),
        "first_seen_at": _utc(first_seen_at),
        "metadata": to_json(dict(metadata)),
    }
    if extraction is None:
        row.update(dict.fromkeys(
            ("pipeline_version", "extracted_at", "sentiment_score", "sentiment_label",
             "sentiment_by_subject", "sentiment_labels", "sentiment_evidence", "relevance",
             "errors")))
        return row
    sentiment = extraction.sentiment
    row.update({
        "pipeline_version": extraction.pipeline_version,
        "extracted_at": _utc(extracted_at),
        "sentiment_score": _real(sentiment.score),
        "sentiment_label": sentiment.label,
        "sentiment_by_subject": to_json(sentiment.by_subject),
        "sentiment_labels": to_json(sentiment.labels),
        "sentiment_evidence": to_json(
            {k: [e.to_dict() for e in v] for k, v in sentiment.evidence.items()}),
        "relevance": to_json([r.to_dict() for r in extraction.relevance]),
        "errors": list(extraction.errors),
    })
    return row


def child_rows(article_id: str, revision: int, extraction: Extraction) -> dict[str, list[Row]]:
    """The mentions, indices, facts and events rows of one extraction, in text order."""
    key = {"article_id": article_id, "revision": revision}
    return {
        "mentions": [
            {**key, "seq": seq, "issuer": m.issuer, "name": m.name, "listing": m.listing,
             "listings": list(m.listings), "text": m.text, "start": m.start, "end": m.end,
             "confidence": _real(m.confidence), "via": m.via, "role": m.role}
            for seq, m in enumerate(extraction.mentions)
        ],
        "indices": [
            {**key, "seq": seq, "index_id": i.index, "text": i.text, "start": i.start, "end": i.end}
            for seq, i in enumerate(extraction.indices)
        ],
        "facts": [
            {**key, "seq": seq, "kind": f.kind, "subject": f.subject, "value": _real(f.value),
             "pct": _real(f.pct), "points": _real(f.points), "price": _real(f.price),
             "currency": f.currency, "qualifier": f.qualifier, "text": f.text, "start": f.start,
             "end": f.end, "value_max": _real(f.value_max), "horizon": f.horizon, "day": f.day,
             "previous": _real(f.previous)}
            for seq, f in enumerate(extraction.facts)
        ],
        "events": [
            {**key, "seq": seq, "type": e.type, "subjects": list(e.subjects), "text": e.text,
             "start": e.start, "end": e.end, "attributes": to_json(dict(e.attributes))}
            for seq, e in enumerate(extraction.events)
        ],
    }


def article_from_row(row: Mapping[str, Any]) -> Article:
    """The ``Article`` an ``articles`` row was made from (same id, content hash and metadata)."""
    return rebuild_article(
        text=row["text"],
        title=row["title"],
        published_at=row["published_at"],
        date_source=row["date_source"],
        lang=row["lang"],
        source=row["source"],
        url=row["url"],
        format=row["format"],
        origin=row["origin"],
        metadata=from_json(row["metadata"], {}),
    )


def extraction_from_rows(
    article: Article, row: Mapping[str, Any], children: Mapping[str, Sequence[Mapping[str, Any]]]
) -> Extraction | None:
    """The ``Extraction`` of an ``articles`` row and its child rows (None when it has none)."""
    if row["pipeline_version"] is None:
        return None
    return Extraction(
        article=article,
        mentions=tuple(
            Mention(issuer=m["issuer"], name=m["name"], listing=m["listing"],
                    listings=tuple(m["listings"] or ()), text=m["text"], start=m["start"],
                    end=m["end"], confidence=m["confidence"], via=m["via"], role=m["role"])
            for m in children.get("mentions", ())
        ),
        indices=tuple(
            IndexMention(index=i["index_id"], text=i["text"], start=i["start"], end=i["end"])
            for i in children.get("indices", ())
        ),
        facts=tuple(
            Fact(kind=f["kind"], subject=f["subject"], value=f["value"], pct=f["pct"],
                 points=f["points"], price=f["price"], currency=f["currency"],
                 qualifier=f["qualifier"], text=f["text"], start=f["start"], end=f["end"],
                 value_max=f["value_max"], horizon=f["horizon"], day=_day(f["day"]),
                 previous=f.get("previous"))
            for f in children.get("facts", ())
        ),
        events=tuple(
            Event(type=e["type"], subjects=tuple(e["subjects"] or ()), text=e["text"],
                  start=e["start"], end=e["end"], attributes=from_json(e.get("attributes"), {}))
            for e in children.get("events", ())
        ),
        sentiment=to_sentiment(row),
        relevance=tuple(Relevance(**r) for r in from_json(row["relevance"], [])),
        errors=tuple(row["errors"] or ()),
        pipeline_version=row["pipeline_version"],
    )


def _day(value: date | str | None) -> date | None:
    """A fact's day as Arrow (``date``) or JSON Lines (ISO text) gives it."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
