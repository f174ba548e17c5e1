"""Past alerts with what became of their deliveries: the dashboard's ``/alerts`` page.

Reads only. An alert's status sums up its channels: ``failed`` when any channel gave up,
``pending`` while any is still to be sent (or retried), ``delivered`` when every channel took it,
``no channel`` when its rule delivers nowhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tickerwire.store import AlertRow, DeliveryRow, Store


@dataclass(frozen=True, slots=True)
class PastAlert:
    """One fired alert: its rule, its article, why it matched and where it was delivered."""

    id: int
    rule_id: str
    kind: str
    fired_at: datetime
    article_id: str
    revision: int
    title: str | None
    source: str | None
    reasons: tuple[str, ...]
    deliveries: tuple[DeliveryRow, ...]

    @property
    def status(self) -> str:
        return delivery_status(self.deliveries)


def delivery_status(deliveries: Sequence[DeliveryRow]) -> str:
    statuses = {d.status for d in deliveries}
    if not statuses:
        return "no channel"
    for status in ("failed", "pending"):
        if status in statuses:
            return status
    return "delivered"


def alert_history(store: Store, *, limit: int, rule_id: str | None = None) -> list[PastAlert]:
    """The newest ``limit`` alerts (of one rule), newest first, with their deliveries."""
    alerts = store.recent_alerts(limit=limit, rule_id=rule_id)
    deliveries = store.alert_deliveries([a.id for a in alerts])
    return [_past(alert, deliveries.get(alert.id, [])) for alert in alerts]


def _past(alert: AlertRow, deliveries: Sequence[DeliveryRow]) -> PastAlert:
    article: dict[str, Any] = alert.payload.get("article") or {}
    matches: list[dict[str, Any]] = alert.payload.get("matches") or []
    return PastAlert(
        id=alert.id,
        rule_id=alert.rule_id,
        kind=alert.kind,
        fired_at=alert.fired_at,
        article_id=alert.article_id,
        revision=alert.revision,
        title=article.get("title"),
        source=article.get("source"),
        reasons=tuple(str(m.get("reason", "")) for m in matches),
        deliveries=tuple(deliveries),
    )
