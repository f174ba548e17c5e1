"""The latest day with board numbers: one indexed query, the same answer as reading every fact."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from tests.store.store_builders import SMIC_ZH, T0, make_article, smic_extraction, tencent_extraction

from tickerwire.insights.days import BOARD_KINDS, latest_day
from tickerwire.store import Store, queries
from tickerwire.store.sql import Params

# (published at, text, url, with facts?, first seen) — English and Chinese, one undated.
ARTICLES = [
    (datetime(2025, 10, 22, 8, 0, tzinfo=UTC), "en", "https://x/a", True, T0),
    (datetime(2025, 10, 23, 8, 0, tzinfo=UTC), "zh", "https://x/b", True, T0),
    # newer, but its extraction has no board numbers: a board day for no board
    (datetime(2025, 10, 24, 8, 0, tzinfo=UTC), "en", "https://x/c", False, T0),
    # undated with numbers: on no day
    (None, "zh", "https://x/d", True, T0),
    # the newest day with numbers, but first seen a day later than the others
    (datetime(2025, 10, 25, 8, 0, tzinfo=UTC), "zh", "https://x/e", True, T0 + timedelta(days=1)),
]


def fill(store: Store) -> None:
    for published, lang, url, with_facts, seen in ARTICLES:
        if lang == "en":
            article = make_article(
                f"Tencent slides\nTencent Holdings (00700.HK) fell 3.6% ({url}).",
                url=url, published_at=published)
            extraction = tencent_extraction(make_article(url=url, published_at=published))
            extraction = dataclasses.replace(extraction, article=article)
        else:
            article = make_article(SMIC_ZH + url, url=url, published_at=published, lang="zh")
            extraction = smic_extraction(article)
        if not with_facts:
            extraction = dataclasses.replace(extraction, facts=())
        store.ingest_article(article, extraction, now=seen)


def old_latest_day(store: Store, as_of: datetime | None) -> date | None:
    """What latest_day read before: every board fact of the database."""
    days = [r.published_date_hk for r in store.fact_rows(kinds=BOARD_KINDS, as_of=as_of)]
    return max((d for d in days if d is not None), default=None)


@pytest.mark.parametrize(("as_of", "board_day", "any_day"), [
    (None, date(2025, 10, 25), date(2025, 10, 25)),
    (T0 + timedelta(hours=1), date(2025, 10, 23), date(2025, 10, 24)),
    (T0 - timedelta(hours=1), None, None),
])
def test_latest_day_with_and_without_board_kinds(
        store: Store, as_of: datetime | None, board_day: date | None, any_day: date | None) -> None:
    fill(store)
    assert store.latest_day(kinds=BOARD_KINDS, as_of=as_of) == board_day
    assert store.latest_day(kinds=BOARD_KINDS, as_of=as_of) == old_latest_day(store, as_of)
    assert store.latest_day(as_of=as_of) == any_day
    assert store.latest_day(kinds=("ipo_price",), as_of=as_of) is None


def test_board_default_day_falls_back_to_any_news_day(store: Store) -> None:
    fill(store)
    assert latest_day(store, T0 + timedelta(hours=1)) == date(2025, 10, 23)
    assert latest_day(store, None) == date(2025, 10, 25)


_FULL_SCAN = re.compile(r"^SCAN (?!r USING (COVERING )?INDEX article_revisions_published)")


@pytest.mark.parametrize("kinds", [BOARD_KINDS, None])
def test_latest_day_query_scans_no_table(db_path: Path, kinds: tuple[str, ...] | None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db_path).close()
    plans: list[list[str]] = []
    real_execute = sqlite3.Connection.execute

    class Explaining(sqlite3.Connection):
        def execute(self, sql: str, params: Params = {}) -> sqlite3.Cursor:  # noqa: B006
            plans.append([row[3] for row in real_execute(self, f"EXPLAIN QUERY PLAN {sql}",
                                                         params)])
            return real_execute(self, sql, params)

    explaining = sqlite3.connect(db_path, factory=Explaining)
    try:
        assert queries.latest_day(explaining, "9999-12-31T00:00:00Z", kinds=kinds) is None
    finally:
        explaining.close()
    [plan] = plans
    assert not [step for step in plan if _FULL_SCAN.match(step)], plan
    fact_steps = ["SEARCH x USING INDEX facts_extraction (extraction_id=?)"] if kinds else []
    assert [step for step in plan if "facts" in step] == fact_steps, plan
    assert any("article_revisions_published" in step for step in plan), plan
