"""The alert engine's place in the store: revisions that commit after a later one (PostgreSQL
with several writers), and claims that ``verify`` finds contradicted after the article was seen;
on both backends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import live_articles as articles
import pytest
from live_support import ingest_text

from pg_server import new_target
from tickerwire.extract import Pipeline
from tickerwire.live.alerting import AlertEngine
from tickerwire.live.rules import AlertsConfig
from tickerwire.model import Article, PriceBar
from tickerwire.sources import read_bytes
from tickerwire.store import Store, writer
from tickerwire.store.codec import utc_now_text
from tickerwire.store.connection import Connection
from tickerwire.store.live import RevisionRow

WATCHLIST = {"rules": [{"id": "names", "kind": "watchlist",
                        "securities": ["Tencent", "BABA", "HSBC"]}]}
CONTRADICTED = {"rules": [{"id": "wrong", "kind": "contradicted_claim"}]}


@pytest.fixture
def store(db_target: Path | str) -> Iterator[Store]:
    with Store(db_target) as opened:
        yield opened


def _engine(store: Store, rules: dict[str, Any]) -> AlertEngine:
    return AlertEngine(store, AlertsConfig.model_validate(rules))


def _alerted(store: Store) -> list[tuple[str, str]]:
    """(rule, article title) of every alert fired, oldest first."""
    return sorted((a.rule_id, str(a.payload["article"]["title"]))
                  for a in store.recent_alerts(limit=100))


def test_a_revision_that_becomes_visible_after_the_cursor_passed_it_still_fires(
    store: Store, pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _engine(store, WATCHLIST)
    engine.run()
    ingest_text(store, pipeline, "tencent.txt", articles.TENCENT_SLUMP)
    ingest_text(store, pipeline, "baba.txt", articles.ALIBABA_GAIN_ZH)
    [tencent, baba] = store.revisions_after(0)
    # Tencent's insert is not committed yet when the engine reads: only Alibaba's is visible.
    visible = Store.revisions_after

    def uncommitted(self: Store, position: int, *, limit: int = 100) -> list[RevisionRow]:
        return [r for r in visible(self, position, limit=limit) if r.position != tencent.position]

    monkeypatch.setattr(Store, "revisions_after", uncommitted)
    hidden = Store.revisions_at
    monkeypatch.setattr(Store, "revisions_at", lambda self, positions: [
        r for r in hidden(self, positions) if r.position != tencent.position])
    assert len(engine.run()) == 1
    assert store.cursor("alerts") == baba.position  # past Tencent's position
    monkeypatch.setattr(Store, "revisions_at", hidden)  # the insert commits
    monkeypatch.setattr(Store, "revisions_after", visible)
    assert len(engine.run()) == 1
    assert engine.run() == []
    assert [rule for rule, _ in _alerted(store)] == ["names", "names"]
    # a restarted engine reads the recent revisions again and fires nothing twice
    assert _engine(store, WATCHLIST).run() == []
    assert len(_alerted(store)) == 2


@pytest.mark.postgresql
def test_out_of_order_commits_on_postgresql(
    request: pytest.FixtureRequest, tmp_path: Path, pipeline: Pipeline
) -> None:
    """Two writers: the first takes a revision position and commits after the second. The
    store's own writers queue on one advisory lock; a writer that does not (a bulk loader,
    another tool, parallel ingest) can commit in any order."""
    url = next(new_target("postgresql", request, tmp_path))
    inserted, release = threading.Event(), threading.Event()
    [tencent] = read_bytes(articles.TENCENT_SLUMP.encode(), origin="tencent.txt", filename="tencent.txt")
    [baba] = read_bytes(articles.ALIBABA_GAIN_ZH.encode(), origin="baba.txt", filename="baba.txt")
    assert isinstance(tencent, Article) and isinstance(baba, Article)

    def unlocked_writer(conn: Connection) -> None:
        conn.execute("BEGIN")
        writer.ingest_article(conn, tencent, pipeline(tencent), utc_now_text())
        inserted.set()
        assert release.wait(60)
        conn.execute("COMMIT")

    with Store(url) as first, Store(url) as second, Store(url) as watcher:
        engine = _engine(watcher, WATCHLIST)
        engine.run()
        late = threading.Thread(target=lambda: first._run(unlocked_writer))
        late.start()
        try:
            assert inserted.wait(60)
            second.ingest_article(baba, pipeline(baba))  # a later position, committed first
            assert [r.article_id for r in watcher.revisions_after(0)] == [baba.id]
            assert len(engine.run()) == 1
        finally:
            release.set()
            late.join()
        assert len(engine.run()) == 1
        assert len(_alerted(watcher)) == 2


TENCENT_DAY = date(2025, 10, 24)


def test_a_claim_verify_finds_contradicted_later_fires_once(
    store: Store, pipeline: Pipeline
) -> None:
    engine = _engine(store, CONTRADICTED)
    engine.run()
    ingest_text(store, pipeline, "tencent.txt", articles.TENCENT_SLUMP)  # "fell 6.2%"
    assert engine.run() == []  # no prices yet: nothing checked, nothing contradicted
    # Prices arrive: Tencent closed 0.4% lower that day, so the claim is contradicted.
    store.import_bars([PriceBar("00700.HK", TENCENT_DAY, 636.0, prev_close=638.5, currency="HKD")])
    [fired] = engine.run()
    [alert] = [a for a in store.recent_alerts(limit=10) if a.id == fired]
    assert alert.rule_id == "wrong" and alert.kind == "contradicted_claim"
    assert "6.2%" in alert.payload["matches"][0]["quote"]
    # verify re-checks (new verdict times), the engine runs again, a new engine starts: no repeat
    store.refresh_verdicts()
    assert engine.run() == []
    assert _engine(store, CONTRADICTED).run() == []
    assert len(store.recent_alerts(limit=10)) == 1


def test_verdicts_from_before_the_first_run_do_not_fire(store: Store, pipeline: Pipeline) -> None:
    ingest_text(store, pipeline, "tencent.txt", articles.TENCENT_SLUMP)
    store.import_bars([PriceBar("00700.HK", TENCENT_DAY, 636.0, prev_close=638.5, currency="HKD")])
    assert _engine(store, CONTRADICTED).run() == []  # starts at the newest article and verdict
