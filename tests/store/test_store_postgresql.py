"""What only the PostgreSQL backend has to show: its migrations from empty and from every older
version, the same schema and answers as SQLite (news, prices and verdicts), and several writers
at once."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from store_builders import HSBC_ZH_HANT, make_article

import tickerwire
from pg_server import PgServer, settings_for
from tickerwire.app import create_app
from tickerwire.errors import StoreError, UnstorableArticleError
from tickerwire.ingest import ingest_articles, ingest_paths
from tickerwire.prices.readers import expand_price_inputs, read_price_files
from tickerwire.refdata.master import load_master
from tickerwire.store import MIGRATIONS, Store
from tickerwire.store.database import open_connection
from tickerwire.store.schema import migrate

pytestmark = pytest.mark.postgresql

EXAMPLES = Path(__file__).parents[2] / "examples"
SRC = Path(tickerwire.__file__).parents[1]
TOKEN = "concurrency-token"


@pytest.fixture
def empty_url(pg_server: PgServer) -> Any:
    url = pg_server.empty_database()
    yield url
    pg_server.drop_database(url)


def _columns(store: Store) -> set[tuple[str, str]]:
    """(table, column) of every ordinary table, on either backend."""
    if store.dialect == "postgresql":
        rows = store._conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema()").fetchall()
    else:
        rows = store._conn.execute(
            "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p"
            " WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%'"
            " AND m.name NOT LIKE 'revisions_%'").fetchall()
    return {(str(table), str(column)) for table, column in rows
            if not str(table).startswith("revisions_")}


def test_an_empty_database_gets_every_migration_and_the_sqlite_schema(
    empty_url: str, tmp_path: Path
) -> None:
    with Store(empty_url) as store:
        assert [(v, name) for v, name, _ in store.migrations()] == [
            (m.version, m.name) for m in MIGRATIONS]
        assert store.schema_version == MIGRATIONS[-1].version
        assert store.integrity_check() == []
        pg_columns = _columns(store)
    with Store(tmp_path / "tw.db") as sqlite_store:
        assert pg_columns == _columns(sqlite_store)


@pytest.mark.parametrize("version", [m.version for m in MIGRATIONS[:-1]])
def test_a_database_at_an_older_version_is_upgraded_on_open(empty_url: str, version: int) -> None:
    conn = open_connection(empty_url, readonly=False, timeout=5)
    try:
        assert migrate(conn, readonly=False, upto=version) == version
    finally:
        conn.close()
    with pytest.raises(StoreError, match="without --readonly"):
        Store(empty_url, readonly=True)
    with Store(empty_url) as store:
        assert [v for v, _, _ in store.migrations()] == [m.version for m in MIGRATIONS]
        store.ingest_article(make_article(HSBC_ZH_HANT, lang="zh"), None)
        assert [hit.title for hit in store.search("恒生银行")] == ["滙豐私有化恒生銀行"]


def test_a_newer_schema_is_refused(empty_url: str) -> None:
    with Store(empty_url) as store:
        store._conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2099-01-01')")
    with pytest.raises(StoreError, match="newer tickerwire"):
        Store(empty_url)


def test_a_wrong_database_name_says_how_to_fix_it(pg_server: PgServer) -> None:
    with pytest.raises(StoreError, match="createdb"):
        Store(pg_server.url("no_such_database"))


@pytest.mark.parametrize("field", ["text", "title"])
def test_a_nul_character_is_one_unstorable_article_not_a_failed_batch(
    pg_server: PgServer, field: str
) -> None:
    url = pg_server.new_database()
    try:
        with Store(url) as store:
            bad = make_article(HSBC_ZH_HANT, lang="zh")
            bad = dataclasses.replace(bad, **{field: getattr(bad, field) + "\x00恒生"})
            with pytest.raises(UnstorableArticleError, match="NUL") as raised:
                store.ingest_article(bad, None)
            assert raised.value.reason == "unstorable_text"
            assert store.stats()["articles"] == 0
            good = make_article(HSBC_ZH_HANT, lang="zh")
            summary = ingest_articles(store, [bad, good])
            assert (summary.new, summary.quarantined) == (1, 1)
            assert [row.reason for row in store.quarantined()] == ["unstorable_text"]
    finally:
        pg_server.drop_database(url)


# --- the same answers -------------------------------------------------------------------------

QUERIES = ["Hang Seng", "恒生指数", "恒生指數", "腾讯", "HK", "%", "3.6%", "southbound 资金",
           '"Hang Seng Tech"', "ＳＭＩＣ", "no such words"]


def _answers(store: Store) -> dict[str, Any]:
    """What the sample news looks like through every read, without row ids or ingest times."""
    def plain(rows: list[Any]) -> list[dict[str, Any]]:
        return [{k: v for k, v in asdict(row).items()
                 if k not in ("extraction_id", "first_seen_at", "extracted_at")} for row in rows]

    answers: dict[str, Any] = {"stats": store.stats(), "days": store.days(),
                               "price_codes": store.price_codes(),
                               "latest": store.latest_day(), "facts": plain(store.fact_rows()),
                               "events": plain(store.event_rows()),
                               "mentions": plain(store.mention_rows())}
    for query in QUERIES:
        hits = store.search(query, limit=50)
        answers[query] = ([(h.id, h.snippet, h.marks, h.matched) for h in hits],
                          store.count(query), store.facets(query))
    return answers


@pytest.mark.slow
def test_the_sample_news_reads_the_same_on_both_backends(
    pg_server: PgServer, tmp_path: Path
) -> None:
    url = pg_server.new_database()
    try:
        results = []
        bars = read_price_files(expand_price_inputs([str(EXAMPLES / "prices")]), load_master())
        for target in (tmp_path / "tw.db", url):
            with Store(target) as store:
                ingest_paths(store, [str(EXAMPLES / "news")], max_bytes=5_000_000)
                store.import_bars(bars)  # and every fact is checked against them
                results.append(_answers(store))
        assert results[0]["stats"]["articles"] > 10 and results[0]["price_codes"]
        assert any(fact["verification"] for fact in results[0]["facts"])
        assert results[0] == results[1]
    finally:
        pg_server.drop_database(url)


# --- several writers at once -----------------------------------------------------------------


def _wire(first: int, last: int) -> str:
    lines = []
    for i in range(first, last):
        lines.append(json.dumps({
            "id": f"wire-{i:03d}", "title": f"Hang Seng report {i}", "lang": "en",
            "text": f"Hang Seng report {i}\nShares of Tencent (00700.HK) rose {i % 9}.5% in "
                    f"session {i}, and the Hang Seng Index added 0.{i % 10}%.",
            "published_at": f"2025-10-{1 + i % 28:02d}T10:00:00+08:00"}))
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_two_ingest_processes_and_the_api_lose_and_duplicate_nothing(
    pg_server: PgServer, tmp_path: Path
) -> None:
    url = pg_server.new_database()
    (tmp_path / "a.jsonl").write_text(_wire(0, 150), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(_wire(75, 225), encoding="utf-8")  # 75 … 149 in both
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-c", "from tickerwire.cli import main; main()", "--db", url,
               "ingest", "--json"]
    try:
        workers = [subprocess.Popen([*command, str(tmp_path / name)], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, env=env)
                   for name in ("a.jsonl", "b.jsonl")]
        api_new = posted_articles = 0
        seen_by_reader: list[int] = []  # how many of the workers' articles the API listed
        app = create_app(settings_for(url, api_token=TOKEN))
        with TestClient(app) as client:
            # The API writes and reads for as long as the workers run.
            while any(w.poll() is None for w in workers) and posted_articles < 400:
                body = {"title": f"API note {posted_articles}", "lang": "zh",
                        "text": f"API note {posted_articles}: 恒生指数上涨{posted_articles % 5}%。"}
                posted_articles += 1
                for _ in range(2):  # the second post of the same article changes nothing
                    posted = client.post("/api/articles", json=body,
                                         headers={"Authorization": f"Bearer {TOKEN}"})
                    assert posted.status_code in (200, 201), posted.text
                    api_new += posted.json()["summary"]["new"]
                listed = client.get("/api/articles",
                                    params={"q": '"Hang Seng report"', "limit": 5})
                assert listed.status_code == 200, listed.text
                seen_by_reader.append(listed.json()["total"])
            outputs = [worker.communicate(timeout=240) for worker in workers]
        for worker, (_, err) in zip(workers, outputs, strict=True):
            assert worker.returncode == 0, err
        summaries = [json.loads(out) for out, _ in outputs]
        assert [s["new"] + s["unchanged"] for s in summaries] == [150, 150]
        assert summaries[0]["new"] + summaries[1]["new"] == 225  # each overlap stored once
        assert api_new == posted_articles
        assert seen_by_reader == sorted(seen_by_reader), "a reader never sees the count go back"
        assert any(0 < seen < 225 for seen in seen_by_reader), "the API ran while ingest did"
        total = 225 + posted_articles
        with Store(url, readonly=True) as store:
            stats = store.stats()
            assert (stats["articles"], stats["revisions"], stats["extractions"]) == (total,) * 3
            assert store.count('"Hang Seng report"') == 225
            assert store.count('"API note"') == posted_articles
            rows = store._conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
            assert rows[0] == rows[1] == total
    finally:
        pg_server.drop_database(url)


def test_concurrent_stores_in_one_process_share_the_pool(pg_server: PgServer) -> None:
    url = pg_server.new_database()
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                with Store(url, readonly=True) as store:
                    store.stats()
        except BaseException as exc:
            errors.append(exc)

    try:
        threads = [threading.Thread(target=read) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        from tickerwire.store.postgres import _POOLS

        assert url in _POOLS and _POOLS[url].get_stats()["pool_size"] <= 10
    finally:
        pg_server.drop_database(url)
