"""The stock page's move chart plots daily moves only, never a ytd or since-listing gain."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tickerwire.insights.refs import SourceRef
from tickerwire.insights.timeline import Timeline, TimelineFact
from tickerwire.web.charts import moves_chart

WHEN = datetime(2025, 10, 8, 8, 0, tzinfo=UTC)


def _fact(pct: float, horizon: str | None) -> TimelineFact:
    ref = SourceRef("a", "t", "s", None, WHEN, f"up {pct}%", 0, 8)
    return TimelineFact(
        kind="price_move", subject="00700.HK", value=None, value_max=None, pct=pct, points=None,
        price=None, currency=None, qualifier="exact", day=date(2025, 10, 8), horizon=horizon,
        source=ref,
    )


def test_only_day_horizons_are_plotted() -> None:
    facts = tuple(_fact(pct, h) for pct, h in (
        (1.2, "close"), (95.0, "ytd"), (3.1, "intraday"), (64.0, "since_listing"), (0.5, None),
        (12.0, "week"),
    ))
    issuer: Any = None
    timeline = Timeline(query="Tencent", issuer=issuer, since=None, until=None, as_of=None,
                        articles=(), facts=facts, events=(), days=())
    [series] = moves_chart(timeline)["data"]
    assert series["y"] == [1.2, 3.1, 0.5]
