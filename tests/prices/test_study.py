"""``tickerwire study``: returns after news by event type and tone, raw and against the index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tickerwire import insights
from tickerwire.cli import app
from tickerwire.model import Article, Event, Extraction, PriceBar, Sentiment
from tickerwire.store import Store
from tickerwire.taxonomy import label as kind_label

MON, TUE, WED = date(2025, 10, 13), date(2025, 10, 14), date(2025, 10, 15)


def bars() -> list[PriceBar]:
    out = []
    for code, closes in {"00700.HK": (100.0, 104.0, 106.08), "09988.HK": (50.0, 51.0, 50.49),
                         "HSI": (1000.0, 1010.0, 1010.0),
                         "600519.SH": (10.0, 9.0, 9.18), "CSI300": (100.0, 99.0, 99.0)}.items():
        out += [PriceBar(code, day, close, currency="HKD") for day, close in zip((MON, TUE, WED), closes, strict=True)]
    return out


def article(n: int, text: str, subjects: tuple[str, ...], label: str, *,
            published: datetime) -> tuple[Article, Extraction]:
    a = Article(text=text, title=text, url=f"https://news.example/{n}", source="Example Wire",
                published_at=published)
    extraction = Extraction(article=a, events=(Event("analyst_rating", subjects, text, 0, len(text)),),
                            sentiment=Sentiment(0.5 if label == "positive" else -0.5, label,
                                                labels=dict.fromkeys(subjects, label)))
    return a, extraction


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "s.db")
    opened.import_bars(bars())
    evening = datetime(2025, 10, 14, 10, 0, tzinfo=UTC)  # 18:00 in Hong Kong, after the close
    for n, (text, subjects, label) in enumerate([
        ("Citi upgrades Tencent to buy", ("00700.HK",), "positive"),
        ("Morgan Stanley raises Tencent and Alibaba targets", ("00700.HK", "09988.HK"), "positive"),
        ("摩根大通下调贵州茅台评级", ("600519.SH",), "negative"),
        ("Citi upgrades Tencent, again", ("00700.HK",), "positive"),  # same event, day, company
        ("Hang Seng Index rating", ("HSI",), "positive"),  # an index is not a company
    ]):
        opened.ingest_article(*article(n, text, subjects, label, published=evening))
    yield opened
    opened.close()


def test_returns_by_event_and_tone(store: Store) -> None:
    result = insights.study(store)
    rows = {(r.event_type, r.tone): r for r in result.rows}
    assert result.events == 3 and result.without_prices == 0  # Tencent once, Alibaba, Moutai
    positive = rows[("analyst_rating", "positive")]
    # Tencent +4% and Alibaba +2% on the day; the next day +2% and -1%.
    assert positive.same_day.n == 2 and positive.same_day.mean_pct == pytest.approx(3.0)
    assert positive.next_day.mean_pct == pytest.approx(0.5)
    # Relative to the HSI (+1% on the day, flat the next).
    assert positive.same_day_relative.mean_pct == pytest.approx(2.0)
    assert positive.next_day_relative.mean_pct == pytest.approx(0.5)
    # t = mean / (sd / √n): same-day returns 4 and 2 → mean 3, sd √2, t = 3 / 1 = 3.
    assert positive.same_day.t_stat == pytest.approx(3.0)
    negative = rows[("analyst_rating", "negative")]
    assert negative.same_day.n == 1 and negative.same_day.mean_pct == pytest.approx(-10.0)
    assert negative.same_day.t_stat is None  # one observation
    assert negative.same_day_relative.mean_pct == pytest.approx(-9.0)  # CSI 300 fell 1%


def test_a_weekend_article_is_about_the_session_before(store: Store) -> None:
    saturday = datetime(2025, 10, 18, 2, 0, tzinfo=UTC)
    extra = [PriceBar("00700.HK", date(2025, 10, 17), 110.0, prev_close=100.0, currency="HKD"),
             PriceBar("00700.HK", date(2025, 10, 20), 99.0, currency="HKD")]
    store.import_bars(extra)
    store.ingest_article(*article(9, "Weekend: Tencent upgraded", ("00700.HK",), "negative",
                                  published=saturday))
    result = insights.study(store, since=date(2025, 10, 18))
    (row,) = result.rows
    assert row.same_day.mean_pct == pytest.approx(10.0) and row.next_day.mean_pct == pytest.approx(-10.0)


def test_study_command_json(store: Store, tmp_path: Path) -> None:
    store.close()
    result = CliRunner().invoke(app, ["study", "--db", str(tmp_path / "s.db"), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["benchmarks"]["HK"] == "HSI" and body["rows"][0]["event_type"] == "analyst_rating"
    table = CliRunner().invoke(app, ["study", "--db", str(tmp_path / "s.db")], env={"COLUMNS": "160"})
    assert "+3.00% (t +3.0)" in table.stdout


def test_study_page_and_api(priced_db: Path) -> None:
    from fastapi.testclient import TestClient

    from tickerwire.app import create_app
    from tickerwire.settings import Settings

    with TestClient(create_app(Settings(db_path=priced_db))) as client:
        page = client.get("/study")
        assert page.status_code == 200 and 'id="study"' in page.text and kind_label("earnings") in page.text
        body = client.get("/api/study", params={"since": "2025-10-20"}).json()
        assert body["events"] > 0 and body["rows"]
