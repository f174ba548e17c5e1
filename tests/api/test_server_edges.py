"""The server's rough edges: extreme ``as_of``, tokens in URLs, health, ids with slashes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from api_helpers import TOKEN, assert_error
from fastapi.testclient import TestClient

from tickerwire.app import create_app
from tickerwire.settings import Settings
from tickerwire.store import Store

EXTREME_AS_OF = [
    "9999-12-31T23:59:59-12:00",
    "9999-12-31",
    "9999-12-31T23:59:59.999999",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01",
    "0001-01-01T00:00:00Z",
]
# Every GET the API and the dashboard serve, with the parameters each needs.
READS = [
    ("/api/articles", {}),
    ("/api/articles/{smic_rally}", {}),
    ("/api/stocks/SMIC", {}),
    ("/api/movers", {}),
    ("/api/market", {}),
    ("/api/ipos", {}),
    ("/api/brief", {}),
    ("/api/brief", {"format": "md"}),
    ("/api/brief", {"format": "html"}),
    ("/api/brief", {"format": "text"}),
    ("/", {}),
    ("/stock/SMIC", {}),
    ("/article/{smic_rally}", {}),
    ("/search", {"q": "SMIC"}),
]


def _path(template: str, ids: dict[str, str]) -> str:
    return template.format(**ids)


@pytest.mark.parametrize("as_of", EXTREME_AS_OF)
@pytest.mark.parametrize(("path", "params"), READS, ids=[f"{p}{q}" for p, q in READS])
def test_extreme_as_of_never_fails(
    client: TestClient, ids: dict[str, str], path: str, params: dict[str, str], as_of: str
) -> None:
    response = client.get(_path(path, ids), params={**params, "as_of": as_of})
    # year 1: nothing was seen yet, so an article is 404 and a stock page lists nothing
    assert response.status_code in (200, 404), response.text
    if response.status_code == 404:
        assert as_of.startswith("0001")


def test_far_future_as_of_sees_everything(client: TestClient) -> None:
    latest = client.get("/api/articles").json()
    future = client.get("/api/articles", params={"as_of": "9999-12-31T23:59:59-12:00"}).json()
    assert future["total"] == latest["total"] > 0


def test_year_one_as_of_sees_nothing(client: TestClient) -> None:
    body = client.get("/api/articles", params={"as_of": "0001-01-01T00:00:00+14:00"}).json()
    assert body["total"] == 0


@pytest.mark.parametrize("value", ["yesterday", "2025-13-45", "10000-01-01", "2025-10-24T25:00"])
def test_unreadable_as_of_is_422_naming_it(client: TestClient, value: str) -> None:
    error = assert_error(client.get("/api/movers", params={"as_of": value}), 422,
                         "validation_error")
    assert "as_of" in str(error["message"])
    assert error["detail"][0]["loc"] == ["query", "as_of"]  # type: ignore[index]


# --- health ---------------------------------------------------------------------------------


def test_health_does_not_disclose_the_database_path(client: TestClient, settings: Settings) -> None:
    text = client.get("/api/health").text
    assert str(settings.database) not in text
    assert settings.database_label not in text
    assert settings.db_path.name not in text
    body = json.loads(text)
    assert set(body["database"]) == {"ok", "schema_version", "message"}


def test_health_without_a_database_is_degraded_and_discreet(tmp_path: Path) -> None:
    absent = tmp_path / "secret-place" / "absent.db"
    with TestClient(create_app(Settings(db_path=absent))) as fresh:
        response = fresh.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded" and body["database"]["ok"] is False
    assert "secret-place" not in response.text


def test_health_reads_no_table(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("health must not count rows")

    monkeypatch.setattr(Store, "stats", refuse)
    monkeypatch.setattr(Store, "count", refuse)
    assert client.get("/api/health").json()["database"]["ok"] is True


# --- tokens only in the Authorization header ------------------------------------------------


@pytest.mark.parametrize("name", ["token", "access_token", "api_token", "api_key"])
def test_token_in_the_query_string_is_refused(
    writer: TestClient, write_settings: Settings, name: str
) -> None:
    article = {"title": "港股收涨", "text": "恒生指数收涨1.2%。", "lang": "zh"}
    response = writer.post("/api/articles", params={name: TOKEN}, json=article)
    error = assert_error(response, 400, "token_in_url")
    assert "Authorization" in str(error["message"])
    assert TOKEN not in response.text
    # even with the right header, a token in the URL is refused: nothing is stored
    both = writer.post("/api/articles", params={name: TOKEN}, json=article,
                       headers={"Authorization": f"Bearer {TOKEN}"})
    assert_error(both, 400, "token_in_url")
    assert not write_settings.database_exists() or stored_articles(write_settings) == 0


def test_token_in_the_header_still_works(writer: TestClient) -> None:
    article = {"title": "Hang Seng rises", "text": "The Hang Seng Index rose 1.2% on Friday."}
    response = writer.post("/api/articles", json=article,
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201, response.text


# --- article ids with a slash ---------------------------------------------------------------

SLASHED_IDS = [
    "https://news.example.com/markets/2025/10/24/smic-rallies",
    "tag:example.com,2025:hk/港股/001",
    "feed/item?id=7&lang=en",
]


@pytest.mark.parametrize("article_id", SLASHED_IDS)
def test_article_id_with_a_slash_opens(
    writer: TestClient, write_settings: Settings, article_id: str
) -> None:
    line = json.dumps({"id": article_id, "title": "SMIC rallies",
                       "text": "SMIC rose 3.2% in Hong Kong on Friday.", "lang": "en",
                       "published_at": "2025-10-24T16:10:00+08:00"}, ensure_ascii=False)
    stored = writer.post("/api/articles", params={"filename": "wire.jsonl"},
                         content=line.encode(), headers={"Authorization": f"Bearer {TOKEN}",
                                                         "Content-Type": "application/x-ndjson"})
    assert stored.status_code == 201, stored.text
    [entry] = stored.json()["articles"]
    from urllib.parse import quote

    encoded = quote(entry["id"], safe="")
    api = writer.get(f"/api/articles/{encoded}")
    assert api.status_code == 200, api.text
    assert api.json()["id"] == entry["id"]
    page = writer.get(f"/article/{encoded}")
    assert page.status_code == 200, page.text
    assert "SMIC rallies" in page.text


def stored_articles(settings: Settings) -> int:
    with Store(settings.database, readonly=True) as store:
        return store.stats()["articles"]
