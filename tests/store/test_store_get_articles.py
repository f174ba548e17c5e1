"""Articles fetched by the batch: the same as one at a time, in a fixed number of statements."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tests.store.store_builders import (
    HSBC_ZH_HANT,
    SMIC_ZH,
    T0,
    make_article,
    smic_extraction,
    tencent_extraction,
)

from tickerwire.insights.timeline import timeline
from tickerwire.model import Article, Extraction
from tickerwire.store import Store


def articles(count: int) -> list[tuple[Article, Extraction | None]]:
    """English and Chinese articles on successive days; every fifth has no extraction."""
    out: list[tuple[Article, Extraction | None]] = []
    for i in range(count):
        published = datetime(2025, 10, 1, 8, 0, tzinfo=UTC) + timedelta(days=i)
        url = f"https://news.example.com/{i}"
        if i % 2:
            article = make_article(f"{SMIC_ZH}\n第{i}篇", url=url, published_at=published,
                                   lang="zh", related_stocks=("00981.HK",))
            extraction = smic_extraction(article)
        else:
            article = make_article(url=url, published_at=published, title=f"Tencent {i}")
            extraction = tencent_extraction(article)
        out.append((article, None if i % 5 == 4 else extraction))
    return out


def fill(store: Store, count: int) -> list[str]:
    ids = []
    for i, (article, extraction) in enumerate(articles(count)):
        store.ingest_article(article, extraction, now=T0 + timedelta(minutes=i))
        ids.append(article.id)
    return ids


@contextmanager
def counted(store: Store) -> Iterator[list[str]]:
    """Every statement the store sends to the database meanwhile (either backend)."""
    statements: list[str] = []
    conn = store._conn
    execute = conn.execute

    def counting(sql: str, params: Any = ()) -> Any:
        statements.append(sql)
        return execute(sql, params)

    conn.execute = counting  # type: ignore[method-assign]
    try:
        yield statements
    finally:
        del conn.execute


def test_batch_equals_one_by_one(store: Store) -> None:
    ids = fill(store, 10)
    revised = make_article(HSBC_ZH_HANT, url="https://news.example.com/0", lang="zh-hant")
    store.ingest_article(revised, None, now=T0 + timedelta(hours=2))  # revision 2 of article 0
    unknown = "no-such-article"
    for as_of in (None, T0 + timedelta(minutes=4, seconds=30), T0 - timedelta(days=1)):
        batch = store.get_articles([*ids, unknown, ids[0]], as_of=as_of)
        one_by_one = {i: store.get_article(i, as_of=as_of) for i in ids}
        assert batch == {i: a for i, a in one_by_one.items() if a is not None}
    assert store.get_articles(ids)[ids[0]].revision == 2
    assert store.get_articles([]) == {}


@pytest.mark.parametrize("count", [3, 12, 40])
def test_statements_do_not_grow_with_the_articles(store: Store, count: int) -> None:
    ids = fill(store, count)
    with counted(store) as statements:
        found = store.get_articles(ids)
    assert len(found) == count
    assert sum(1 for a in found.values() if a.extraction is None) == count // 5
    assert len(statements) == 7  # revisions, extractions, five child tables


def test_batches_of_more_than_500_ids(store: Store) -> None:
    ids = fill(store, 2)
    asked = [*ids, *(f"missing-{i}" for i in range(1200))]
    with counted(store) as statements:
        found = store.get_articles(asked)
    assert set(found) == set(ids)
    assert len([s for s in statements if "article_revisions r JOIN" in s]) == 3


@pytest.mark.parametrize("count", [6, 30])
def test_stock_timeline_statements_are_constant(store: Store, count: int) -> None:
    fill(store, count)
    with counted(store) as statements:
        result = timeline(store, "Tencent")
    assert len(result.articles) == (count + 1) // 2 - sum(
        1 for i in range(0, count, 2) if i % 5 == 4)
    assert len(statements) <= 12, statements


def test_batch_keeps_extraction_children(store: Store) -> None:
    article = make_article(SMIC_ZH, lang="zh")
    extraction = dataclasses.replace(smic_extraction(article), errors=("facts: boom",))
    store.ingest_article(article, extraction, now=T0)
    [stored] = store.get_articles([article.id]).values()
    assert stored.extraction is not None
    assert stored.extraction.errors == ("facts: boom",)
    assert len(stored.extraction.facts) == len(extraction.facts)
    assert [m.text for m in stored.extraction.mentions] == [m.text for m in extraction.mentions]
