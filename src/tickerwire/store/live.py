"""Live news tables: feed poll state, alert rules, fired alerts and their deliveries, cursors.

Plain, portable SQL (``?`` placeholders, ``ON CONFLICT``, ``RETURNING``); times are the store's
UTC text. Every function runs on a connection the ``Store`` hands it, inside its transaction
for writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tickerwire.store.codec import (
    from_json,
    parse_instant,
    parse_optional_instant,
    to_json,
    utc_text,
)
from tickerwire.store.connection import Connection
from tickerwire.store.sql import Params, in_list

ALERTS_CURSOR = "alerts"
VERDICTS_CURSOR = "alerts.verdicts"  # microseconds since the epoch of the newest verdict read
DELIVERY_STATUSES = ("pending", "delivered", "failed")


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the last polls of one feed left behind."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = None
    last_status: int | None = None
    failures: int = 0
    last_error: str | None = None
    next_poll_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredRule:
    """An alert rule added over the API: its id, kind and the mapping that defines it."""

    id: str
    kind: str
    spec: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert to record, and the delivery channels it must reach."""

    rule_id: str
    kind: str
    article_id: str
    revision: int
    payload: dict[str, Any]
    channels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AlertRow:
    id: int
    rule_id: str
    kind: str
    article_id: str
    revision: int
    fired_at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    """One channel's delivery of one alert."""

    alert_id: int
    channel: str
    status: str  # DELIVERY_STATUSES
    attempts: int
    last_error: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PendingDelivery:
    alert: AlertRow
    channel: str
    attempts: int


@dataclass(frozen=True, slots=True)
class RevisionRow:
    """One stored article revision, in the order the store saw them (``position``)."""

    position: int
    article_id: str
    revision: int
    title: str | None
    source: str | None
    url: str | None
    lang: str | None
    published_at: datetime | None
    first_seen_at: datetime


# -- feeds ----------------------------------------------------------------------------------

_FEED_COLUMNS = ("url, etag, last_modified, last_polled_at, last_status, failures, last_error, "
                 "next_poll_at")


def feed_states(conn: Connection) -> dict[str, FeedState]:
    rows = conn.execute(f"SELECT {_FEED_COLUMNS} FROM feed_state").fetchall()
    return {
        r[0]: FeedState(r[0], r[1], r[2], parse_optional_instant(r[3]), r[4], int(r[5]), r[6],
                        parse_optional_instant(r[7]))
        for r in rows
    }


def save_feed_state(conn: Connection, state: FeedState) -> None:
    conn.execute(
        f"INSERT INTO feed_state ({_FEED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
        "last_modified = excluded.last_modified, last_polled_at = excluded.last_polled_at, "
        "last_status = excluded.last_status, failures = excluded.failures, "
        "last_error = excluded.last_error, next_poll_at = excluded.next_poll_at",
        (state.url, state.etag, state.last_modified, _text(state.last_polled_at),
         state.last_status, state.failures, state.last_error, _text(state.next_poll_at)),
    )


# -- rules ----------------------------------------------------------------------------------

def rules(conn: Connection) -> list[StoredRule]:
    rows = conn.execute(
        "SELECT id, kind, spec, created_at, updated_at FROM alert_rules ORDER BY id"
    ).fetchall()
    return [StoredRule(r[0], r[1], from_json(r[2], {}), parse_instant(r[3]), parse_instant(r[4]))
            for r in rows]


def save_rule(
    conn: Connection, rule_id: str, kind: str, spec: dict[str, Any], now: str
) -> bool:
    """Insert or replace the rule; True when it is new."""
    existed = conn.execute("SELECT 1 FROM alert_rules WHERE id = ?", (rule_id,)).fetchone()
    conn.execute(
        "INSERT INTO alert_rules (id, kind, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, spec = excluded.spec, "
        "updated_at = excluded.updated_at",
        (rule_id, kind, to_json(spec), now, now),
    )
    return existed is None


def delete_rule(conn: Connection, rule_id: str) -> bool:
    existed = conn.execute("SELECT 1 FROM alert_rules WHERE id = ?", (rule_id,)).fetchone()
    conn.execute("DELETE FROM alert_rules WHERE id = ?", (rule_id,))
    return existed is not None


# -- cursors and revisions ------------------------------------------------------------------

def cursor(conn: Connection, name: str) -> int | None:
    row = conn.execute("SELECT position FROM live_cursors WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])


def set_cursor(conn: Connection, name: str, position: int, now: str) -> None:
    conn.execute(
        "INSERT INTO live_cursors (name, position, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
        "updated_at = excluded.updated_at",
        (name, position, now),
    )


def last_revision_position(conn: Connection) -> int:
    row = conn.execute("SELECT max(id) FROM article_revisions").fetchone()
    return int(row[0] or 0)


_REVISION_SELECT = (
    "SELECT r.id, r.article_id, r.revision, r.title, a.source, a.url, r.lang, "
    "r.published_at, r.first_seen_at FROM article_revisions AS r "
    "JOIN articles AS a ON a.id = r.article_id"
)


def _revision(r: Sequence[Any]) -> RevisionRow:
    return RevisionRow(int(r[0]), r[1], int(r[2]), r[3], r[4], r[5], r[6],
                       parse_optional_instant(r[7]), parse_instant(r[8]))


def revisions_after(conn: Connection, position: int, limit: int) -> list[RevisionRow]:
    rows = conn.execute(
        f"{_REVISION_SELECT} WHERE r.id > ? ORDER BY r.id LIMIT ?", (position, limit),
    ).fetchall()
    return [_revision(r) for r in rows]


def revisions_seen_since(
    conn: Connection, since: str, after: int, upto: int, limit: int
) -> list[RevisionRow]:
    """Revisions at positions in ``(after, upto]`` first seen at or after ``since``, by position:
    those that may have become visible after the cursor passed them."""
    rows = conn.execute(
        f"{_REVISION_SELECT} WHERE r.first_seen_at >= ? AND r.id > ? AND r.id <= ? "
        "ORDER BY r.id LIMIT ?",
        (since, after, upto, limit),
    ).fetchall()
    return [_revision(r) for r in rows]


def revisions_at(conn: Connection, positions: Sequence[int]) -> list[RevisionRow]:
    """The visible revisions at ``positions``, by position."""
    params: Params = {}
    where = in_list("r.id", list(positions), params, "p")
    rows = conn.execute(f"{_REVISION_SELECT} WHERE {where} ORDER BY r.id", params).fetchall()
    return [_revision(r) for r in rows]


@dataclass(frozen=True, slots=True)
class VerdictRow:
    """A contradicted verdict of a fact of an article's current extraction."""

    fact_id: int
    article_id: str
    revision: int
    verified_at: datetime


def contradicted_since(
    conn: Connection, since: str, after_fact: int, limit: int
) -> list[VerdictRow]:
    """Verdicts ``contradicted`` written after (``since``, fact ``after_fact``) in (time, fact id)
    order, for facts of the newest extraction of their article's revision."""
    rows = conn.execute(
        "SELECT v.fact_id, e.article_id, e.revision, v.verified_at "
        "FROM fact_verifications AS v JOIN facts AS x ON x.id = v.fact_id "
        "JOIN extractions AS e ON e.id = x.extraction_id "
        "WHERE v.verdict = 'contradicted' "
        "AND (v.verified_at > ? OR (v.verified_at = ? AND v.fact_id > ?)) "
        "AND e.id = (SELECT max(n.id) FROM extractions AS n "
        "WHERE n.article_id = e.article_id AND n.revision = e.revision) "
        "ORDER BY v.verified_at, v.fact_id LIMIT ?",
        (since, since, after_fact, limit),
    ).fetchall()
    return [VerdictRow(int(r[0]), r[1], int(r[2]), parse_instant(r[3])) for r in rows]


# -- alerts ---------------------------------------------------------------------------------

def record_alerts(
    conn: Connection, alerts: Sequence[NewAlert], now: str
) -> list[int]:
    """Insert the alerts not recorded before, each with a pending delivery per channel; return
    the new alert ids (an alert already fired for the same rule and revision is skipped)."""
    ids = []
    for alert in alerts:
        row = conn.execute(
            "INSERT INTO alerts (rule_id, kind, article_id, revision, fired_at, payload) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (rule_id, article_id, revision) DO NOTHING "
            "RETURNING id",
            (alert.rule_id, alert.kind, alert.article_id, alert.revision, now,
             to_json(alert.payload)),
        ).fetchone()
        if row is None:
            continue
        ids.append(int(row[0]))
        for channel in alert.channels:
            conn.execute(
                "INSERT INTO alert_deliveries (alert_id, channel, status, attempts, updated_at) "
                "VALUES (?, ?, 'pending', 0, ?) ON CONFLICT (alert_id, channel) DO NOTHING",
                (row[0], channel, now),
            )
    return ids


_ALERT_COLUMNS = "a.id, a.rule_id, a.kind, a.article_id, a.revision, a.fired_at, a.payload"


def _alert(r: Sequence[Any]) -> AlertRow:
    return AlertRow(int(r[0]), r[1], r[2], r[3], int(r[4]), parse_instant(r[5]),
                    from_json(r[6], {}))


def alerts_after(conn: Connection, after_id: int, limit: int) -> list[AlertRow]:
    rows = conn.execute(
        f"SELECT {_ALERT_COLUMNS} FROM alerts AS a WHERE a.id > ? ORDER BY a.id LIMIT ?",
        (after_id, limit),
    ).fetchall()
    return [_alert(r) for r in rows]


def recent_alerts(
    conn: Connection, limit: int, rule_id: str | None
) -> list[AlertRow]:
    where, params = ("WHERE a.rule_id = ?", (rule_id,)) if rule_id else ("", ())
    rows = conn.execute(
        f"SELECT {_ALERT_COLUMNS} FROM alerts AS a {where} ORDER BY a.id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [_alert(r) for r in rows]


def last_alert_id(conn: Connection) -> int:
    row = conn.execute("SELECT max(id) FROM alerts").fetchone()
    return int(row[0] or 0)


def pending_deliveries(conn: Connection, limit: int) -> list[PendingDelivery]:
    rows = conn.execute(
        f"SELECT {_ALERT_COLUMNS}, d.channel, d.attempts FROM alert_deliveries AS d "
        "JOIN alerts AS a ON a.id = d.alert_id WHERE d.status = 'pending' "
        "ORDER BY d.alert_id, d.channel LIMIT ?",
        (limit,),
    ).fetchall()
    return [PendingDelivery(_alert(r), r[7], int(r[8])) for r in rows]


def mark_delivery(
    conn: Connection, alert_id: int, channel: str, *, status: str, attempts: int,
    error: str | None, now: str,
) -> None:
    conn.execute(
        "UPDATE alert_deliveries SET status = ?, attempts = ?, last_error = ?, updated_at = ? "
        "WHERE alert_id = ? AND channel = ?",
        (status, attempts, error, now, alert_id, channel),
    )


def deliveries_of(conn: Connection, alert_ids: Sequence[int]) -> list[DeliveryRow]:
    """The deliveries of ``alert_ids``, by alert and channel."""
    params: Params = {}
    where = in_list("d.alert_id", list(alert_ids), params, "a")
    rows = conn.execute(
        "SELECT d.alert_id, d.channel, d.status, d.attempts, d.last_error, d.updated_at "
        f"FROM alert_deliveries AS d WHERE {where} ORDER BY d.alert_id, d.channel",
        params,
    ).fetchall()
    return [DeliveryRow(int(r[0]), r[1], r[2], int(r[3]), r[4], parse_instant(r[5])) for r in rows]


def delivery_counts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(
        "SELECT status, count(*) FROM alert_deliveries GROUP BY status"
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def _text(moment: datetime | None) -> str | None:
    return None if moment is None else utc_text(moment)
