"""Trading calendars: which days the Hong Kong, mainland and US exchanges trade.

The packaged ``data/calendars.json`` lists, per exchange, every weekday it was closed between
its ``first`` and ``last`` day; ``scripts/build_calendars.py`` writes it from the maintained
``exchange_calendars`` package (which tickerwire does not import at run time: it loads pandas and
takes seconds to start). Outside that span a calendar knows only weekends.

Which calendar a code trades on: ``.HK`` listings, Hong Kong indices and the ``HK`` market total
on XHKG; ``.SH``/``.SZ``/``.BJ`` listings, mainland indices and ``CN`` on XSHG (Shenzhen and
Beijing close on the same days); ``.US`` listings and US indices on XNYS; anything else on a
weekends-only calendar.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tickerwire.errors import RefdataError
from tickerwire.refdata.indices import read_indices

_DATA = Path(__file__).with_name("data")
_EXCHANGE_OF_MARKET = {"HK": "XHKG", "CN": "XSHG", "SH": "XSHG", "SZ": "XSHG", "BJ": "XSHG",
                       "US": "XNYS"}
WEEKENDS_ONLY = "weekends"


@dataclass(frozen=True, slots=True)
class TradingCalendar:
    """One exchange's trading days: weekdays that are not in ``holidays``."""

    name: str
    holidays: frozenset[date]
    first: date | None = None  # the span the holiday list covers (None: weekends only)
    last: date | None = None

    def is_trading_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def covers(self, day: date) -> bool:
        """Whether the holiday list spans ``day`` (outside it only weekends are known)."""
        return self.first is not None and self.last is not None and self.first <= day <= self.last

    def previous(self, day: date) -> date:
        """The last trading day strictly before ``day``."""
        day -= timedelta(days=1)
        while not self.is_trading_day(day):
            day -= timedelta(days=1)
        return day

    def next(self, day: date) -> date:
        """The first trading day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_trading_day(day):
            day += timedelta(days=1)
        return day

    def on_or_before(self, day: date) -> date:
        """``day`` when it is a trading day, else the trading day before it."""
        return day if self.is_trading_day(day) else self.previous(day)


@functools.lru_cache(maxsize=1)
def load_calendars(path: Path | None = None) -> dict[str, TradingCalendar]:
    """Every packaged calendar by exchange code (XHKG, XSHG, XNYS) plus ``weekends``."""
    file = path or _DATA / "calendars.json"
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
        calendars = {
            name: TradingCalendar(
                name=name,
                holidays=frozenset(date.fromisoformat(d) for d in entry["holidays"]),
                first=date.fromisoformat(entry["first"]),
                last=date.fromisoformat(entry["last"]),
            )
            for name, entry in raw["calendars"].items()
        }
    except FileNotFoundError as exc:
        raise RefdataError(f"{file}: trading calendars not found; reinstall tickerwire or rebuild "
                           "them with `python scripts/build_calendars.py`") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RefdataError(f"{file}: trading calendars are corrupt ({exc}); reinstall tickerwire") from exc
    calendars[WEEKENDS_ONLY] = TradingCalendar(name=WEEKENDS_ONLY, holidays=frozenset())
    return calendars


@functools.lru_cache(maxsize=1)
def _index_markets() -> dict[str, str]:
    return {info.id: info.market for info in read_indices(_DATA / "indices.json").values()}


def exchange_of(code: str) -> str:
    """The calendar a listing code, index id or market total (``HK``, ``CN``) trades on."""
    if code in _EXCHANGE_OF_MARKET:
        return _EXCHANGE_OF_MARKET[code]
    market = code.rsplit(".", 1)[1] if "." in code else _index_markets().get(code, "")
    return _EXCHANGE_OF_MARKET.get(market, WEEKENDS_ONLY)


def calendar_for(code: str) -> TradingCalendar:
    """The trading calendar of ``code`` (see :func:`exchange_of`)."""
    return load_calendars()[exchange_of(code)]


__all__ = ["WEEKENDS_ONLY", "TradingCalendar", "calendar_for", "exchange_of", "load_calendars"]
