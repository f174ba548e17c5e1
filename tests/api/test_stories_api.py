"""Stories over the surfaces: ``/api/stories``, the dashboard's story pages, and the CLI's
``stories`` and ``story`` commands, on the labelled story articles (tests/fixtures/stories)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tickerwire import insights
from tickerwire.app import create_app
from tickerwire.cli import app as cli_app
from tickerwire.ingest import ingest_paths
from tickerwire.insights.stories import story_id_for
from tickerwire.serialize import jsonable
from tickerwire.settings import Settings
from tickerwire.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "articles.jsonl"
MEITUAN = story_id_for("st-fx-01")


@pytest.fixture(scope="module")
def stories_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stories-api") / "stories.db"
    with Store(path) as store:
        ingest_paths(store, [str(FIXTURE)], max_bytes=5_000_000)
    return path


@pytest.fixture(scope="module")
def client(stories_db: Path) -> Iterator[TestClient]:
    settings = Settings(db_path=stories_db, api_token=None, max_page_size=50)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def test_api_lists_stories_with_their_sources(client: TestClient, stories_db: Path) -> None:
    body = client.get("/api/stories", params={"min_articles": 2}).json()
    with Store(stories_db, readonly=True) as store:
        expected = jsonable(insights.list_stories(store, min_articles=2, limit=20))
    assert {k: v for k, v in body.items() if k != "next"} == expected
    meituan = next(s for s in body["stories"] if s["id"] == MEITUAN)
    assert meituan["articles"] == 4 and meituan["other_sources"] == 3
    assert meituan["languages"] == ["en", "zh"]


@pytest.mark.parametrize(
    ("params", "leads"),
    [
        ({"date": "2025-12-02"}, {"st-fx-05", "st-fx-09"}),
        ({"since": "2025-12-03", "until": "2025-12-03"}, {"st-fx-10", "st-fx-12"}),  # 11 joins 10
        ({"stock": "美团", "date": "2025-12-01", "min_articles": 2}, {"st-fx-01", "st-fx-07"}),
        ({"as_of": "2000-01-01"}, set()),
    ],
)
def test_api_story_filters(client: TestClient, params: dict[str, object], leads: set[str]) -> None:
    response = client.get("/api/stories", params=params)
    assert response.status_code == 200, response.text
    assert {s["lead_article_id"] for s in response.json()["stories"]} == leads


def test_api_pages_through_stories(client: TestClient) -> None:
    first = client.get("/api/stories", params={"limit": 3}).json()
    assert len(first["stories"]) == 3 and first["next"] is not None
    second = client.get(first["next"]).json()
    assert {s["id"] for s in first["stories"]}.isdisjoint(s["id"] for s in second["stories"])
    assert second["total"] == first["total"]


def test_api_one_story(client: TestClient) -> None:
    body = client.get(f"/api/stories/{MEITUAN}").json()
    assert body["story"]["id"] == MEITUAN
    assert body["articles"][0]["article_id"] == "st-fx-01"
    assert {a["reason"] for a in body["articles"]} == {"first", "near_duplicate", "facts"}
    assert any(f["first_report"] for f in body["facts"])


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/stories/st-0000000000000000", 404, "not_found"),
        ("/api/stories?date=yesterday", 422, "validation_error"),
        ("/api/stories?stock=NO-SUCH-CO-XYZ", 404, "not_found"),
        ("/api/stories?min_articles=0", 422, "validation_error"),
    ],
)
def test_api_story_errors(client: TestClient, path: str, status: int, code: str) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def test_dashboard_story_list_and_page(client: TestClient) -> None:
    listing = client.get("/stories", params={"min_articles": 2})
    assert listing.status_code == 200
    assert f'data-story="{MEITUAN}"' in listing.text and "+3 sources" in listing.text
    page = client.get(f"/story/{MEITUAN}")
    assert page.status_code == 200
    for words in ("美团股价大涨6.8%", "美團股價大漲6.8%", "Pearl River Wire", "first report"):
        assert words in page.text
    assert client.get("/story/st-0000000000000000").status_code == 404


def test_cli_stories_and_story(stories_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    runner = CliRunner()
    table = runner.invoke(cli_app, ["--db", str(stories_db), "stories", "--min-articles", "2"])
    assert table.exit_code == 0, table.stderr
    assert "Stories" in table.stdout and MEITUAN in table.stdout and "+3" in table.stdout
    listed = runner.invoke(cli_app, ["--db", str(stories_db), "stories", "--date", "2025-12-02",
                                     "--json"])
    assert {s["lead_article_id"] for s in json.loads(listed.stdout)["stories"]} == {
        "st-fx-05", "st-fx-09"}
    one = runner.invoke(cli_app, ["--db", str(stories_db), "story", MEITUAN])
    assert one.exit_code == 0 and "Articles" in one.stdout and "near_duplicate" in one.stdout
    missing = runner.invoke(cli_app, ["--db", str(stories_db), "story", "st-0"])
    assert missing.exit_code != 0 and missing.stderr.startswith("error: ")


def test_cli_rebuild(tmp_path: Path) -> None:
    db = tmp_path / "rebuild.db"
    with Store(db) as store:
        ingest_paths(store, [str(FIXTURE)], max_bytes=5_000_000)
    runner = CliRunner()
    done = runner.invoke(cli_app, ["--db", str(db), "stories", "--rebuild", "--json"])
    assert done.exit_code == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["articles"] == 12 and summary["stories"] < 12
    refused = runner.invoke(cli_app, ["--db", str(db), "stories", "--rebuild", "--date",
                                      "2025-12-01"])
    assert refused.exit_code != 0 and "--rebuild takes no filters" in refused.stderr
