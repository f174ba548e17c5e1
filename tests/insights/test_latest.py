"""``latest_news``: newest publication first, undated articles after every dated one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from pg_server import new_target
from tickerwire.extract import build_pipeline
from tickerwire.insights import latest_news
from tickerwire.model import Article
from tickerwire.store import Store

HKT_NOON = 4  # 12:00 in Hong Kong is 04:00 UTC

ARTICLES = [
    # (title, published day in October 2025 or None, ingested on day of November 2025)
    ("Hang Seng Index closes higher as chipmakers rally", 24, 1),
    ("恒指收涨 科技股领涨", 27, 1),
    ("Undated note on Hong Kong property stocks", None, 3),  # ingested last: still listed last
    ("SMIC shares slip after results", 21, 2),
    ("港股收市：恆指跌0.9%", 28, 1),
    ("Undated column on Stock Connect flows", None, 2),
]


@pytest.fixture(scope="module")
def store(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    pipeline = build_pipeline()
    for path in new_target(backend, request, tmp_path_factory.mktemp("latest")):
        with Store(path) as writer:
            for title, day, seen in ARTICLES:
                published = datetime(2025, 10, day, HKT_NOON, tzinfo=UTC) if day else None
                article = Article(text=f"{title}\n\n{title}.", title=title,
                                  published_at=published, format="text", origin=f"{title}.txt")
                writer.ingest_article(article, pipeline(article),
                                      now=datetime(2025, 11, seen, 9, tzinfo=UTC))
        with Store(path, readonly=True) as reader:
            yield reader


def test_newest_first_and_undated_last(store: Store) -> None:
    titles = [hit.title for hit in latest_news(store, limit=10)]
    assert titles == [
        "港股收市：恆指跌0.9%",
        "恒指收涨 科技股领涨",
        "Hang Seng Index closes higher as chipmakers rally",
        "SMIC shares slip after results",
        "Undated note on Hong Kong property stocks",
        "Undated column on Stock Connect flows",
    ]


@pytest.mark.parametrize("limit", [1, 3, 4, 5])
def test_the_limit_cuts_from_the_end(store: Store, limit: int) -> None:
    everything = [hit.id for hit in latest_news(store, limit=10)]
    assert [hit.id for hit in latest_news(store, limit=limit)] == everything[:limit]


def test_as_of_hides_what_was_not_yet_ingested(store: Store) -> None:
    early = latest_news(store, limit=10, as_of=datetime(2025, 11, 1, 12, tzinfo=UTC))
    assert [hit.title for hit in early] == [
        "港股收市：恆指跌0.9%", "恒指收涨 科技股领涨", "Hang Seng Index closes higher as chipmakers rally"]
