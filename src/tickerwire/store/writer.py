"""Writes: article revisions with their extractions and search text, plus the quarantine.

Every function here runs inside a transaction opened by ``transaction``; nothing commits on its
own, so a process killed at any point leaves either the whole article or none of it. A batch of
articles shares one transaction, each article inside its own savepoint (``savepoint``): one
article the database refuses is rolled back alone and the others are kept.

The full-text index is filled here, not by a trigger. Everything writing an article needs that
does not need the database — its id and content hash, the folded search text, the JSON of its
metadata and every row of its extraction — is computed by ``prepare_article``, wherever the
article was extracted: a parallel ingest prepares in its worker processes and the one writer
only runs the statements.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from tickerwire.model import Article, Extraction
from tickerwire.store import grams, ipo_index, issuer_index, prices
from tickerwire.store.codec import hk_date, parse_instant, to_json, utc_text
from tickerwire.store.connection import Connection
from tickerwire.store.rows import (
    ExtractionRows,
    IngestOutcome,
    IngestStatus,
    PreparedArticle,
    SearchText,
)
from tickerwire.store.schema import begin
from tickerwire.store.sql import Params, in_batches, in_list

SearchRow = tuple[int, str | None, str]  # a revision's id, folded title and folded text


@contextmanager
def transaction(conn: Connection) -> Iterator[None]:
    """A write transaction … ``COMMIT``; roll back on any exception, including interrupts."""
    begin(conn)
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextmanager
def savepoint(conn: Connection, name: str = "article") -> Iterator[None]:
    """A nested unit inside an open transaction: released on success, rolled back (and the
    transaction kept) on any exception, which is then re-raised."""
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {name}")


def latest_revisions(conn: Connection, article_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """(revision, content_hash) of the newest revision of each stored id among ``article_ids``."""
    found: dict[str, tuple[int, str]] = {}
    unique = sorted(set(article_ids))
    for chunk in in_batches(unique):
        params: Params = {}
        ids = in_list("article_id", chunk, params, "a")
        for row in conn.execute(
            f"SELECT article_id, revision, content_hash FROM article_revisions WHERE {ids}",
            params,
        ):
            key, revision = str(row[0]), int(row[1])
            if key not in found or found[key][0] < revision:
                found[key] = (revision, str(row[2]))
    return found


def latest_revision(conn: Connection, article_id: str) -> tuple[int, str, str] | None:
    """(revision, content_hash, first_seen_at) of the newest revision, or None."""
    row = conn.execute(
        "SELECT revision, content_hash, first_seen_at FROM article_revisions "
        "WHERE article_id = ? ORDER BY revision DESC LIMIT 1",
        (article_id,),
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]), str(row[2]))


def prepare_article(
    article: Article, extraction: Extraction | None, *, minhash: tuple[int, ...] | None = None
) -> PreparedArticle:
    """Everything writing ``article`` needs that does not need the database: the one place rows
    are built, whether the writer or a worker process calls it (``minhash``: story matching's,
    computed by the caller)."""
    return PreparedArticle(
        article, extraction, article.id, article.content_hash, SearchText.of(article),
        to_json(article_metadata(article)),
        None if extraction is None else extraction_rows(extraction, article_day(article)), minhash,
    )


def ingest_article(
    conn: Connection,
    article: Article,
    extraction: Extraction | None,
    now: str,
    *,
    extracted_at: str | None = None,
) -> IngestOutcome:
    """Store a new article or revision seen at ``now`` with its extraction (made at
    ``extracted_at``, default ``now``), its facts checked against prices; nothing when the latest
    revision has the same content."""
    entry = prepare_article(article, extraction)
    return write_prepared(conn, entry, latest_revision(conn, entry.article_id), now,
                          extracted_at=extracted_at)


def write_prepared(
    conn: Connection,
    entry: PreparedArticle,
    latest: tuple[int, str, str] | None,
    now: str,
    *,
    extracted_at: str | None = None,
    verify: bool = True,
    search_rows: list[SearchRow] | None = None,
) -> IngestOutcome:
    """Write ``entry`` given its id's ``latest_revision`` (unchanged content writes nothing).

    ``verify=False`` leaves checking the facts against prices to the caller
    (``prices.refresh_verdicts`` of many extractions at once); ``search_rows`` collects the new
    revision's search index row for the caller to write (``insert_search_rows``) instead of
    writing it here."""
    article_id = entry.article_id
    if latest is not None and latest[1] == entry.content_hash:
        return IngestOutcome(article_id, latest[0], "unchanged")
    status: IngestStatus
    if latest is None:
        _insert_article(conn, article_id, entry.article, now)
        revision, status = 1, "new"
    else:
        revision, status = latest[0] + 1, "revised"
        now = max(now, latest[2])  # a revision is never seen before the one it replaces
    search = _insert_revision(conn, revision, entry, now)
    if search_rows is None:
        insert_search_rows(conn, [search])
    else:
        search_rows.append(search)
    extraction_id = None
    if entry.rows is not None:
        extraction_id = insert_extraction_rows(conn, article_id, revision, entry.rows,
                                               max(now, extracted_at or now), verify=verify)
    return IngestOutcome(article_id, revision, status, extraction_id)


def _insert_article(conn: Connection, article_id: str, article: Article, now: str) -> None:
    conn.execute(
        "INSERT INTO articles(id, url, source, lang, format, origin, first_seen_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (article_id, article.url, article.source, article.lang, article.format,
         article.origin, now),
    )


def _insert_revision(
    conn: Connection, revision: int, entry: PreparedArticle, now: str
) -> SearchRow:
    """Insert the revision; return its search index row (not written yet)."""
    article = entry.article
    published = article.published_at
    published_day = article_day(article)
    day = published_day or hk_date(parse_instant(now)).isoformat()
    published_text = utc_text(published) if published is not None else None
    row = conn.execute(
        "INSERT INTO article_revisions(article_id, revision, content_hash, lang, origin, "
        "published_at, published_date_hk, day_hk, sort_at, first_seen_at, title, text, "
        "metadata, date_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            entry.article_id, revision, entry.content_hash, article.lang, article.origin,
            published_text, published_day, day, published_text or now, now, article.title,
            article.text, entry.metadata,
            article.date_source or ("none" if published is None else None),
        ),
    ).fetchone()
    return int(row[0]), entry.search.title, entry.search.text


def insert_search_rows(conn: Connection, rows: Sequence[SearchRow]) -> None:
    """Index revisions for search: (revision id, folded title, folded text) each.

    A batch writes its rows last, in one statement. Every write statement after an FTS5 insert
    in the same transaction makes SQLite flush FTS5's pending terms to a new segment (FTS5
    takes a savepoint per statement), so an insert per article costs a segment and its merging
    per article: about 0.7 ms of an article's write, measured."""
    if not rows:
        return
    conn.executemany("INSERT INTO revisions_fts(rowid, title, text) VALUES (?, ?, ?)", rows)
    if conn.dialect.name == "postgresql":
        conn.executemany(grams.INSERT, grams.rows(rows))


def article_metadata(article: Article) -> dict[str, Any]:
    """The per-revision fields that have no column of their own."""
    return {
        "source_id": article.source_id,
        "locale": article.locale,
        "description": article.description,
        "author": article.author,
        "related_stocks": list(article.related_stocks),
        "related_news": [{"text": link.text, "url": link.url} for link in article.related_news],
        "locales": [{"text": link.text, "url": link.url} for link in article.locales],
        "meta": article.meta,
    }


def revision_seen_at(conn: Connection, article_id: str, revision: int) -> str | None:
    row = conn.execute(
        "SELECT first_seen_at FROM article_revisions WHERE article_id = ? AND revision = ?",
        (article_id, revision),
    ).fetchone()
    return None if row is None else str(row[0])


def insert_extraction(
    conn: Connection, article_id: str, revision: int, extraction: Extraction, now: str,
    *, verify: bool = True,
) -> int:
    """Insert one extraction and its mentions, indices, facts and events; return its id.
    ``verify`` checks its facts against the stored prices at once."""
    rows = extraction_rows(extraction, published_day(conn, article_id, revision))
    return insert_extraction_rows(conn, article_id, revision, rows, now, verify=verify)


def insert_extraction_rows(
    conn: Connection, article_id: str, revision: int, rows: ExtractionRows, now: str,
    *, verify: bool = True,
) -> int:
    """``insert_extraction`` of an extraction's ``extraction_rows``."""
    row = conn.execute(
        "INSERT INTO extractions(article_id, revision, pipeline_version, extracted_at, "
        "sentiment_score, sentiment_label, sentiment_by_subject, sentiment_labels, "
        "sentiment_evidence, relevance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        rows.extraction_row(article_id, revision, now),
    ).fetchone()
    extraction_id = int(row[0])
    for table, found in rows.child_rows(extraction_id).items():
        if found:
            conn.executemany(_CHILD_INSERTS[table], found)
    issuer_index.fill(conn, [extraction_id])
    if verify:
        prices.refresh_verdicts(conn, now, extraction_ids=[extraction_id])
    return extraction_id


# The rows an extraction adds besides its own, table by table, and the columns they fill (a bulk
# load on PostgreSQL copies the same rows: ``postgres.bulk_load``).
CHILD_COLUMNS: dict[str, tuple[str, ...]] = {
    "mentions": ("extraction_id", "seq", "issuer", "name", "listing", "listings", "text", "start",
                 "end", "confidence", "via", "role"),
    "extraction_listings": ("extraction_id", "listing"),
    "index_mentions": ("extraction_id", "seq", "index_id", "text", "start", "end"),
    "facts": ("extraction_id", "seq", "kind", "subject", "value", "pct", "points", "price",
              "currency", "qualifier", "text", "start", "end", "value_max", "horizon", "day",
              "previous"),
    "extraction_errors": ("extraction_id", "seq", "component", "message"),
    "events": ("extraction_id", "seq", "type", "subjects", "text", "start", "end", "attributes"),
    "ipo_companies": ("extraction_id", *ipo_index.COLUMNS),
}
_CHILD_INSERTS = {
    table: "INSERT INTO {}({}) VALUES ({})".format(
        table, ", ".join(f'"{c}"' for c in columns), ", ".join("?" for _ in columns))
    for table, columns in CHILD_COLUMNS.items()
}


def published_day(conn: Connection, article_id: str, revision: int) -> str | None:
    """The Hong Kong day revision ``revision`` of ``article_id`` was published (None: undated)."""
    row = conn.execute(
        "SELECT published_date_hk FROM article_revisions WHERE article_id = ? AND revision = ?",
        (article_id, revision),
    ).fetchone()
    return None if row is None else row[0]


def article_day(article: Article) -> str | None:
    """The Hong Kong day ``article`` was published (its revision's ``published_date_hk``)."""
    published = article.published_at
    return hk_date(published).isoformat() if published is not None else None


def extraction_rows(extraction: Extraction, published_day: str | None) -> ExtractionRows:
    """The rows ``extraction`` of an article published on ``published_day`` adds: its own and its
    mentions, listings, indices, facts, errors and events and the IPO index's rows
    (``CHILD_COLUMNS`` tables)."""
    sentiment = extraction.sentiment
    listings = sorted({code for m in extraction.mentions for code in (m.listing, *m.listings)})
    return ExtractionRows(extraction.pipeline_version, (
        sentiment.score, sentiment.label, to_json(sentiment.by_subject), to_json(sentiment.labels),
        to_json({k: [e.to_dict() for e in v] for k, v in sentiment.evidence.items()}),
        to_json([r.to_dict() for r in extraction.relevance]),
    ), {
        "mentions": [
            (seq, m.issuer, m.name, m.listing, to_json(list(m.listings)), m.text, m.start,
             m.end, m.confidence, m.via, m.role)
            for seq, m in enumerate(extraction.mentions)
        ],
        "extraction_listings": [(code,) for code in listings],
        "index_mentions": [
            (seq, i.index, i.text, i.start, i.end) for seq, i in enumerate(extraction.indices)
        ],
        "facts": [
            (seq, f.kind, f.subject, f.value, f.pct, f.points, f.price, f.currency,
             f.qualifier, f.text, f.start, f.end, f.value_max, f.horizon,
             f.day.isoformat() if f.day else None, f.previous)
            for seq, f in enumerate(extraction.facts)
        ],
        "extraction_errors": [
            (seq, *_component_and_message(error)) for seq, error in enumerate(extraction.errors)
        ],
        "events": [
            (seq, e.type, to_json(list(e.subjects)), e.text, e.start, e.end,
             to_json(dict(e.attributes)))
            for seq, e in enumerate(extraction.events)
        ],
        "ipo_companies": ipo_index.rows(extraction, published_day),
    })


def _component_and_message(error: str) -> tuple[str, str]:
    """``("facts", "ValueError: …")`` for ``"facts: ValueError: …"`` (the pipeline's form)."""
    component, sep, message = error.partition(": ")
    return (component, message) if sep else ("", error)


def quarantine(
    conn: Connection,
    origin: str,
    reason: str,
    detail: str,
    *,
    sha256: str | None,
    size: int | None,
    now: str,
) -> int:
    """Record a bad document; the same origin, reason and content again bumps its count."""
    row = conn.execute(
        "SELECT id, last_seen_at FROM quarantine WHERE origin = ? AND reason = ? "
        "AND coalesce(content_sha256, '') = ?",
        (origin, reason, sha256 or ""),
    ).fetchone()
    if row is not None:
        conn.execute(
            "UPDATE quarantine SET detail = ?, last_seen_at = ?, "
            "count = count + 1, size_bytes = coalesce(?, size_bytes) WHERE id = ?",
            (detail, max(str(row[1]), now), size, row[0]),
        )
        return int(row[0])
    inserted = conn.execute(
        "INSERT INTO quarantine(origin, reason, detail, content_sha256, size_bytes, "
        "first_seen_at, last_seen_at, count) VALUES (?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
        (origin, reason, detail, sha256, size, now, now),
    ).fetchone()
    return int(inserted[0])
