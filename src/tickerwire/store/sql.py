"""SQL fragments shared by the read queries: point-in-time visibility and row decoding.

Every read binds ``:as_of`` (an ISO UTC instant; ``END_OF_TIME`` for "now"). An article's
visible revision is its highest revision first seen at or before ``as_of``; that revision's
visible extraction is the latest one extracted at or before ``as_of``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from tickerwire.model import Event, Fact, IndexMention, Mention, Sentiment, SentimentEvidence, Verification
from tickerwire.store.codec import (
    from_json,
    parse_date,
    parse_instant,
    parse_optional_date,
    parse_optional_instant,
)
from tickerwire.store.connection import Row

Params = dict[str, Any]
T = TypeVar("T")

# Values per ``IN (…)`` list: well under SQLite's and psycopg's bounds on parameters, and one long
# list made SQLite scan a table instead of searching its key once a value.
IN_BATCH = 500


def in_batches(values: Sequence[T], size: int = IN_BATCH) -> Iterator[Sequence[T]]:
    """``values`` in slices of ``size``, in order: one query's ``IN`` list each."""
    for first in range(0, len(values), size):
        yield values[first:first + size]

# ``r`` is an article_revisions row; true when it is the revision visible at :as_of: seen by then,
# and no later revision of the article seen by then. (Written as NOT EXISTS rather than
# ``r.revision = (SELECT max …)``: PostgreSQL estimates an anti-join well, and a max() subquery so
# badly that it joined articles by nested loops over every pair.)
VISIBLE_REVISION = (
    "r.first_seen_at <= :as_of AND NOT EXISTS (SELECT 1 FROM article_revisions r2"
    " WHERE r2.article_id = r.article_id AND r2.revision > r.revision"
    " AND r2.first_seen_at <= :as_of)"
)

# The id of the extraction of revision ``r`` visible at :as_of (NULL when there is none).
VISIBLE_EXTRACTION_ID = (
    "(SELECT e2.id FROM extractions e2 WHERE e2.article_id = r.article_id"
    " AND e2.revision = r.revision AND e2.extracted_at <= :as_of"
    " ORDER BY e2.extracted_at DESC, e2.id DESC LIMIT 1)"
)

# Columns of a RowContext, from revision ``r``, article ``a`` and extraction ``e``.
CONTEXT_COLUMNS = (
    "r.article_id AS article_id, r.revision AS revision, e.id AS extraction_id,"
    " e.pipeline_version AS pipeline_version, r.title AS title, a.source AS source,"
    " a.url AS url, coalesce(r.lang, a.lang) AS lang, r.published_at AS published_at,"
    " r.published_date_hk AS published_date_hk, r.day_hk AS day_hk,"
    " r.first_seen_at AS first_seen_at, e.extracted_at AS extracted_at"
)

# FROM clause joining a child table ``x`` (mentions, facts, events …) to its visible context.
CHILD_FROM = (
    " JOIN extractions e ON e.id = x.extraction_id"
    " JOIN article_revisions r ON r.article_id = e.article_id AND r.revision = e.revision"
    " JOIN articles a ON a.id = r.article_id"
    f" WHERE {VISIBLE_REVISION} AND e.id = {VISIBLE_EXTRACTION_ID}"
)


# A fact ``x``'s verdict (docs/prices.md): select VERDICT_COLUMNS from ``facts x`` + VERDICT_JOIN.
VERDICT_COLUMNS = (
    "v.verdict AS v_verdict, v.field AS v_field, v.stated AS v_stated, v.actual AS v_actual,"
    " v.difference AS v_difference, v.day AS v_day, v.reason AS v_reason"
)
VERDICT_JOIN = " LEFT JOIN fact_verifications v ON v.fact_id = x.id"


def in_list(column: str, values: Sequence[str | int], params: Params, prefix: str) -> str:
    """``column IN (:prefix0, :prefix1 …)``, adding the values to ``params``."""
    names: list[str] = []
    for i, value in enumerate(values):
        params[f"{prefix}{i}"] = value
        names.append(f":{prefix}{i}")
    return f"{column} IN ({', '.join(names) or 'NULL'})"


def json_list_has(column: str, values: Sequence[str], params: Params, prefix: str) -> str:
    """True when the JSON array in ``column`` contains one of ``values``."""
    inner = in_list("j.value", values, params, prefix)
    return f"EXISTS (SELECT 1 FROM json_each({column}) j WHERE {inner})"


def mentions_any(codes: Sequence[str], params: Params, extraction_id: str) -> str:
    """True when the extraction ``extraction_id`` mentions an issuer with one of ``codes``."""
    inside = in_list("el.listing", codes, params, "el")
    return (f"{extraction_id} IN (SELECT el.extraction_id FROM extraction_listings el"
            f" WHERE {inside})")


def row_context(row: Row) -> dict[str, Any]:
    """Keyword arguments of ``RowContext`` decoded from a row selected with CONTEXT_COLUMNS."""
    return {
        "article_id": row["article_id"],
        "revision": row["revision"],
        "extraction_id": row["extraction_id"],
        "pipeline_version": row["pipeline_version"],
        "title": row["title"],
        "source": row["source"],
        "url": row["url"],
        "lang": row["lang"],
        "published_at": parse_optional_instant(row["published_at"]),
        "published_date_hk": parse_optional_date(row["published_date_hk"]),
        "day_hk": parse_date(row["day_hk"]),
        "first_seen_at": parse_instant(row["first_seen_at"]),
        "extracted_at": parse_instant(row["extracted_at"]),
    }


def mention_fields(row: Row) -> dict[str, Any]:
    return {
        "issuer": row["issuer"],
        "name": row["name"],
        "listing": row["listing"],
        "listings": tuple(from_json(row["listings"], [])),
        "text": row["text"],
        "start": row["start"],
        "end": row["end"],
        "confidence": row["confidence"],
        "via": row["via"],
        "role": row["role"],
    }


def fact_fields(row: Row) -> dict[str, Any]:
    return {
        "kind": row["kind"],
        "subject": row["subject"],
        "value": row["value"],
        "pct": row["pct"],
        "points": row["points"],
        "price": row["price"],
        "currency": row["currency"],
        "qualifier": row["qualifier"],
        "text": row["text"],
        "start": row["start"],
        "end": row["end"],
        "value_max": row["value_max"],
        "horizon": row["horizon"],
        "day": parse_optional_date(row["day"]),
        "verification": verification_of(row),
        "previous": row["previous"],
    }


def verification_of(row: Row) -> Verification | None:
    """The verdict selected with VERDICT_COLUMNS; None when the fact has none or the row was
    selected without them."""
    if "v_verdict" not in row.keys() or row["v_verdict"] is None:  # noqa: SIM118 - a Row, not a dict
        return None
    return Verification(
        verdict=row["v_verdict"], field=row["v_field"], stated=row["v_stated"],
        actual=row["v_actual"], difference=row["v_difference"],
        day=parse_optional_date(row["v_day"]), reason=row["v_reason"],
    )


def event_fields(row: Row) -> dict[str, Any]:
    return {
        "type": row["type"],
        "subjects": tuple(from_json(row["subjects"], [])),
        "text": row["text"],
        "start": row["start"],
        "end": row["end"],
        "attributes": from_json(row["attributes"], {}),
    }


def to_mention(row: Row) -> Mention:
    return Mention(**mention_fields(row))


def to_fact(row: Row) -> Fact:
    return Fact(**fact_fields(row))


def to_event(row: Row) -> Event:
    return Event(**event_fields(row))


def to_index_mention(row: Row) -> IndexMention:
    return IndexMention(
        index=row["index_id"], text=row["text"], start=row["start"], end=row["end"]
    )


def to_sentiment(row: Any) -> Sentiment:
    """The ``Sentiment`` of an extraction row (a store row, or an exchange-table row of batch)."""
    return Sentiment(
        score=row["sentiment_score"] if row["sentiment_score"] is not None else 0.0,
        label=row["sentiment_label"] or "neutral",
        by_subject=from_json(row["sentiment_by_subject"], {}),
        labels=from_json(row["sentiment_labels"], {}),
        evidence={
            k: tuple(SentimentEvidence(**e) for e in v)
            for k, v in from_json(row["sentiment_evidence"], {}).items()
        },
    )
