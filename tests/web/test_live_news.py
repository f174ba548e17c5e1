"""The live stream (``/api/stream``) and the home page's "Latest news" panel that follows it:
articles stored by another writer appear without a reload, and so do the alerts they fire."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from web_support import PageProbe, serving

from pg_server import settings_for
from tickerwire.extract import Pipeline, build_pipeline
from tickerwire.ingest import ingest_articles
from tickerwire.live.alerting import AlertEngine
from tickerwire.live.rules import AlertsConfig
from tickerwire.sources import read_bytes
from tickerwire.store import Store

FIRST = """Hua Hong climbs on foundry orders

HONG KONG, October 23, 2025 - Hua Hong Semiconductor rose 3.4% on Thursday after strong foundry orders.
"""
ARRIVING = """騰訊控股股價急跌

2025年10月24日，騰訊控股(00700.HK)周五收跌6.2%，報598.5港元，恒生指數跌1.8%。
"""
ARRIVING_EN = """Tencent shares slump after gaming curbs

HONG KONG, October 24, 2025 - Shares of Tencent Holdings fell 6.2% to HK$598.50 on Friday.
"""
RULES = AlertsConfig.model_validate(
    {"channels": {}, "rules": [{"id": "tencent", "kind": "watchlist", "securities": ["700 HK"],
                                "name": "Tencent desk"}]})


class Site:
    def __init__(self, url: str, db: Path | str, pipeline: Pipeline) -> None:
        self.url = url
        self.db = db
        self.pipeline = pipeline
        with Store(db) as store:
            self.engine_position = AlertEngine(store, RULES).run()

    def publish(self, name: str, text: str) -> None:
        """Store an article and fire its alerts, as ``tickerwire watch`` in another process would."""
        with Store(self.db) as store:
            ingest_articles(store, read_bytes(text.encode(), origin=name, filename=name),
                            pipeline=self.pipeline)
            AlertEngine(store, RULES).run()


@pytest.fixture(scope="module")
def site(module_target: Path | str) -> Iterator[Site]:
    pipeline = build_pipeline()
    with Store(module_target) as store:
        ingest_articles(store, read_bytes(FIRST.encode(), origin="first.txt"), pipeline=pipeline)
    with serving(module_target, timeout_graceful_shutdown=2) as url:
        yield Site(url, module_target, pipeline)


def read_events(response: httpx.Response, count: int) -> list[dict[str, str]]:
    """The next ``count`` events (comments and pings skipped) of an SSE response."""
    events: list[dict[str, str]] = []
    fields: dict[str, str] = {}
    for line in response.iter_lines():
        if not line:
            if "event" in fields:
                events.append(fields)
                if len(events) == count:
                    return events
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            fields[name] = fields.get(name, "") + value.strip()
    raise AssertionError(f"the stream ended after {len(events)} events")


def test_the_stream_sends_new_articles_and_alerts_and_resumes(site: Site) -> None:
    import json

    with httpx.Client(timeout=httpx.Timeout(5.0, read=30.0)) as client:
        with client.stream("GET", site.url + "/api/stream") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            site.publish("tencent-en.txt", ARRIVING_EN)
            article, alert = read_events(response, 2)
        assert article["event"] == "article" and alert["event"] == "alert"
        data: dict[str, Any] = json.loads(article["data"])
        assert data["title"] == "Tencent shares slump after gaming curbs"
        assert data["href"] == "/article/" + data["id"] and data["published_hk"] == "2025-10-24 00:00"
        fired = json.loads(alert["data"])
        assert fired["rule"]["name"] == "Tencent desk" and fired["article"]["id"] == data["id"]
        assert fired["matches"][0]["reason"].startswith("mentions Tencent")
        # A client that reconnects with the id of the article event gets the alert again, and
        # nothing it already had.
        with client.stream("GET", site.url + "/api/stream",
                           headers={"Last-Event-ID": article["id"]}) as response:
            [again] = read_events(response, 1)
        assert again["event"] == "alert" and again["id"] == alert["id"]


@pytest.mark.browser
def test_a_new_article_appears_on_the_home_page_without_a_reload(site: Site, probe: PageProbe) -> None:
    page = probe.page
    response = page.goto(site.url + "/", wait_until="load")
    assert response is not None and response.status == 200
    latest = page.locator("#latest")
    assert "Hua Hong climbs on foundry orders" in latest.inner_text()
    page.wait_for_selector("#latest .live-status:text('live')", timeout=20_000)
    site.publish("tencent-zh.txt", ARRIVING)
    fresh = page.locator("#latest ul.latest:not(.alerts) li").first
    fresh.filter(has_text="騰訊控股股價急跌").wait_for(timeout=20_000)
    assert fresh.get_attribute("class") == "fresh"
    assert fresh.locator("a").get_attribute("href", timeout=1_000).startswith("/article/tw-")
    alerts = page.locator("#latest .live-alerts")
    alerts.filter(has_text="Tencent desk").wait_for(timeout=20_000)
    assert "騰訊控股股價急跌" in alerts.inner_text()
    assert probe.problems == []


@pytest.mark.browser
def test_a_past_view_does_not_follow_the_stream(site: Site, probe: PageProbe) -> None:
    from datetime import UTC, datetime

    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    probe.page.goto(f"{site.url}/?as_of={now}", wait_until="load")
    assert "Hua Hong climbs on foundry orders" in probe.page.locator("#latest").inner_text()
    assert probe.page.locator("#latest").get_attribute("data-stream") is None
    assert probe.page.locator("script[src*='live.js']").count() == 0


def test_an_empty_database_still_has_the_live_panel(db_target: Path | str) -> None:
    from fastapi.testclient import TestClient

    from tickerwire.app import create_app

    Store(db_target).close()  # as `tickerwire watch` leaves it before any article
    with TestClient(create_app(settings_for(db_target))) as client:
        page = client.get("/").text
    assert 'id="latest" data-stream="/api/stream"' in page and "live.js" in page
    assert "No articles yet." in page and "tickerwire watch" in page


ARRIVING_AGAIN = """Tencent steadies after gaming curbs sell-off

HONG KONG, October 27, 2025 - Tencent Holdings (00700.HK) steadied on Monday after Friday's slump.
"""


@pytest.mark.browser
def test_the_alerts_page_lists_a_fired_alert(site: Site, probe: PageProbe) -> None:
    site.publish("tencent-steadies.txt", ARRIVING_AGAIN)
    page = probe.page
    page.goto(site.url + "/", wait_until="load")
    page.locator("nav a", has_text="Alerts").click()
    page.wait_for_url(site.url + "/alerts")
    row = page.locator("#alerts tr[data-alert]", has_text="Tencent steadies after gaming curbs sell-off")
    row.wait_for(timeout=10_000)
    assert "tencent" in row.inner_text() and "no channel" in row.inner_text()
    row.locator("a", has_text="Tencent steadies").click()
    page.wait_for_url(site.url + "/article/**")
    assert probe.problems == []
