"""The IPO pipeline's index: which company each IPO report is about, and on which day.

An IPO event names its company in its attributes (``subject``: a listing code, else
``company``: the name its sentence starts with), and an ``ipo_raise`` fact in its ``subject``.
``ipo_companies`` holds one row per such event or fact: the company key (the code, or
``name:`` + the casefolded name), the market day (the event's article's published day, the fact's
own day else its article's) and where the row is (extraction, ``event`` or ``fact``, position).
Undated reports have no market day and no row: the pipeline reads dated news only.

The writer adds the rows with their extraction (``rows``), migration 16 fills them for what was
stored before (``backfill``), and the reads below find a window's companies and one company's
latest reports through the index, each row's visibility an index search: the cost follows the
rows read, not the size of the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from tickerwire.model import Extraction
from tickerwire.store.codec import from_json
from tickerwire.store.connection import Connection
from tickerwire.store.rows import EventRow, FactRow
from tickerwire.store.sql import (
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
    row_context,
)
from tickerwire.taxonomy import event_types

COLUMNS = ("company", "day", "part", "seq")  # and extraction_id, which the writer adds
RAISE_KIND = "ipo_raise"
IPO_TYPES = event_types("ipo")  # the event types whose attributes name a company
_BATCH = 2_000


def event_company(attributes: Mapping[str, Any]) -> str | None:
    """The company key of an event's attributes: its subject code, else ``name:`` + its
    casefolded company name, else None."""
    subject, name = attributes.get("subject"), attributes.get("company")
    if isinstance(subject, str):
        return subject
    if isinstance(name, str):
        return "name:" + name.casefold()
    return None


def rows(extraction: Extraction, published_day: str | None) -> list[tuple[object, ...]]:
    """The index rows of ``extraction`` of an article published on ``published_day`` (columns
    ``COLUMNS``: the writer adds the extraction's id)."""
    out: list[tuple[object, ...]] = []
    if published_day is not None:
        for seq, event in enumerate(extraction.events):
            if event.type in IPO_TYPES and (company := event_company(event.attributes)):
                out.append((company, published_day, "event", seq))
    for seq, fact in enumerate(extraction.facts):
        day = fact.day.isoformat() if fact.day else published_day
        if fact.kind == RAISE_KIND and fact.subject and day is not None:
            out.append((fact.subject, day, "fact", seq))
    return out


def backfill(conn: Connection) -> None:
    """Index the IPO events and raises stored before the index existed (migration 16)."""
    events = conn.execute(
        "SELECT x.extraction_id, x.seq, x.attributes, r.published_date_hk FROM events x"
        " JOIN extractions e ON e.id = x.extraction_id"
        " JOIN article_revisions r ON r.article_id = e.article_id AND r.revision = e.revision"
        f" WHERE x.type IN ({', '.join('?' for _ in IPO_TYPES)})"
        " AND r.published_date_hk IS NOT NULL",
        IPO_TYPES,
    ).fetchall()
    found: list[tuple[object, ...]] = []
    for extraction_id, seq, attributes, day in events:
        if (company := event_company(from_json(attributes, {}))) is not None:
            found.append((extraction_id, company, day, "event", seq))
    insert(conn, found)
    conn.execute(
        "INSERT INTO ipo_companies(company, day, extraction_id, part, seq)"
        " SELECT x.subject, coalesce(x.day, r.published_date_hk), x.extraction_id, 'fact', x.seq"
        " FROM facts x JOIN extractions e ON e.id = x.extraction_id"
        " JOIN article_revisions r ON r.article_id = e.article_id AND r.revision = e.revision"
        " WHERE x.kind = ? AND x.subject IS NOT NULL"
        " AND coalesce(x.day, r.published_date_hk) IS NOT NULL",
        (RAISE_KIND,),
    )


def insert(conn: Connection, found: Sequence[tuple[object, ...]]) -> None:
    """Insert index rows (extraction_id, then ``COLUMNS``)."""
    columns = ("extraction_id", *COLUMNS)
    marks = ", ".join("?" for _ in columns)
    for chunk in in_batches(found, _BATCH):
        conn.executemany(f"INSERT INTO ipo_companies({', '.join(columns)}) VALUES ({marks})",
                         chunk)


def _visible(joined: str = "") -> str:
    """FROM … WHERE of the visible index rows ``c`` (extraction ``e``, revision ``r``, each an
    index search) and of the tables ``joined`` to them."""
    return (
        " CROSS JOIN extractions e CROSS JOIN article_revisions r" + joined
        + " WHERE e.id = c.extraction_id AND r.article_id = e.article_id"
        f" AND r.revision = e.revision AND {VISIBLE_REVISION} AND e.id = {VISIBLE_EXTRACTION_ID}"
    )


def _window(where: list[str], params: Params, since: date | None, until: date | None) -> None:
    if since is not None:
        where.append("c.day >= :since")
        params["since"] = since.isoformat()
    if until is not None:
        where.append("c.day <= :until")
        params["until"] = until.isoformat()


_INDEX = "ipo_companies c INDEXED BY ipo_companies_company"
_NEWEST = " ORDER BY c.day DESC, c.extraction_id DESC, c.seq DESC"
# On PostgreSQL a read takes a company's first index rows (this many per row it wants) before
# joining them: most reports are visible, so the first few suffice, and a read that finds too
# few among them reads every row (the exact path). Given every row at once, PostgreSQL's
# estimates for the visibility joins make it join and sort them all (17,800 rows for the
# benchmark's five companies). SQLite walks the index in order and stops at the rows it needs
# (INDEXED BY), so it takes the exact path at once.
_WALK_FACTOR = 4
_OUTER_ALIAS = re.compile(r"\bc\.")
T = TypeVar("T")


def _rows(where: str, *, first: bool, order: str = _NEWEST) -> tuple[str, str]:
    """(FROM source, extra WHERE) of the index rows ``c`` matching ``where``: with ``first``
    only the first ``:cap`` of them in ``order``, read before anything is joined to them, else
    all of them."""
    if first:
        inner = _OUTER_ALIAS.sub("i.", f"WHERE {where}{order}")
        return (f"(SELECT i.* FROM ipo_companies i INDEXED BY ipo_companies_company {inner}"
                " LIMIT :cap) AS c", "")
    return (_INDEX, f" AND {where}")


def _first_rows_first(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _more_than_first(conn: Connection, where: str, params: Params) -> bool:
    """Whether the first ``:cap`` index rows matching ``where`` are not all of them."""
    found = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {_INDEX} WHERE {where} LIMIT :cap) AS walked",
        params,
    ).fetchone()[0]
    return int(found) >= int(params["cap"])


def _first_rows_then_all(
    conn: Connection, where: str, params: Params, read: Callable[[bool], T],
    enough: Callable[[T], bool],
) -> T:
    """``read(first=True)`` on PostgreSQL, kept when it is ``enough`` or the first ``:cap`` rows
    matching ``where`` are all there are; otherwise (and on SQLite) ``read(first=False)``."""
    if _first_rows_first(conn):
        found = read(True)
        if enough(found) or not _more_than_first(conn, where, params):
            return found
    return read(False)


def companies(
    conn: Connection, as_of: str, *, since: date | None, until: date | None
) -> list[tuple[str, date]]:
    """(company key, latest day) of every company with a visible IPO report in [since, until],
    latest first. The window's companies come from the day index alone; each one's latest
    visible day is a walk of its own rows newest first, which stops at the first visible one
    (on PostgreSQL its first rows are read first; a company none of them is visible for is
    walked whole)."""
    params: Params = {"as_of": as_of, "cap": 8 * _WALK_FACTOR}
    where: list[str] = []
    _window(where, params, since, until)
    window = "".join(f" AND {w}" for w in where)

    def latest(company: str, *, first: bool) -> str:
        source, extra = _rows(f"c.company = {company}{window}", first=first,
                              order=" ORDER BY c.day DESC")
        return f"(SELECT c.day FROM {source}{_visible()}{extra} ORDER BY c.day DESC LIMIT 1)"

    first = _first_rows_first(conn)
    found = conn.execute(
        f"SELECT k.company AS company, {latest('k.company', first=first)} AS last_day"
        " FROM (SELECT DISTINCT d.company AS company FROM ipo_companies d"
        f" INDEXED BY ipo_companies_day WHERE 1 = 1{_OUTER_ALIAS.sub('d.', window)}) AS k",
        params,
    ).fetchall()
    days = {row["company"]: row["last_day"] for row in found}
    for company, day in days.items():
        if first and day is None and _more_than_first(conn, f"c.company = :company{window}",
                                            {**params, "company": company}):
            days[company] = conn.execute(f"SELECT {latest(':company', first=False)}",
                                         {**params, "company": company}).fetchone()[0]
    latest_days = [(company, date.fromisoformat(day)) for company, day in days.items()
                   if day is not None]
    return sorted(latest_days, key=lambda pair: (pair[1], pair[0]), reverse=True)


def latest_reports(
    conn: Connection,
    as_of: str,
    *,
    company: str,
    since: date | None,
    until: date | None,
    limit: int,
    count_upto: int,
) -> tuple[list[EventRow], list[FactRow], int]:
    """The ``limit`` latest visible events and raises about ``company`` in [since, until]
    (walking its index rows newest first, stopping there), and how many there are in all,
    counted up to ``count_upto``."""
    params: Params = {"as_of": as_of, "company": company, "limit": limit}
    where = ["c.company = :company"]
    _window(where, params, since, until)
    company_rows = " AND ".join(where)
    mine = " AND x.extraction_id = c.extraction_id AND x.seq = c.seq"

    def newest(part: str, columns: str, joined: str) -> list[Any]:
        part_rows = {**params, "cap": limit * _WALK_FACTOR}
        where_part = f"{company_rows} AND c.part = '{part}'"

        def read(first: bool) -> list[Any]:
            source, extra = _rows(where_part, first=first)
            return conn.execute(
                f"SELECT {columns} FROM {source}{_visible(joined)}{extra}{mine}{_NEWEST}"
                " LIMIT :limit", part_rows,
            ).fetchall()

        return _first_rows_then_all(conn, where_part, part_rows, read,
                                    lambda found: len(found) >= limit)

    events = newest("event", f"{CONTEXT_COLUMNS}, x.*",
                    " CROSS JOIN events x JOIN articles a ON a.id = r.article_id")
    facts = newest("fact", f"{CONTEXT_COLUMNS}, x.*, {VERDICT_COLUMNS}",
                   f" CROSS JOIN facts x{VERDICT_JOIN} JOIN articles a ON a.id = r.article_id")
    count_rows = {**params, "upto": count_upto, "cap": count_upto * 2}

    def count(first: bool) -> int:
        source, extra = _rows(company_rows, first=first, order="")
        return int(conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {source}{_visible()}{extra} LIMIT :upto)"
            " AS found", count_rows,
        ).fetchone()[0])

    counted = _first_rows_then_all(conn, company_rows, count_rows, count,
                                   lambda found: found >= count_upto)
    return ([EventRow(**row_context(row), **event_fields(row)) for row in events],
            [FactRow(**row_context(row), **fact_fields(row)) for row in facts], counted)


def companies_of(conn: Connection, extraction_ids: Sequence[int]) -> dict[int, set[str]]:
    """The company keys of the IPO events of each extraction among ``extraction_ids``."""
    found: dict[int, set[str]] = {}
    ids = list(dict.fromkeys(extraction_ids))
    for chunk in in_batches(ids):
        params: Params = {}
        within = in_list("c.extraction_id", chunk, params, "e")
        for row in conn.execute(
            f"SELECT c.extraction_id, c.company FROM ipo_companies c WHERE {within}"
            " AND c.part = 'event'", params,
        ):
            found.setdefault(int(row[0]), set()).add(str(row[1]))
    return found
