"""The live stream the dashboard follows: articles stored and alerts fired since a position.

A position is the last article revision and the last alert a client has seen, written as the
SSE event id ``<revision>.<alert>`` so that a reconnecting browser (``Last-Event-ID``) resumes
where it stopped. Reads only: any process may be the one storing (``watch``, ``ingest``, the
API).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from tickerwire.display import hk_time
from tickerwire.store import AlertRow, RevisionRow, Store

_POSITION = re.compile(r"^(\d{1,18})\.(\d{1,18})$")


@dataclass(frozen=True, slots=True)
class StreamPosition:
    revision: int
    alert: int

    @property
    def token(self) -> str:
        return f"{self.revision}.{self.alert}"

    @classmethod
    def parse(cls, text: str | None) -> StreamPosition | None:
        match = _POSITION.match((text or "").strip())
        return None if match is None else cls(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True, slots=True)
class LiveEvent:
    kind: Literal["article", "alert"]
    data: dict[str, Any]
    position: StreamPosition


def stream_start(store: Store) -> StreamPosition:
    """Now: a client starting here sees only what is stored from now on."""
    return StreamPosition(store.last_revision_position(), store.last_alert_id())


def stream_updates(
    store: Store, after: StreamPosition, *, limit: int = 50
) -> list[LiveEvent]:
    """Articles and alerts stored after ``after``, articles first, oldest first."""
    events = []
    position = after
    for row in store.revisions_after(after.revision, limit=limit):
        position = StreamPosition(row.position, position.alert)
        events.append(LiveEvent("article", article_event(row), position))
    for alert in store.alerts_after(after.alert, limit=limit):
        position = StreamPosition(position.revision, alert.id)
        events.append(LiveEvent("alert", alert_event(alert), position))
    return events


def article_event(row: RevisionRow) -> dict[str, Any]:
    return {
        "id": row.article_id,
        "revision": row.revision,
        "title": row.title,
        "source": row.source,
        "url": row.url,
        "lang": row.lang,
        "published_at": row.published_at.isoformat() if row.published_at else None,
        "published_hk": hk_time(row.published_at) if row.published_at else None,
        "first_seen_at": row.first_seen_at.isoformat(),
        "href": "/article/" + quote(row.article_id, safe=""),
    }


def alert_event(alert: AlertRow) -> dict[str, Any]:
    return {"id": alert.id, "fired_at": alert.fired_at.isoformat(), **alert.payload,
            "href": "/article/" + quote(alert.article_id, safe="")}


def recent_alerts(store: Store, *, limit: int, rule_id: str | None) -> list[dict[str, Any]]:
    """The newest alerts first, as the API lists them."""
    return [alert_event(a) for a in store.recent_alerts(limit=limit, rule_id=rule_id)]
