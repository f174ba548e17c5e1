"""A story assigner with a memory bound decides as one without: the same joins over a shuffled
corpus of many days in English and Chinese, an index that stays within its bound, and language
versions and restated figures recognised however far apart they were published."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tickerwire.extract import build_pipeline
from tickerwire.insights.stories import StoryAssigner
from tickerwire.insights.story_match import NEAR_DUPLICATE_WINDOW, anchor_day
from tickerwire.model import Article, Extraction, Link
from tickerwire.sources.jsonl import read_jsonl
from tickerwire.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
SEEN = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
# Copies of every fixture article published these many days later: copies two days apart are
# near-duplicates in one window, copies weeks apart fall in windows of their own.
SHIFTS = (0, 2, 9, 20, 21, 45)

Corpus = list[tuple[Article, Extraction]]


def _fixture_articles() -> list[Article]:
    found = []
    for name in ("articles.jsonl", "held_out.jsonl"):
        path = FIXTURES / name
        found += [a for a in read_jsonl(path.read_text(encoding="utf-8"), origin=str(path))
                  if isinstance(a, Article)]
    return found


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The 24 fixture articles (English, 简体, 繁體) published on six days over seven weeks, in
    a shuffled order, each extracted."""
    pipeline = build_pipeline()
    copies = [replace(a, source_id=f"{a.id}+{days}d", published_at=a.published_at + timedelta(days=days))
              for days in SHIFTS for a in _fixture_articles() if a.published_at is not None]
    random.Random(20251201).shuffle(copies)
    return [(article, pipeline(article)) for article in copies]


def _assign(path: Path, corpus: Corpus, **bound: int) -> tuple[list[tuple[Any, ...]], list[int]]:
    """Each article's join as ingest writes it, and the assigner's index size after each."""
    joins, sizes = [], []
    with Store(path) as store:
        assigner = StoryAssigner(store, **bound)
        for i, (article, extraction) in enumerate(corpus):
            now = SEEN + timedelta(minutes=i)
            join = assigner.decide(article.id, article, extraction, now=now)
            store.ingest_article(article, extraction, now=now, story=join)
            assigner.remember(join)
            m = join.member
            joins.append((m.article_id, m.story_id, m.reason, m.matched_article_id, m.score,
                          m.novelty, m.facts, m.new_facts))
            sizes.append(len(assigner.index))
    return joins, sizes


def test_a_small_bound_gives_the_joins_of_an_unbounded_assigner(
    corpus: Corpus, tmp_path: Path
) -> None:
    unbounded, _ = _assign(tmp_path / "unbounded.db", corpus)
    bounded, sizes = _assign(tmp_path / "bounded.db", corpus, max_signatures=30, recent_joins=1)
    assert bounded == unbounded
    assert {"first", "near_duplicate", "facts"} <= {join[2] for join in unbounded}
    assert max(sizes) < len(corpus)  # days were forgotten, and read again when needed
    # Copies whose only earlier copies were published more than a window before: some restate
    # nothing new, however far back it was first stated (days forgotten or not).
    seen: dict[str, list[int]] = {}
    far_only = []
    for article_id, *_, novelty, facts, _new in unbounded:
        original, days = article_id.rsplit("+", 1)
        shift = int(days.rstrip("d"))
        before = [d for d in seen.get(original, []) if d <= shift]
        if before and max(before) < shift - NEAR_DUPLICATE_WINDOW.days and facts:
            far_only.append(novelty)
        seen.setdefault(original, []).append(shift)
    assert 0.0 in far_only


@pytest.mark.parametrize(("bound", "recent"), [(10, 0), (40, 1)])
def test_the_index_stays_within_its_bound(
    corpus: Corpus, tmp_path: Path, bound: int, recent: int
) -> None:
    """The bound holds whenever the articles of one window fit in it (those are never
    forgotten while an article of that window is matched)."""
    _, sizes = _assign(tmp_path / "bounded.db", corpus, max_signatures=bound,
                       recent_joins=recent)
    days = [anchor_day(a.published_at) for a, _ in corpus if a.published_at is not None]
    for i, size in enumerate(sizes):
        in_window = sum(1 for day in days[:i + 1] if abs(day - days[i]) <= NEAR_DUPLICATE_WINDOW.days)
        assert size <= max(bound, in_window + 1)  # + the last join, kept until written
    assert max(sizes) < len(corpus)


def _version(source_id: str, lang: str, title: str, text: str, published: datetime,
             url: str, other: str) -> Article:
    return Article(f"{title}\n\n{text}", title=title, published_at=published, lang=lang,
                   source="Pearl River Wire", url=url, locales=(Link(lang, other),),
                   source_id=source_id)


@pytest.mark.parametrize("bound", [{}, {"max_signatures": 1, "recent_joins": 1}])
def test_language_versions_and_restated_figures_are_found_however_far_apart(
    tmp_path: Path, bound: dict[str, int]
) -> None:
    """The publisher's Chinese version, published a month after the English one: it joins the
    English story by its link, and the revenue figure both state is not new."""
    en_url = "https://news.example.com/en/kuaishou-q3"
    zh_url = "https://news.example.com/zh/kuaishou-q3"
    published = datetime(2025, 12, 9, 10, 30, tzinfo=UTC)
    english = _version(
        "ks-en", "en", "Kuaishou third-quarter revenue rises 14% to CNY 35.6 billion",
        "Kuaishou Technology (01024.HK) said on Tuesday, December 9, 2025 that third-quarter "
        "revenue rose 14% from a year earlier to CNY 35.6 billion.", published, en_url, zh_url)
    chinese = _version(
        "ks-zh", "zh", "快手第三季度收入356亿元 同比增长14%",
        "快手（01024.HK）公布2025年第三季度业绩，总收入为356亿元人民币，同比增长14%。",
        published + timedelta(days=30), zh_url, en_url)
    pipeline = build_pipeline()
    corpus = [(english, pipeline(english)), (chinese, pipeline(chinese))]
    joins, _ = _assign(tmp_path / "versions.db", corpus, **bound)
    (_, first_story, *_), (_, story, reason, matched, _, novelty, facts, new) = joins
    assert (story, reason, matched) == (first_story, "locale", "ks-en")
    assert facts >= 1 and new < facts and novelty is not None and novelty < 1.0
