"""Every read endpoint over the prebuilt corpus, including ``as_of`` (no look-ahead)."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import assert_error
from fastapi.testclient import TestClient

BEFORE_LATE = "2025-10-25"  # the late article is first seen on 2025-11-08


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_health_reports_database_and_write_status(client: TestClient) -> None:
    body = get(client, "/api/health")
    assert body["status"] == "ok"
    assert body["writes_enabled"] is False
    assert body["database"]["ok"] is True
    assert body["database"]["schema_version"] >= 1


def test_search_by_words_pages_and_counts(client: TestClient) -> None:
    first = get(client, "/api/articles", q="SMIC", limit=2)
    assert first["total"] == 4  # three write SMIC; the Chinese one mentions 00981.HK
    assert len(first["results"]) == 2
    second = get(client, "/api/articles", q="SMIC", limit=2, offset=2)
    assert len(second["results"]) == 2
    seen = {r["id"] for r in first["results"] + second["results"]}
    assert len(seen) == 4


def test_search_in_chinese(client: TestClient, ids: dict[str, str]) -> None:
    body = get(client, "/api/articles", q="南向资金")
    assert [r["id"] for r in body["results"]] == [ids["smic_zh"]]


@pytest.mark.parametrize("security", ["SMIC", "981 HK", "00981.HK", "688981.SH", "中芯国际"])
def test_search_by_security_any_form(client: TestClient, security: str) -> None:
    body = get(client, "/api/articles", security=security)
    assert body["total"] == 4  # rally, zh, xss, late
    assert all("00981.HK" in r["listings"] for r in body["results"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lang": "zh"}, {"smic_zh"}),
        ({"sentiment": "negative"}, {"hua_hong_slide"}),
        ({"event": "listing_application"}, {"gigadevice_ipo"}),
        ({"since": "2025-10-09", "until": "2025-10-13"}, {"gigadevice_ipo", "hua_hong_slide"}),
    ],
)
def test_search_filters(
    client: TestClient, ids: dict[str, str], params: dict[str, str], expected: set[str]
) -> None:
    body = get(client, "/api/articles", **params)
    assert {r["id"] for r in body["results"]} == {ids[name] for name in expected}
    assert body["total"] == len(expected)


def test_search_as_of_hides_later_articles(client: TestClient, ids: dict[str, str]) -> None:
    now = get(client, "/api/articles", q="late note")
    assert [r["id"] for r in now["results"]] == [ids["late_article"]]
    before = get(client, "/api/articles", q="late note", as_of=BEFORE_LATE)
    assert before["total"] == 0


def test_max_page_size_is_accepted(client: TestClient) -> None:
    assert get(client, "/api/articles", limit=50)["limit"] == 50


def test_article_has_text_offsets_and_related_stocks(client: TestClient, ids: dict[str, str]
                                                     ) -> None:
    body = get(client, f"/api/articles/{ids['smic_rally']}")
    text = body["text"]
    for item in body["mentions"] + body["facts"] + body["events"]:
        assert text[item["start"]:item["end"]] == item["text"]
    [move] = [f for f in body["facts"] if f["subject"] == "00981.HK" and f["kind"] == "price_move"]
    assert move["pct"] == 5.2
    related = {r["issuer"]: r for r in body["related"]}
    assert related["00981.HK"]["claimed"] and related["00981.HK"]["found"]
    assert related["00700.HK"]["claimed"] and not related["00700.HK"]["found"]
    assert body["highlights"]


def test_article_without_text(client: TestClient, ids: dict[str, str]) -> None:
    assert "text" not in get(client, f"/api/articles/{ids['smic_zh']}", text="false")


def test_article_as_of_before_first_seen_is_404(client: TestClient, ids: dict[str, str]) -> None:
    response = client.get(f"/api/articles/{ids['late_article']}", params={"as_of": BEFORE_LATE})
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("q", ["SMIC", "中芯", "00981"])
def test_securities_lookup(client: TestClient, q: str) -> None:
    body = get(client, "/api/securities", q=q)
    top = body["results"][0]
    assert top["id"] == "00981.HK"
    assert {listing["code"] for listing in top["listings"]} >= {"00981.HK", "688981.SH"}
    assert top["name_zh_hans"] == "中芯国际"


def test_securities_needs_a_query(client: TestClient) -> None:
    assert_error(client.get("/api/securities"), 422, "validation_error")


def test_stock_timeline_with_citations(client: TestClient, ids: dict[str, str]) -> None:
    body = get(client, "/api/stocks/981 HK")
    assert body["issuer"]["id"] == "00981.HK"
    assert {listing["code"] for listing in body["issuer"]["listings"]} == {"00981.HK", "688981.SH"}
    moves = {f["pct"] for f in body["facts"] if f["kind"] == "price_move"}
    assert moves == {5.2, 3.4, 2.0}
    for fact in body["facts"]:
        assert fact["source"]["article_id"] in ids.values()
        assert fact["source"]["quote"]
    assert [d["day"] for d in body["days"]] == ["2025-10-21", "2025-10-24"]


def test_stock_timeline_as_of(client: TestClient) -> None:
    now = get(client, "/api/stocks/SMIC")
    before = get(client, "/api/stocks/SMIC", as_of=BEFORE_LATE)
    assert len(before["articles"]) == len(now["articles"]) - 1


def test_stock_timeline_since_until(client: TestClient) -> None:
    body = get(client, "/api/stocks/SMIC", since="2025-10-22")
    assert [d["day"] for d in body["days"]] == ["2025-10-24"]


def test_movers_of_a_day(client: TestClient) -> None:
    body = get(client, "/api/movers", date="2025-10-24")
    assert body["day"] == "2025-10-24"
    by_listing = {m["listing"]: m for m in body["movers"]}
    assert by_listing["00981.HK"]["pct"] == 5.2
    assert by_listing["01347.HK"]["pct"] == -1.5
    assert by_listing["00981.HK"]["sources"][0]["quote"] == "rose 5.2% to HK$78.50"


def test_movers_default_day_is_latest(client: TestClient) -> None:
    assert get(client, "/api/movers")["day"] == "2025-10-24"


def test_market_board(client: TestClient) -> None:
    body = get(client, "/api/market", date="2025-10-24")
    [hsi] = [row for row in body["indices"] if row["index"] == "HSI"]
    assert hsi["level"] == 26160.0
    assert hsi["sources"][0]["quote"] == "rose 0.7% to 26,160 points"
    assert body["turnover"][0]["value"] == 118.6e9


def test_market_on_a_day_with_flows(client: TestClient) -> None:
    body = get(client, "/api/market", date="2025-10-21")
    assert body["southbound"][0]["value"] == 6.548e9


def test_ipos(client: TestClient) -> None:
    [entry] = get(client, "/api/ipos")["ipos"]
    assert entry["stage"] == "filed"
    assert entry["target_raise"][0]["value"] == 500e6


def test_ipos_as_of_before_any_news(client: TestClient) -> None:
    assert get(client, "/api/ipos", as_of="2025-10-01")["ipos"] == []


def test_brief_json(client: TestClient) -> None:
    body = get(client, "/api/brief", date="2025-10-24")
    assert body["day"] == "2025-10-24"
    assert body["sources"]
    assert {s["key"] for s in body["sections"]} >= {"market", "movers"}


@pytest.mark.parametrize(
    ("fmt", "media"), [("md", "text/markdown"), ("html", "text/html"), ("text", "text/plain")]
)
def test_brief_formats(client: TestClient, fmt: str, media: str) -> None:
    response = client.get("/api/brief", params={"date": "2025-10-24", "format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "Hang Seng" in response.text


def test_brief_of_a_day_without_news_still_answers(client: TestClient) -> None:
    response = client.get("/api/brief", params={"date": "2025-10-01"})
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert_error(response, 404, "not_found")


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    paths = spec["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/securities",
                 "/api/stocks/{query}", "/api/movers", "/api/market", "/api/ipos", "/api/brief",
                 "/api/health"):
        assert path in paths, path
    assert "post" in paths["/api/articles"]
    error = spec["components"]["schemas"]["ErrorResponse"]
    assert error["properties"]["error"]
    assert paths["/api/movers"]["get"]["responses"]["422"]["content"]["application/json"][
        "schema"]["$ref"].endswith("/ErrorResponse")
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200  # served locally: works offline


def test_security_headers(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.headers["x-content-type-options"] == "nosniff"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(
        ";")[0]


def test_a_target_price_keeps_its_previous_value(client: TestClient, ids: dict[str, str]) -> None:
    article = get(client, f"/api/articles/{ids['smic_rally']}")
    facts = article["extraction"]["facts"] if "extraction" in article else article["facts"]
    (target,) = [f for f in facts if f["kind"] == "target_price"]
    assert (target["value"], target["previous"]) == (95.0, 80.0)
    timeline = get(client, "/api/stocks/SMIC")
    assert [(f["value"], f["previous"]) for f in timeline["facts"] if f["kind"] == "target_price"] == [(95.0, 80.0)]
