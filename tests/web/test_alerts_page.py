"""The dashboard's ``/alerts`` page: past alerts with their rule, article, time and what each
delivery channel did."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tickerwire.app import create_app
from tickerwire.extract import build_pipeline
from tickerwire.ingest import ingest_articles
from tickerwire.live.alerting import AlertEngine
from tickerwire.live.history import delivery_status
from tickerwire.live.rules import AlertsConfig
from tickerwire.settings import Settings
from tickerwire.sources import read_bytes
from tickerwire.store import DeliveryRow, Store

TENCENT = """Tencent shares slump after gaming curbs

HONG KONG, October 24, 2025 - Shares of Tencent Holdings fell 6.2% to HK$598.50 on Friday.
"""
ALIBABA = """阿里巴巴周五收涨<b>

2025年10月24日，阿里巴巴(09988.HK)周五收涨3.1%，报162.4港元。
"""
RULES = {
    "channels": {"log": {"type": "jsonl", "path": "unused.jsonl"},
                 "hook": {"type": "webhook", "url": "http://127.0.0.1:9/hook", "secret": "k"}},
    "rules": [{"id": "tencent-desk", "kind": "watchlist", "securities": ["700 HK"]},
              {"id": "big-moves", "kind": "move", "min_pct": 3, "deliver": []}],
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("alerts-page") / "alerts.db"
    with Store(db) as store:
        engine = AlertEngine(store, AlertsConfig.model_validate(RULES))
        engine.run()
        pipeline = build_pipeline()
        for name, text in (("tencent.txt", TENCENT), ("alibaba.txt", ALIBABA)):
            ingest_articles(store, read_bytes(text.encode(), origin=name, filename=name),
                            pipeline=pipeline)
        engine.run()
        [tencent] = store.recent_alerts(rule_id="tencent-desk")
        store.mark_delivery(tencent.id, "log", delivered=True, attempts=1)
        store.mark_delivery(tencent.id, "hook", delivered=False, attempts=5,
                            error="connection refused")
    with TestClient(create_app(Settings(db_path=db))) as test_client:
        yield test_client


def _rows(page: str) -> list[str]:
    return [chunk.split("</tr>", 1)[0] for chunk in page.split("<tr data-alert=")[1:]]


def test_the_page_lists_alerts_newest_first_with_their_deliveries(client: TestClient) -> None:
    response = client.get("/alerts")
    assert response.status_code == 200
    page = response.text
    assert '<a href="/alerts" class="active">Alerts</a>' in page
    rows = _rows(page)
    assert len(rows) == 3  # Tencent (watchlist and move), Alibaba (move)
    tencent = next(r for r in rows if "tencent-desk" in r)
    assert 'data-status="failed"' in tencent
    assert "Tencent shares slump after gaming curbs" in tencent and 'href="/article/tw-' in tencent
    assert "log: delivered" in tencent and "hook: failed" in tencent
    assert "5 attempts" in tencent and "connection refused" in tencent
    assert "mentions Tencent" in tencent
    moves = [r for r in rows if "big-moves" in r]
    assert len(moves) == 2 and all("no channel" in r for r in moves)
    assert "阿里巴巴周五收涨&lt;b&gt;" in page and "收涨<b>" not in page  # escaped


@pytest.mark.parametrize(
    ("query", "count"),
    [("rule=tencent-desk", 1), ("rule=big-moves", 2), ("rule=nobody", 0), ("limit=1", 1)],
)
def test_the_page_filters_by_rule_and_limit(client: TestClient, query: str, count: int) -> None:
    page = client.get(f"/alerts?{query}").text
    assert len(_rows(page)) == count
    if count == 0:
        assert "No alerts from rule nobody yet." in page


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "rule=" + "x" * 65])
def test_bad_filters_are_a_400_page(client: TestClient, query: str) -> None:
    assert client.get(f"/alerts?{query}").status_code in (400, 422)


def _delivery(status: str) -> DeliveryRow:
    from datetime import UTC, datetime

    return DeliveryRow(1, status, status, 1, None, datetime(2025, 10, 24, tzinfo=UTC))


@pytest.mark.parametrize(
    ("statuses", "summary"),
    [([], "no channel"), (["delivered", "delivered"], "delivered"),
     (["delivered", "pending"], "pending"), (["pending", "failed"], "failed")],
)
def test_an_alerts_status_sums_up_its_channels(statuses: list[str], summary: str) -> None:
    assert delivery_status([_delivery(s) for s in statuses]) == summary


def test_an_empty_database_says_how_to_fire_alerts(tmp_path: Path) -> None:
    Store(tmp_path / "empty.db").close()
    with TestClient(create_app(Settings(db_path=tmp_path / "empty.db"))) as test_client:
        page = test_client.get("/alerts").text
    assert "No alerts yet." in page and "tickerwire watch --alerts" in page
