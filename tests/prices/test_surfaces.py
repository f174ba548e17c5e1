"""Verdicts reach every surface: extract JSON, the API, the brief, the dashboard pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tickerwire import insights
from tickerwire.app import create_app
from tickerwire.cli import app
from tickerwire.settings import Settings
from tickerwire.store import Store

LENOVO_DAY = "2025-10-08"  # the sample prices' misprinted close (examples/prices/README.md)


@pytest.fixture(scope="module")
def client(priced_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db_path=priced_db))) as opened:
        yield opened


def lenovo_article_id(priced_db: Path) -> str:
    with Store(priced_db, readonly=True) as store:
        rows = store.fact_rows(subjects=["00992.HK"], kinds=["price_move"])
    return rows[0].article_id


def test_every_api_fact_has_a_verification_key(client: TestClient, priced_db: Path) -> None:
    article = client.get(f"/api/articles/{lenovo_article_id(priced_db)}").json()
    facts = article["facts"]
    assert facts and all("verification" in f for f in facts)
    lenovo = next(f for f in facts if f["subject"] == "00992.HK" and f["kind"] == "price_move")
    assert lenovo["verification"] == {
        "verdict": "contradicted", "field": "price", "stated": 11.98, "actual": 11.89,
        "difference": pytest.approx(-0.09), "day": LENOVO_DAY, "reason": None}
    stock = client.get("/api/stocks/00992.HK").json()
    assert any(f["verification"] and f["verification"]["verdict"] == "contradicted"
               for f in stock["facts"])


def test_api_verification_report(client: TestClient) -> None:
    report = client.get("/api/verification", params={"since": "2025-10-08", "until": "2025-10-08"}).json()
    assert report["counts"]["contradicted"] >= 1 and report["sources"]
    assert client.get("/api/verification", params={"since": "08/10/2025"}).status_code == 422


def test_brief_marks_in_every_format(client: TestClient) -> None:
    for fmt in ("text", "md", "html"):
        body = client.get("/api/brief", params={"date": LENOVO_DAY, "format": fmt}).text
        assert "✓" in body and "✗ actual HK$11.89" in body, fmt


def test_board_prefers_the_confirmed_reading(priced_db: Path) -> None:
    with Store(priced_db, readonly=True) as store:
        board = insights.movers(store, date(2025, 10, 8), limit=50)
    smic = next(m for m in board.movers if m.listing == "00981.HK")
    assert smic.disagreement and smic.values[0].verification is not None
    assert smic.values[0].verification.verdict == "confirmed" and smic.pct == 3.4


def test_dashboard_marks(client: TestClient, priced_db: Path) -> None:
    home = client.get("/", params={"date": LENOVO_DAY}).text
    assert 'class="verdict verdict-confirmed"' in home
    page = client.get(f"/article/{lenovo_article_id(priced_db)}").text
    assert 'class="hl hl-disputed"' in page or "hl-disputed" in page
    assert "✗ actual HK$11.89" in page
    stock = client.get("/stock/00992.HK").text
    assert "verdict-contradicted" in stock


def test_extract_json_has_a_null_verification() -> None:
    sample = Path(__file__).resolve().parents[2] / "examples" / "news" / "2025-10-24-hk-close-hsi.md"
    result = CliRunner().invoke(app, ["extract", str(sample), "--format", "jsonl"])
    assert result.exit_code == 0
    facts = json.loads(result.stdout.splitlines()[0])["facts"]
    assert facts and all(f["verification"] is None for f in facts)


def test_extract_with_prices_checks_each_fact() -> None:
    root = Path(__file__).resolve().parents[2]
    sample = root / "examples" / "news" / "2025-10-08-hk-stocks-chip-rally.html"
    result = CliRunner().invoke(app, ["extract", str(sample), "--prices", str(root / "examples" / "prices")])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout.splitlines()[0])["facts"]
    verdicts = {(f["subject"], f["kind"]): f["verification"] for f in facts}
    assert verdicts[("00992.HK", "price_move")]["verdict"] == "contradicted"
    assert verdicts[("HSI", "index_level")]["verdict"] == "confirmed"
    assert all(f["verification"] is None for f in facts if f["kind"] not in
               ("price_move", "index_level", "close_price", "turnover"))


def test_cli_boards_mark_each_reading(priced_db: Path) -> None:
    runner = CliRunner()
    movers = runner.invoke(app, ["movers", "--db", str(priced_db), "--date", LENOVO_DAY],
                           env={"COLUMNS": "200"})
    assert movers.exit_code == 0
    assert "vs market" in movers.stdout and "✗ actual HK$11.89" in movers.stdout
    assert "the reading the close confirms is listed first" in movers.stdout
    board = runner.invoke(app, ["market", "--db", str(priced_db), "--date", LENOVO_DAY],
                          env={"COLUMNS": "200"})
    assert board.exit_code == 0 and "✓" in board.stdout
