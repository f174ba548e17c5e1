"""Article search: FTS5 trigram full text (English and Chinese) plus structured filters.

A query is split into terms (whitespace-separated words, or "quoted phrases"); all terms must
match, case-insensitively, as substrings of the title or body. Terms of three or more
characters use the trigram index; shorter ones (腾讯, HK) cannot, and fall back to ``LIKE``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tickerwire.store.codec import (
    parse_instant,
    parse_optional_date,
    parse_optional_instant,
)
from tickerwire.store.rows import ArticleSummary
from tickerwire.store.sql import (
    VISIBLE_EXTRACTION_ID,
    VISIBLE_REVISION,
    Params,
    in_list,
    mentions_any,
)

_TERM = re.compile(r'"([^"]+)"|(\S+)')
SNIPPET_CHARS = 200


@dataclass(frozen=True, slots=True)
class SearchFilters:
    query: str | None = None
    since: date | None = None
    until: date | None = None
    lang: str | None = None
    listing_codes: Sequence[str] | None = None
    event_type: str | None = None
    sentiment: str | None = None


def query_terms(query: str | None) -> list[str]:
    if not query:
        return []
    terms = [(m.group(1) or m.group(2)).strip() for m in _TERM.finditer(query)]
    return [t for t in terms if t]


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text_clauses(terms: list[str], where: list[str], params: Params) -> None:
    long_terms = [t for t in terms if len(t) >= 3]
    if long_terms:
        params["fts"] = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        where.append("r.id IN (SELECT rowid FROM revisions_fts WHERE revisions_fts MATCH :fts)")
    for i, term in enumerate(t for t in terms if len(t) < 3):
        params[f"like{i}"] = _like_pattern(term)
        where.append(f"(coalesce(r.title, '') || char(10) || r.text) LIKE :like{i} ESCAPE '\\'")


def _where(filters: SearchFilters, as_of: str) -> tuple[str, Params]:
    params: Params = {"as_of": as_of}
    where = [VISIBLE_REVISION]
    _text_clauses(query_terms(filters.query), where, params)
    if filters.since is not None:
        where.append("r.day_hk >= :since")
        params["since"] = filters.since.isoformat()
    if filters.until is not None:
        where.append("r.day_hk <= :until")
        params["until"] = filters.until.isoformat()
    if filters.lang is not None:
        where.append("coalesce(r.lang, a.lang) = :lang")
        params["lang"] = filters.lang
    if filters.listing_codes is not None:
        where.append(mentions_any(filters.listing_codes, params, "e.id"))
    if filters.event_type is not None:
        where.append(
            "EXISTS (SELECT 1 FROM events ev WHERE ev.extraction_id = e.id AND ev.type = :etype)"
        )
        params["etype"] = filters.event_type
    if filters.sentiment is not None:
        where.append("e.sentiment_label = :label")
        params["label"] = filters.sentiment
    return " AND ".join(where), params


_FROM = (
    " FROM article_revisions r JOIN articles a ON a.id = r.article_id"
    f" LEFT JOIN extractions e ON e.id = {VISIBLE_EXTRACTION_ID}"
)


def count(conn: sqlite3.Connection, filters: SearchFilters, as_of: str) -> int:
    where, params = _where(filters, as_of)
    return int(conn.execute(f"SELECT count(*){_FROM} WHERE {where}", params).fetchone()[0])


def search(
    conn: sqlite3.Connection, filters: SearchFilters, as_of: str, *, limit: int, offset: int
) -> list[ArticleSummary]:
    """Newest first (published time, else first-seen time), then by article id."""
    where, params = _where(filters, as_of)
    params.update(limit=limit, offset=offset)
    rows = conn.execute(
        "SELECT r.id AS revision_row, r.article_id, r.revision, r.title, a.source, a.url,"
        " coalesce(r.lang, a.lang) AS lang, r.published_at, r.published_date_hk,"
        " a.first_seen_at, e.id AS extraction_id, e.sentiment_label, e.sentiment_score"
        f"{_FROM} WHERE {where}"
        " ORDER BY r.sort_at DESC, r.article_id DESC"
        " LIMIT :limit OFFSET :offset",
        params,
    ).fetchall()
    ids = [row["extraction_id"] for row in rows if row["extraction_id"] is not None]
    listings, event_types = _page_details(conn, ids)
    texts = _page_texts(conn, [row["revision_row"] for row in rows])
    terms = query_terms(filters.query)
    return [
        ArticleSummary(
            id=row["article_id"],
            revision=row["revision"],
            title=row["title"],
            source=row["source"],
            url=row["url"],
            lang=row["lang"],
            published_at=parse_optional_instant(row["published_at"]),
            published_date_hk=parse_optional_date(row["published_date_hk"]),
            first_seen_at=parse_instant(row["first_seen_at"]),
            sentiment_label=row["sentiment_label"],
            sentiment_score=row["sentiment_score"],
            listings=listings.get(row["extraction_id"], ()),
            event_types=event_types.get(row["extraction_id"], ()),
            snippet=snippet(texts[row["revision_row"]], terms, title=row["title"]),
        )
        for row in rows
    ]


def _page_details(
    conn: sqlite3.Connection, extraction_ids: list[int]
) -> tuple[dict[int, tuple[str, ...]], dict[int, tuple[str, ...]]]:
    """Distinct mentioned listings and event types per extraction, in text order."""
    params: Params = {}
    ids_in = in_list("extraction_id", extraction_ids, params, "x")
    listings: dict[int, list[str]] = {}
    for row in conn.execute(
        f"SELECT extraction_id, listing FROM mentions WHERE {ids_in} ORDER BY extraction_id, seq",
        params,
    ):
        _append_unique(listings.setdefault(row[0], []), row[1])
    types: dict[int, list[str]] = {}
    for row in conn.execute(
        f"SELECT extraction_id, type FROM events WHERE {ids_in} ORDER BY extraction_id, seq",
        params,
    ):
        _append_unique(types.setdefault(row[0], []), row[1])
    return (
        {k: tuple(v) for k, v in listings.items()},
        {k: tuple(v) for k, v in types.items()},
    )


def _page_texts(conn: sqlite3.Connection, revision_rows: list[int]) -> dict[int, str]:
    """Bodies of the hits, fetched after paging so the sort never carries whole texts."""
    params: Params = {}
    ids_in = in_list("id", revision_rows, params, "r")
    return {
        row[0]: row[1]
        for row in conn.execute(f"SELECT id, text FROM article_revisions WHERE {ids_in}", params)
    }


def _append_unique(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def snippet(text: str, terms: list[str], *, title: str | None = None) -> str:
    """About ``SNIPPET_CHARS`` characters of ``text`` around the first term found."""
    body = text
    if title and body.startswith(title):
        body = body[len(title):].lstrip()
    lowered = body.lower()
    hits = [i for i in (lowered.find(t.lower()) for t in terms) if i >= 0]
    start = max(0, min(hits) - SNIPPET_CHARS // 4) if hits else 0
    piece = " ".join(body[start:start + SNIPPET_CHARS].split())
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_CHARS < len(body) else ""
    return f"{prefix}{piece}{suffix}"


__all__ = ["SearchFilters", "count", "search", "snippet"]
