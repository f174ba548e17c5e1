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

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

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
    for first in range(0, len(found), _BATCH):
        conn.executemany(f"INSERT INTO ipo_companies({', '.join(columns)}) VALUES ({marks})",
                         found[first:first + _BATCH])


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


def companies(
    conn: Connection, as_of: str, *, since: date | None, until: date | None
) -> list[tuple[str, date]]:
    """(company key, latest day) of every company with a visible IPO report in [since, until],
    latest first. The window's companies come from the day index alone; each one's latest
    visible day is a walk of its own rows newest first, which stops at the first visible one."""
    params: Params = {"as_of": as_of}
    where: list[str] = []
    _window(where, params, since, until)
    window = "".join(f" AND {w}" for w in where)
    found = conn.execute(
        "SELECT k.company AS company, (SELECT c.day FROM ipo_companies c"
        f" INDEXED BY ipo_companies_company{_visible()} AND c.company = k.company{window}"
        " ORDER BY c.day DESC LIMIT 1) AS last_day"
        " FROM (SELECT DISTINCT c.company AS company FROM ipo_companies c"
        f" INDEXED BY ipo_companies_day WHERE 1 = 1{window}) AS k",
        params,
    ).fetchall()
    latest = [(row["company"], date.fromisoformat(row["last_day"]))
              for row in found if row["last_day"] is not None]
    return sorted(latest, key=lambda pair: (pair[1], pair[0]), reverse=True)


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
    params: Params = {"as_of": as_of, "company": company, "limit": limit, "upto": count_upto}
    where = ["c.company = :company"]
    _window(where, params, since, until)
    extra = "".join(f" AND {w}" for w in where)
    newest = " ORDER BY c.day DESC, c.extraction_id DESC, c.seq DESC LIMIT :limit"
    index = "ipo_companies c INDEXED BY ipo_companies_company"
    mine = " AND x.extraction_id = c.extraction_id AND x.seq = c.seq"
    events = conn.execute(
        f"SELECT {CONTEXT_COLUMNS}, x.* FROM {index}"
        f"{_visible(' CROSS JOIN events x JOIN articles a ON a.id = r.article_id')}{extra}"
        f" AND c.part = 'event'{mine}{newest}",
        params,
    ).fetchall()
    facts = conn.execute(
        f"SELECT {CONTEXT_COLUMNS}, x.*, {VERDICT_COLUMNS} FROM {index}"
        f"{_visible(f' CROSS JOIN facts x{VERDICT_JOIN} JOIN articles a ON a.id = r.article_id')}"
        f"{extra} AND c.part = 'fact'{mine}{newest}",
        params,
    ).fetchall()
    counted = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {index}{_visible()}{extra} LIMIT :upto) AS found",
        params,
    ).fetchone()[0]
    return ([EventRow(**row_context(row), **event_fields(row)) for row in events],
            [FactRow(**row_context(row), **fact_fields(row)) for row in facts], int(counted))


def companies_of(conn: Connection, extraction_ids: Sequence[int]) -> dict[int, set[str]]:
    """The company keys of the IPO events of each extraction among ``extraction_ids``."""
    found: dict[int, set[str]] = {}
    ids = list(dict.fromkeys(extraction_ids))
    for first in range(0, len(ids), 500):
        params: Params = {}
        within = in_list("c.extraction_id", ids[first:first + 500], params, "e")
        for row in conn.execute(
            f"SELECT c.extraction_id, c.company FROM ipo_companies c WHERE {within}"
            " AND c.part = 'event'", params,
        ):
            found.setdefault(int(row[0]), set()).add(str(row[1]))
    return found
