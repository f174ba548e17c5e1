"""The stock page's index (``store/issuer_index.py``, migration 18): reading each listing's
newest rows gives the extractions that reading and sorting every match gives, through
revisions, re-extractions, undated articles, fact-only articles, A+H listings and past
instants; the writer, the bulk load and the migration's backfill write the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from store_builders import SMIC_ZH, T0, TENCENT_EN, make_article, smic_extraction, tencent_extraction

from pg_server import new_target
from tickerwire.model import Article, Extraction, Fact
from tickerwire.store import Store, issuer_index
from tickerwire.store import queries as store_queries
from tickerwire.store.codec import utc_text
from tickerwire.store.rows import LoadedArticle
from tickerwire.store.writer import transaction

SMIC = ["00981.HK", "688981.SH"]
TENCENT = ["00700.HK"]
DAY = datetime(2025, 10, 1, 2, 0, tzinfo=UTC)


def _fact_only(article: Article) -> Extraction:
    """An extraction that names no company but states a fact about SMIC's A share."""
    words = article.text[:10]
    return Extraction(article=article, facts=(
        Fact("price_move", "688981.SH", pct=1.5, text=words, start=0, end=len(words)),))


def _articles() -> list[tuple[Article, Extraction | None, datetime]]:
    """Forty articles over twenty days in shuffled arrival order: SMIC in Chinese, Tencent in
    English, fact-only ones, undated ones, and ties in publication time."""
    made: list[tuple[Article, Extraction | None, datetime]] = []
    for i in range(40):
        published = None if i % 9 == 4 else DAY + timedelta(days=(i * 7) % 20, hours=i % 2)
        seen = T0 + timedelta(minutes=(i * 13) % 40)
        if i % 3 == 0:
            article = make_article(SMIC_ZH + f"\n第{i}则", url=f"https://news.example.com/smic-{i}",
                                   lang="zh", published_at=published)
            made.append((article, smic_extraction(article), seen))
        elif i % 3 == 1:
            article = make_article(TENCENT_EN + f"\nItem {i}.", url=f"https://news.example.com/t-{i}",
                                   published_at=published)
            made.append((article, tencent_extraction(article), seen))
        else:
            article = make_article(f"A-share chips note {i}\nShanghai chips rose.",
                                   url=f"https://news.example.com/a-{i}", published_at=published)
            made.append((article, _fact_only(article), seen))
    return made


def _fill(store: Store) -> list[datetime]:
    """The articles, then a revision of some (a new publication time, or none: undated) and a
    re-extraction of others; returns instants before, between and after those changes."""
    made = _articles()
    for article, extraction, seen in made:
        store.ingest_article(article, extraction, now=seen)
    revised_at, reextracted_at = T0 + timedelta(hours=2), T0 + timedelta(hours=3)
    for article, extraction, _ in made[::5]:
        moved = article.published_at + timedelta(days=3) if article.published_at else None
        changed = replace(article, text=article.text + "\nUpdated.", published_at=moved)
        redone = None if extraction is None else replace(extraction, article=changed)
        store.ingest_article(changed, redone, now=revised_at)
    for article, _, _ in made[1::7]:
        stored = store.get_article(article.id)
        assert stored is not None
        # Re-extracted with nothing found: the article drops out of every page from then on.
        store.save_extraction(article.id, stored.revision, Extraction(article=article),
                              now=reextracted_at)
    return [T0 + timedelta(minutes=20), revised_at, reextracted_at, T0 + timedelta(days=400)]


@pytest.fixture
def filled(db_target: object) -> Iterator[tuple[Store, list[datetime]]]:
    with Store(db_target) as store:  # type: ignore[arg-type]
        yield store, _fill(store)


@pytest.fixture(scope="module")
def shared(backend: str, request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list[datetime]]]:
    """``filled`` once for the module's readers."""
    for target in new_target(backend, request, tmp_path_factory.mktemp("issuers")):
        with Store(target) as store:
            yield store, _fill(store)


@pytest.mark.parametrize("slack", [0, issuer_index.SLACK])  # 0: pages read further more often
@pytest.mark.parametrize("at_most", [1, 3, 7, 15, 60])
def test_the_index_finds_what_sorting_every_match_finds(
    shared: tuple[Store, list[datetime]], monkeypatch: pytest.MonkeyPatch, at_most: int,
    slack: int,
) -> None:
    store, instants = shared
    monkeypatch.setattr(issuer_index, "SLACK", slack)
    conn = store._conn
    for codes in (SMIC, TENCENT, ["688981.SH"], SMIC + TENCENT, ["01347.HK"]):
        for instant in instants:
            as_of = utc_text(instant)
            expected = store_queries._matched_extractions(conn, as_of, codes, None, None, at_most)
            found = store_queries.issuer_articles(conn, as_of, listings=codes, since=None,
                                                  until=None, at_most=at_most)
            assert [article.extraction_id for article in found] == expected, (codes, instant)
            # the headers read with the check are those read for known extractions
            heads = store_queries._issuer_heads(conn, as_of, expected, check=False)
            assert found == [heads[extraction_id] for extraction_id in expected]


def _rows(store: Store) -> list[tuple[object, ...]]:
    return [tuple(row) for row in store._conn.execute(
        "SELECT listing, undated, newest, article_id, extraction_id FROM issuer_articles"
        " ORDER BY listing, undated, newest, article_id, extraction_id")]


def test_the_backfill_writes_what_the_writer_wrote(filled: tuple[Store, list[datetime]]) -> None:
    store, _ = filled
    written = _rows(store)
    assert {row[0] for row in written} >= {"00981.HK", "688981.SH", "00700.HK", "TCEHY.US"}
    assert any(row[1] == 1 for row in written)  # undated articles are indexed too
    conn = store._conn
    with transaction(conn):
        conn.execute("DELETE FROM issuer_articles")
        issuer_index.backfill(conn)
    assert _rows(store) == written


def test_a_bulk_load_writes_what_ingest_writes(db_target: object, tmp_path: object) -> None:
    """``batch load`` (PostgreSQL: COPY, then one fill per chunk) and ingest, article by article."""
    made = _articles()
    with Store(db_target) as loaded:  # type: ignore[arg-type]
        loaded.load_articles([LoadedArticle(article, extraction, seen)
                              for article, extraction, seen in made])
        bulk = _rows(loaded)
    with Store(tmp_path / "ingested.db") as ingested:  # type: ignore[operator]
        for article, extraction, seen in made:
            ingested.ingest_article(article, extraction, now=seen)
        one_by_one = _rows(ingested)
    assert len(bulk) > 40
    assert bulk == one_by_one
