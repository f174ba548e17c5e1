"""A mover's reason is reported news about it, never a schedule or another listing's move."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tickerwire.insights.movers import drivers_for
from tickerwire.store.rows import EventRow

WHEN = datetime(2025, 11, 7, 8, 0, tzinfo=UTC)
SMIC = ("00981.HK", "688981.SH")


def _event(kind: str, subjects: tuple[str, ...], text: str) -> EventRow:
    return EventRow(
        article_id="a", revision=1, extraction_id=1, pipeline_version="t", title="", source="s",
        url=None, lang="en", published_at=WHEN, published_date_hk=date(2025, 11, 7),
        day_hk=date(2025, 11, 7), first_seen_at=WHEN, extracted_at=WHEN, type=kind,
        subjects=subjects, text=text, start=0, end=len(text),
    )


@pytest.mark.parametrize(
    ("event", "kept"),
    [
        (_event("earnings", ("00981.HK",), "SMIC's third-quarter revenue beat its guidance."), True),
        (_event("earnings", ("00981.HK",), "中芯國際第三季收入勝指引。"), True),
        (_event("earnings", ("00981.HK",), "Next week brings third-quarter results from SMIC and JD.com."), False),
        (_event("earnings", ("00981.HK",), "SMIC is due to report results after the close."), False),
        (_event("earnings", ("00981.HK",), "中芯國際將於下周公布第三季業績。"), False),
        (_event("geopolitics", (), "US tariff threats weighed on the market."), False),
        (_event("sector_move", ("00981.HK", "01347.HK"), "Chipmakers SMIC and Hua Hong fell."), True),
    ],
)
def test_what_counts_as_the_reason_of_an_h_share_move(event: EventRow, kept: bool) -> None:
    assert bool(drivers_for("00981.HK", SMIC, {"a"}, [event])) is kept


def test_the_h_shares_move_is_not_the_a_shares_reason() -> None:
    h_move = _event("price_move", ("00981.HK",), "中芯國際股價跌2.4%。")
    results = _event("earnings", ("00981.HK",), "中芯國際第三季收入勝指引。")
    assert [d.type for d in drivers_for("688981.SH", SMIC, {"a"}, [h_move, results])] == ["earnings"]
    assert [d.type for d in drivers_for("00981.HK", SMIC, {"a"}, [h_move, results])] == ["earnings", "price_move"]
