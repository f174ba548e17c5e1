"""Each company's label and evidence survive the store and reach the API and the article page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tickerwire.app import create_app
from tickerwire.extract import build_pipeline
from tickerwire.model import Article
from tickerwire.settings import Settings
from tickerwire.store import Store

TEXT = (
    "Xiaomi shares fell 4.7% after margins missed estimates\n"
    "Xiaomi shares fell 4.7% on Wednesday, while Tencent rose 2.1% after its profit beat forecasts."
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    path = tmp_path_factory.mktemp("tone") / "tone.db"
    article = Article(text=TEXT, source_id="tone-1", lang="en", format="text", title="Xiaomi falls")
    with Store(path) as store:
        outcome = store.ingest_article(article, build_pipeline()(article))
    with TestClient(create_app(Settings(db_path=path, api_token=None))) as client:
        yield client, outcome.article_id


def test_api_article_carries_labels_and_evidence(served: tuple[TestClient, str]) -> None:
    client, article_id = served
    body = client.get(f"/api/articles/{article_id}").json()
    sentiment = body["sentiment"]
    assert sentiment["labels"] == {"00700.HK": "positive", "01810.HK": "negative"}
    for listing, spans in sentiment["evidence"].items():
        assert spans, listing
        for span in spans:
            assert TEXT[span["start"] : span["end"]] == span["text"]
    assert all(span["weight"] < 0 for span in sentiment["evidence"]["01810.HK"])


def test_article_page_shows_each_company_label_with_its_words(served: tuple[TestClient, str]) -> None:
    client, article_id = served
    page = client.get(f"/article/{article_id}").text
    panel = page[page.index('id="tone"') :]
    panel = panel[: panel.index("</section>")]
    assert 'class="badge negative"' in panel and 'class="badge positive"' in panel
    assert "<q " in panel and "fell" in panel and "beat" in panel


def test_migration_8_adds_the_columns(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as store:
        assert store.schema_version >= 8
