"""``/api/stocks/{query}`` pages its timeline like the search pages its results."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Any

import pytest
from api_helpers import assert_error
from fastapi.testclient import TestClient


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("query", ["SMIC", "中芯国际", "00981.HK"])
def test_pages_cover_every_article_once(client: TestClient, query: str) -> None:
    whole = get(client, f"/api/stocks/{query}", limit=50)
    assert whole["total"] == len(whole["articles"]) >= 3
    assert whole["next"] is None
    seen: list[str] = []
    facts = events = 0
    path: str | None = f"/api/stocks/{query}?limit=2"
    while path is not None:
        page = client.get(path).json()
        assert len(page["articles"]) <= 2 and page["limit"] == 2
        assert page["total"] == whole["total"]
        assert page["days"] == whole["days"]  # the coverage series is never paged
        ids = {a["article_id"] for a in page["articles"]}
        assert all(f["source"]["article_id"] in ids for f in page["facts"])
        assert all(e["source"]["article_id"] in ids for e in page["events"])
        seen += [a["article_id"] for a in page["articles"]]
        facts += len(page["facts"])
        events += len(page["events"])
        path = page["next"]
    assert seen == [a["article_id"] for a in whole["articles"]]
    assert (facts, events) == (len(whole["facts"]), len(whole["events"]))


def test_next_keeps_the_other_parameters(client: TestClient) -> None:
    page = get(client, "/api/stocks/SMIC", limit=1, as_of="2025-12-31", since="2025-01-01")
    assert page["offset"] == 0
    nxt = page["next"]
    assert nxt.startswith("/api/stocks/SMIC?")
    for part in ("limit=1", "offset=1", "as_of=2025-12-31", "since=2025-01-01"):
        assert part in nxt


def test_default_page_is_bounded(client: TestClient) -> None:
    page = get(client, "/api/stocks/SMIC")
    assert page["limit"] == 20 and page["offset"] == 0


def test_offset_past_the_end_is_an_empty_page(client: TestClient) -> None:
    page = get(client, "/api/stocks/SMIC", offset=500)
    assert page["articles"] == [] and page["facts"] == [] and page["next"] is None


@pytest.mark.parametrize(("params", "name"), [({"limit": 51}, "limit"), ({"limit": 0}, "limit"),
                                              ({"offset": -1}, "offset")])
def test_paging_limits(client: TestClient, params: dict[str, int], name: str) -> None:
    error = assert_error(client.get("/api/stocks/SMIC", params=params), 422, "validation_error")
    assert error["detail"][0]["loc"] == ["query", name]  # type: ignore[index]


@pytest.mark.parametrize("bound", [1, 2, 1000])
def test_past_the_bound_days_and_total_say_so(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, bound: int
) -> None:
    """``days`` covers the newest ``DAYS_ARTICLES`` from ``days_from``; ``total`` stops at the
    bound (or one past the page) with ``total_exact`` false, and ``next`` still leads on."""
    from tickerwire.api.routers import stocks

    whole = get(client, "/api/stocks/SMIC", limit=50)
    assert whole["total_exact"] is True and whole["days_from"] is None
    bounded = functools.partial(stocks.timeline_page, days_articles=bound)
    monkeypatch.setattr(stocks, "timeline_page", bounded)
    page = get(client, "/api/stocks/SMIC", limit=1)
    over = whole["total"] > max(bound, 2)
    assert page["total_exact"] is not over
    assert page["total"] == (max(bound, 2) if over else whole["total"])
    assert page["next"] is not None and page["articles"] == whole["articles"][:1]
    if bound < whole["total"]:
        cut = whole["articles"][bound]["day"]
        assert page["days_from"] == (date.fromisoformat(cut) + timedelta(days=1)).isoformat()
        assert page["days"] == [p for p in whole["days"] if p["day"] >= page["days_from"]]
    else:
        assert page["days_from"] is None and page["days"] == whole["days"]


def test_the_server_never_builds_a_whole_timeline() -> None:
    """The API and the dashboard page a timeline (``timeline_page``); the whole one (every
    article of an issuer: minutes for a busy one at a million) is the CLI's ``--all`` only."""
    import ast
    from pathlib import Path

    import tickerwire

    root = Path(tickerwire.__file__).parent
    calls = []
    for package in ("api", "web", "server"):
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module == "tickerwire.insights.timeline":
                    calls += [f"{path.name}: import {a.name}" for a in node.names
                              if a.name == "timeline"]
                if isinstance(node, ast.Attribute) and node.attr == "timeline":
                    calls.append(f"{path.name}:{node.lineno}")
    assert calls == []
