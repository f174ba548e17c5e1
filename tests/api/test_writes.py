"""POST /api/articles: token auth, body formats, size limit, per-article outcomes."""

from __future__ import annotations

from api_helpers import TOKEN, assert_error
from fastapi.testclient import TestClient

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = {
    "text": "Tencent shares fell 3.6% to HK$512.50 on Friday.",
    "title": "Tencent slides",
    "published_at": "2025-10-24T16:10:00+08:00",
    "source": "Example Wire",
    "url": "https://news.example.com/tencent-slides",
}
MARKDOWN = b"""---
title: Xiaomi shares rise
type: news
locale: en
url: https://news.example.com/xiaomi-rise
datetime: 2025-10-24T08:00:00Z
---
# Xiaomi shares rise

Xiaomi (01810.HK) rose 2.4% on Friday.

### Related Stocks

- [1810.HK](https://news.example.com/stock/1810.HK)
"""


def test_writes_are_refused_without_a_configured_token(no_token_client: TestClient) -> None:
    response = no_token_client.post("/api/articles", json=ARTICLE, headers=AUTH)
    error = assert_error(response, 403, "writes_disabled")
    assert "TICKERWIRE_API_TOKEN" in str(error["message"])


def test_missing_token_is_401(writer: TestClient) -> None:
    response = writer.post("/api/articles", json=ARTICLE)
    assert_error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


def test_wrong_token_is_401(writer: TestClient) -> None:
    response = writer.post("/api/articles", json=ARTICLE,
                           headers={"Authorization": "Bearer wrong"})
    assert_error(response, 401, "unauthorized")


def test_post_json_article_then_read_it_back(writer: TestClient) -> None:
    response = writer.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "ok"
    [stored] = body["articles"]
    assert stored["status"] == "new"
    assert stored["id"].startswith("tw-")
    assert body["summary"]["new"] == 1
    again = writer.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert again.status_code == 200
    assert again.json()["articles"][0] == {**stored, "status": "unchanged"}
    read = writer.get(f"/api/articles/{stored['id']}")
    assert read.status_code == 200, read.text
    assert read.json()["title"] == "Tencent slides"


def test_post_json_list_with_own_ids(writer: TestClient) -> None:
    items = [{**ARTICLE, "id": "mine-1"}, {**ARTICLE, "id": "mine-2", "text": "Other text."}]
    response = writer.post("/api/articles", json=items, headers=AUTH)
    assert response.status_code == 201, response.text
    assert [a["id"] for a in response.json()["articles"]] == ["mine-1", "mine-2"]


def test_post_json_without_text_is_422(writer: TestClient) -> None:
    error = assert_error(
        writer.post("/api/articles", json={"title": "no body"}, headers=AUTH),
        422, "validation_error",
    )
    assert error["detail"][0]["loc"] == ["body", "text"]  # type: ignore[index]


def test_post_raw_markdown(writer: TestClient) -> None:
    response = writer.post(
        "/api/articles",
        content=MARKDOWN,
        headers={**AUTH, "Content-Type": "text/markdown"},
    )
    assert response.status_code == 201, response.text
    [stored] = response.json()["articles"]
    assert stored["title"] == "Xiaomi shares rise"


def test_post_multipart_files(writer: TestClient) -> None:
    response = writer.post(
        "/api/articles",
        files=[
            ("file", ("xiaomi.md", MARKDOWN, "text/markdown")),
            ("file", ("note.txt", b"Hang Seng Index closes higher\nThe index rose 1%.",
                      "text/plain")),
        ],
        headers=AUTH,
    )
    assert response.status_code == 201, response.text
    assert len(response.json()["articles"]) == 2


def test_unreadable_upload_is_quarantined_422(writer: TestClient) -> None:
    response = writer.post(
        "/api/articles",
        content=b"\x00\x01\x02binary\xff\xfe" * 20,
        headers={**AUTH, "Content-Type": "application/octet-stream"},
        params={"filename": "blob.bin"},
    )
    error = assert_error(response, 422, "unreadable_document")
    assert error["detail"]["quarantined"]  # type: ignore[index]


def test_unsupported_content_type_is_415(writer: TestClient) -> None:
    response = writer.post(
        "/api/articles", content=b"x", headers={**AUTH, "Content-Type": "image/png"}
    )
    assert_error(response, 415, "unsupported_media_type")


def test_oversized_body_is_413(writer: TestClient) -> None:
    big = {"text": "x" * (70 * 1024)}
    error = assert_error(writer.post("/api/articles", json=big, headers=AUTH), 413,
                         "request_too_large")
    assert error["detail"] == {"max_request_bytes": 64 * 1024}  # type: ignore[comparison-overlap]


def test_oversized_streamed_body_is_413(writer: TestClient) -> None:
    def chunks() -> object:
        for _ in range(80):
            yield b"y" * 1024

    response = writer.post(
        "/api/articles",
        content=chunks(),  # type: ignore[arg-type]
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    assert_error(response, 413, "request_too_large")
