"""Trading calendars: weekends and HKEX / SSE holidays from the packaged file."""

from __future__ import annotations

from datetime import date

import pytest

from tickerwire.refdata.calendars import calendar_for, exchange_of, load_calendars


@pytest.mark.parametrize(("code", "exchange"), [
    ("00700.HK", "XHKG"), ("HSI", "XHKG"), ("HSTECH", "XHKG"), ("HK", "XHKG"),
    ("600519.SH", "XSHG"), ("000001.SZ", "XSHG"), ("830799.BJ", "XSHG"), ("CSI300", "XSHG"),
    ("CN", "XSHG"), ("BABA.US", "XNYS"), ("SPX", "XNYS"), ("8035.JP", "weekends"),
])
def test_exchange_of(code: str, exchange: str) -> None:
    assert exchange_of(code) == exchange


@pytest.mark.parametrize(("code", "day", "trades"), [
    ("00700.HK", date(2025, 10, 1), False),  # National Day
    ("00700.HK", date(2025, 10, 7), False),  # day after Mid-Autumn
    ("00700.HK", date(2025, 10, 8), True),
    ("00700.HK", date(2025, 10, 29), False),  # Chung Yeung
    ("600519.SH", date(2025, 10, 8), False),  # Golden Week
    ("600519.SH", date(2025, 10, 29), True),
    ("600519.SH", date(2025, 10, 11), False),  # a Saturday (a make-up workday, not a session)
    ("BABA.US", date(2025, 11, 27), False),  # Thanksgiving
    ("8035.JP", date(2025, 11, 3), True),  # weekends-only calendar
])
def test_trading_days(code: str, day: date, trades: bool) -> None:
    assert calendar_for(code).is_trading_day(day) is trades


def test_previous_and_next_skip_holidays() -> None:
    hk = calendar_for("HSI")
    assert hk.previous(date(2025, 10, 8)) == date(2025, 10, 6)
    assert hk.next(date(2025, 10, 6)) == date(2025, 10, 8)
    sh = calendar_for("SSE")
    assert sh.previous(date(2025, 10, 9)) == date(2025, 9, 30)
    assert sh.on_or_before(date(2025, 10, 5)) == date(2025, 9, 30)


def test_packaged_span() -> None:
    calendars = load_calendars()
    for name in ("XHKG", "XSHG", "XNYS"):
        assert calendars[name].covers(date(2025, 10, 24))
        assert len(calendars[name].holidays) > 50
