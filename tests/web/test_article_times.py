"""The article, search and stock pages show Hong Kong time, and ``Undated`` with no zone."""

from __future__ import annotations

import html
import json
import re
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
    {"id": "https://news.example.com/hk/2025/10/24/smic", "title": "SMIC rallies", "lang": "en",
     "text": "SMIC rose 3.2% in Hong Kong on Friday.", "published_at": "2025-10-24T08:10:00Z"},
    {"id": "wire/中芯/undated", "title": "中芯国际上涨", "lang": "zh", "text": "中芯国际股价上涨3.2%。"},
]


@pytest.fixture(scope="module")
def client(
    module_target: Path | str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("times")
    source = folder / "wire.jsonl"
    source.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES),
                      encoding="utf-8")
    with Store(module_target) as store:
        assert ingest_paths(store, [str(source)], max_bytes=1 << 20).new == 2
    with TestClient(create_app(settings_for(module_target))) as test_client:
        yield test_client


def test_dated_article_page_shows_hong_kong_time(client: TestClient) -> None:
    page = client.get("/article/" + quote(str(ARTICLES[0]["id"]), safe=""))
    assert page.status_code == 200, page.text
    assert "Published 2025-10-24 16:10 HKT" in page.text


def test_undated_article_page_says_undated_without_a_zone(client: TestClient) -> None:
    page = client.get("/article/" + quote(str(ARTICLES[1]["id"]), safe=""))
    assert page.status_code == 200, page.text
    assert "Published Undated<" in page.text
    assert "undated HKT" not in page.text.lower()


@pytest.mark.parametrize("path", ["/search?q=SMIC", "/stock/SMIC"])
def test_lists_link_to_articles_with_slashes_in_their_ids(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200, page.text
    links = set(re.findall(r'href="(/article/[^"#]+)', page.text))
    assert links, "the page links no article"
    for href in links:
        opened = client.get(html.unescape(href))
        assert opened.status_code == 200, href
        assert "Published" in opened.text
