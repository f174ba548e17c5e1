"""Time to check reported numbers against prices: ``Store.refresh_verdicts`` over N facts.

Builds a database of synthetic articles whose facts are close moves, closes, index levels and
turnovers about ``--codes`` listings over 60 Hong Kong trading days (a third agreeing with the
bars, a third off by a few per cent, a third on a neighbouring day), imports the bars, then
times re-checking every fact ``--repeat`` times and prints the median wall-clock and CPU seconds
and facts per second. Also reports how long the bar import (which re-checks the facts about its
codes) took.

Usage: python benchmarks/verify_throughput.py [--facts 100000] [--codes 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tickerwire.model import Article, Extraction, Fact, PriceBar
from tickerwire.refdata.calendars import calendar_for
from tickerwire.store import Store

FACTS_PER_ARTICLE = 20


def trading_days(count: int) -> list[date]:
    calendar = calendar_for("HSI")
    day, days = date(2025, 6, 2), []
    while len(days) < count:
        if calendar.is_trading_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def bars_for(codes: list[str], days: list[date], rng: random.Random) -> list[PriceBar]:
    bars = []
    for code in codes:
        close = rng.uniform(5, 500)
        for day in days:
            previous, close = close, round(close * (1 + rng.uniform(-0.04, 0.04)), 2)
            bars.append(PriceBar(code, day, close, prev_close=round(previous, 2), turnover=close * 1e7,
                                 currency="HKD", source="benchmark"))
    return bars


def fact_for(bar: PriceBar, neighbour: PriceBar, rng: random.Random) -> Fact:
    source = rng.choice((bar, bar, neighbour))  # a third of the numbers are about another day
    assert source.close is not None and source.prev_close is not None
    pct = round((source.close / source.prev_close - 1) * 100, 1) + rng.choice((0.0, 0.0, 2.3))
    kind = rng.choice(("price_move", "price_move", "close_price", "turnover"))
    text = f"rose {abs(pct):.1f}% to HK${source.close:.2f} on turnover of HK${(source.turnover or 0) / 1e9:.2f} billion"
    if kind == "turnover":
        return Fact("turnover", bar.code, value=round((source.turnover or 0) / 1e7) * 1e7, currency="HKD",
                    text=text, day=bar.day)
    if kind == "close_price":
        return Fact("close_price", bar.code, value=source.close, currency="HKD", text=text, day=bar.day)
    return Fact("price_move", bar.code, pct=pct, price=source.close, currency="HKD", text=text,
                horizon="close", day=bar.day)


def build(path: Path, facts: int, codes: int, seed: int = 7) -> tuple[list[PriceBar], float]:
    rng = random.Random(seed)
    listing_codes = [f"{n:05d}.HK" for n in range(1, codes + 1)]
    days = trading_days(60)
    bars = bars_for(listing_codes, days, rng)
    by_key = {(b.code, b.day): b for b in bars}
    with Store(path) as store:
        for n in range(facts // FACTS_PER_ARTICLE):
            code = rng.choice(listing_codes)
            i = rng.randrange(1, len(days) - 1)
            bar, neighbour = by_key[(code, days[i])], by_key[(code, days[i + rng.choice((-1, 1))])]
            article = Article(text=f"Benchmark article {n}", title=f"Benchmark {n}",
                              url=f"https://bench.example/{n}", source=f"Wire {n % 7}",
                              published_at=datetime.combine(bar.day, datetime.min.time(), UTC))
            store.ingest_article(article, Extraction(article=article, facts=tuple(
                fact_for(bar, neighbour, rng) for _ in range(FACTS_PER_ARTICLE))))
        started = time.perf_counter()
        store.import_bars(bars)
        import_seconds = time.perf_counter() - started
    return bars, import_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--codes", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        bars, import_seconds = build(path, args.facts, args.codes)
        walls, cpus = [], []
        with Store(path) as store:
            for _ in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                checked = store.refresh_verdicts()
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            counts: dict[str, int] = {}
            for row in store.fact_rows():
                verdict = row.verification.verdict if row.verification else "none"
                counts[verdict] = counts.get(verdict, 0) + 1
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"| facts checked | bars | wall s (median of {args.repeat}) | CPU s | facts/s (CPU) |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {checked:,} | {len(bars):,} | {wall:.2f} | {cpu:.2f} | {checked / cpu:,.0f} |")
    print(f"\nimporting the {len(bars):,} bars (re-checking every fact about them): {import_seconds:.2f} s wall")
    print("verdicts: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
