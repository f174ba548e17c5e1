"""The stock page's price chart: closes per listing (A and H rebased), news and verdict marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickerwire import insights
from tickerwire.store import Store
from tickerwire.web.charts import price_chart


def history(db: Path, query: str) -> tuple[insights.Timeline, insights.PriceHistory]:
    with Store(db, readonly=True) as store:
        timeline = insights.timeline(store, query)
        return timeline, insights.price_history(store, timeline)


def test_a_and_h_share_one_rebased_chart(priced_db: Path) -> None:
    timeline, prices = history(priced_db, "SMIC")
    codes = [listing.code for listing in prices.listings]
    assert {"00981.HK", "688981.SH"} <= set(codes)
    # Shanghai was shut 1–8 Oct 2025, so both series start from the first day both traded.
    assert prices.base_day is not None and prices.base_day.isoformat() == "2025-09-29"
    for listing in prices.listings:
        base = next(p for p in listing.points if p.day == prices.base_day)
        assert base.rebased == 100.0
    chart = price_chart(timeline, prices)
    names = [trace["name"] for trace in chart["data"]]
    assert {"00981.HK", "688981.SH", "News (sentiment)"} <= set(names)
    assert "rebased to 100" in chart["layout"]["yaxis"]["title"]["text"]


def test_one_listing_charts_its_close_with_verdicts(priced_db: Path) -> None:
    timeline, prices = history(priced_db, "00992.HK")
    assert [listing.code for listing in prices.listings] == ["00992.HK"]
    chart = price_chart(timeline, prices)
    line = chart["data"][0]
    assert line["name"] == "00992.HK" and "HKD" in chart["layout"]["yaxis"]["title"]["text"]
    lenovo_day = line["x"].index("2025-10-08")
    assert line["y"][lenovo_day] == pytest.approx(11.89)
    contradicted = next(t for t in chart["data"] if t["name"] == "Reported number, contradicted")
    assert contradicted["x"] == ["2025-10-08"] and "✗ actual HK$11.89" in contradicted["text"][0]


def test_no_prices_no_chart(news_db: Path) -> None:
    timeline, prices = history(news_db, "SMIC")
    assert prices.listings == ()
    assert price_chart(timeline, prices) == {"data": [], "layout": {}}


def test_stock_page_shows_the_chart_or_says_how_to_get_one(priced_db: Path, news_db: Path) -> None:
    from fastapi.testclient import TestClient

    from tickerwire.app import create_app
    from tickerwire.settings import Settings

    with TestClient(create_app(Settings(db_path=priced_db))) as client:
        page = client.get("/stock/00981.HK").text
        assert 'id="chart-prices"' in page and '"prices"' in page
    with TestClient(create_app(Settings(db_path=news_db))) as client:
        page = client.get("/stock/00981.HK").text
        assert 'id="chart-prices"' not in page and "tickerwire prices import FILE" in page
