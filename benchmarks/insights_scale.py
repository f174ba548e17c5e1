"""Insights at scale: a store of N articles built from the sample news, then read latency.

Steps:

1. ``build``: the sample news (``examples/news``) is ingested once into a small store, and its
   rows are copied at the SQL level into a new store until it holds ``--articles`` articles.
   Each copy gets new ids, its dates moved back by whole days (four copies per day, so a day
   holds about 300 articles, the sample's own spread over a month included), its figures scaled
   by one factor between 0.8 and 1.2, and some companies swapped for others (SMIC for Hua Hong,
   Tencent for Alibaba …, in mentions, facts, events and listings). The full-text index receives
   the sample's folded rows under the new ids. Build time is reported.
2. ``api``: the main API GETs are timed in-process (FastAPI's TestClient, warm: one request
   before the clock starts), p50/p95/p99 over ``--repeats`` requests each, and the median CPU
   time of the process per request (``cpu_p50_ms``: on SQLite the whole read).
3. ``cli``: the read commands' wall and CPU time (user + system), start-up included (a fresh
   process each).
4. ``load``: ``tickerwire serve`` in a child process, 16 client threads requesting the same
   endpoints for ``--seconds``; the server's peak resident memory (VmHWM) and the throughput.

Usage: python benchmarks/insights_scale.py --articles 100000 --work /work/tmp-insights
       [--steps build api cli load] [--out docs/performance-insights.json]
       python benchmarks/insights_scale.py --articles 1000000 --work W --steps build
       (only build the store ``W/insights-1000000.db``, to measure it later with ``--db``)
       python benchmarks/insights_scale.py --db /path/to/store.db --steps api [--skip NAME …]
       [--search WORDS …]  (more searches to time, API and CLI)
       (``--db``: read an existing store instead of the one ``build`` makes under ``--work``;
       a store of an older schema is upgraded first, and the upgrade's time reported)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
COPIES_PER_DAY = 4

# Listing codes swapped for one another in a copy (each pair both ways, each with chance 1/2).
_SWAPS = [
    ("00981.HK", "01347.HK"), ("00700.HK", "09988.HK"), ("01810.HK", "01211.HK"),
    ("00005.HK", "01299.HK"), ("03750.HK", "02899.HK"), ("03690.HK", "09618.HK"),
]
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"\d{5}\.HK")

# How each copied column changes: "id:TABLE" (an integer key of TABLE: offset), "article" (text id: suffixed),
# "story" (story id: suffixed), "when" (instant or day: moved back), "figure" (scaled),
# "codes" (listing codes, alone or inside JSON: swapped).
_COLUMNS: dict[str, dict[str, str]] = {
    "articles": {"id": "article", "first_seen_at": "when"},
    "article_revisions": {"id": "id:article_revisions", "article_id": "article", "published_at": "when",
                          "published_date_hk": "when", "day_hk": "when", "sort_at": "when",
                          "first_seen_at": "when"},
    "extractions": {"id": "id:extractions", "article_id": "article", "extracted_at": "when",
                    "sentiment_by_subject": "codes", "sentiment_labels": "codes",
                    "sentiment_evidence": "codes"},
    "mentions": {"id": "id:mentions", "extraction_id": "id:extractions", "issuer": "codes", "listing": "codes",
                 "listings": "codes"},
    "extraction_listings": {"listing": "codes", "extraction_id": "id:extractions"},
    "index_mentions": {"id": "id:index_mentions", "extraction_id": "id:extractions"},
    "facts": {"id": "id:facts", "extraction_id": "id:extractions", "subject": "codes", "value": "figure",
              "price": "figure", "points": "figure", "value_max": "figure", "previous": "figure",
              "day": "when"},
    "events": {"id": "id:events", "extraction_id": "id:extractions", "subjects": "codes", "attributes": "codes"},
    "extraction_errors": {"extraction_id": "id:extractions"},
    "fact_verifications": {"fact_id": "id:facts", "stated": "figure", "day": "when",
                           "verified_at": "when"},
    "stories": {"id": "story", "first_article_id": "article", "first_seen_at": "when",
                "anchor_at": "when"},
    "story_members": {"article_id": "article", "story_id": "story", "joined_at": "when",
                      "anchor_at": "when", "matched_article_id": "article"},
    "story_subjects": {"article_id": "article", "subject": "codes"},
    # The keys as the members' signatures state them (those are copied unchanged).
    "story_keys": {"article_id": "article", "anchor_at": "when"},
    "ipo_companies": {"company": "codes", "day": "when", "extraction_id": "id:extractions"},
    "issuer_articles": {"listing": "codes", "newest": "when", "article_id": "article",
                        "extraction_id": "id:extractions"},
}


def _run_cli(db: Path | str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-c", "from tickerwire.cli import main; main()", "--db", str(db), *args]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr[-2000:]}")
    return done


def sample_store(work: Path) -> Path:
    """The sample news ingested (with its prices) into ``work/sample.db``, once."""
    db = work / "sample.db"
    if not db.exists():
        _run_cli(db, "ingest", str(EXAMPLES / "news"))
        _run_cli(db, "prices", "import", str(EXAMPLES / "prices"))
    return db


class _Copy:
    """How one copy changes a base row."""

    # Every copy changes the same base values: moved dates are memoised across the copies of a
    # day, swapped codes across copies with the same swaps (64 sets), which halves the build.
    _moved_memo: ClassVar[dict[str, str]] = {}
    _moved_days: ClassVar[int] = -1
    _swapped_memo: ClassVar[dict[tuple[str, tuple[tuple[str, str], ...]], str]] = {}

    def __init__(self, k: int, strides: dict[str, int], rng: random.Random) -> None:
        self.k = k
        self.strides = strides
        self.days = k // COPIES_PER_DAY
        self.shift = timedelta(days=-self.days)
        self.factor = rng.uniform(0.8, 1.2)
        swaps: dict[str, str] = {}
        for a, b in _SWAPS:
            if rng.random() < 0.5:
                swaps[a], swaps[b] = b, a
        self.swaps = swaps
        self.swaps_key = tuple(sorted(swaps.items()))
        if _Copy._moved_days != self.days:
            _Copy._moved_memo = {}
            _Copy._moved_days = self.days

    def value(self, kind: str, value: Any) -> Any:
        if value is None or self.k == 0:
            return value
        if kind.startswith("id:"):
            return value + self.k * self.strides[kind[3:]]
        if kind in ("article", "story"):
            return f"{value}-k{self.k:05d}"
        if kind == "when":
            moved = self._moved_memo.get(value)
            if moved is None:
                moved = self._moved_memo[value] = self._moved(value)
            return moved
        if kind == "figure":
            return value * self.factor
        if kind == "codes" and self.swaps and isinstance(value, str):
            skey = (value, self.swaps_key)
            swapped = self._swapped_memo.get(skey)
            if swapped is None:
                swapped = self._swapped_memo[skey] = _CODE.sub(
                    lambda m: self.swaps.get(m.group(0), m.group(0)), value)
            return swapped
        return value

    def _moved(self, text: str) -> str:
        if _DAY.match(text):
            return (date.fromisoformat(text) + self.shift).isoformat()
        if _INSTANT.match(text):
            moved = datetime.fromisoformat(text) + self.shift
            return moved.isoformat(timespec="microseconds")
        return text


_STRIDED = ("article_revisions", "extractions", "mentions", "index_mentions", "facts", "events")


class _Sample:
    """The sample store's rows, read once, and the changed copies made from them."""

    def __init__(self, sample: Path) -> None:
        base = sqlite3.connect(sample)
        base.row_factory = sqlite3.Row
        self.per_copy = int(base.execute("SELECT count(*) FROM articles").fetchone()[0])
        self.rows = {table: base.execute(f"SELECT * FROM {table}").fetchall() for table in _COLUMNS}
        self.strides = {table: 1 + base.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
                        for table in _STRIDED}
        self.fts = base.execute("SELECT rowid, title, text FROM revisions_fts").fetchall()
        prices = base.execute("SELECT * FROM price_bars")
        self.price_columns = [column[0] for column in prices.description]
        self.price_rows = prices.fetchall()
        base.close()

    def copies(self, articles: int, seed: int) -> Iterator[tuple[int, dict[str, tuple[list[str], list[list[Any]]]]]]:
        """Each copy ``k`` as {table: (columns, rows)}, the search rows under ``revisions_fts``."""
        rng = random.Random(seed)
        for k in range(-(-articles // self.per_copy)):
            copy = _Copy(k, self.strides, rng)
            tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
            for table, kinds in _COLUMNS.items():
                if not self.rows[table]:
                    continue
                names = list(self.rows[table][0].keys())
                changed = [(i, kinds[name]) for i, name in enumerate(names) if name in kinds]
                out = []
                for row in self.rows[table]:
                    values = list(row)
                    for i, kind in changed:
                        values[i] = copy.value(kind, values[i])
                    out.append(values)
                tables[table] = (names, out)
            offset = k * self.strides["article_revisions"]
            tables["revisions_fts"] = (["rowid", "title", "text"],
                                       [[rowid + offset, title, text] for rowid, title, text in self.fts])
            yield k, tables


def build(sample: Path, target: Path, articles: int, *, seed: int = 11) -> dict[str, Any]:
    """Copy the sample store's rows into ``target`` until it holds ``articles`` articles."""
    from tickerwire.store import Store

    started = time.perf_counter()
    target.unlink(missing_ok=True)
    Store(target).close()  # every migration applied
    base = _Sample(sample)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -2097152")  # 2 GiB: the primary keys stay in memory
    triggers = conn.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'"
                            " AND tbl_name = 'article_revisions'").fetchall()
    # Secondary indexes are dropped during the copy and built once at the end (a sort, much
    # cheaper than keeping them up to date row by row in a store larger than the cache).
    indexes = conn.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'index'"
                           " AND sql IS NOT NULL AND tbl_name IN"
                           f" ({', '.join('?' * len(_COLUMNS))})", list(_COLUMNS)).fetchall()
    conn.execute("BEGIN")
    for name, _sql in triggers:  # the folded text is copied from the sample's index instead
        conn.execute(f"DROP TRIGGER {name}")
    for name, _sql in indexes:
        conn.execute(f"DROP INDEX {name}")
    # Fewer, larger merges of the full-text index's segments while it grows.
    conn.execute("INSERT INTO revisions_fts(revisions_fts, rank) VALUES ('automerge', 8)")
    conn.execute("INSERT INTO revisions_fts(revisions_fts, rank) VALUES ('crisismerge', 64)")
    conn.executemany(f"INSERT INTO price_bars VALUES ({', '.join('?' * len(base.price_columns))})",
                     base.price_rows)
    copies = 0
    for k, tables in base.copies(articles, seed):
        for table, (names, out) in tables.items():
            columns = ", ".join(f'"{n}"' for n in names)
            conn.executemany(f"INSERT INTO {table} ({columns}) VALUES"
                             f" ({', '.join('?' * len(names))})", out)
        copies = k + 1
        if k % 200 == 199:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
    for _name, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    copied = time.perf_counter() - started
    for _name, sql in indexes:
        conn.execute(sql)
    conn.execute("INSERT INTO revisions_fts(revisions_fts, rank) VALUES ('automerge', 4)")
    conn.execute("INSERT INTO revisions_fts(revisions_fts, rank) VALUES ('crisismerge', 16)")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"articles": copies * base.per_copy, "copies": copies,
            "build_seconds": round(time.perf_counter() - started, 1),
            "copy_seconds": round(copied, 1),
            "db_bytes": target.stat().st_size}


def build_postgresql(sample: Path, url: str, articles: int, *, seed: int = 11) -> dict[str, Any]:
    """The same copies as ``build`` (same ids, dates, figures and swaps) into the empty
    PostgreSQL database at ``url``: ``COPY`` per table, secondary indexes (the trigram GIN
    indexes of the search table among them) built once at the end, foreign keys not checked
    while copying (``session_replication_role = replica``: the rows are copies of checked rows)."""
    import psycopg

    from tickerwire.store import Store, grams

    started = time.perf_counter()
    Store(url).close()  # every migration applied
    base = _Sample(sample)
    # The CJK pairs of each sample revision (store/grams.py), under each copy's ids.
    pairs = {rowid: document for rowid, document in grams.rows(base.fts)}
    tables = [*_COLUMNS, "revisions_fts", "revisions_grams", "price_bars"]
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT count(*) FROM articles").fetchone() != (0,):
            raise SystemExit(f"{url} already holds articles: give an empty database")
        indexes = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema()"
            " AND i.tablename = ANY(%s) AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", (tables,)).fetchall()
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("SET session_replication_role = replica")
        pending: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {
            ("price_bars", tuple(base.price_columns)): [list(row) for row in base.price_rows]}

        def flush() -> None:
            with conn.cursor() as cursor:
                for (table, names), rows in pending.items():
                    columns = ", ".join(f'"{n}"' for n in names)
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            conn.commit()
            pending.clear()

        copies = 0
        for k, copied_tables in base.copies(articles, seed):
            for table, (names, rows) in copied_tables.items():
                pending.setdefault((table, tuple(names)), []).extend(rows)
            offset = k * base.strides["article_revisions"]
            pending.setdefault(("revisions_grams", ("rowid", "grams")), []).extend(
                [rowid + offset, document] for rowid, document in pairs.items())
            copies = k + 1
            if k % 100 == 99:
                flush()
        flush()
        copied = time.perf_counter() - started
        conn.execute("SET maintenance_work_mem = '1GB'")
        for _name, sql in indexes:
            conn.execute(sql)
        for table in ("article_revisions", "extractions", "mentions", "index_mentions", "facts",
                      "events"):  # identities continue after the copied ids
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                         f" (SELECT max(id) FROM {table}))")
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return {"articles": copies * base.per_copy, "copies": copies,
            "build_seconds": round(time.perf_counter() - started, 1),
            "copy_seconds": round(copied, 1), "db_bytes": size[0] if size else None}


SKIPPED: set[str] = set()  # names of reads left out (--skip)
SEARCHES: list[str] = []  # more search words to time (--search)


# The reads measured: (name, API path, query parameters, CLI arguments or None).
def _reads(day: str) -> list[tuple[str, str, dict[str, str], list[str] | None]]:
    searches = [(f"articles?q={words}", "/api/articles", {"q": words},
                 ["search", words, "--limit", "20"]) for words in SEARCHES]
    return [read for read in [*_all_reads(day), *searches] if read[0] not in SKIPPED]


def _all_reads(day: str) -> list[tuple[str, str, dict[str, str], list[str] | None]]:
    return [
        ("health", "/api/health", {}, None),
        ("articles (latest page)", "/api/articles", {}, ["search", "--limit", "20"]),
        ("articles?q=semiconductor", "/api/articles", {"q": "semiconductor"},
         ["search", "semiconductor", "--limit", "20"]),
        ("articles?q=中芯", "/api/articles", {"q": "中芯"}, ["search", "中芯", "--limit", "20"]),
        ("articles?security=00700.HK", "/api/articles", {"security": "00700.HK"}, None),
        ("stocks/00981.HK", "/api/stocks/00981.HK", {}, ["stock", "00981.HK"]),
        # A rarely named issuer (1.4 % of the articles): its page starts from its matches.
        ("stocks/00016.HK", "/api/stocks/00016.HK", {}, ["stock", "00016.HK"]),
        ("brief", "/api/brief", {}, ["brief"]),
        ("movers?date=D", "/api/movers", {"date": day}, ["movers", "--date", day]),
        ("market?date=D", "/api/market", {"date": day}, ["market", "--date", day]),
        ("movers (latest day)", "/api/movers", {}, ["movers"]),
        ("market (latest day)", "/api/market", {}, ["market"]),
        ("ipos", "/api/ipos", {}, ["ipos"]),
        ("stories", "/api/stories", {}, None),
    ]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples) if len(samples) > 1 else samples * 2
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1),
            "p99_ms": round(q[98] * 1000, 1), "requests": len(samples)}


def _scalar(db: Path | str, sql: str) -> Any:
    """The one value ``sql`` reads from the store ``db`` (a SQLite file, read-only, or a URL)."""
    if isinstance(db, str):
        import psycopg

        with psycopg.connect(db) as pg:
            found = pg.execute(sql).fetchone()
    else:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        found = conn.execute(sql).fetchone()
        conn.close()
    return found[0] if found else None


def _a_day(db: Path | str) -> str:
    return str(_scalar(db, "SELECT max(published_date_hk) FROM article_revisions") or "")


def api_latency(db: Path | str, *, repeats: int, budget: float) -> dict[str, dict[str, float]]:
    from fastapi.testclient import TestClient

    from tickerwire.app import create_app
    from tickerwire.settings import Settings

    results = {}
    settings = (Settings(db_path=Path("unused.db"), db_url=db) if isinstance(db, str)
                else Settings(db_path=db))
    with TestClient(create_app(settings)) as client:
        ids = [a["id"] for a in client.get("/api/articles", params={"limit": 50}).json()["results"]]
        reads = [(name, path, params) for name, path, params, _ in _reads(_a_day(db))]
        reads.append(("articles/{id}", "/api/articles/{id}", {}))
        for name, path, params in reads:
            targets = [path.replace("{id}", i) for i in ids] if "{id}" in path else [path]
            samples: list[float] = []
            cpu: list[float] = []
            client.get(targets[0], params=params)  # warm
            began = time.perf_counter()
            for n in range(repeats):
                if samples and time.perf_counter() - began > budget:
                    break
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(targets[n % len(targets)], params=params)
                samples.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {response.status_code} {response.text[:300]}")
            # CPU time of this process (the client and the app: on SQLite the whole read; a
            # PostgreSQL server's own time is not in it), steadier than wall time on a busy machine.
            results[name] = {**_percentiles(samples),
                             "cpu_p50_ms": round(statistics.median(cpu) * 1000, 1)}
            print(f"  GET {name}: {results[name]}", flush=True)
    return results


def cli_times(db: Path | str, *, runs: int) -> dict[str, dict[str, float]]:
    results = {}
    for _name, _path, _params, argv in _reads(_a_day(db)):
        if argv is None:
            continue
        samples = []
        cpu = []
        for _ in range(runs):
            started, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            _run_cli(db, *argv)
            samples.append(time.perf_counter() - started)
            done = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(done.ru_utime + done.ru_stime - children.ru_utime - children.ru_stime)
        # CPU: the command's user + system time (start-up included), steadier than its wall.
        results[" ".join(argv)] = {"median_s": round(statistics.median(samples), 2),
                                   "max_s": round(max(samples), 2), "runs": runs,
                                   "cpu_median_s": round(statistics.median(cpu), 2)}
        print(f"  tickerwire {' '.join(argv)}: {results[' '.join(argv)]}", flush=True)
    return results


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def under_load(db: Path | str, *, clients: int, seconds: float, port: int) -> dict[str, Any]:
    """``clients`` threads requesting the measured reads from a served store."""
    argv = [sys.executable, "-c", "from tickerwire.cli import main; main()", "--db", str(db),
            "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/api/health")
        urls = [base + path + ("?" + urllib.parse.urlencode(params) if params else "")
                for _n, path, params, _ in _reads(_a_day(db))]
        latencies: list[float] = []
        failures: list[str] = []
        stop = time.perf_counter() + seconds

        def client(offset: int) -> None:
            n = offset
            while time.perf_counter() < stop:
                url = urls[n % len(urls)]
                n += 1
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=60) as response:
                        response.read()
                except OSError as exc:
                    failures.append(f"{url}: {exc}")
                    continue
                latencies.append(time.perf_counter() - started)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {"clients": clients, "seconds": seconds, "requests": len(latencies),
                "requests_per_second": round(len(latencies) / seconds, 1),
                "failures": len(failures), **_percentiles(latencies or [0.0]),
                "server_peak_rss_mib": round(_peak_rss_mib(server.pid), 1)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def upgrade(db: Path | str) -> dict[str, Any]:
    """Bring an existing store to the current schema (the API and the CLI open it read-only),
    timing the migrations."""
    from tickerwire.store import Store

    before = _scalar(db, "SELECT coalesce(max(version), 0) FROM schema_migrations")
    started = time.perf_counter()
    with Store(db) as store:
        after = store.schema_version
    return {"from": before, "to": after, "seconds": round(time.perf_counter() - started, 2)}


def _wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.perf_counter() > deadline:
                raise
            time.sleep(0.2)


def _step(name: str, steps: list[str], work: Callable[[], Any], results: dict[str, Any]) -> None:
    if name in steps:
        print(f"{name} …", flush=True)
        results[name] = work()
        results[name + "_load_avg_1min"] = round(os.getloadavg()[0], 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--work", type=Path, help="Where build makes its stores.")
    parser.add_argument("--db", type=Path, help="An existing store to read (no build).")
    parser.add_argument("--pg", metavar="URL",
                        help="A PostgreSQL database: build copies into it (it must be empty), reads read it.")
    parser.add_argument("--steps", nargs="+", default=["build", "api", "cli", "load"])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--budget", type=float, default=30.0, help="Seconds per endpoint at most.")
    parser.add_argument("--cli-runs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip", nargs="*", default=[], help="Names of reads to leave out.")
    parser.add_argument("--search", nargs="*", default=[], metavar="WORDS",
                        help="More searches to time (API and CLI), e.g. --search 港股 shares.")
    parser.add_argument("--out", type=Path, help="Append the results as one JSON line here.")
    opts = parser.parse_args(argv)
    SKIPPED.update(opts.skip)
    SEARCHES.extend(opts.search)
    db: Path | str
    if opts.pg is not None:
        if opts.db is not None:
            parser.error("--db and --pg are two stores: give one")
        if "build" in opts.steps and opts.work is None:
            parser.error("--work is needed for the sample store the build copies")
        db = opts.pg
    elif opts.db is not None:
        if "build" in opts.steps:
            parser.error("--db reads an existing store: leave build out of --steps")
        db = opts.db
    elif opts.work is None:
        parser.error("--work is needed to build a store (or --db to read one)")
    else:
        opts.work.mkdir(parents=True, exist_ok=True)
        db = opts.work / f"insights-{opts.articles}.db"
    results: dict[str, Any] = {"articles": opts.articles, "host_cpus": os.cpu_count(),
                               "skipped": sorted(SKIPPED)}
    if isinstance(db, str):
        _step("build", opts.steps,
              lambda: build_postgresql(sample_store(opts.work), opts.pg, opts.articles), results)
    else:
        _step("build", opts.steps, lambda: build(sample_store(opts.work), db, opts.articles), results)
    if "build" not in opts.steps:
        _step("upgrade", ["upgrade"], lambda: upgrade(db), results)
        results["articles"] = _scalar(db, "SELECT count(*) FROM articles")  # the store's, not --articles
    _step("api", opts.steps,
          lambda: api_latency(db, repeats=opts.repeats, budget=opts.budget), results)
    _step("cli", opts.steps, lambda: cli_times(db, runs=opts.cli_runs), results)
    _step("load", opts.steps, lambda: under_load(db, clients=opts.clients,
                                                 seconds=opts.seconds, port=opts.port), results)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if opts.out:
        with opts.out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(results, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
