"""``GET /api/articles`` as a search: folded scripts, securities, why each hit matched, marks,
facets, and control characters refused with a 400."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import assert_error
from fastapi.testclient import TestClient


def get(client: TestClient, **params: Any) -> Any:
    response = client.get("/api/articles", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def names(ids: dict[str, str], body: Any) -> set[str]:
    by_id = {article_id: name for name, article_id in ids.items()}
    return {by_id[r["id"]] for r in body["results"]}


@pytest.mark.parametrize("q", ["中芯国际", "中芯國際", "ＳＭＩＣ", "SMIC", "smic", "00981.HK",
                               "0981.HK", "688981.SH", "981", "中芯"])
def test_every_name_of_smic_finds_the_same_articles(client: TestClient, ids: dict[str, str],
                                                    q: str) -> None:
    body = get(client, q=q)
    assert names(ids, body) == {"smic_rally", "smic_zh", "xss_article", "late_article"}
    assert [s["id"] for s in body["securities"]] == ["00981.HK"]


def test_a_result_says_why_it_matched(client: TestClient, ids: dict[str, str]) -> None:
    body = get(client, q="SMIC")
    by_id = {r["id"]: r for r in body["results"]}
    assert by_id[ids["smic_zh"]]["matched"] == [
        {"kind": "mention", "value": "00981.HK", "name": "SMIC"}]
    assert {"kind": "text", "value": "SMIC", "name": None} in by_id[ids["smic_rally"]]["matched"]


def test_marks_point_at_the_matched_words(client: TestClient, ids: dict[str, str]) -> None:
    [hit] = get(client, q="南向資金")["results"]  # traditional query, simplified text
    assert [hit["snippet"][start:end] for start, end in hit["marks"]] == ["南向资金"]


def test_plain_words_are_not_securities(client: TestClient, ids: dict[str, str]) -> None:
    body = get(client, q="tariff")
    assert body["securities"] == []
    assert names(ids, body) == {"hua_hong_slide"}
    assert body["results"][0]["matched"] == [{"kind": "text", "value": "tariff", "name": None}]


def test_facets_count_every_match(client: TestClient) -> None:
    facets = get(client, q="SMIC", limit=1)["facets"]
    assert {f["value"]: f["count"] for f in facets["lang"]} == {"en": 3, "zh": 1}
    assert facets["lang"][0]["label"] == "English"
    assert facets["listing"][0] == {"value": "00981.HK", "label": "00981.HK SMIC", "count": 4}
    assert sum(f["count"] for f in facets["day"]) == 4
    assert all(f["count"] >= 1 for f in facets["source"])


def test_source_filter(client: TestClient) -> None:
    source = get(client)["facets"]["source"][0]
    assert get(client, source=source["value"])["total"] == source["count"]
    assert get(client, source="no such source")["total"] == 0


@pytest.mark.parametrize(
    ("q", "needle"),
    [
        ("\x00", "U+0000"),
        ("SMIC\x00", "U+0000"),
        ("\x07tariff", "U+0007"),
        ("\x1b[31m", "U+001B"),
        ('""', "no words to search for"),
        ("   ", "no words to search for"),
    ],
)
def test_control_characters_and_empty_queries_are_a_400(client: TestClient, q: str,
                                                         needle: str) -> None:
    error = assert_error(client.get("/api/articles", params={"q": q}), 400, "invalid_input")
    assert needle in str(error["message"])


def test_a_raw_percent_00_in_the_url_is_a_400_not_everything(client: TestClient) -> None:
    assert_error(client.get("/api/articles?q=%00"), 400, "invalid_input")
    assert_error(client.get("/api/articles?q=SMIC%00%00"), 400, "invalid_input")


def test_no_query_still_lists_everything(client: TestClient) -> None:
    assert get(client, q="")["total"] == get(client)["total"] > 0
