"""Named read queries. Each takes the ``:as_of`` text (see ``sql.py``) and returns typed rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from math import isqrt
from typing import Any

from tickerwire.model import Relevance
from tickerwire.store import issuer_index
from tickerwire.store.codec import (
    from_json,
    parse_instant,
    parse_optional_date,
    parse_optional_instant,
)
from tickerwire.store.connection import Connection, Row
from tickerwire.store.rows import (
    ArticleHead,
    EventRow,
    FactRow,
    IssuerArticle,
    MentionRow,
    QuarantineRow,
    StoredArticle,
    StoredExtraction,
)
from tickerwire.store.sql import (
    CHILD_FROM,
    CONTEXT_COLUMNS,
    VERDICT_COLUMNS,
    VERDICT_JOIN,
    VISIBLE_EXTRACTION_ID,
    VISIBLE_REVISION,
    Params,
    event_fields,
    fact_fields,
    in_batches,
    in_list,
    json_list_has,
    mention_fields,
    mentions_any,
    row_context,
    to_event,
    to_fact,
    to_index_mention,
    to_mention,
    to_sentiment,
)

_REVISION_COLUMNS = (
    "r.article_id, r.revision, r.content_hash, r.title, r.text, coalesce(r.lang, a.lang) AS lang,"
    " coalesce(r.origin, a.origin) AS origin, r.published_at, r.published_date_hk,"
    " r.date_source, r.first_seen_at AS revision_seen_at, r.metadata, a.url, a.source, a.format,"
    " a.first_seen_at AS article_seen_at"
)




def get_article(conn: Connection, article_id: str, as_of: str) -> StoredArticle | None:
    return get_articles(conn, [article_id], as_of).get(article_id)


def get_articles(
    conn: Connection, article_ids: Sequence[str], as_of: str
) -> dict[str, StoredArticle]:
    """The visible revisions of ``article_ids`` with their visible extractions, by id (ids with
    nothing visible are left out): seven queries per 500 ids, however many there are."""
    found: dict[str, StoredArticle] = {}
    ids = list(dict.fromkeys(article_ids))
    for chunk in in_batches(ids):
        params: Params = {"as_of": as_of}
        within = in_list("r.article_id", chunk, params, "a")
        rows = conn.execute(
            f"SELECT {_REVISION_COLUMNS}, {VISIBLE_EXTRACTION_ID} AS extraction_id"
            " FROM article_revisions r JOIN articles a ON a.id = r.article_id"
            f" WHERE {within} AND {VISIBLE_REVISION}",
            params,
        ).fetchall()
        extractions = load_extractions(
            conn, [row["extraction_id"] for row in rows if row["extraction_id"] is not None])
        for row in rows:
            found[row["article_id"]] = _stored_article(
                row, extraction=extractions.get(row["extraction_id"]))
    return found


def article_heads(
    conn: Connection, article_ids: Sequence[str], as_of: str
) -> dict[str, ArticleHead]:
    """The visible headers and tones of ``article_ids``, by id: one query per 500 ids."""
    found: dict[str, ArticleHead] = {}
    ids = list(dict.fromkeys(article_ids))
    for chunk in in_batches(ids):
        params: Params = {"as_of": as_of}
        within = in_list("r.article_id", chunk, params, "a")
        for row in conn.execute(
            f"SELECT {_HEAD_COLUMNS} FROM article_revisions r JOIN articles a ON a.id = r.article_id"
            f" LEFT JOIN extractions e ON e.id = {VISIBLE_EXTRACTION_ID}"
            f" WHERE {within} AND {VISIBLE_REVISION}",
            params,
        ):
            found[row["article_id"]] = _head(row)
    return found


# An ArticleHead's columns, from revision ``r``, article ``a`` and extraction ``e``.
_HEAD_COLUMNS = (
    "r.article_id AS article_id, r.title AS title, a.source AS source, a.url AS url,"
    " coalesce(r.lang, a.lang) AS lang, r.published_at AS published_at,"
    " r.published_date_hk AS published_date_hk, a.first_seen_at AS first_seen_at,"
    " e.id AS extraction_id, e.sentiment_score AS sentiment_score,"
    " e.sentiment_label AS sentiment_label, e.sentiment_by_subject AS sentiment_by_subject"
)


def _head(row: Row) -> ArticleHead:
    return ArticleHead(
        id=row["article_id"], title=row["title"], source=row["source"], url=row["url"],
        lang=row["lang"], published_at=parse_optional_instant(row["published_at"]),
        published_date_hk=parse_optional_date(row["published_date_hk"]),
        first_seen_at=parse_instant(row["first_seen_at"]),
        **_tone(row),
    )


def _tone(row: Row) -> dict[str, Any]:
    """An extraction's tone as ``to_sentiment`` reads it (no score: 0.0, no label: neutral)."""
    if row["extraction_id"] is None:
        return {"extracted": False, "sentiment_score": None, "sentiment_label": None}
    score = row["sentiment_score"]
    return {"extracted": True, "sentiment_score": 0.0 if score is None else score,
            "sentiment_label": row["sentiment_label"] or "neutral",
            "sentiment_by_subject": from_json(row["sentiment_by_subject"], {})}


def _stored_article(row: Row, *, extraction: StoredExtraction | None) -> StoredArticle:
    # Revisions are numbered 1, 2 … in first-seen order, so the visible one's number is also
    # how many revisions were visible.
    return StoredArticle(
        id=row["article_id"],
        revision=row["revision"],
        revisions=row["revision"],
        url=row["url"],
        source=row["source"],
        lang=row["lang"],
        format=row["format"],
        origin=row["origin"],
        title=row["title"],
        text=row["text"],
        content_hash=row["content_hash"],
        published_at=parse_optional_instant(row["published_at"]),
        published_date_hk=parse_optional_date(row["published_date_hk"]),
        date_source=row["date_source"],
        first_seen_at=parse_instant(row["article_seen_at"]),
        revision_seen_at=parse_instant(row["revision_seen_at"]),
        metadata=from_json(row["metadata"], {}),
        extraction=extraction,
    )


def load_extractions(
    conn: Connection, extraction_ids: Sequence[int]
) -> dict[int, StoredExtraction]:
    """The extractions ``extraction_ids`` with their children, by id, in five queries."""
    if not extraction_ids:
        return {}
    params: Params = {}
    within = in_list("extraction_id", extraction_ids, params, "e")

    def children(table: str) -> dict[int, list[Row]]:
        grouped: dict[int, list[Row]] = defaultdict(list)
        source = f"{table} x"
        columns = "x.*"
        if table == "facts":
            source += VERDICT_JOIN
            columns += f", {VERDICT_COLUMNS}"
        for row in conn.execute(
                f"SELECT {columns} FROM {source} WHERE x.{within} ORDER BY x.extraction_id, x.seq",
                params):
            grouped[row["extraction_id"]].append(row)
        return grouped

    mentions, indices, facts, events, errors = (children(table) for table in (
        "mentions", "index_mentions", "facts", "events", "extraction_errors"))
    rows = conn.execute(
        f"SELECT * FROM extractions WHERE {in_list('id', extraction_ids, params, 'e')}", params)
    return {
        row["id"]: StoredExtraction(
            id=row["id"],
            pipeline_version=row["pipeline_version"],
            extracted_at=parse_instant(row["extracted_at"]),
            mentions=tuple(to_mention(r) for r in mentions[row["id"]]),
            indices=tuple(to_index_mention(r) for r in indices[row["id"]]),
            facts=tuple(to_fact(r) for r in facts[row["id"]]),
            events=tuple(to_event(r) for r in events[row["id"]]),
            sentiment=to_sentiment(row),
            relevance=tuple(Relevance(**r) for r in from_json(row["relevance"], [])),
            errors=tuple(
                f"{r['component']}: {r['message']}" if r["component"] else r["message"]
                for r in errors[row["id"]]
            ),
        )
        for row in rows
    }


def _day_filters(
    where: list[str],
    params: Params,
    since: date | None,
    until: date | None,
    *,
    dated: bool = False,
    day: str = "r.published_date_hk",
) -> None:
    """Rows whose ``day`` lies in [since, until]: the article's published day, or for facts the
    day the fact is about. An undated article belongs to no day, so date filters leave it out."""
    if dated:  # facts and events are about a market day: an undated article has none
        where.append("r.published_date_hk IS NOT NULL")
    if since is not None:
        where.append(f"{day} >= :since")
        params["since"] = since.isoformat()
    if until is not None:
        where.append(f"{day} <= :until")
        params["until"] = until.isoformat()


def _of_extractions(where: list[str], params: Params, extraction_ids: Sequence[int] | None) -> None:
    """Rows of the extractions ``extraction_ids`` only (found by their extraction index)."""
    if extraction_ids is not None:
        where.append(in_list("x.extraction_id", extraction_ids, params, "x"))


def issuer_articles(
    conn: Connection,
    as_of: str,
    *,
    listings: Sequence[str],
    since: date | None,
    until: date | None,
    at_most: int | None = None,
) -> list[IssuerArticle]:
    """The header and tone, visible extraction and story of every article about ``listings``
    (with ``at_most``: of the newest that many), newest published first (undated last, most
    recently seen first): those whose visible extraction mentions one of them (the published
    day in [since, until]), and those stating a fact about one (the fact's day in range).
    Without day bounds, each listing's newest rows of the stock page's index, checked and read
    in one query (``issuer_index``); otherwise found by ``issuer_extractions``, then their
    headers, tones and stories read (their visibility is known by then)."""
    if at_most is not None and since is None and until is None:
        # The newest rows of the stock page's index, each checked and read in one query.
        return [article for _, article in issuer_index.newest_visible(
            conn, listings, at_most, lambda ids: _issuer_heads(conn, as_of, ids, check=True))]
    extraction_ids = issuer_extractions(conn, as_of, listings=listings, since=since, until=until,
                                        at_most=at_most)
    found = _issuer_heads(conn, as_of, extraction_ids, check=False)
    return [found[extraction_id] for extraction_id in extraction_ids]


def _issuer_heads(
    conn: Connection, as_of: str, extraction_ids: Sequence[int], *, check: bool
) -> dict[int, IssuerArticle]:
    """The header, tone and story of each of ``extraction_ids`` (with ``check``: of those
    visible at ``as_of`` only), 500 a query, each a primary-key search."""
    found: dict[int, IssuerArticle] = {}
    visible = f" AND {issuer_index.VISIBLE_THERE}" if check else ""
    for chunk in in_batches(extraction_ids):
        params: Params = {"as_of": as_of}
        within = in_list("e.id", chunk, params, "e")
        for row in conn.execute(
            f"SELECT {_HEAD_COLUMNS}, m.story_id AS story_id FROM extractions e"
            " JOIN article_revisions r ON r.article_id = e.article_id AND r.revision = e.revision"
            " JOIN articles a ON a.id = r.article_id"
            # The story the article had joined by then.
            " LEFT JOIN story_members m ON m.article_id = r.article_id AND m.joined_at <= :as_of"
            f" WHERE {within}{visible}",
            params,
        ):
            found[row["extraction_id"]] = IssuerArticle(
                _head(row), row["extraction_id"], row["story_id"])
    return found


def issuer_extractions(
    conn: Connection,
    as_of: str,
    *,
    listings: Sequence[str],
    since: date | None,
    until: date | None,
    at_most: int | None = None,
) -> list[int]:
    """The visible extractions of the articles about ``listings`` (see ``issuer_articles``),
    newest first; with ``at_most``, of the newest that many only.

    Two ways to find them, as a search list chooses (``search.leader``): from the listing and
    subject indexes (reading every match: cheap for a rarely named issuer), or walking the
    revisions newest first and testing each one's extraction by index, which stops after
    ``at_most`` (cheap for an issuer named in much of the store: 583,338 of a million articles
    for 00981.HK in the benchmark store). The walk reads about at_most × revisions / matches
    revisions, each costing about twice a match read from the indexes (measured at a million),
    so it is taken when the indexes hold more than sqrt(2 × at_most × revisions) rows for the
    listings, where the two costs meet. (Without day bounds ``issuer_articles`` reads neither
    way: the index of that name holds each listing's extractions in page order.)"""
    if at_most is None or not _many_matches(conn, listings, at_most):
        return _matched_extractions(conn, as_of, listings, since, until, at_most)
    return _walked_extractions(conn, as_of, listings, since, until, at_most)


def _issuer_conditions(
    listings: Sequence[str], params: Params, since: date | None, until: date | None,
) -> tuple[list[str], list[str]]:
    """The conditions of an article naming ``listings`` (``c``: its extraction listings) and
    of one stating a fact about them (``c``: its facts), each with its day filters."""
    named = [in_list("c.listing", listings, params, "l")]
    _day_filters(named, params, since, until)
    stated = [in_list("c.subject", listings, params, "s")]
    _day_filters(stated, params, since, until, dated=True, day="coalesce(c.day, r.published_date_hk)")
    return named, stated


def _many_matches(conn: Connection, listings: Sequence[str], at_most: int) -> bool:
    """Whether the listing and subject indexes hold more than the bound at which walking the
    revisions newest first is cheaper than reading every match (any revision's, counted up to
    the bound)."""
    newest_row = conn.execute("SELECT max(id) FROM article_revisions").fetchone()[0] or 0
    bound = max(at_most, isqrt(2 * at_most * int(newest_row)))
    params: Params = {"bound": bound + 1}
    rows = (
        "SELECT extraction_id FROM extraction_listings WHERE"
        f" {in_list('listing', listings, params, 'l')} UNION ALL"
        f" SELECT extraction_id FROM facts WHERE {in_list('subject', listings, params, 's')}"
    )
    found = conn.execute(f"SELECT count(*) FROM ({rows} LIMIT :bound) m", params).fetchone()[0]
    return int(found) > bound


# Extraction ``e`` is its revision's visible one (VISIBLE_EXTRACTION_ID), tested on ``e`` alone:
# PostgreSQL otherwise joins ``e = VISIBLE_EXTRACTION_ID(r)`` by hashing every revision.
_LATEST_EXTRACTION = (
    "e.extracted_at <= :as_of AND NOT EXISTS (SELECT 1 FROM extractions e3"
    " WHERE e3.article_id = e.article_id AND e3.revision = e.revision"
    " AND e3.extracted_at <= :as_of AND (e3.extracted_at > e.extracted_at"
    " OR (e3.extracted_at = e.extracted_at AND e3.id > e.id)))"
)


def _matched_extractions(
    conn: Connection, as_of: str, listings: Sequence[str], since: date | None,
    until: date | None, at_most: int | None,
) -> list[int]:
    """``issuer_extractions`` led by the listing and subject indexes."""
    params: Params = {"as_of": as_of}
    named, stated = _issuer_conditions(listings, params, since, until)
    selects = [
        "SELECT r.article_id AS article_id, e.id AS extraction_id,"
        " CASE WHEN r.published_at IS NULL THEN 1 ELSE 0 END AS undated,"
        f" coalesce(r.published_at, a.first_seen_at) AS newest FROM {source} c"
        # CROSS JOIN: the listing or subject index leads even where planner statistics call a
        # busy listing unselective (scanning every revision instead is far slower).
        " CROSS JOIN extractions e CROSS JOIN article_revisions r CROSS JOIN articles a"
        " WHERE e.id = c.extraction_id AND r.article_id = e.article_id"
        f" AND r.revision = e.revision AND a.id = r.article_id AND {_LATEST_EXTRACTION}"
        f" AND {VISIBLE_REVISION}"
        + "".join(f" AND {clause}" for clause in where)
        for source, where in (("extraction_listings", named), ("facts", stated))
    ]
    limit = ""
    if at_most is not None:
        limit, params["at_most"] = " LIMIT :at_most", at_most
    rows = conn.execute(
        " UNION ".join(selects) + " ORDER BY undated, newest DESC, article_id" + limit, params
    ).fetchall()
    return [int(row["extraction_id"]) for row in rows]


def _walked_extractions(
    conn: Connection, as_of: str, listings: Sequence[str], since: date | None,
    until: date | None, at_most: int,
) -> list[int]:
    """``issuer_extractions`` walking the revisions newest first (published time: the sort
    index), each tested by its extraction's listings and facts, until ``at_most`` are found;
    then, if there are fewer and no day bounds, the undated ones (most recently seen first)."""
    params: Params = {"as_of": as_of, "at_most": at_most}
    named, stated = _issuer_conditions(listings, params, since, until)
    about = (
        "(EXISTS (SELECT 1 FROM extraction_listings c WHERE c.extraction_id = e.id AND"
        f" {' AND '.join(named)}) OR EXISTS (SELECT 1 FROM facts c"
        f" WHERE c.extraction_id = e.id AND {' AND '.join(stated)}))"
    )
    walk = (
        # The sort index leads (ties in published time ordered by article id as they come).
        "SELECT e.id AS extraction_id FROM article_revisions r INDEXED BY article_revisions_sort"
        " JOIN articles a ON a.id = r.article_id"
        f" JOIN extractions e ON e.id = {VISIBLE_EXTRACTION_ID}"
        f" WHERE {VISIBLE_REVISION} AND {about} AND r.published_at IS {{dated}}"
        " ORDER BY {order}, r.article_id LIMIT :at_most"
    )
    found = [int(row[0]) for row in conn.execute(
        walk.format(dated="NOT NULL", order="r.sort_at DESC"), params)]
    if len(found) < at_most and since is None and until is None:
        params["at_most"] = at_most - len(found)
        found += [int(row[0]) for row in conn.execute(
            walk.format(dated="NULL", order="a.first_seen_at DESC"), params)]
    return found


def _child_select(table: str, where: Sequence[str], *, by_day: bool) -> str:
    """Rows of ``table`` (alias ``x``) with their visible context, filtered by ``where``.

    ``by_day``: the published-day index of article revisions leads (a day holds a few hundred
    articles, each an index search for its visible extraction and that extraction's rows);
    otherwise the child table's own indexes lead (kind and day, subject, listing) and each row's
    visibility is an index search. Either way no big table is scanned.
    """
    columns, join = (f", {VERDICT_COLUMNS}", VERDICT_JOIN) if table == "facts" else ("", "")
    extra = "".join(f" AND {clause}" for clause in where)
    select = f"SELECT {CONTEXT_COLUMNS}, r.sort_at AS sort_at, x.*{columns}"
    if by_day:
        return (
            f"{select} FROM article_revisions r INDEXED BY article_revisions_published"
            f" CROSS JOIN extractions e CROSS JOIN {table} x{join}"
            " JOIN articles a ON a.id = r.article_id"
            f" WHERE e.id = {VISIBLE_EXTRACTION_ID} AND {VISIBLE_REVISION}"
            f" AND x.extraction_id = e.id{extra}"
        )
    return f"{select} FROM {table} x{join}{CHILD_FROM}{extra}"


def _child_rows(conn: Connection, selects: Sequence[str], params: Params) -> list[Row]:
    """The rows of ``selects`` (one query), in article then position order."""
    return conn.execute(
        " UNION ALL ".join(selects) + " ORDER BY day_hk, sort_at, article_id, seq", params
    ).fetchall()


def fact_rows(
    conn: Connection,
    as_of: str,
    *,
    extraction_ids: Sequence[int] | None = None,
    kinds: Sequence[str] | None,
    subjects: Sequence[str] | None,
    since: date | None,
    until: date | None,
) -> list[FactRow]:
    """Facts about a market day in [since, until]: the day the fact states, else its article's
    published day. With a day bound that is two index-led parts: facts whose own day is in range
    (index on day and kind), and facts with no day of their own, found from the articles
    published in range."""
    where: list[str] = []
    params: Params = {"as_of": as_of}
    _of_extractions(where, params, extraction_ids)
    if kinds is not None:
        where.append(in_list("x.kind", kinds, params, "k"))
    if subjects is not None:
        where.append(in_list("x.subject", subjects, params, "s"))
    if (since is None and until is None) or extraction_ids is not None:
        _day_filters(where, params, since, until, dated=True,
                     day="coalesce(x.day, r.published_date_hk)")
        selects = [_child_select("facts", where, by_day=False)]
    else:
        own, inherited = [*where, "x.day IS NOT NULL"], [*where, "x.day IS NULL"]
        _day_filters(own, params, since, until, dated=True, day="x.day")
        _day_filters(inherited, params, since, until)
        selects = [_child_select("facts", own, by_day=False),
                   _child_select("facts", inherited, by_day=subjects is None)]
    return [
        FactRow(**row_context(row), **fact_fields(row))
        for row in _child_rows(conn, selects, params)
    ]


def event_rows(
    conn: Connection,
    as_of: str,
    *,
    extraction_ids: Sequence[int] | None = None,
    types: Sequence[str] | None,
    subjects: Sequence[str] | None,
    since: date | None,
    until: date | None,
) -> list[EventRow]:
    """Events of articles published in [since, until]. An event's subjects are the listings and
    indices its extraction mentions, so ``subjects`` is answered from those indexes first."""
    where: list[str] = []
    params: Params = {"as_of": as_of}
    _of_extractions(where, params, extraction_ids)
    if types is not None:
        where.append(in_list("x.type", types, params, "t"))
    if subjects is not None:
        if extraction_ids is None:  # lead by the subjects' indexes (else by the extractions')
            where.append(
                f"({mentions_any(subjects, params, 'x.extraction_id')} OR x.extraction_id IN"
                " (SELECT im.extraction_id FROM index_mentions im"
                f" WHERE {in_list('im.index_id', subjects, params, 'i')}))"
            )
        where.append(json_list_has("x.subjects", subjects, params, "s"))
    _day_filters(where, params, since, until, dated=True)
    by_day = extraction_ids is None and subjects is None and (since or until) is not None
    return [
        EventRow(**row_context(row), **event_fields(row))
        for row in _child_rows(conn, [_child_select("events", where, by_day=by_day)], params)
    ]


def mention_rows(
    conn: Connection,
    as_of: str,
    *,
    extraction_ids: Sequence[int] | None = None,
    listings: Sequence[str] | None,
    since: date | None,
    until: date | None,
) -> list[MentionRow]:
    where: list[str] = []
    params: Params = {"as_of": as_of}
    _of_extractions(where, params, extraction_ids)
    if listings is not None:
        direct = in_list("x.listing", listings, params, "l")
        if extraction_ids is None:  # lead by the listings' index (else by the extractions')
            where.append(mentions_any(listings, params, "x.extraction_id"))
        where.append(f"({direct} OR {json_list_has('x.listings', listings, params, 'm')})")
    _day_filters(where, params, since, until)
    by_day = extraction_ids is None and listings is None and (since or until) is not None
    return [
        MentionRow(**row_context(row), **mention_fields(row))
        for row in _child_rows(conn, [_child_select("mentions", where, by_day=by_day)], params)
    ]


_VISIBLE_EXTRACTIONS = (
    f"SELECT {VISIBLE_EXTRACTION_ID} AS eid FROM article_revisions r WHERE {VISIBLE_REVISION}"
)


def stats(conn: Connection, as_of: str) -> dict[str, int]:
    row = conn.execute(
        f"WITH cur AS ({_VISIBLE_EXTRACTIONS}) SELECT"
        " (SELECT count(DISTINCT article_id) FROM article_revisions"
        "   WHERE first_seen_at <= :as_of) AS articles,"
        " (SELECT count(*) FROM stories WHERE first_seen_at <= :as_of) AS stories,"
        " (SELECT count(*) FROM article_revisions WHERE first_seen_at <= :as_of) AS revisions,"
        " (SELECT count(*) FROM extractions WHERE extracted_at <= :as_of) AS extractions,"
        " (SELECT count(*) FROM mentions WHERE extraction_id IN (SELECT eid FROM cur)) AS mentions,"
        " (SELECT count(*) FROM facts WHERE extraction_id IN (SELECT eid FROM cur)) AS facts,"
        " (SELECT count(*) FROM events WHERE extraction_id IN (SELECT eid FROM cur)) AS events,"
        " (SELECT count(DISTINCT extraction_id) FROM extraction_errors"
        "   WHERE extraction_id IN (SELECT eid FROM cur)) AS incomplete_extractions,"
        " (SELECT count(*) FROM quarantine WHERE first_seen_at <= :as_of) AS quarantined",
        {"as_of": as_of},
    ).fetchone()
    return {key: int(row[key]) for key in row.keys()}  # noqa: SIM118 (a Row iterates values)


def quarantined(conn: Connection, limit: int, offset: int) -> list[QuarantineRow]:
    rows = conn.execute(
        "SELECT * FROM quarantine ORDER BY last_seen_at DESC, id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [
        QuarantineRow(
            id=row["id"],
            origin=row["origin"],
            reason=row["reason"],
            detail=row["detail"],
            content_sha256=row["content_sha256"],
            size_bytes=row["size_bytes"],
            first_seen_at=parse_instant(row["first_seen_at"]),
            last_seen_at=parse_instant(row["last_seen_at"]),
            count=row["count"],
        )
        for row in rows
    ]


def days(conn: Connection, as_of: str) -> list[date]:
    """The days the news is dated to, newest first (an undated article has no market day).

    A skip scan of the published-day index: each step seeks the next earlier day, so the cost
    grows with the number of days, not of articles; a day counts when one of its revisions is
    visible (an index search that stops at the first).
    """
    rows = conn.execute(
        "WITH RECURSIVE d(day) AS (SELECT max(published_date_hk) FROM article_revisions"
        " UNION ALL SELECT (SELECT max(x.published_date_hk) FROM article_revisions x"
        " WHERE x.published_date_hk < d.day) FROM d WHERE d.day IS NOT NULL)"
        " SELECT d.day FROM d WHERE d.day IS NOT NULL AND EXISTS (SELECT 1 FROM article_revisions r"
        f" INDEXED BY article_revisions_published WHERE r.published_date_hk = d.day AND {VISIBLE_REVISION})"
        " ORDER BY d.day DESC",
        {"as_of": as_of},
    ).fetchall()
    return [date.fromisoformat(row[0]) for row in rows]


def latest_day(
    conn: Connection, as_of: str, *, kinds: Sequence[str] | None, until: date | None = None
) -> date | None:
    """The latest published Hong Kong day (up to ``until``) of a visible article, or with
    ``kinds`` of a visible article whose visible extraction has a fact of one of those kinds.

    Walks the published-day index newest first and stops at the first qualifying article, each
    test an index search of its extraction's facts: no scan of the facts table.
    """
    params: Params = {"as_of": as_of}
    has_fact = ""
    if kinds is not None:
        has_fact = (f" AND EXISTS (SELECT 1 FROM facts x WHERE x.extraction_id ="
                    f" {VISIBLE_EXTRACTION_ID} AND {in_list('x.kind', kinds, params, 'k')})")
    bound = ""
    if until is not None:
        bound = " AND r.published_date_hk <= :until"
        params["until"] = until.isoformat()
    row = conn.execute(
        "SELECT r.published_date_hk FROM article_revisions r INDEXED BY article_revisions_published"
        f" WHERE r.published_date_hk IS NOT NULL{bound} AND {VISIBLE_REVISION}{has_fact}"
        " ORDER BY r.published_date_hk DESC LIMIT 1",
        params,
    ).fetchone()
    return None if row is None else date.fromisoformat(row[0])


def next_day(conn: Connection, as_of: str, *, after: date) -> date | None:
    """The earliest published Hong Kong day after ``after`` of a visible article (the
    published-day index walked oldest first from ``after``)."""
    row = conn.execute(
        "SELECT r.published_date_hk FROM article_revisions r INDEXED BY article_revisions_published"
        f" WHERE r.published_date_hk > :after AND {VISIBLE_REVISION}"
        " ORDER BY r.published_date_hk LIMIT 1",
        {"as_of": as_of, "after": after.isoformat()},
    ).fetchone()
    return None if row is None else date.fromisoformat(row[0])


def current_page(
    conn: Connection,
    as_of: str,
    *,
    after: str,
    limit: int,
    unless_version: str | None,
    since: date | None = None,
    until: date | None = None,
    listings: Sequence[str] | None = None,
) -> list[StoredArticle]:
    """Up to ``limit`` visible revisions with article id > ``after``, in id order.

    With ``unless_version``, skip articles whose visible extraction has that pipeline version;
    ``since``/``until`` keep articles published on those Hong Kong days (inclusive), and
    ``listings`` those whose visible extraction mentions an issuer with one of the codes.
    """
    params: dict[str, Any] = {"as_of": as_of, "after": after, "limit": limit}
    where: list[str] = []
    if unless_version is not None:
        params["version"] = unless_version
        where.append(
            "coalesce((SELECT e.pipeline_version FROM extractions e"
            f" WHERE e.id = {VISIBLE_EXTRACTION_ID}), '') != :version"
        )
    _day_filters(where, params, since, until)
    if listings is not None:
        where.append(mentions_any(listings, params, VISIBLE_EXTRACTION_ID))
    stale = "".join(f" AND {clause}" for clause in where)
    rows = conn.execute(
        f"SELECT {_REVISION_COLUMNS} FROM article_revisions r JOIN articles a"
        f" ON a.id = r.article_id WHERE r.article_id > :after AND {VISIBLE_REVISION}{stale}"
        " ORDER BY r.article_id LIMIT :limit",
        params,
    ).fetchall()
    return [_stored_article(row, extraction=None) for row in rows]


def iter_current(
    conn: Connection, as_of: str, *, unless_version: str | None, page: int = 500
) -> Iterator[StoredArticle]:
    """Every visible revision, fetched a page at a time (no cursor stays open while yielding)."""
    after = ""
    while True:
        batch = current_page(conn, as_of, after=after, limit=page, unless_version=unless_version)
        yield from batch
        if len(batch) < page:
            return
        after = batch[-1].id
