"""The article page shows what extraction read beyond the numbers: a target price's old value
(also on the stock page), an IPO event's stage and prices."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from pg_server import settings_for
from tickerwire.app import create_app
from tickerwire.ingest import ingest_paths
from tickerwire.store import Store

ARTICLES = [
    {"id": "notes/tencent-citi", "title": "Citi lifts Tencent target", "lang": "en",
     "text": "Citi raised its target price on Tencent (00700.HK) from HK$620 to HK$700.",
     "published_at": "2025-10-24T08:10:00Z"},
    {"id": "notes/smic-ubs", "title": "瑞银上调中芯目标价", "lang": "zh",
     "text": "瑞银将中芯国际(00981.HK)目标价由48港元上调至60港元。",
     "published_at": "2025-10-24T09:10:00Z"},
    {"id": "notes/zijin-debut", "title": "Zijin Gold soars on debut", "lang": "en",
     "text": "Zijin Gold International (02259.HK) surged 60% above its offer price on its trading debut.",
     "published_at": "2025-09-30T09:00:00Z"},
]


@pytest.fixture(scope="module")
def client(
    module_target: Path | str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("targets")
    source = folder / "notes.jsonl"
    source.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES),
                      encoding="utf-8")
    with Store(module_target) as store:
        assert ingest_paths(store, [str(source)], max_bytes=1 << 20).new == 3
    with TestClient(create_app(settings_for(module_target))) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("article_id", "stock", "previous", "shown"),
    [
        ("notes/tencent-citi", "00700.HK", 620.0, "HK$700.00 (from HK$620.00)"),
        ("notes/smic-ubs", "00981.HK", 48.0, "HK$60.00 (from HK$48.00)"),
    ],
)
def test_pages_show_the_old_target(
    client: TestClient, article_id: str, stock: str, previous: float, shown: str
) -> None:
    for path in (f"/article/{quote(article_id, safe='')}", f"/stock/{stock}"):
        page = client.get(path)
        assert page.status_code == 200, page.text
        assert shown in page.text, path
    api = client.get(f"/api/articles/{quote(article_id, safe='')}").json()
    facts = api["extraction"]["facts"] if "extraction" in api else api["facts"]
    assert [f["previous"] for f in facts if f["kind"] == "target_price"] == [previous]


def test_the_article_page_shows_an_ipo_events_details(client: TestClient) -> None:
    page = client.get("/article/" + quote("notes/zijin-debut", safe=""))
    assert page.status_code == 200, page.text
    assert "listed · priced · first day +60.00%" in page.text
