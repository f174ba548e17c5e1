"""Price bars and fact verdicts: the SQL of docs/prices.md.

Bars are point-in-time like the news: importing a bar that differs from the stored one for the
same code and day adds a revision (``imported_at`` says when it was known); the same bar again
is a no-op. Verdicts (``fact_verifications``, one row per checked fact) are recomputed here and
only here: :func:`refresh_verdicts` runs inside the transaction that writes an extraction or
imports bars, so a verdict never lags behind its fact or its prices.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from tickerwire.model import CHECKED_KINDS, PriceBar, Verification
from tickerwire.store.codec import END_OF_TIME, parse_date
from tickerwire.store.connection import Connection, Row
from tickerwire.store.sql import Params, in_batches, in_list, to_fact

_BAR_FIELDS = ("open", "high", "low", "close", "prev_close", "volume", "turnover", "currency")

# The current revision of each (code, day) bar known at :as_of.
_CURRENT_BAR = (
    "p.imported_at <= :as_of AND p.revision = (SELECT max(p2.revision) FROM price_bars p2"
    " WHERE p2.code = p.code AND p2.day = p.day AND p2.imported_at <= :as_of)"
)



@dataclass(slots=True)
class BarImport:
    """What importing a batch of bars did; ``verdicts`` counts the facts re-checked."""

    new: int = 0
    revised: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)
    verdicts: int = 0


def import_bars(conn: Connection, bars: Sequence[PriceBar], now: str) -> BarImport:
    """Store ``bars`` (new bars, or revisions of changed ones) and re-check the facts about their
    codes. Runs in the caller's transaction."""
    outcome = BarImport()
    codes = sorted({bar.code for bar in bars})
    current = {(b.code, b.day): b for b in load_bars(conn, codes, as_of=END_OF_TIME)}
    revisions = _latest_revisions(conn, codes)
    rows = []
    for bar in bars:
        key = (bar.code, bar.day)
        stored = current.get(key)
        if stored is not None and _same(stored, bar):
            outcome.unchanged += 1
            continue
        revision = revisions.get(key, 0) + 1
        revisions[key] = revision
        current[key] = bar
        rows.append((bar.code, bar.day.isoformat(), revision, bar.open, bar.high, bar.low,
                     bar.close, bar.prev_close, bar.volume, bar.turnover, bar.currency,
                     bar.source, now))
        if revision == 1:
            outcome.new += 1
        else:
            outcome.revised += 1
    conn.executemany(
        "INSERT INTO price_bars(code, day, revision, open, high, low, close, prev_close, volume,"
        " turnover, currency, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    outcome.codes = codes
    if rows:
        outcome.verdicts = refresh_verdicts(conn, now, subjects=sorted({r[0] for r in rows}))
    return outcome


def _same(a: PriceBar, b: PriceBar) -> bool:
    return all(getattr(a, name) == getattr(b, name) for name in _BAR_FIELDS)


def _latest_revisions(conn: Connection, codes: Sequence[str]) -> dict[tuple[str, date], int]:
    found: dict[tuple[str, date], int] = {}
    for chunk in in_batches(codes):
        params: Params = {}
        within = in_list("code", chunk, params, "c")
        for row in conn.execute(
                f"SELECT code, day, max(revision) FROM price_bars WHERE {within} GROUP BY code, day",
                params):
            found[(row[0], parse_date(row[1]))] = int(row[2])
    return found


def load_bars(
    conn: Connection,
    codes: Sequence[str],
    *,
    as_of: str,
    since: date | None = None,
    until: date | None = None,
) -> list[PriceBar]:
    """The current bars of ``codes`` known at ``as_of``, by code then day."""
    found: list[PriceBar] = []
    for chunk in in_batches(codes):
        params: Params = {"as_of": as_of}
        where = [in_list("p.code", chunk, params, "c"), _CURRENT_BAR]
        if since is not None:
            where.append("p.day >= :since")
            params["since"] = since.isoformat()
        if until is not None:
            where.append("p.day <= :until")
            params["until"] = until.isoformat()
        rows = conn.execute(
            f"SELECT * FROM price_bars p WHERE {' AND '.join(where)} ORDER BY p.code, p.day", params)
        found.extend(_bar(row) for row in rows)
    return found


def _bar(row: Row) -> PriceBar:
    return PriceBar(
        code=row["code"], day=parse_date(row["day"]), open=row["open"], high=row["high"],
        low=row["low"], close=row["close"], prev_close=row["prev_close"], volume=row["volume"],
        turnover=row["turnover"], currency=row["currency"], source=row["source"],
    )


def bar_codes(conn: Connection, as_of: str) -> list[tuple[str, date, date, int]]:
    """(code, first day, last day, bars) of every code with bars known at ``as_of``."""
    rows = conn.execute(
        "SELECT p.code, min(p.day), max(p.day), count(*) FROM price_bars p"
        f" WHERE {_CURRENT_BAR} GROUP BY p.code ORDER BY p.code",
        {"as_of": as_of},
    ).fetchall()
    return [(r[0], parse_date(r[1]), parse_date(r[2]), int(r[3])) for r in rows]


def refresh_verdicts(
    conn: Connection,
    now: str,
    *,
    subjects: Sequence[str] | None = None,
    extraction_ids: Sequence[int] | None = None,
) -> int:
    """Re-check the facts of the checked kinds (about ``subjects``, or of some extractions, or
    all) against the current bars and store their verdicts; return how many were checked."""
    params: Params = {}
    where = [in_list("x.kind", CHECKED_KINDS, params, "k")]
    if extraction_ids is not None:
        where.append(in_list("x.extraction_id", extraction_ids, params, "e"))
    # A batch's extractions are found through their own index: with a list of kinds and of
    # extractions, SQLite would otherwise walk every fact of those kinds in the database.
    source = "facts x" if extraction_ids is None else "facts x INDEXED BY facts_extraction"
    facts: list[Row] = []
    if subjects is None:
        facts = conn.execute(f"SELECT x.* FROM {source} WHERE {' AND '.join(where)}", params).fetchall()
    else:
        for chunk in in_batches(subjects):
            batch = dict(params)
            within = in_list("x.subject", chunk, batch, "s")
            facts += conn.execute(
                f"SELECT x.* FROM facts x WHERE {' AND '.join([*where, within])}", batch).fetchall()
    if not facts:
        return 0
    days = [parse_date(r["day"]) for r in facts if r["day"]]
    codes = sorted({r["subject"] for r in facts if r["subject"]})
    # Neighbouring trading days (wrong-day checks, previous closes) lie within two weeks.
    since = _shifted(min(days), -NEIGHBOUR_DAYS) if days else None
    until = _shifted(max(days), NEIGHBOUR_DAYS) if days else None
    # The verdict rules bring the trading calendars: imported by the writes that check facts,
    # not by every command that opens a store.
    from tickerwire.prices.verdicts import bar_lookup, verify_fact

    lookup = bar_lookup(load_bars(conn, codes, as_of=END_OF_TIME, since=since, until=until))
    rows = []
    for row in facts:
        verdict = verify_fact(to_fact(row), lookup)
        if verdict is not None:
            rows.append(_verdict_row(row["id"], verdict, now))
    write_verdicts(conn, rows)
    return len(rows)


def _verdict_row(fact_id: int, v: Verification, now: str) -> tuple[object, ...]:
    return (fact_id, v.verdict, v.field, v.stated, v.actual, v.difference,
            v.day.isoformat() if v.day else None, v.reason, now)


def write_verdicts(conn: Connection, rows: Iterable[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO fact_verifications(fact_id, verdict, field, stated, actual, difference, day,"
        " reason, verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (fact_id) DO UPDATE SET verdict = excluded.verdict, field = excluded.field,"
        " stated = excluded.stated, actual = excluded.actual, difference = excluded.difference,"
        " day = excluded.day, reason = excluded.reason, verified_at = excluded.verified_at",
        rows,
    )


__all__ = ["BarImport", "bar_codes", "import_bars", "load_bars", "refresh_verdicts", "write_verdicts"]


NEIGHBOUR_DAYS = 14
"""Calendar days around a fact's day read for its neighbouring sessions (wrong day, previous close)."""


def _shifted(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the ends of the calendar (an article dated year 1)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.min if days < 0 else date.max
