"""Download daily bars with yfinance or AkShare (the optional ``prices`` extra).

Each provider gives a pandas table in one of the layouts :mod:`tickerwire.prices.readers` reads
(yfinance: ``Date, Open, High, Low, Close, Adj Close, Volume``; AkShare: ``日期, 开盘, 收盘 …`` or
``date, open, high, low, close, volume`` for indices), so the same row checks and code mapping
apply. Nothing is imported before a fetch is asked for; a missing extra, no network or a refusal
by the provider is one :class:`~tickerwire.errors.FetchError` line.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from tickerwire.errors import FetchError, InvalidInputError, PriceFileError
from tickerwire.model import PriceBar
from tickerwire.prices.readers import INDEX_CODES, canonical_code, read_records
from tickerwire.refdata.master import SecurityMaster

SOURCES = ("yfinance", "akshare")
# A table of bars for (provider symbol, first day, last day).
Download = Callable[[str, date, date], Any]


def yahoo_symbol(code: str) -> str:
    """``00700.HK`` → ``0700.HK``, ``600519.SH`` → ``600519.SS``, ``BABA.US`` → ``BABA``,
    ``HSI`` → ``^HSI``."""
    if "." not in code:
        return next((v for v, name in INDEX_CODES.items() if name == code and v.startswith("^")), code)
    symbol, market = code.rsplit(".", 1)
    if market == "HK":
        return f"{int(symbol):04d}.HK"
    return {"SH": f"{symbol}.SS", "US": symbol}.get(market, code)


def akshare_symbol(code: str) -> str:
    """``600519.SH`` → ``600519``, ``00700.HK`` → ``00700``, ``CSI300`` → ``sh000300``."""
    if "." not in code:
        vendor = next((v for v, name in INDEX_CODES.items()
                       if name == code and v[:2] in ("SH", "SZ")), None)
        if vendor is None:
            raise InvalidInputError(f"{code}: AkShare has no daily series tickerwire knows for it")
        return vendor.lower()
    return code.rsplit(".", 1)[0]


def _yfinance_download(symbol: str, since: date, until: date) -> Any:
    yf = _provider("yfinance")
    table = yf.Ticker(symbol).history(start=since.isoformat(),
                                      end=(until + timedelta(days=1)).isoformat(), auto_adjust=False)
    return table.reset_index()


def _akshare_download(symbol: str, since: date, until: date) -> Any:
    ak = _provider("akshare")
    start, end = since.strftime("%Y%m%d"), until.strftime("%Y%m%d")
    if symbol.startswith(("sh", "sz")):
        table = ak.stock_zh_index_daily(symbol=symbol)
        return table[(table["date"] >= since) & (table["date"] <= until)]
    if len(symbol) == 5:
        return ak.stock_hk_hist(symbol=symbol, period="daily", start_date=start, end_date=end, adjust="")
    return ak.stock_zh_a_hist(symbol=symbol, period="daily", start_date=start, end_date=end, adjust="")


DOWNLOADS: dict[str, tuple[Callable[[str], str], Download]] = {
    "yfinance": (yahoo_symbol, _yfinance_download),
    "akshare": (akshare_symbol, _akshare_download),
}


def _provider(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise FetchError(f"{name} is not installed: pip install 'tickerwire[prices]'") from None


def fetch_bars(
    source: str,
    codes: Sequence[str],
    *,
    since: date,
    until: date | None = None,
    master: SecurityMaster,
    downloads: dict[str, tuple[Callable[[str], str], Download]] | None = None,
) -> list[PriceBar]:
    """The daily bars of ``codes`` from ``source`` between ``since`` and ``until`` (today)."""
    table = (downloads or DOWNLOADS).get(source)
    if table is None:
        raise InvalidInputError(f"--source {source!r}: use yfinance or akshare")
    symbol_of, download = table
    last = until or date.today()
    bars: list[PriceBar] = []
    problems: list[str] = []
    for text in codes:
        code = canonical_code(text, master)
        if code is None:
            raise InvalidInputError(f"{text!r} is not a listing code or index id")
        symbol = symbol_of(code)
        try:
            frame = download(symbol, since, last)
        except FetchError:
            raise
        except Exception as exc:  # providers raise anything from socket errors to KeyError
            raise FetchError(f"{source} could not fetch {symbol} ({type(exc).__name__}: {exc}); "
                             "check the network and the code") from exc
        records = frame.to_dict("records")
        header = [str(c) for c in frame.columns]
        origin = f"{source}:{symbol}"
        found = [bar for _, bar in read_records(origin, header, enumerate(records, 1), master, problems,
                                                default_code=code, source=symbol)]
        if not found and not problems:
            raise FetchError(f"{source} returned no bars for {symbol} from {since} to {last}")
        bars += [dataclasses.replace(bar, code=code, source=origin) for bar in found]
    if problems:
        raise PriceFileError(problems)
    return bars


__all__ = ["DOWNLOADS", "SOURCES", "akshare_symbol", "fetch_bars", "yahoo_symbol"]
