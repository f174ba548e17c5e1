"""Recorded alerts reach every channel: console, JSON Lines, signed webhooks with retries; a
restart neither loses nor repeats an alert."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import httpx
import live_articles as articles
import pytest
from live_support import WebhookReceiver, ingest_text

from tickerwire.extract import Pipeline
from tickerwire.live.alerting import AlertEngine
from tickerwire.live.deliveries import (
    ALERT_ID_HEADER,
    SIGNATURE_HEADER,
    Deliverer,
    build_senders,
    sign,
    verify_signature,
)
from tickerwire.live.rules import AlertsConfig
from tickerwire.store import Store


def config(tmp_path: Path, webhook_url: str, **webhook: object) -> AlertsConfig:
    return AlertsConfig.model_validate({
        "channels": {
            "console": {"type": "console"},
            "file": {"type": "jsonl", "path": str(tmp_path / "out" / "alerts.jsonl")},
            "hook": {"type": "webhook", "url": webhook_url, "secret": "s3cret",
                     "backoff_seconds": 0.01, **webhook},
        },
        "rules": [{"id": "tencent", "kind": "watchlist", "securities": ["Tencent"]},
                  {"id": "moves", "kind": "move", "min_pct": 5, "deliver": ["file"]}],
    })


def deliver(store: Store, alerts: AlertsConfig, console: io.StringIO) -> int:
    with httpx.Client() as client:
        senders = build_senders(alerts.channels, stream=console, client=client)
        return Deliverer(store, senders).deliver_pending()


def test_every_channel_gets_the_alert(store: Store, pipeline: Pipeline, tmp_path: Path,
                                      webhook: WebhookReceiver) -> None:
    alerts = config(tmp_path, webhook.url + "/hook")
    engine = AlertEngine(store, alerts)
    engine.run()
    ingest_text(store, pipeline, "tencent.txt", articles.TENCENT_SLUMP)
    assert len(engine.run()) == 2
    console = io.StringIO()
    assert deliver(store, alerts, console) == 4  # tencent → 3 channels, moves → the file only
    assert "[alert 1] tencent: Tencent shares slump after gaming curbs" in console.getvalue()
    lines = [json.loads(line) for line in (tmp_path / "out" / "alerts.jsonl").read_text().splitlines()]
    assert [line["rule"]["id"] for line in lines] == ["tencent", "moves"]
    assert "fell 6.2%" in lines[1]["matches"][0]["quote"]
    [hit] = webhook.hits
    assert hit.headers[ALERT_ID_HEADER] == "1"
    assert verify_signature("s3cret", hit.headers[SIGNATURE_HEADER], hit.body)
    assert not verify_signature("other", hit.headers[SIGNATURE_HEADER], hit.body)
    assert json.loads(hit.body)["article"]["title"] == "Tencent shares slump after gaming curbs"
    assert store.delivery_counts() == {"delivered": 4}
    assert deliver(store, alerts, io.StringIO()) == 0  # nothing is sent twice


@pytest.mark.parametrize(
    ("statuses", "attempts", "outcome"),
    [
        ([500, 503], 3, "delivered"),  # retried through server errors
        ([429], 2, "delivered"),
        ([500, 500, 500], 3, "failed"),  # retries spent (retries=2 → 3 attempts)
        ([400], 1, "failed"),  # a client error is not retried
        ([410], 1, "failed"),
    ],
)
def test_webhook_retries(store: Store, pipeline: Pipeline, tmp_path: Path, webhook: WebhookReceiver,
                         statuses: list[int], attempts: int, outcome: str,
                         caplog: pytest.LogCaptureFixture) -> None:
    alerts = config(tmp_path, webhook.url + "/hook", retries=2)
    alerts = alerts.model_copy(update={"rules": alerts.rules[:1]})
    engine = AlertEngine(store, alerts)
    engine.run()
    ingest_text(store, pipeline, "tencent.txt", articles.TENCENT_SLUMP)
    engine.run()
    webhook.statuses.extend(statuses)
    deliver(store, alerts, io.StringIO())
    assert len(webhook.hits) == attempts
    assert store.delivery_counts() == ({"delivered": 3} if outcome == "delivered"
                                       else {"delivered": 2, "failed": 1})
    assert f"alert 1 to hook: attempt 1 of 3 failed: {webhook.url}/hook: HTTP {statuses[0]}" in caplog.text


def test_an_unreachable_webhook_fails_after_its_retries(store: Store, pipeline: Pipeline,
                                                        tmp_path: Path) -> None:
    alerts = config(tmp_path, "http://127.0.0.1:9/closed", retries=1)
    engine = AlertEngine(store, alerts)
    engine.run()
    ingest_text(store, pipeline, "tencent.txt", articles.TENCENT_SLUMP)
    engine.run()
    deliver(store, alerts, io.StringIO())
    assert [a.rule_id for a in store.recent_alerts()] == ["moves", "tencent"]
    assert store.delivery_counts() == {"delivered": 3, "failed": 1}


def test_a_restart_delivers_what_was_pending_and_fires_nothing_twice(
    tmp_path: Path, pipeline: Pipeline, webhook: WebhookReceiver
) -> None:
    db = tmp_path / "live.db"
    alerts = config(tmp_path, webhook.url + "/hook")
    with Store(db) as store:
        AlertEngine(store, alerts).run()
        ingest_text(store, pipeline, "tencent.txt", articles.TENCENT_SLUMP)
        AlertEngine(store, alerts).run()  # recorded, then "killed" before delivering
        ingest_text(store, pipeline, "byd.txt", articles.BYD_SLIDE)  # stored while it was down
    with Store(db) as store:  # the next start
        engine = AlertEngine(store, alerts)
        assert engine.run() == []  # BYD fires no rule; Tencent's alerts are not fired again
        assert deliver(store, alerts, io.StringIO()) == 4
        assert engine.run() == [] and deliver(store, alerts, io.StringIO()) == 0
    assert len(webhook.delivered()) == 1


def test_the_first_run_starts_at_the_newest_article_unless_backlog(
    store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    ingest_text(store, pipeline, "tencent.txt", articles.TENCENT_SLUMP)
    alerts = config(tmp_path, "http://127.0.0.1:9/unused")
    assert AlertEngine(store, alerts).run() == []
    store.set_cursor("alerts", 0)
    assert len(AlertEngine(store, alerts, backlog=True).run()) == 2


def test_signatures_expire() -> None:
    body = b'{"id": 1}'
    header = sign("k", 1_000, body)
    assert verify_signature("k", header, body, now=1_100)
    assert not verify_signature("k", header, body, now=2_000)
    assert not verify_signature("k", header, body + b" ", now=1_100)
    assert not verify_signature("k", "t=x,sha256=00", body, now=1_100)
    assert not verify_signature("k", "garbage", body)
    assert verify_signature("k", sign("k", int(time.time()), body), body)
