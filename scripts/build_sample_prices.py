#!/usr/bin/env python
"""Write the sample price bars of ``examples/prices/`` from the sample news of ``examples/news/``.

Usage::

    python scripts/build_sample_prices.py [--news examples/news] [--out examples/prices]

The bars are sample data, not market records. For every listing, index and market total the
sample news reports on, each trading day gets the close, move and turnover the articles agree on
(the most reported value when they differ); a reported move also fixes the close before it, and
days without a report follow a small seeded random walk. Then the deliberate cases of
``DELIBERATE`` are applied, so that the demo shows every verdict: a misprinted close and a move
reported on the wrong day. The headline rounding the news already holds ("Hang Seng Index sinks
1.5%" for a 1.52% fall) is confirmed, as it should be.

The files use the layouts ``tickerwire prices import`` reads: Yahoo CSV for Hong Kong, US and
Tokyo listings, tushare for A shares and mainland indices, AkShare for one A share, Parquet for
the Hong Kong indices, and a plain CSV of market turnover. Deterministic: the same news gives
the same files.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tickerwire.extract import build_pipeline  # noqa: E402
from tickerwire.model import CHECKED_KINDS  # noqa: E402
from tickerwire.prices.readers import INDEX_CODES, MARKET_TOTALS  # noqa: E402
from tickerwire.refdata.calendars import calendar_for  # noqa: E402
from tickerwire.sources import expand_inputs, read_path  # noqa: E402

FIRST, LAST = date(2025, 9, 29), date(2025, 11, 7)


@dataclass(frozen=True)
class Deliberate:
    code: str
    day: date
    close: float | None = None  # the market's close where a report misprinted it
    pct: float | None = None  # the market's move that day
    why: str = ""


# The market as it "really" was where the sample news gets it wrong (README.md lists them).
DELIBERATE = (
    Deliberate("00992.HK", date(2025, 10, 8), close=11.89,
               why="misprinted close: one paper printed HK$11.98 for Lenovo's HK$11.89 close"),
    Deliberate("00941.HK", date(2025, 10, 13), pct=1.1,
               why="wrong day: the +1.1% a wrap gives China Mobile on 14 Oct happened on 13 Oct"),
    Deliberate("00941.HK", date(2025, 10, 14), pct=-0.3, why="(the other half of the case above)"),
)


@dataclass
class Day:
    closes: Counter[float] = field(default_factory=Counter)
    pcts: Counter[float] = field(default_factory=Counter)
    points: Counter[float] = field(default_factory=Counter)
    turnovers: Counter[float] = field(default_factory=Counter)


def reported(news: Path) -> dict[str, dict[date, Day]]:
    """What the sample news says each code did each day (close-horizon numbers only)."""
    pipeline = build_pipeline()
    found: dict[str, dict[date, Day]] = defaultdict(lambda: defaultdict(Day))
    for path in expand_inputs([str(news)]):
        for item in read_path(path):
            if isinstance(item, Exception):
                continue
            for fact in pipeline(item).facts:
                if (fact.kind not in CHECKED_KINDS or fact.subject is None or fact.day is None
                        or fact.horizon not in (None, "close") or fact.qualifier != "exact"):
                    continue
                if not calendar_for(fact.subject).is_trading_day(fact.day):
                    continue
                day = found[fact.subject][fact.day]
                if fact.kind == "turnover":
                    if fact.value is not None and fact.value_max is None:
                        day.turnovers[fact.value] += 1
                    continue
                close = fact.value if fact.kind in ("index_level", "close_price") else fact.price
                if close is not None:
                    day.closes[close] += 1
                if fact.pct is not None:
                    day.pcts[fact.pct] += 1
                if fact.points is not None:
                    day.points[fact.points] += 1
    return found


def trading_days(code: str) -> list[date]:
    calendar = calendar_for(code)
    day, days = calendar.on_or_before(LAST), []
    while day >= FIRST:
        days.append(day)
        day = calendar.previous(day)
    return days[::-1]


def top(counter: Counter[float]) -> float | None:
    return counter.most_common(1)[0][0] if counter else None


def series(code: str, days_reported: dict[date, Day]) -> list[dict[str, float | date | None]]:
    """One bar per trading day: reported values where there are any, a seeded walk elsewhere."""
    rng = random.Random(code)
    days = trading_days(code)
    deliberate = {(d.code, d.day): d for d in DELIBERATE}
    closes: dict[date, float] = {}
    pcts: dict[date, float] = {}
    for day in days:
        info = days_reported.get(day, Day())
        fix = deliberate.get((code, day))
        close = fix.close if fix and fix.close is not None else top(info.closes)
        pct = fix.pct if fix and fix.pct is not None else top(info.pcts)
        if pct is None and info.points and close is not None:
            pct = close / (close - top(info.points)) * 100 - 100  # type: ignore[operator]
        if close is not None:
            closes[day] = close
        if pct is not None:
            pcts[day] = pct
    values = _link(days, closes, pcts)
    anchor = next((d for d in days if d in values), None)
    if anchor is None:  # never a reported level: start from a round number
        anchor = days[0]
        values[anchor] = 1000.0 if code in INDEX_CODES.values() else 50.0
    start = days.index(anchor)
    for i in range(start, 0, -1):  # back from the first known close
        if days[i - 1] not in values:
            move = pcts.get(days[i], rng.uniform(-1.2, 1.2))
            values[days[i - 1]] = values[days[i]] / (1 + move / 100)
    for i in range(start + 1, len(days)):
        if days[i] not in values:
            move = pcts.get(days[i], rng.uniform(-1.2, 1.2))
            values[days[i]] = values[days[i - 1]] * (1 + move / 100)
    bars = []
    base_turnover = None
    for i, day in enumerate(days):
        info = days_reported.get(day, Day())
        close = round(values[day], 2)
        prev = round(close / (1 + pcts[day] / 100), 4) if day in pcts else (
            round(values[days[i - 1]], 2) if i else round(close / (1 + rng.uniform(-1, 1) / 100), 2))
        if day in pcts and info.points:  # indices: the reported points decide the previous close
            prev = round(close - top(info.points), 2)  # type: ignore[operator]
        open_ = round(prev * (1 + rng.uniform(-0.6, 0.6) / 100), 2)
        high = round(max(open_, close) * (1 + rng.uniform(0, 0.8) / 100), 2)
        low = round(min(open_, close) * (1 - rng.uniform(0, 0.8) / 100), 2)
        turnover = top(info.turnovers)
        if turnover is None:
            base_turnover = base_turnover or close * rng.uniform(2e6, 2e7)
            turnover = round(base_turnover * rng.uniform(0.7, 1.3), -4)
        bars.append({"day": day, "open": open_, "high": high, "low": low, "close": close,
                     "prev_close": prev, "volume": round(turnover / close, -2), "turnover": turnover})
    return bars


def _link(days: list[date], closes: dict[date, float], pcts: dict[date, float]) -> dict[date, float]:
    """Reported closes, plus every close a reported move pins to a neighbouring reported close."""
    values = dict(closes)
    changed = True
    while changed:
        changed = False
        for i in range(1, len(days)):
            day, before = days[i], days[i - 1]
            if day in pcts and day in values and before not in values:
                values[before] = values[day] / (1 + pcts[day] / 100)
                changed = True
            elif day in pcts and before in values and day not in values:
                values[day] = values[before] * (1 + pcts[day] / 100)
                changed = True
    return values


def market_totals(found: dict[str, dict[date, Day]]) -> list[tuple[str, date, float, str]]:
    rows = []
    for code, currency in MARKET_TOTALS.items():
        rng = random.Random(code)
        reported_days = found.get(code, {})
        known = [t for d in reported_days.values() if (t := top(d.turnovers)) is not None]
        base = sum(known) / len(known) if known else 2e11
        for day in trading_days(code):
            value = top(reported_days[day].turnovers) if day in reported_days else None
            rows.append((code, day, value or round(base * rng.uniform(0.8, 1.2), -8), currency))
    return rows


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def vendor_code(index_id: str) -> str:
    return next(code for code, name in INDEX_CODES.items() if name == index_id and code[0] in "03")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=ROOT / "examples" / "news")
    parser.add_argument("--out", type=Path, default=ROOT / "examples" / "prices")
    args = parser.parse_args()
    found = reported(args.news)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*"):
        if old.suffix in (".csv", ".parquet"):
            old.unlink()
    tushare, tushare_index, hk_indices = [], [], []
    for code in sorted(c for c in found if c not in MARKET_TOTALS):
        bars = series(code, found[code])
        if code.endswith((".SH", ".SZ", ".BJ")) and code != "603986.SH":
            tushare += [[code, b["day"].strftime("%Y%m%d"), b["open"], b["high"], b["low"], b["close"],  # type: ignore[union-attr]
                         b["prev_close"], round(b["close"] - b["prev_close"], 4),  # type: ignore[operator]
                         round((b["close"] / b["prev_close"] - 1) * 100, 4),  # type: ignore[operator]
                         round(b["volume"] / 100, 2), round(b["turnover"] / 1000, 3)] for b in bars]  # type: ignore[operator]
        elif code == "603986.SH":  # AkShare's stock_zh_a_hist columns
            write_csv(out / "603986.csv", ["日期", "开盘", "收盘", "最高", "最低", "成交量", "成交额", "涨跌幅"],
                      [[b["day"], b["open"], b["close"], b["high"], b["low"], b["volume"], b["turnover"],
                        round((b["close"] / b["prev_close"] - 1) * 100, 2)] for b in bars])  # type: ignore[operator]
        elif "." not in code and calendar_for(code).name == "XSHG":
            tushare_index += [[vendor_code(code), b["day"].strftime("%Y%m%d"), b["open"], b["high"], b["low"],  # type: ignore[union-attr]
                               b["close"], b["prev_close"], round(b["volume"] / 100, 2),  # type: ignore[operator]
                               round(b["turnover"] / 1000, 3)] for b in bars]  # type: ignore[operator]
        elif "." not in code:
            hk_indices += [{"code": code, "date": b["day"], **{k: b[k] for k in (
                "open", "high", "low", "close", "prev_close", "volume", "turnover")}} for b in bars]
        else:  # Yahoo: Hong Kong codes with four digits, no previous close column
            name = code[1:] if code.endswith(".HK") and code.startswith("0") else code
            write_csv(out / f"{name}.csv", ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"],
                      [[b["day"], b["open"], b["high"], b["low"], b["close"], b["close"], b["volume"]]
                       for b in bars])
    write_csv(out / "tushare_daily.csv", ["ts_code", "trade_date", "open", "high", "low", "close", "pre_close",
                                          "change", "pct_chg", "vol", "amount"], tushare)
    write_csv(out / "tushare_index_daily.csv", ["ts_code", "trade_date", "open", "high", "low", "close",
                                                "pre_close", "vol", "amount"], tushare_index)
    write_csv(out / "market_turnover.csv", ["code", "date", "turnover", "currency"],
              [list(row) for row in market_totals(found)])
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(hk_indices), out / "hk_indices.parquet")
    print(f"wrote {len(list(out.glob('*')))} files to {out}")


if __name__ == "__main__":
    main()
