"""Which extractions are about each listing, newest first: the stock page's index (migration 18).

``issuer_articles`` holds one row per extraction and listing it is about (a listing its mentions
name, ``extraction_listings``, or the subject of one of its facts) with its order on a stock
page: dated before undated, then the revision's publication time (an undated one: the article's
first-seen time), newest first, then the article id. A page reads each listing's rows in that
order from the index and checks the visibility of those it reads, so its cost follows the page,
not how many articles name the issuer. Before, every matching row was read, joined and sorted:
540 ms of CPU for a stock page of a middling issuer (27,778 rows) at a million articles.

Rows are never updated: a revision's publication time and an article's first-seen time do not
change once stored, and a row goes with its extraction (``ON DELETE CASCADE``). The writer,
PostgreSQL's bulk load and the migration's backfill all fill it with ``fill``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from tickerwire.store.connection import Connection
from tickerwire.store.sql import VISIBLE_EXTRACTION_ID, VISIBLE_REVISION, Params, in_batches, in_list

MIGRATION = (
    """CREATE TABLE issuer_articles (
        listing       TEXT NOT NULL,
        undated       INTEGER NOT NULL,
        newest        TEXT NOT NULL,
        article_id    TEXT NOT NULL,
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE
    )""",
    "CREATE UNIQUE INDEX issuer_articles_order"
    " ON issuer_articles(listing, undated, newest DESC, article_id, extraction_id)",
    "CREATE INDEX issuer_articles_extraction ON issuer_articles(extraction_id)",
)

SLACK = 16  # rows read past a page's end: a few of them are extractions no longer visible
# Extraction ``e`` of revision ``r`` (joined on article and revision) is what a reader sees.
VISIBLE_THERE = f"{VISIBLE_REVISION} AND e.id = {VISIBLE_EXTRACTION_ID}"
T = TypeVar("T")

_FILL = (
    "INSERT INTO issuer_articles(listing, undated, newest, article_id, extraction_id)"
    " SELECT c.listing, CASE WHEN r.published_at IS NULL THEN 1 ELSE 0 END,"
    " coalesce(r.published_at, a.first_seen_at), e.article_id, e.id"
    " FROM (SELECT extraction_id, listing FROM extraction_listings{listed} UNION"
    " SELECT extraction_id, subject FROM facts WHERE subject IS NOT NULL{stated}) c"
    " JOIN extractions e ON e.id = c.extraction_id"
    " JOIN article_revisions r ON r.article_id = e.article_id AND r.revision = e.revision"
    " JOIN articles a ON a.id = e.article_id"
)


def fill(conn: Connection, extraction_ids: Sequence[int] | None) -> None:
    """Add the rows of ``extraction_ids`` (their listings and fact subjects must be stored
    already), or of every stored extraction with None (the backfill)."""
    if extraction_ids is None:
        conn.execute(_FILL.format(listed="", stated=""))
        return
    for chunk in in_batches(extraction_ids):
        params: Params = {}
        ids = in_list("extraction_id", chunk, params, "x")
        conn.execute(_FILL.format(listed=f" WHERE {ids}", stated=f" AND {ids}"), params)


def backfill(conn: Connection) -> None:
    """Index the extractions stored before the index existed (migration 18)."""
    fill(conn, None)


Entry = tuple[int, str, str, int]  # undated, newest, article_id, extraction_id


def _in_order(entries: set[Entry]) -> list[Entry]:
    """``entries`` in the index's order (``issuer_articles_order``): three stable sorts, the
    last key first, as the newest-first key has no ascending form to put in one tuple."""
    ordered = sorted(entries, key=lambda entry: (entry[2], entry[3]))
    ordered.sort(key=lambda entry: entry[1], reverse=True)  # stable: ties keep their order
    ordered.sort(key=lambda entry: entry[0])
    return ordered


def newest_visible(
    conn: Connection, listings: Sequence[str], at_most: int,
    visible: Callable[[list[int]], Mapping[int, T]],
) -> list[tuple[int, T]]:
    """The visible extractions of the newest ``at_most`` articles about ``listings``, in
    stock-page order (dated first, newest first, then by article id), each with what
    ``visible`` gives for it: ``visible`` is given the ids read and returns the visible ones
    (a stock page reads their headers in the query that checks them).

    Reads each listing's first rows from the index and merges them; the merge is exact up to
    the last row read of any listing that had more, and is read further (four times as many
    rows) while fewer than ``at_most`` of those rows are visible."""
    wanted = at_most + SLACK
    while True:
        read: set[Entry] = set()
        lasts: list[Entry] = []  # the last row read of each listing that has more
        for listing in sorted(set(listings)):
            rows: list[Entry] = [
                (int(row[0]), str(row[1]), str(row[2]), int(row[3])) for row in conn.execute(
                    "SELECT undated, newest, article_id, extraction_id FROM issuer_articles"
                    " WHERE listing = ? ORDER BY undated, newest DESC, article_id, extraction_id"
                    " LIMIT ?", (listing, wanted))
            ]
            read.update(rows)
            if len(rows) == wanted:
                lasts.append(rows[-1])
        ordered = _in_order(read)
        if lasts:  # exact up to the first of those rows
            position = {entry: i for i, entry in enumerate(ordered)}
            ordered = ordered[: min(position[last] for last in lasts) + 1]
        shown = visible(sorted({entry[3] for entry in ordered}))
        found = [(extraction_id, shown[extraction_id]) for extraction_id
                 in dict.fromkeys(entry[3] for entry in ordered) if extraction_id in shown]
        if len(found) >= at_most or not lasts:
            return found[:at_most]
        wanted *= 4
