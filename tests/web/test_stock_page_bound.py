"""The stock page shows a page of the issuer's articles and says how far its counts and its
coverage chart go when the issuer has more articles than they read."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from pg_server import settings_for
from tickerwire import insights
from tickerwire.app import create_app
from tickerwire.store import Store
from tickerwire.web import pages


@pytest.fixture(scope="module")
def client(sample_news: Path | str) -> Iterator[TestClient]:
    with TestClient(create_app(settings_for(sample_news))) as test_client:
        yield test_client


def _page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return html.unescape(response.text)


def test_every_article_on_one_page_has_every_day(client: TestClient, sample_news: Path | str) -> None:
    with Store(sample_news, readonly=True) as store:
        whole = insights.timeline(store, "SMIC")
    shown = _page(client, "/stock/SMIC")
    assert f"{len(whole.articles)} articles" in shown
    assert "coverage since" not in shown and 'id="older"' not in shown
    assert all(f"/article/{quote(a.article_id, safe='')}" in shown for a in whole.articles)


@pytest.mark.parametrize(("query", "bound"), [("SMIC", 5), ("中芯国际", 5), ("Tencent", 3)])
def test_past_the_bounds_the_page_says_so_and_leads_on(
    client: TestClient, sample_news: Path | str, monkeypatch: pytest.MonkeyPatch,
    query: str, bound: int,
) -> None:
    with Store(sample_news, readonly=True) as store:
        whole = insights.timeline(store, query)
        expected = insights.timeline_page(store, query, limit=2, days_articles=bound)
    assert len(whole.articles) > bound + 1 and expected.days_from is not None
    monkeypatch.setattr(pages, "STOCK_ARTICLES", 2)
    monkeypatch.setattr(insights, "timeline_page",
                        functools.partial(insights.timeline_page, days_articles=bound))
    first = _page(client, f"/stock/{query}")
    assert f"{bound}+ articles (these: 1–2)" in first
    assert f"coverage since {expected.days_from}" in first
    assert all(f"/article/{quote(a.article_id, safe='')}" in first for a in whole.articles[:2])
    older = re.search(r'href="([^"]+)" id="older"', first)
    assert older is not None and "page=2" in older.group(1)
    second = _page(client, older.group(1))
    assert "(these: 3–4)" in second
    assert all(f"/article/{quote(a.article_id, safe='')}" in second for a in whole.articles[2:4])
