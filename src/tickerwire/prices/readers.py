"""Read daily bars from the files users have: Yahoo/Stooq CSV, tushare and AkShare tables, and
Parquet with any of those columns.

Layouts are told apart by their header (case and spaces do not matter):

- Yahoo / Stooq: ``Date, Open, High, Low, Close[, Adj Close], Volume``; the code from a
  ``Symbol``/``Ticker``/``Code`` column, else from the file name (``0700.HK.csv``, ``^HSI.csv``).
- tushare ``daily`` / ``index_daily``: ``ts_code, trade_date, open, high, low, close, pre_close,
  change, pct_chg, vol, amount``; ``vol`` is in lots of 100 shares and ``amount`` in thousands of
  yuan, both converted to shares and yuan.
- AkShare ``*_hist``: ``日期, 开盘, 收盘, 最高, 最低, 成交量, 成交额[, 涨跌幅]``; the code from a
  ``股票代码``/``代码`` column or the file name; ``成交额`` is in yuan (HKD for Hong Kong).

Every code goes through the security master (``0700.HK``, ``SH600519``, ``600519.SS`` …), the
exchange index codes of :data:`INDEX_CODES` become index ids, and ``HK``/``CN`` are the market
totals (turnover only). Any bad row makes :func:`read_price_files` raise
:class:`~tickerwire.errors.PriceFileError` listing every bad row with its file and line, so a
batch is imported whole or not at all.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tickerwire.errors import InvalidInputError, PriceFileError
from tickerwire.model import PriceBar
from tickerwire.refdata.master import SecurityMaster

SUFFIXES = (".csv", ".txt", ".parquet", ".pq")
MARKET_TOTALS = {"HK": "HKD", "CN": "CNY"}

# Exchange and vendor codes of indices (tushare/AkShare ``000300.SH``, Yahoo ``^HSI``) → index ids.
# 000xxx codes on Shanghai and 399xxx on Shenzhen are indices only; no share trades under them.
INDEX_CODES = {
    "000001.SH": "SSE", "000001.SS": "SSE", "SH000001": "SSE",
    "399001.SZ": "SZSE", "SZ399001": "SZSE",
    "000300.SH": "CSI300", "000300.SS": "CSI300", "399300.SZ": "CSI300", "SH000300": "CSI300",
    "000688.SH": "STAR50", "000688.SS": "STAR50", "SH000688": "STAR50",
    "399006.SZ": "CHINEXT", "SZ399006": "CHINEXT",
    "000016.SH": "SSE50", "000905.SH": "CSI500", "000852.SH": "CSI1000",
    "^HSI": "HSI", "^HSCE": "HSCEI", "^HSTECH": "HSTECH", "HSTECH.HK": "HSTECH",
    "^GSPC": "SPX", "^NDX": "NDX", "^DJI": "DJI", "^SOX": "SOX", "^N225": "N225",
}

_COLUMNS = {  # our field → the names each layout gives it
    "code": ("symbol", "ticker", "code", "ts_code", "股票代码", "代码"),
    "day": ("date", "trade_date", "日期"),
    "open": ("open", "开盘"),
    "high": ("high", "最高"),
    "low": ("low", "最低"),
    "close": ("close", "收盘"),
    "prev_close": ("pre_close", "prev_close", "前收盘"),
    "volume": ("volume", "vol", "成交量"),
    "turnover": ("amount", "turnover", "成交额"),
    "currency": ("currency", "币种"),
}
_TUSHARE_SCALE = {"volume": 100.0, "turnover": 1000.0}  # lots → shares, 千元 → 元
_EMPTY = {"", "null", "none", "nan", "-", "--", "n/a"}
_DAY_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%d/%m/%Y")


@dataclass(frozen=True, slots=True)
class _Layout:
    name: str
    columns: dict[str, str]  # our field → the header as written

    def scale(self, name: str) -> float:
        return _TUSHARE_SCALE.get(name, 1.0) if self.name == "tushare" else 1.0


def expand_price_inputs(inputs: Sequence[str]) -> list[Path]:
    """Files and the price files inside folders (sorted); raise when an input does not exist."""
    found: list[Path] = []
    for text in inputs:
        path = Path(text)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise InvalidInputError(f"{text}: no such file or folder; give price files (CSV, "
                                    "Parquet) or folders holding them")
    return found


def read_price_files(paths: Iterable[Path], master: SecurityMaster) -> list[PriceBar]:
    """Every bar in ``paths``; raise ``PriceFileError`` naming every bad row (nothing returned)."""
    bars: list[PriceBar] = []
    problems: list[str] = []
    seen: dict[tuple[str, date], tuple[PriceBar, str]] = {}
    for path in paths:
        for where, bar in _read_file(path, master, problems):
            earlier = seen.get((bar.code, bar.day))
            if earlier is not None and earlier[0] != bar:
                problems.append(f"{where}: {bar.code} {bar.day} differs from the bar at {earlier[1]}")
                continue
            if earlier is None:
                seen[(bar.code, bar.day)] = (bar, where)
                bars.append(bar)
    if problems:
        raise PriceFileError(problems)
    return bars


def _read_file(path: Path, master: SecurityMaster, problems: list[str]) -> Iterator[tuple[str, PriceBar]]:
    try:
        header, numbered = (_parquet_rows(path) if path.suffix.lower() in (".parquet", ".pq")
                            else _csv_rows(path))
        yield from read_records(str(path), header, numbered, master, problems,
                                default_code=_code_from_name(path), source=path.name)
    except (OSError, ValueError, csv.Error) as exc:
        problems.append(f"{path}: cannot be read ({exc})")


def read_records(
    origin: str,
    header: Sequence[str],
    records: Iterable[tuple[int, Mapping[str, Any]]],
    master: SecurityMaster,
    problems: list[str],
    *,
    default_code: str | None,
    source: str,
) -> Iterator[tuple[str, PriceBar]]:
    """(``origin:line``, bar) for each record of a table with one of the layouts; a bad record
    adds ``origin:line: what`` to ``problems`` instead. ``default_code`` serves tables without a
    code column; ``source`` is recorded on each bar after the layout name."""
    layout = _layout(header)
    if layout is None:
        problems.append(f"{origin}: not a known price layout (header {', '.join(header)}); "
                        "see docs/prices.md for the columns each layout needs")
        return
    fallback = None if "code" in layout.columns else default_code
    for line, row in records:
        where = f"{origin}:{line}"
        try:
            yield where, _bar(row, layout, master, fallback, source)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("not UTF-8 or GB18030 text")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for row in reader:
            if None in row:
                raise ValueError(f"line {reader.line_num} has more fields than the header")
            if any((v or "").strip() for v in row.values()):
                yield reader.line_num, row

    return header, rows()


def _parquet_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    import pyarrow.parquet as pq  # heavy: only when a Parquet file is read

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises its own error types for a damaged file
        raise ValueError(f"not a readable Parquet file: {exc}") from exc
    return list(table.column_names), ((i + 1, row) for i, row in enumerate(table.to_pylist()))


def _layout(header: Sequence[str]) -> _Layout | None:
    lowered = {h.strip().lower(): h for h in header}
    columns = {}
    for name, options in _COLUMNS.items():
        for option in options:
            if option in lowered:
                columns[name] = lowered[option]
                break
    if "day" not in columns or not ({"close", "turnover"} & columns.keys()):
        return None
    name = "tushare" if "ts_code" in lowered or "trade_date" in lowered else (
        "akshare" if "日期" in lowered else "yahoo")
    return _Layout(name, columns)


def _code_from_name(path: Path) -> str | None:
    name = path.name
    for suffix in SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or None


def canonical_code(text: str, master: SecurityMaster) -> str | None:
    """A listing code in any form, an index id or vendor index code, or a market total → the
    canonical code bars are stored under; None when it is none of these."""
    s = text.strip()
    upper = s.upper()
    if upper in MARKET_TOTALS:
        return upper
    if upper in INDEX_CODES:
        return INDEX_CODES[upper]
    index = master.indices.get(upper)
    if index is not None:
        return index.id
    if re.fullmatch(r"\d{4}\.HK", upper):  # Yahoo writes Hong Kong codes with four digits
        upper = f"0{upper}"
    return master.canonical_code(upper.replace(".SS", ".SH"))


def _bar(row: Mapping[str, Any], layout: _Layout, master: SecurityMaster, default_code: str | None,
         source: str) -> PriceBar:
    raw_code = _text(row, layout, "code") or default_code
    if not raw_code:
        raise ValueError("no code: add a code column or name the file after the code (0700.HK.csv)")
    code = canonical_code(raw_code, master)
    if code is None:
        raise ValueError(f"{raw_code!r} is not a listing code, index id or market (HK, CN)")
    day = _day(row[layout.columns["day"]])
    numbers = {name: _number(row, layout, name) for name in
               ("open", "high", "low", "close", "prev_close", "volume", "turnover")}
    if code in MARKET_TOTALS:
        if numbers["turnover"] is None:
            raise ValueError(f"market total {code} needs a turnover")
    elif numbers["close"] is None:
        raise ValueError("no close")
    for name in ("open", "high", "low", "close", "prev_close"):
        value = numbers[name]
        if value is not None and value <= 0:
            raise ValueError(f"{name} {value} is not a positive price")
    high, low = numbers["high"], numbers["low"]
    if high is not None and low is not None and high < low:
        raise ValueError(f"high {high} is below low {low}")
    return PriceBar(
        code=code, day=day, close=numbers["close"], open=numbers["open"], high=high, low=low,
        prev_close=numbers["prev_close"], volume=numbers["volume"], turnover=numbers["turnover"],
        currency=(_text(row, layout, "currency") or _currency(code)),
        source=f"{layout.name}:{source}",
    )


def _text(row: Mapping[str, Any], layout: _Layout, name: str) -> str | None:
    column = layout.columns.get(name)
    value = row.get(column) if column else None
    text = str(value).strip() if value is not None else ""
    return None if text.lower() in _EMPTY else text


def _number(row: Mapping[str, Any], layout: _Layout, name: str) -> float | None:
    column = layout.columns.get(name)
    value = row.get(column) if column else None
    if value is None or (isinstance(value, str) and value.strip().lower() in _EMPTY):
        return None
    try:
        number = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{column} {value!r} is not a number") from None
    if math.isnan(number):
        return None
    if math.isinf(number) or number < 0:
        raise ValueError(f"{column} {value!r} is not a usable number")
    return number * layout.scale(name)


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()[:10] if value is not None else ""
    for form in _DAY_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f"date {value!r} is not a date (use YYYY-MM-DD or YYYYMMDD)")


def _currency(code: str) -> str | None:
    if code in MARKET_TOTALS:
        return MARKET_TOTALS[code]
    suffix = code.rsplit(".", 1)[1] if "." in code else ""
    return {"HK": "HKD", "SH": "CNY", "SZ": "CNY", "BJ": "CNY", "US": "USD"}.get(suffix)


__all__ = ["INDEX_CODES", "MARKET_TOTALS", "SUFFIXES", "canonical_code", "expand_price_inputs",
           "read_price_files", "read_records"]
