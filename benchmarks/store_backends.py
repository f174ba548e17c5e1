"""Latency of the API's main GET endpoints on SQLite and on PostgreSQL, over the same news.

Ingests ``--articles`` distinct copies of the sample news (``ingest_throughput.write_inputs``)
into a new SQLite file and into the PostgreSQL database ``--pg URL`` (emptied first: give a
database that holds nothing you need), then calls each
endpoint ``--repeat`` times in process (FastAPI's test client, no network) after one warm-up and
prints a Markdown table of the median and 95th-percentile milliseconds per backend, plus the
ingest time of each. PostgreSQL's statistics are refreshed (``ANALYZE``) after the load, as
autovacuum would do shortly after.

Usage: python benchmarks/store_backends.py --pg postgresql://user@127.0.0.1:5432/bench
       [--articles 500] [--repeat 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fastapi.testclient import TestClient
from ingest_throughput import write_inputs  # sibling scripts
from scale import analyze_postgresql, empty_postgresql

from tickerwire.app import create_app
from tickerwire.ingest import ingest_paths
from tickerwire.settings import Settings
from tickerwire.store import Store

ENDPOINTS = [
    ("search 恒生指数", "/api/articles?q=恒生指数&limit=20"),
    ("search Tencent + facets", "/api/articles?q=Tencent&limit=20&facets=true"),
    ("list newest", "/api/articles?limit=50"),
    ("article", "/api/articles/{article}"),
    ("stock 00700.HK", "/api/stocks/00700.HK"),
    ("movers", "/api/movers"),
    ("market", "/api/market"),
    ("ipos", "/api/ipos"),
    ("brief (json)", "/api/brief"),
]


def _ingest(target: Path | str, inputs: Path) -> tuple[float, str]:
    started = time.perf_counter()
    with Store(target) as store:
        ingest_paths(store, [str(inputs)], max_bytes=20_000_000)
        seconds = time.perf_counter() - started
        if isinstance(target, str):  # what autovacuum does soon after a bulk load
            analyze_postgresql(target)
        article = store.search("Tencent", limit=1)[0].id
    return seconds, article


def _time(settings: Settings, article: str, repeat: int) -> dict[str, tuple[float, float]]:
    timings: dict[str, tuple[float, float]] = {}
    with TestClient(create_app(settings)) as client:
        for name, path in ENDPOINTS:
            url = path.format(article=article)
            assert client.get(url).status_code == 200, url  # warm-up
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, url
            samples.sort()
            timings[name] = (statistics.median(samples),
                             samples[min(len(samples) - 1, int(0.95 * len(samples)))])
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", required=True, help="a PostgreSQL URL whose data may be erased")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "news"
        inputs.mkdir()
        write_inputs(inputs, args.articles)
        empty_postgresql(args.pg)
        sqlite_file = Path(tmp) / "bench.db"
        results = {}
        for label, target, settings in (
            ("SQLite", sqlite_file, Settings(db_path=sqlite_file)),
            ("PostgreSQL", args.pg, Settings(db_path=sqlite_file, db_url=args.pg)),
        ):
            seconds, article = _ingest(target, inputs)
            with Store(target, readonly=True) as store:
                articles = store.stats()["articles"]
            results[label] = (seconds, _time(settings, article, args.repeat))
            print(f"{label}: ingested {articles} articles in {seconds:.1f} s", file=sys.stderr)
    print(f"| endpoint ({args.repeat} calls) | SQLite p50 ms | SQLite p95 ms "
          "| PostgreSQL p50 ms | PostgreSQL p95 ms |")
    print("|---|---:|---:|---:|---:|")
    for name, _ in ENDPOINTS:
        sqlite_p50, sqlite_p95 = results["SQLite"][1][name]
        pg_p50, pg_p95 = results["PostgreSQL"][1][name]
        print(f"| {name} | {sqlite_p50:.1f} | {sqlite_p95:.1f} | {pg_p50:.1f} | {pg_p95:.1f} |")
    print(f"| ingest (s) | {results['SQLite'][0]:.1f} | | {results['PostgreSQL'][0]:.1f} | |")


if __name__ == "__main__":
    main()
