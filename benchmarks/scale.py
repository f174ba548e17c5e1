"""Scale: single-process ingest vs Spark ``batch extract``, bulk load, query latency on a big store.

Steps (each in its own process, so peak memory is that step's alone):

1. ``corpus``: N articles generated from the sample news (``examples/news``) by varying them —
   companies swapped for others (English and Chinese names), every decimal figure moved by up to
   ±20 %, publication times spread over ten years — written as JSON Lines, 200 per file.
2. ``ingest``: ``tickerwire ingest`` of the corpus into a new SQLite file (one process).
3. ``batch``: ``tickerwire batch extract --master local[CORES]`` of the same corpus.
4. ``load``: ``tickerwire batch load`` of the tables Spark wrote into a new SQLite file and, with
   ``--pg``, into that PostgreSQL database (emptied first; ``COPY`` per table).
5. ``big``: the extracted tables copied K times under new ids and dates into one big set of
   tables, loaded with ``batch load`` on each backend (load time reported), then the API's main
   GET endpoints are timed in-process (FastAPI's TestClient, no network) and p50/p95/p99 reported.
   The big load leaves stories out (their assignment, part of every ``batch load``, is measured
   by the ``load`` step; at this machine's rate it would double the build). PostgreSQL's
   statistics are refreshed (``ANALYZE``) after each load, as autovacuum soon would.
6. ``export``: the big SQLite store exported (``export all``: rows, time and peak memory, which
   stays flat as it streams).

Peak memory is the largest resident set of any one process of the step (for Spark: the JVM
driver/executor or a Python worker), from ``getrusage(RUSAGE_CHILDREN)``. For ``ingest``, which runs
in one process (``--workers 1``), CPU ms per article adds its user and system time, which a busy
machine does not inflate the way it does the wall clock (Spark's Python workers are not waited for
by their parent, so ``getrusage`` cannot count ``batch``'s CPU).

Usage: python benchmarks/scale.py --articles 10000 --copies 20 --work /tmp/scale
       [--pg postgresql://user@host/db] [--backends sqlite postgresql] [--out results.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "news"
PER_FILE = 200

# Names swapped for one another when generating articles (each pair both ways).
_SWAPS = [
    ("SMIC", "Hua Hong"), ("Tencent", "Alibaba"), ("Xiaomi", "BYD"), ("HSBC", "AIA"),
    ("CATL", "Zijin Mining"), ("Meituan", "JD.com"),
    ("中芯国际", "华虹半导体"), ("中芯國際", "華虹半導體"), ("腾讯", "阿里巴巴"), ("騰訊", "阿里巴巴"),
    ("小米", "比亚迪"), ("汇丰", "友邦"), ("滙豐", "友邦"), ("宁德时代", "紫金矿业"),
]
_DECIMAL = re.compile(r"(?<![\d.])(\d{1,5})\.(\d{1,2})(?![\d.])")


def _varied_figures(text: str, rng: random.Random) -> str:
    def move(m: re.Match[str]) -> str:
        places = len(m.group(2))
        value = float(m.group(0)) * rng.uniform(0.8, 1.2)
        return f"{value:.{places}f}"

    return _DECIMAL.sub(move, text)


def _swapped_names(text: str, rng: random.Random) -> str:
    for a, b in _SWAPS:
        if rng.random() < 0.5:
            text = text.replace(a, "\0").replace(b, a).replace("\0", b)
    return text


def generate_corpus(count: int, folder: Path, *, seed: int = 13) -> None:
    """``count`` distinct articles as JSON Lines files of ``PER_FILE`` records."""
    from tickerwire.model import Article
    from tickerwire.sources import expand_inputs, read_path

    bases = [item for path in expand_inputs([str(EXAMPLES)]) for item in read_path(path)
             if isinstance(item, Article)]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    handle = None
    for i in range(count):
        if i % PER_FILE == 0:
            if handle is not None:
                handle.close()
            handle = (folder / f"corpus-{i // PER_FILE:05d}.jsonl").open("w", encoding="utf-8")
        base = bases[i % len(bases)]
        text = _varied_figures(_swapped_names(base.text, rng), rng)
        published = base.published_at
        record: dict[str, Any] = {
            "id": f"gen-{i:08d}", "text": text,
            "title": _swapped_names(base.title or "", rng) or None,
            "lang": base.lang, "source": base.source,
        }
        if published is not None:
            record["published_at"] = (published - timedelta(days=rng.randrange(0, 3650))).isoformat()
        assert handle is not None
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    if handle is not None:
        handle.close()


def run_measured(argv: list[str]) -> dict[str, Any]:
    """Run ``argv`` in a child of a fresh helper process: wall time and peak RSS of its tree."""
    helper = [sys.executable, __file__, "_measure", json.dumps(argv)]
    done = subprocess.run(helper, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    measured = dict(json.loads(done.stdout.strip().splitlines()[-1]))
    measured["load_avg_1min"] = os.getloadavg()[0]  # other work on a shared machine slows every step
    return measured


def _measure(argv: list[str]) -> None:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(done.returncode)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": elapsed, "peak_mib": usage.ru_maxrss / 1024,
                      "cpu_seconds": usage.ru_utime + usage.ru_stime, "stdout": done.stdout[-4000:]}))


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from tickerwire.cli import main; main()", *args]


def copy_tables(source: Path, target: Path, copies: int, *, seed: int = 7) -> int:
    """``copies`` copies of the tables under ``source`` with new ids (``cNNNN-…``, so each copy
    sorts after the one before) and publication times moved by whole days. Returns articles."""
    from tickerwire.batch.files import read_rows, table_files
    from tickerwire.batch.tables import CHILD_TABLES, SCHEMAS

    rng = random.Random(seed)
    articles = 0
    tables = {name: pa.concat_tables([pq.read_table(p) for p in table_files(source, name)])
              for name in ("articles", *CHILD_TABLES)}
    base_rows = list(read_rows(source, "articles"))
    for name in tables:
        (target / name).mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        prefix = f"c{k:04d}-"
        shift = timedelta(days=rng.randrange(-1800, 1800))
        rows = []
        for row in base_rows:
            metadata = json.loads(row["metadata"])
            metadata["source_id"] = prefix + row["article_id"]
            published = row["published_at"]
            rows.append({**row, "article_id": prefix + row["article_id"],
                         "metadata": json.dumps(metadata, ensure_ascii=False, sort_keys=True),
                         "published_at": None if published is None else published + shift,
                         "published_date_hk": None if row["published_date_hk"] is None
                         else (row["published_at"] + shift + timedelta(hours=8)).date()})
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS["articles"]),
                       target / "articles" / f"part-{k:05d}.parquet")
        articles += len(rows)
        for name in CHILD_TABLES:
            table = tables[name]
            ids = pa.array([prefix + i for i in table.column("article_id").to_pylist()], pa.string())
            table = table.set_column(0, "article_id", ids)
            pq.write_table(table, target / name / f"part-{k:05d}.parquet")
    return articles


def _percentiles(samples: list[float]) -> dict[str, float]:
    """Milliseconds at the 50th, 95th and 99th percentile (interpolated between samples)."""
    ordered = sorted(samples)
    if len(ordered) < 2:
        ordered = ordered * 2  # one request: every percentile is that request
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000}


def empty_postgresql(url: str) -> None:
    """Erase every tickerwire table of the database ``url`` (the schema stays)."""
    import psycopg

    from tickerwire.store import Store

    Store(url).close()  # migrated
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename <> 'schema_migrations'")]
        conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")  # type: ignore[arg-type]


def analyze_postgresql(url: str) -> int:
    """Refresh the planner's statistics; return the database's size in bytes."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(size[0]) if size else 0


def bulk_load(
    backend: str, tables: Path, db: Path, pg: str | None, articles: int, *, stories: bool = True
) -> dict[str, Any]:
    """``tickerwire batch load`` of ``tables`` into a new SQLite file ``db`` or the emptied
    PostgreSQL database ``pg``: time, rate, peak memory and the store's size. Without
    ``stories``, the same load leaves the articles without stories (``load_tables(assign=False)``)."""
    if backend == "postgresql":
        assert pg is not None
        empty_postgresql(pg)
        target = pg
    else:
        db.unlink(missing_ok=True)
        target = str(db)
    command = (cli("--db", target, "batch", "load", str(tables), "--json") if stories
               else [sys.executable, __file__, "_load_without_stories", target, str(tables)])
    run = run_measured(command)
    size = analyze_postgresql(pg) if pg and backend == "postgresql" else db.stat().st_size + _wal(db)
    return {"articles": articles, "seconds": run["seconds"], "peak_mib": run["peak_mib"],
            "articles_per_second": articles / run["seconds"], "db_bytes": size,
            "load_avg_1min": run["load_avg_1min"], "summary": json.loads(run["stdout"])}


def query_latency(db: Path | str, *, repeats: int, budget: float = 60.0) -> dict[str, dict[str, float]]:
    """p50/p95/p99 of the main GET endpoints against ``db`` (in-process, no network): ``repeats``
    requests each, or as many as ``budget`` seconds allow (at least three, unless they take more
    than three budgets)."""
    from fastapi.testclient import TestClient

    from tickerwire.app import create_app
    from tickerwire.settings import Settings

    settings = (Settings(db_path=Path("unused.db"), db_url=db) if isinstance(db, str)
                else Settings(db_path=db))
    with TestClient(create_app(settings)) as client:
        listed = client.get("/api/articles", params={"limit": 50}).json()
        ids = [item["id"] for item in listed["results"]]
        days = [item.get("published_date_hk") for item in listed["results"]]
        day = next((d for d in days if d), "2025-10-24")
        endpoints: dict[str, Iterator[tuple[str, dict[str, Any]]]] = {
            "GET /api/articles (latest page)": _cycle([("/api/articles", {})]),
            "GET /api/articles?q=semiconductor": _cycle([("/api/articles", {"q": "semiconductor"})]),
            "GET /api/articles?q=中芯": _cycle([("/api/articles", {"q": "中芯"})]),
            "GET /api/articles?security=00700.HK": _cycle([("/api/articles", {"security": "00700.HK"})]),
            "GET /api/articles/{id}": _cycle([(f"/api/articles/{i}", {}) for i in ids]),
            "GET /api/stocks/00981.HK": _cycle([("/api/stocks/00981.HK", {})]),
            "GET /api/movers?date=D": _cycle([("/api/movers", {"date": day})]),
            "GET /api/market?date=D": _cycle([("/api/market", {"date": day})]),
            "GET /api/ipos": _cycle([("/api/ipos", {})]),
        }
        results = {}
        for name, requests in endpoints.items():
            samples: list[float] = []
            started_endpoint = time.perf_counter()
            for _ in range(repeats):
                spent = time.perf_counter() - started_endpoint
                if spent > budget and (len(samples) >= 3 or spent > 3 * budget):
                    break
                path, params = next(requests)
                started = time.perf_counter()
                response = client.get(path, params=params)
                samples.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {response.status_code} {response.text[:300]}")
            results[name] = {**_percentiles(samples), "requests": len(samples)}
    return results


def _cycle(items: list[tuple[str, dict[str, Any]]]) -> Iterator[tuple[str, dict[str, Any]]]:
    while True:
        yield from items


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "_measure":
        _measure(json.loads(args[1]))
        return 0
    if args and args[0] == "_load_without_stories":
        from tickerwire.batch.exchange import load_tables
        from tickerwire.store import Store

        with Store(args[1]) as store:
            summary = load_tables(store, Path(args[2]), assign=False)
        print(json.dumps({"new": summary.new, "unchanged": summary.unchanged}))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--copies", type=int, default=0, help="Copies of the extracted tables for the big store.")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--steps", nargs="+",
                        default=["corpus", "ingest", "batch", "load", "big", "export"])
    parser.add_argument("--pg", help="A PostgreSQL database whose data may be erased: the load "
                        "and big steps also run there.")
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgresql"],
                        help="Where the load and big steps run (default: SQLite, and PostgreSQL "
                        "with --pg).")
    parser.add_argument("--out", type=Path, help="Append the results as one JSON line here.")
    opts = parser.parse_args(args)
    work: Path = opts.work
    corpus, tables = work / f"corpus-{opts.articles}", work / f"tables-{opts.articles}"
    results: dict[str, Any] = {"articles": opts.articles, "cores": opts.cores, "host_cpus": os.cpu_count()}
    if "corpus" in opts.steps and not corpus.exists():
        generate_corpus(opts.articles, corpus)
    if "ingest" in opts.steps:
        db = work / f"ingest-{opts.articles}.db"
        db.unlink(missing_ok=True)
        run = run_measured(cli("--db", str(db), "ingest", str(corpus), "--workers", "1", "--json"))
        results["ingest"] = {"seconds": run["seconds"], "peak_mib": run["peak_mib"],
                             "cpu_ms_per_article": 1000 * run["cpu_seconds"] / opts.articles,
                             "articles_per_second": opts.articles / run["seconds"],
                             "load_avg_1min": run["load_avg_1min"]}
        print("ingest", results["ingest"], flush=True)
    if "batch" in opts.steps:
        shutil.rmtree(tables, ignore_errors=True)
        run = run_measured(cli("batch", "extract", str(corpus), "--out", str(tables),
                               "--master", f"local[{opts.cores}]", "--json"))
        results["batch_extract"] = {"seconds": run["seconds"], "peak_mib": run["peak_mib"],
                                    "articles_per_second": opts.articles / run["seconds"],
                                    "load_avg_1min": run["load_avg_1min"]}
        print("batch", results["batch_extract"], flush=True)
    backends = opts.backends or (["sqlite", "postgresql"] if opts.pg else ["sqlite"])
    if "postgresql" in backends and not opts.pg:
        parser.error("--backends postgresql needs --pg URL")
    if "load" in opts.steps:
        for backend in backends:
            done = bulk_load(backend, tables, work / f"load-{opts.articles}.db", opts.pg, opts.articles)
            results[f"load_{backend}"] = done
            print("load", backend, done, flush=True)
    big_tables, big_db = work / f"big-{opts.copies}", work / f"big-{opts.copies}.db"
    if "big" in opts.steps and opts.copies:
        shutil.rmtree(big_tables, ignore_errors=True)
        total = copy_tables(tables, big_tables, opts.copies)
        for backend in backends:
            done = bulk_load(backend, big_tables, big_db, opts.pg, total, stories=False)
            target: Path | str = opts.pg if backend == "postgresql" else big_db
            done["latency"] = query_latency(target, repeats=opts.repeats)
            results[f"big_{backend}"] = done
            print("big", backend, json.dumps(done, ensure_ascii=False), flush=True)
    if "export" in opts.steps and big_db.exists():
        exported = work / f"big-{opts.copies}-export"
        shutil.rmtree(exported, ignore_errors=True)
        run = run_measured(cli("--db", str(big_db), "export", "all", "--out", str(exported), "--json"))
        rows = json.loads(run["stdout"])["rows"]
        results["export_all"] = {"seconds": run["seconds"], "peak_mib": run["peak_mib"],
                                 "rows": rows, "load_avg_1min": run["load_avg_1min"]}
        print("export", json.dumps(results["export_all"], ensure_ascii=False), flush=True)
    if opts.out:
        with opts.out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(results, ensure_ascii=False) + "\n")
    return 0


def _wal(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


if __name__ == "__main__":
    raise SystemExit(main())
