"""Ingest throughput: articles per second end to end (read + extract + store) and per stage.

For each input size N the script writes N article files into a temporary folder (copies of
``examples/news`` made distinct, or synthesized articles when that folder is missing), then, in
a fresh process per size so peak memory is that size's alone:

* end to end: ``ingest_paths`` into a new database (read + extract + store, one transaction per
  article);
* read only: ``read_path`` over the same files;
* extract only: the default pipeline over the articles read;
* store only: ``Store.ingest_article`` of the pre-extracted articles into another new database;
* re-ingest: ``ingest_paths`` of the same files again (every article unchanged).

Usage: python benchmarks/ingest_throughput.py [--sizes 200 1000 5000] [--out docs/...md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "news"
DEFAULT_OUT = ROOT / "docs" / "performance-ingest.md"
MAX_BYTES = 20 * 1024 * 1024


def write_inputs(folder: Path, count: int) -> None:
    """``count`` distinct article files: example files with a unique url/line, or synthetic."""
    templates = sorted(p for p in EXAMPLES.glob("*") if p.suffix in {".md", ".txt"})
    for i in range(count):
        if templates:
            source = templates[i % len(templates)]
            data = _distinct_copy(source.read_bytes(), i)
            (folder / f"{i:06d}-{source.name}").write_bytes(data)
        else:
            (folder / f"{i:06d}.txt").write_text(_synthetic(i), encoding="utf-8")


def _distinct_copy(data: bytes, i: int) -> bytes:
    """A copy with its own id: a unique URL (front matter) and a unique closing line.

    Works on bytes so GB18030 and Big5 examples keep their encoding (ASCII is valid in both).
    """
    data = re.sub(rb"^(url:[ \t]*\S+)$", rb"\1-copy-" + str(i).encode(), data, count=1,
                  flags=re.MULTILINE)
    return data.rstrip(b"\r\n") + f"\n\nReference {i}.\n".encode()


def _synthetic(i: int) -> str:
    day = datetime(2025, 10, 1, tzinfo=UTC) + timedelta(days=i % 60)
    return (
        f"Hong Kong stocks report {i}\n"
        f"On {day:%A, %B %d, %Y}, the Hang Seng Index rose {i % 7}.{i % 10}% to "
        f"{25000 + i % 1500:,} points. Tencent (00700.HK) gained 2.{i % 10}% and SMIC "
        f"(00981.HK) fell 1.{i % 9}%. Turnover reached HK${200 + i % 90}.4 billion.\n\n"
        "Market Context\nSouthbound investors bought a net HK$8.1 billion of shares.\n"
    )


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def measure(count: int) -> dict[str, Any]:
    """All measurements for one input size, in this process."""
    from tickerwire.extract import build_pipeline
    from tickerwire.ingest import ingest_paths
    from tickerwire.model import Article
    from tickerwire.sources import read_path
    from tickerwire.store import Store

    pipeline = build_pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "news"
        folder.mkdir()
        write_inputs(folder, count)
        files = sorted(folder.iterdir())
        with Store(Path(tmp) / "e2e.db") as store:
            summary, e2e = _timed(lambda: ingest_paths(store, [str(folder)], pipeline=pipeline,
                                                       max_bytes=MAX_BYTES))
            _, again = _timed(lambda: ingest_paths(store, [str(folder)], pipeline=pipeline,
                                                   max_bytes=MAX_BYTES))
        items, read = _timed(lambda: [x for f in files for x in read_path(f, max_bytes=MAX_BYTES)])
        articles = [x for x in items if isinstance(x, Article)]
        extractions, extract = _timed(lambda: [pipeline(a) for a in articles])
        with Store(Path(tmp) / "store.db") as store:
            _, store_only = _timed(
                lambda: [store.ingest_article(a, x) for a, x in zip(articles, extractions,
                                                                   strict=True)]
            )
        db_bytes = (Path(tmp) / "e2e.db").stat().st_size
    n = len(articles)
    return {
        "files": count,
        "articles": summary.new,
        "quarantined": summary.quarantined,
        "end_to_end": n / e2e,
        "read": n / read,
        "extract": n / extract,
        "store": n / store_only,
        "reingest": n / again,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load": os.getloadavg()[0],
        "db_mb": db_bytes / 1e6,
    }


def run_isolated(count: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--single", str(count)],
                         capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def table(results: list[dict[str, Any]]) -> str:
    header = ("| files | articles | end to end (art/s) | read | extract | store only | "
              "re-ingest (unchanged) | peak RSS (MB) | DB size (MB) | load avg |")
    rule = "|" + "---:|" * 10
    rows = [
        f"| {r['files']} | {r['articles']} | {r['end_to_end']:.0f} | {r['read']:.0f} | "
        f"{r['extract']:.0f} | {r['store']:.0f} | {r['reingest']:.0f} | "
        f"{r['peak_rss_mb']:.0f} | {r['db_mb']:.1f} | {r['load']:.1f} |"
        for r in results
    ]
    return "\n".join([header, rule, *rows])


def report(results: list[dict[str, Any]]) -> str:
    from tickerwire import PIPELINE_VERSION
    from tickerwire.extract import build_pipeline

    names = ", ".join(build_pipeline().names) or "(none)"
    inputs = f"copies of the {len(list(EXAMPLES.glob('*')))} files in `examples/news`" if (
        EXAMPLES.is_dir() and any(EXAMPLES.iterdir())) else "synthesized plain-text reports"
    return f"""# Ingest throughput

Generated by `python benchmarks/ingest_throughput.py` (`make bench`); do not edit by hand.

- Measured: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} CPUs,
  Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, one process (one core).
- Inputs: {inputs}, each made distinct (its own URL and closing line).
- Pipeline {PIPELINE_VERSION}: {names}.
- Rates are articles per second. *End to end* is `ingest_paths` (read + extract + store, one
  transaction per article) into a new database; *read*, *extract* and *store only* time each
  stage alone; *re-ingest* runs the same files again (all unchanged: read, hash, skip).
- Peak RSS is the whole process for that input size (each size runs in its own process); it
  includes the lists of all articles and extractions the per-stage timings hold, while
  `ingest_paths` itself streams one file at a time.
- *Load avg* is the 1-minute system load when the size finished: on a shared machine other work
  slows every stage, so compare rows measured under similar load.

{table(results)}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 5000])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--single", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.single:
        print(json.dumps(measure(args.single)))
        return 0
    results = []
    for size in args.sizes:
        result = run_isolated(size)
        results.append(result)
        print(f"{size:>6} files: {result['end_to_end']:8.0f} art/s end to end, "
              f"{result['store']:8.0f} art/s store only, peak {result['peak_rss_mb']:.0f} MB",
              flush=True)
    args.out.write_text(report(results), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
