"""Ingest throughput: end-to-end articles per second with 1 and N worker processes, as the
database grows, with peak memory, database bytes per article and API read latency meanwhile.

The script writes ``--files`` distinct article files (copies of the single-article files in
``examples/news``, each with its own URL and closing line; synthesized reports when that folder
is missing) and runs, each in a fresh process, one after the other on the same machine state:

* *before* (with ``--baseline-src``): ``ingest_paths`` of another checkout (e.g. the previous
  release's ``src``) into a new database — how fast ingest was;
* *1 worker*, *N workers*: ``ingest_paths(..., workers=…)`` of the same files into new databases;
* *re-ingest*: the same files again with N workers (all unchanged: read, hash, skip);
* *grown database*: the database is grown to ``--grow-to`` articles (copies of its rows under
  new ids, published further and further back), then as many new files are ingested with N
  workers: the rate once the database is large;
* *API reads during ingest*: ``tickerwire serve`` on the grown database answers
  ``/api/articles`` and ``/api/health`` (one client, back to back) first idle, then while
  another set of new files is ingested with N workers.

CPU seconds per article add the user and system time of every process of a run (workers
included), so they stay comparable when other work on the machine slows the wall clock; peak
RSS is the largest sum of the resident memory of the run's processes, sampled every 100 ms.

Usage: python benchmarks/ingest_throughput.py [--files 2000] [--workers 2] [--grow-to 100000]
       [--baseline-src ../main/src] [--out docs/performance-ingest.md]
       python benchmarks/ingest_throughput.py --writer-only 500   # the writer's CPU per article
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "news"
DEFAULT_OUT = ROOT / "docs" / "performance-ingest.md"
MAX_BYTES = 20 * 1024 * 1024
_WRITER_FILES = 500  # files of the writer-alone measurement


# --- inputs -------------------------------------------------------------------------------------


def write_inputs(folder: Path, count: int, *, start: int = 0) -> None:
    """``count`` distinct article files numbered from ``start``: example files with a unique
    URL and closing line, or synthetic reports."""
    folder.mkdir(parents=True, exist_ok=True)
    templates = sorted(p for p in EXAMPLES.glob("*") if p.suffix in {".md", ".txt"})
    for i in range(start, start + count):
        if templates:
            source = templates[i % len(templates)]
            data = _distinct_copy(source.read_bytes(), i)
            (folder / f"{i:06d}-{source.name}").write_bytes(data)
        else:
            (folder / f"{i:06d}.txt").write_text(_synthetic(i), encoding="utf-8")


def _distinct_copy(data: bytes, i: int) -> bytes:
    """A copy with its own id: a unique URL (front matter), unique links (its language
    versions' URLs among them: real versions link only to each other, and a story's locale
    lookup reads every article sharing a link) and a unique closing line.

    Works on bytes so GB18030 and Big5 examples keep their encoding (ASCII is valid in both).
    """
    suffix = b"-copy-" + str(i).encode()
    data = re.sub(rb"^(url:[ \t]*\S+)$", rb"\1" + suffix, data, count=1, flags=re.MULTILINE)
    data = re.sub(rb"(\]\(https?://[^)\s]+)\)", rb"\1" + suffix + rb")", data)
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


# --- one run, in its own process ------------------------------------------------------------------


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (Linux /proc; 0 elsewhere)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(found.group(1)) * 1024 if found else 0
        todo += [int(c) for c in children]
    return total


@contextmanager
def peak_rss() -> Iterator[list[int]]:
    """Samples the memory of this process tree every 100 ms; yields a one-item list that holds
    the peak (in bytes) once the block ends."""
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(os.getpid()))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        stop.set()
        sampler.join()


def _cpu_seconds() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _stop_fork_server() -> None:
    """Stop multiprocessing's fork server, if the run started one, and wait for it: the workers
    are its children, not ours, and their CPU time reaches ``RUSAGE_CHILDREN`` only through
    it once it has exited (it waits for each worker it forked)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if stop is not None:
        stop()


def run_once(db: Path, folder: Path, workers: int | None) -> dict[str, Any]:
    """Ingest ``folder`` into ``db`` in this process (``workers`` None: the API of a checkout
    that has no workers) and measure it."""
    from tickerwire.ingest import ingest_paths
    from tickerwire.store import Store

    extra: dict[str, Any] = {} if workers is None else {"workers": workers}
    with peak_rss() as peak, Store(db) as store:
        cpu, wall = _cpu_seconds(), time.perf_counter()
        summary = ingest_paths(store, [str(folder)], max_bytes=MAX_BYTES, **extra)
        wall = time.perf_counter() - wall
        _stop_fork_server()
        cpu = _cpu_seconds() - cpu
    done = summary.new + summary.revised + summary.unchanged
    return {
        "articles": done, "new": summary.new, "quarantined": summary.quarantined,
        "seconds": wall, "rate": done / wall, "cpu_ms": 1000 * cpu / max(1, done),
        "peak_mb": peak[0] / 1e6, "load": os.getloadavg()[0],
    }


def writer_cost(count: int) -> dict[str, float]:
    """CPU milliseconds per article of each part of an ingest, in one process: reading the
    files, extracting, preparing (``ingest.prepare``: search text, rows, the story MinHash), and
    the writer alone (``IngestRun`` over the prepared articles, stories included) against
    ``Store.ingest_article`` one transaction per article (no stories). The writer is the serial
    part of a parallel ingest; the workers do the rest."""
    import resource

    from tickerwire.extract import build_pipeline
    from tickerwire.model import Article, Extraction
    from tickerwire.sources import read_path
    from tickerwire.store import PreparedArticle, Store

    try:
        from tickerwire.ingest import IngestRun, prepare
    except ImportError:  # a checkout from before ``prepare``: workers only folded the search text
        from tickerwire.ingest import IngestRun
        from tickerwire.store import SearchText

        def prepare(article: Article, extraction: Extraction) -> PreparedArticle:
            return PreparedArticle(article, extraction, SearchText.of(article))  # type: ignore[call-arg]

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        return own.ru_utime + own.ru_stime

    pipeline = build_pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "news"
        write_inputs(folder, count)
        start = cpu()
        articles = [item for path in sorted(folder.iterdir())
                    for item in read_path(path, max_bytes=MAX_BYTES) if isinstance(item, Article)]
        read = cpu() - start
        prepare(articles[0], pipeline(articles[0]))  # what is built on first use (MinHash library)
        start = cpu()
        extractions = [pipeline(a) for a in articles]
        extract = cpu() - start
        start = cpu()
        prepared = [prepare(a, e) for a, e in zip(articles, extractions, strict=True)]
        prepare_cpu = cpu() - start
        with Store(Path(tmp) / "batched.db") as store:
            run = IngestRun(store)
            start = cpu()
            for entry in prepared:
                run.add(entry)
            run.finish()
            batched = cpu() - start
        with Store(Path(tmp) / "single.db") as store:
            start = cpu()
            for entry in prepared:
                store.ingest_article(entry.article, entry.extraction)
            single = cpu() - start
    n = len(prepared)
    return {"read_ms": 1000 * read / n, "extract_ms": 1000 * extract / n,
            "prepare_ms": 1000 * prepare_cpu / n, "batched_ms": 1000 * batched / n,
            "single_ms": 1000 * single / n}


def run_isolated(db: Path, folder: Path, workers: int | None, *, src: Path | None = None
                 ) -> dict[str, Any]:
    return _isolated(["--single", str(db), str(folder), str(workers if workers is not None else 0)],
                     src)


def writer_isolated(count: int, src: Path | None = None) -> dict[str, Any]:
    """``writer_cost(count)`` in a fresh process, of this tree or of ``src``."""
    return _isolated(["--writer-only", str(count)], src)


def _isolated(args: list[str], src: Path | None) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src or ROOT / "src")}
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=True, env=env)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def db_bytes(db: Path) -> int:
    """The database's size once its write-ahead log is folded in."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def article_count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


# --- growing a database ---------------------------------------------------------------------------

_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT")


def _shift(value: str | None, days: int) -> str | None:
    """An ISO instant or date ``days`` earlier, in the same text form."""
    if value is None:
        return None
    if _INSTANT.match(value):
        return (datetime.fromisoformat(value) - timedelta(days=days)).isoformat(
            timespec="microseconds")
    return (datetime.fromisoformat(value).date() - timedelta(days=days)).isoformat()


# Columns that hold an article id, a story id, a row id, or an instant/day to move back.
_ARTICLE_IDS = {"article_id", "first_article_id", "matched_article_id"}
_ROW_IDS = {"extraction_id", "fact_id"}
_TIMES = {"published_at", "published_date_hk", "day_hk", "sort_at", "anchor_at", "day"}
_LINKS = {("articles", "url"), ("story_members", "signature"), ("story_keys", "key")}
_GROWN = ("articles", "article_revisions", "extractions", "mentions", "extraction_listings",
          "index_mentions", "facts", "events", "extraction_errors", "stories", "story_members",
          "story_subjects", "story_keys", "issuer_articles")


def grow(db: Path, target: int) -> int:
    """Add copies of every article (and all its rows) under new ids, each copy published 35
    days further back, until ``db`` holds ``target`` articles; returns the count."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.create_function("shifted", 2, _shift, deterministic=True)
    conn.execute("PRAGMA foreign_keys = OFF")
    base = article_count(db)
    offset = 1 + max(int(conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {t}").fetchone()[0])
                     for t in ("article_revisions", "extractions", "mentions", "index_mentions",
                               "facts", "events"))
    copies = max(0, -(-(target - base) // max(1, base)))
    for k in range(1, copies + 1):
        conn.execute("BEGIN")
        for table in _GROWN:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            exprs = []
            for column in columns:
                quoted = f'"{column}"'
                if column in _ARTICLE_IDS or (table == "articles" and column == "id") or (
                        column == "story_id") or (table == "stories" and column == "id"):
                    exprs.append(f"CASE WHEN {quoted} IS NULL THEN NULL ELSE 'g{k}-' || {quoted} END")
                elif column in _ROW_IDS or column == "id":
                    exprs.append(f"{quoted} + {k * offset}")
                elif column in _TIMES:
                    exprs.append(f"shifted({quoted}, {35 * k})")
                elif column == "newest":  # publication time, moved back; first-seen (undated) kept
                    exprs.append(f"CASE WHEN undated = 1 THEN newest ELSE shifted(newest, {35 * k}) END")
                elif (table, column) in _LINKS:  # a copy links to its own copies, as a version does
                    exprs.append(f"replace({quoted}, '://', '://g{k}.')")
                else:
                    exprs.append(quoted)
            names = ", ".join(f'"{c}"' for c in columns)
            conn.execute(f"INSERT INTO {table}({names}) SELECT {', '.join(exprs)} FROM "
                         f"{_originals(table)}")
        conn.execute(f"INSERT INTO revisions_fts(rowid, title, text) SELECT rowid + {k * offset},"
                     f" title, text FROM revisions_fts WHERE rowid < {offset}")
        conn.execute("COMMIT")
    conn.close()
    return article_count(db)


def _originals(table: str) -> str:
    """Only the rows of the first, ungrown copy."""
    if table == "articles":
        return "articles WHERE id NOT GLOB 'g[0-9]*'"
    key = {"stories": "id", "story_members": "article_id", "story_subjects": "article_id",
           "story_keys": "article_id", "article_revisions": "article_id", "extractions": "article_id"}.get(table)
    if key is not None:
        return f"{table} WHERE {key} NOT GLOB 'g[0-9]*'"
    return (f"{table} WHERE extraction_id IN (SELECT id FROM extractions "
            "WHERE article_id NOT GLOB 'g[0-9]*')")


# --- API latency ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(db: Path) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from tickerwire.cli import main; main()", "--db", str(db), "serve",
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def sample_reads(base: str, until: Callable[[], bool]) -> dict[str, list[float]]:
    """Back-to-back GETs of each path until ``until()``; milliseconds per request by path."""
    import httpx

    paths = ("/api/articles?limit=20", "/api/health")
    samples: dict[str, list[float]] = {p: [] for p in paths}
    with httpx.Client(base_url=base, timeout=120) as client:
        while not until():
            for path in paths:
                start = time.perf_counter()
                client.get(path).raise_for_status()
                samples[path].append(1000 * (time.perf_counter() - start))
    return samples


def _pct(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def reads_during_ingest(db: Path, folder: Path, workers: int, idle_seconds: float
                        ) -> dict[str, Any]:
    with served(db) as base:
        stop_at = time.monotonic() + idle_seconds
        idle = sample_reads(base, lambda: time.monotonic() > stop_at)
        done = threading.Event()
        result: dict[str, Any] = {}

        def ingest() -> None:
            result.update(run_isolated(db, folder, workers))
            done.set()

        thread = threading.Thread(target=ingest)
        thread.start()
        busy = sample_reads(base, done.is_set)
        thread.join()
    return {"idle": idle, "busy": busy, "ingest": result}


# --- report -----------------------------------------------------------------------------------


def _row(label: str, r: dict[str, Any], before: dict[str, Any] | None, size: str) -> str:
    ratio = f"{r['rate'] / before['rate']:.2f}×" if before else "–"
    return (f"| {label} | {r['articles']:,} | {r['seconds']:.1f} | {r['rate']:.1f} | {ratio} | "
            f"{r['cpu_ms']:.1f} | {r['peak_mb']:.0f} | {size} | {r['load']:.1f} |")


def report(results: dict[str, Any], args: argparse.Namespace) -> str:
    from tickerwire import PIPELINE_VERSION
    from tickerwire.extract import build_pipeline

    names = ", ".join(build_pipeline().names) or "(none)"
    before = results.get("before")
    n = args.workers
    header = ("| run | articles | seconds | end to end (art/s) | vs before | CPU ms/article "
              "(all processes) | peak RSS, all processes (MB) | DB bytes/article | load avg |")
    rows = [header, "|---|" + "---:|" * 8]
    if before:
        rows.append(_row("before: one process", before, None,
                         f"{results['before_bytes'] / before['new']:,.0f}"))
    if "before_wn" in results:
        rows.append(_row(f"before: `--workers {n}`", results["before_wn"], before,
                         f"{results['before_wn_bytes'] / results['before_wn']['new']:,.0f}"))
    rows.append(_row("`--workers 1` (one process)", results["w1"], before,
                     f"{results['w1_bytes'] / results['w1']['new']:,.0f}"))
    rows.append(_row(f"`--workers {n}`", results["wn"], before,
                     f"{results['wn_bytes'] / results['wn']['new']:,.0f}"))
    rows.append(_row(f"re-ingest, unchanged, `--workers {n}`", results["again"], before, "–"))
    rows.append(_row(f"`--workers {n}` into {results['grown_articles']:,} articles",
                     results["grown"], before, "–"))
    api = results["api"]
    lat = ["| requests | while | count | p50 (ms) | p99 (ms) | max (ms) |",
           "|---|---|---:|---:|---:|---:|"]
    for phase, label in (("idle", "no ingest"), ("busy", f"ingest `--workers {n}`")):
        for path, values in api[phase].items():
            lat.append(f"| `{path}` | {label} | {len(values)} | {_pct(values, 50):.0f} | "
                       f"{_pct(values, 99):.0f} | {max(values):.0f} |")
    baseline = (f"the checkout at {results.get('baseline_rev', 'an unknown revision')}"
                if before else "not measured (no `--baseline-src`)")
    parts = (("read_ms", "read the file"), ("extract_ms", "extract"),
             ("prepare_ms", "prepare (search text, rows, story MinHash)"),
             ("batched_ms", "write (batched, stories included): the serial part"))
    versions = [("before", results["writer_before"])] if "writer_before" in results else []
    versions.append(("this version", results["writer"]))
    writer = ["| part, CPU ms per article | " + " | ".join(v for v, _ in versions) + " |",
              "|---|" + "---:|" * len(versions)]
    for key, label in parts:
        cells = [f"{costs[key]:.2f}" if key in costs else "–" for _, costs in versions]
        writer.append(f"| {label} | " + " | ".join(cells) + " |")
    totals = [sum(costs.get(key, 0.0) for key, _ in parts) for _, costs in versions]
    writer.append("| **total** | " + " | ".join(f"{t:.2f}" for t in totals) + " |")
    bound = ""
    if before:
        single = 1000 / before["cpu_ms"]
        best = os.cpu_count() or 1
        bound = (
            f"\n\nOn {best} idle cores the rate is bounded by `cores × 1000 / CPU ms per "
            f"article`: {best * 1000 / results['wn']['cpu_ms']:.0f} art/s for `--workers {n}` "
            f"(CPU {results['wn']['cpu_ms']:.1f} ms/article), against {single:.0f} art/s for the "
            f"one process before (CPU {before['cpu_ms']:.1f} ms/article): at most "
            f"{best * before['cpu_ms'] / results['wn']['cpu_ms']:.2f}× the one-process rate "
            f"before, whatever the load. Reaching 4× on 2 cores needs the work per article "
            f"itself to fall to about a quarter of the one process before's: the parts are in "
            f"the table below."
        )
    return f"""# Ingest throughput

Generated by `python benchmarks/ingest_throughput.py` (`make bench`); do not edit by hand.

- Measured: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} CPUs
  shared with other work, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}.
- Inputs: {args.files:,} files, copies of the single-article files in `examples/news`, each made
  distinct (its own URL and closing line); pipeline {PIPELINE_VERSION}: {names}.
- *Before* is the same benchmark run against {baseline}: `ingest_paths` as it was, in one
  process and (when it has them) with N workers. The other rows are this version:
  `ingest_paths(..., workers=N)`, as
  `tickerwire ingest --workers N` runs it (N worker processes read and extract; the calling
  process writes batches of up to 250 articles per transaction).
- *End to end* includes starting the workers (each builds the pipeline) and every write. *CPU
  ms/article* adds user and system time of all the run's processes: when other work slows the
  wall clock (see *load avg*, the 1-minute load when the run ended; 2 means both cores busy),
  it still says what the ingest itself cost. *vs before* divides wall-clock rates, so it is
  only fair between rows measured under similar load; on two otherwise idle cores the rate
  is about `cores × 1000 / CPU ms per article` while the workers are the bottleneck.
- *Peak RSS* is the largest sum of resident memory of the writer and its workers, sampled every
  100 ms. *DB bytes/article* is the SQLite file (write-ahead log checkpointed) divided by the
  articles stored.
- *Into N articles*: the database of the `--workers {n}` row grown to that many articles (copies
  of its rows under new ids, each copy published 35 days further back), then {args.files:,} new
  files ingested into it.
- The workers prepare everything an article's writing needs that does not need the database
  (`ingest.prepare`: ids, search text, metadata JSON, every row of the extraction, the MinHash
  of the text that story matching reads); the writer runs the statements, decides stories and
  checks facts against prices. The second table splits one process's CPU per article into
  those parts, measured one after the other over {_WRITER_FILES} files (`--writer-only`): the
  write is the serial part of a parallel ingest.

{chr(10).join(rows)}{bound}

{chr(10).join(writer)}

## API reads while an ingest runs

`tickerwire serve` on the grown database; one client requests `/api/articles?limit=20` and
`/api/health` back to back, first for {args.idle_seconds:.0f} s with nothing else running, then for
the whole of an ingest of {args.files // 2:,} new files with `--workers {n}` into the same database
({api['ingest']['rate']:.1f} art/s). SQLite in WAL mode: readers never wait for the writer's
lock; what remains is sharing {os.cpu_count()} CPUs with the ingest's processes.

{chr(10).join(lat)}
"""


def _git_rev(src: Path) -> str:
    found = subprocess.run(["git", "-C", str(src), "log", "-1", "--format=%h %cs"],
                           capture_output=True, text=True)
    return found.stdout.strip() or "unknown revision"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--grow-to", type=int, default=100_000)
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    parser.add_argument("--baseline-src", type=Path,
                        help="the src folder of another checkout, measured as 'before'")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--single", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--writer-only", type=int, metavar="FILES",
                        help="only print the writer's CPU cost per article over FILES files")
    args = parser.parse_args(argv)
    if args.writer_only:
        print(json.dumps(writer_cost(args.writer_only)))
        return 0
    if args.single:
        db, folder, workers = args.single
        print(json.dumps(run_once(Path(db), Path(folder), int(workers) or None)))
        return 0
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs, fresh, later = work / "news", work / "new-news", work / "later-news"
        write_inputs(inputs, args.files)
        write_inputs(fresh, args.files, start=args.files)
        write_inputs(later, args.files // 2, start=2 * args.files)

        def step(key: str, label: str, result: dict[str, Any]) -> None:
            results[key] = result
            print(f"{label:<40} {result['articles']:>7,} art {result['rate']:8.1f} art/s "
                  f"{result['cpu_ms']:6.1f} CPU ms/art  peak {result['peak_mb']:.0f} MB  "
                  f"load {result['load']:.1f}", flush=True)

        if args.baseline_src:
            baseline = args.baseline_src.resolve()
            results["baseline_rev"] = _git_rev(args.baseline_src)
            step("before", "before", run_isolated(work / "before.db", inputs, None,
                                                  src=baseline))
            results["before_bytes"] = db_bytes(work / "before.db")
            try:
                step("before_wn", f"before, workers {args.workers}",
                     run_isolated(work / "before-wn.db", inputs, args.workers, src=baseline))
                results["before_wn_bytes"] = db_bytes(work / "before-wn.db")
            except subprocess.CalledProcessError:
                print("before: no --workers", flush=True)  # a checkout from before workers
            with suppress(subprocess.CalledProcessError):
                results["writer_before"] = writer_isolated(_WRITER_FILES, baseline)
        results["writer"] = writer_isolated(_WRITER_FILES)
        print(f"writer alone: {results['writer']} (before: {results.get('writer_before')})",
              flush=True)
        step("w1", "workers 1", run_isolated(work / "w1.db", inputs, 1))
        results["w1_bytes"] = db_bytes(work / "w1.db")
        step("wn", f"workers {args.workers}", run_isolated(work / "wn.db", inputs, args.workers))
        results["wn_bytes"] = db_bytes(work / "wn.db")
        step("again", "re-ingest", run_isolated(work / "wn.db", inputs, args.workers))
        grown = work / "grown.db"
        shutil.copy(work / "wn.db", grown)
        results["grown_articles"] = grow(grown, args.grow_to)
        print(f"grown to {results['grown_articles']:,} articles", flush=True)
        step("grown", "into the grown database", run_isolated(grown, fresh, args.workers))
        results["api"] = reads_during_ingest(grown, later, args.workers, args.idle_seconds)
        for phase in ("idle", "busy"):
            for path, values in results["api"][phase].items():
                print(f"{phase} {path}: n={len(values)} p50={_pct(values, 50):.0f} ms "
                      f"p99={_pct(values, 99):.0f} ms max={max(values):.0f} ms", flush=True)
    args.out.write_text(report(results, args), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
