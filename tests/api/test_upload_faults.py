"""Hostile uploads get a typed answer per document, never a 500."""

from __future__ import annotations

import pytest
from api_helpers import TOKEN, assert_error
from fastapi.testclient import TestClient

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = "SMIC shares rose 5.2% to HK$78.50 in Hong Kong on Friday."


def test_deeply_nested_json_body_is_422(writer: TestClient) -> None:
    depth = 30_000  # under the 64 KiB body limit of the test settings
    body = '{"text": "x", "extra": ' + "[" * depth + "]" * depth + "}"
    response = writer.post(
        "/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    error = assert_error(response, 422, "validation_error")
    assert "too deeply" in str(error["message"])


@pytest.mark.parametrize(
    "published_at", ["9999-12-31T23:59:59Z", "2025-13-45", "0001-01-01T00:00:00+14:00"]
)
def test_impossible_publication_time_is_stored_undated(
    writer: TestClient, published_at: str
) -> None:
    response = writer.post(
        "/api/articles", json={"text": TEXT, "published_at": published_at}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    [stored] = response.json()["articles"]
    article = writer.get(f"/api/articles/{stored['id']}").json()
    assert article["published_at"] is None


@pytest.mark.parametrize(
    "front",
    ["datetime: 2025-13-45", "x: &a [*a]", "datetime: 9999-12-31T23:59:59-12:00"],
)
def test_hostile_front_matter_is_answered_per_document(writer: TestClient, front: str) -> None:
    page = f"---\ntitle: SMIC jumps\n{front}\n---\n{TEXT}\n".encode()
    response = writer.post(
        "/api/articles",
        files=[("file", ("a.md", page, "text/markdown")),
               ("file", ("b.txt", "腾讯控股收跌1.3%，报640港元。".encode(), "text/plain"))],
        headers=AUTH,
    )
    assert response.status_code in (200, 201), response.text
    body = response.json()
    assert len(body["articles"]) + len(body["quarantined"]) == 2
    assert any(a["title"] != "SMIC jumps" for a in body["articles"])  # the other file is stored


def test_lone_surrogate_in_json_article_is_a_422_not_a_500(writer: TestClient) -> None:
    body = '{"text": "SMIC \\ud800 rose 5.2% in Hong Kong."}'
    response = writer.post(
        "/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    error = assert_error(response, 422, "validation_error")
    assert error["detail"][0]["loc"] == ["body", "text"]  # type: ignore[index]


def test_each_article_of_a_json_list_gets_its_own_outcome(writer: TestClient) -> None:
    items = [{"text": TEXT, "id": "one"}, {"text": "   ", "id": "blank"}, {"text": TEXT + " 2"}]
    response = writer.post("/api/articles", json=items, headers=AUTH)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["articles"][0]["id"] == "one"
    assert len(body["articles"]) == 2
    assert [q["reason"] for q in body["quarantined"]] == ["missing_text"]
    assert body["status"] == "partial"
