"""Boards show a day's move: the close, else the latest session figure; never a ytd gain."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from tickerwire.insights.days import day_moves
from tickerwire.store.rows import FactRow

WHEN = datetime(2025, 10, 8, 8, 0, tzinfo=UTC)


def _move(subject: str, pct: float, horizon: str | None, kind: str = "price_move") -> FactRow:
    return FactRow(
        article_id="a", revision=1, extraction_id=1, pipeline_version="t", title="", source="s",
        url=None, lang="en", published_at=WHEN, published_date_hk=date(2025, 10, 8),
        day_hk=date(2025, 10, 8), first_seen_at=WHEN, extracted_at=WHEN, kind=kind,
        subject=subject, value=None, pct=pct, points=None, price=None, currency="HKD",
        qualifier="exact", text=f"{pct}%", start=0, end=3, value_max=None, horizon=horizon,
    )


def test_the_close_beats_intraday_and_periods_never_count() -> None:
    rows = [
        _move("00700.HK", 95.0, "ytd"),
        _move("00700.HK", 3.1, "intraday"),
        _move("00700.HK", 1.2, "close"),
        _move("09988.HK", 40.0, "year"),
        _move("09988.HK", -2.0, "open"),
        _move("09988.HK", -1.1, "midday"),
        _move("01810.HK", 64.0, "since_listing"),
        _move("HSI", 0.8, "close", kind="index_level"),
        _move("HSI", 27.8, "year", kind="index_level"),
    ]
    kept = {(row.subject, row.pct) for row in day_moves(rows)}
    assert kept == {("00700.HK", 1.2), ("09988.HK", -1.1), ("HSI", 0.8)}


def test_rows_without_a_horizon_count_as_the_close_and_other_kinds_pass() -> None:
    old = _move("00700.HK", 1.2, None)
    amount = replace(_move("HK", 0.0, None), kind="turnover")
    assert day_moves([old, amount]) == [old, amount]


def test_a_session_figure_is_labelled_as_such() -> None:
    from tickerwire import display
    from tickerwire.insights.brief import _stock_move
    from tickerwire.insights.readings import Reading

    assert _stock_move(Reading(pct=-1.1, currency="HKD", price=56.9, horizon="midday")).endswith("at midday")
    assert "intraday" in _stock_move(Reading(pct=3.1, horizon="intraday"))
    assert _stock_move(Reading(pct=1.2, horizon="close")) == _stock_move(Reading(pct=1.2))
    assert display.session_words("close") == "" and display.session_words("open") == "at the open"
