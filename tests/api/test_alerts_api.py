"""``/api/alerts``: rules over the API (writes need the token), and the alerts fired."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_helpers import TOKEN, assert_error
from fastapi.testclient import TestClient

from tickerwire.live.alerting import AlertEngine
from tickerwire.live.rules import AlertsConfig
from tickerwire.store import Store

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TENCENT = {"id": "tencent", "kind": "watchlist", "securities": ["700 HK", "腾讯"], "name": "Tencent desk"}


def test_rules_are_added_listed_replaced_and_deleted(writer: TestClient) -> None:
    created = writer.put("/api/alerts/rules/tencent", json=TENCENT, headers=AUTH)
    assert created.status_code == 201, created.text
    assert created.json()["securities"] == ["700 HK", "腾讯"]
    moves = {"id": "moves", "kind": "move", "min_pct": 5, "indices": ["恒生指数"]}
    assert writer.put("/api/alerts/rules/moves", json=moves, headers=AUTH).status_code == 201
    replaced = writer.put("/api/alerts/rules/moves", json={**moves, "min_pct": 7}, headers=AUTH)
    assert replaced.status_code == 200
    listed = writer.get("/api/alerts/rules").json()["rules"]
    assert [(r["id"], r.get("min_pct")) for r in listed] == [("moves", 7.0), ("tencent", None)]
    assert listed[1]["created_at"] <= listed[1]["updated_at"]
    assert writer.delete("/api/alerts/rules/moves", headers=AUTH).status_code == 204
    assert [r["id"] for r in writer.get("/api/alerts/rules").json()["rules"]] == ["tencent"]
    assert_error(writer.delete("/api/alerts/rules/moves", headers=AUTH), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "headers", "status", "code"),
    [
        ("put", {}, 401, "unauthorized"),
        ("put", {"Authorization": "Bearer wrong"}, 401, "unauthorized"),
        ("delete", {}, 401, "unauthorized"),
    ],
)
def test_rule_writes_need_the_token(writer: TestClient, method: str, headers: dict[str, str],
                                    status: int, code: str) -> None:
    kwargs: dict[str, Any] = {"headers": headers}
    if method == "put":
        kwargs["json"] = TENCENT
    assert_error(getattr(writer, method)("/api/alerts/rules/tencent", **kwargs), status, code)


def test_rule_writes_are_refused_without_a_server_token(no_token_client: TestClient) -> None:
    response = no_token_client.put("/api/alerts/rules/tencent", json=TENCENT, headers=AUTH)
    assert_error(response, 403, "writes_disabled")


@pytest.mark.parametrize(
    ("path_id", "body", "status", "words"),
    [
        ("other", TENCENT, 400, "differs from the path"),
        ("x", {"id": "x", "kind": "watchlist", "securities": ["Nonexistent Widget Co"]}, 400,
         "not a known security"),
        ("x", {"id": "x", "kind": "move", "min_pct": -2}, 422, "min_pct"),
        ("x", {"id": "x", "kind": "gossip"}, 422, "kind"),
        ("bad id", TENCENT, 422, "rule_id"),
    ],
)
def test_bad_rules_are_refused_with_the_reason(writer: TestClient, path_id: str, body: dict[str, Any],
                                               status: int, words: str) -> None:
    response = writer.put(f"/api/alerts/rules/{path_id}", json=body, headers=AUTH)
    error = assert_error(response, status, "invalid_input" if status == 400 else error_code(response))
    assert words in str(error)


def error_code(response: Any) -> str:
    return str(response.json()["error"]["code"])


def test_fired_alerts_are_listed_newest_first(writer: TestClient, db_target: Path | str) -> None:
    from api_corpus import build_store

    build_store(db_target)
    smic = {"id": "smic", "kind": "watchlist", "securities": ["中芯国际"], "name": "Chips desk"}
    assert writer.put("/api/alerts/rules/smic", json=smic, headers=AUTH).status_code == 201
    with Store(db_target) as store:
        store.set_cursor("alerts", 0)
        fired = AlertEngine(store, AlertsConfig(channels={}), backlog=True).run()
    assert fired
    body = writer.get("/api/alerts", params={"limit": 2}).json()["alerts"]
    assert [a["id"] for a in body] == sorted(fired, reverse=True)[:2]
    assert body[0]["rule"] == {"id": "smic", "kind": "watchlist", "name": "Chips desk"}
    assert body[0]["matches"][0]["reason"].startswith("mentions ")
    assert body[0]["href"].startswith("/article/tw-")
    assert writer.get("/api/alerts", params={"rule": "none"}).json() == {"alerts": []}
    assert_error(writer.get("/api/alerts", params={"limit": 0}), 422, "validation_error")
