"""Daily returns from bars: the one definition verdicts and the signal study share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tickerwire.model import PriceBar
from tickerwire.refdata.calendars import calendar_for

BarLookup = Callable[[str, date], PriceBar | None]
"""The current bar of (code, trading day), or None."""


def previous_close(bars: BarLookup, code: str, day: date) -> float | None:
    """The close before ``day``'s session: the bar's own previous close when the source gives it
    (it accounts for splits and dividends), else the close of the previous trading day's bar."""
    bar = bars(code, day)
    if bar is not None and bar.prev_close is not None:
        return bar.prev_close
    before = bars(code, calendar_for(code).previous(day))
    return before.close if before is not None else None


def daily_return(bars: BarLookup, code: str, day: date) -> float | None:
    """``close / previous close − 1`` of ``code`` on ``day`` (a fraction), or None without bars."""
    bar = bars(code, day)
    previous = previous_close(bars, code, day)
    if bar is None or bar.close is None or not previous:
        return None
    return bar.close / previous - 1.0


__all__ = ["BarLookup", "daily_return", "previous_close"]
