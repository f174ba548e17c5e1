"""Reads bounded for large stores give the exact answers: the news days found by a skip scan and
by nearest-day lookups, the IPO reads that take a company's first index rows before checking
their visibility (and fall back to every row when too few are visible), and the story list's
bounded count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tickerwire import insights
from tickerwire.insights import story_views
from tickerwire.store import Store, ipo_index

AS_OFS = [None, datetime(2025, 10, 20, tzinfo=UTC), datetime(2025, 10, 1, tzinfo=UTC)]



@pytest.mark.parametrize("as_of", AS_OFS, ids=["now", "mid-October", "before the news"])
def test_nearest_days_agree_with_the_list_of_days(corpus: Store, as_of: datetime | None) -> None:
    days = corpus.days(as_of=as_of)
    assert days == sorted(set(days), reverse=True)
    first, last = date(2025, 9, 20), date(2025, 11, 10)
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        assert corpus.latest_day(until=day, as_of=as_of) == max(
            (d for d in days if d <= day), default=None)
        assert corpus.next_day(after=day, as_of=as_of) == min(
            (d for d in days if d > day), default=None)


def test_days_are_the_published_days_of_visible_revisions(handmade: Store) -> None:
    """The hand-made store has revisions seen at two instants: a day counts once one of its
    revisions is visible."""
    later = handmade.days()
    earlier = handmade.days(as_of=datetime(2025, 10, 14, tzinfo=UTC))
    assert later and earlier
    for as_of, days in ((None, later), (datetime(2025, 10, 14, tzinfo=UTC), earlier)):
        for day in days:
            assert handmade.latest_day(until=day, as_of=as_of) == day


def _ipos(store: Store, as_of: datetime | None) -> tuple[object, ...]:
    return (insights.ipos(store, as_of=as_of),
            insights.ipos(store, since=date(2025, 10, 1), until=date(2025, 10, 24), as_of=as_of),
            insights.ipo_page(store, limit=2, offset=1, as_of=as_of))


@pytest.mark.parametrize("factor", [0, 1, 2])
@pytest.mark.parametrize("as_of", AS_OFS[:2], ids=["now", "mid-October"])
def test_ipo_reads_walking_a_few_rows_first_are_exact(
    corpus: Store, monkeypatch: pytest.MonkeyPatch, factor: int, as_of: datetime | None
) -> None:
    """With no room for the first rows (factor 0) every read takes the exact path; with a
    little, some reads find enough among the first rows and others fall back: all agree with
    reads whose first rows are every row."""
    monkeypatch.setattr(ipo_index, "_WALK_FACTOR", 10_000)
    whole = _ipos(corpus, as_of)
    monkeypatch.setattr(ipo_index, "_WALK_FACTOR", factor)
    assert _ipos(corpus, as_of) == whole
    assert whole[0] or as_of is not None  # the sample has IPO news: not an empty comparison


@pytest.mark.parametrize(("bound", "limit", "offset"), [(2, 1, 0), (2, 5, 0), (3, 2, 4), (10_000, 50, 0)])
def test_the_story_list_counts_up_to_its_bound(
    corpus: Store, monkeypatch: pytest.MonkeyPatch, bound: int, limit: int, offset: int
) -> None:
    every = corpus.count_stories()
    assert every > 7  # the sample tells more stories than the bounds below
    monkeypatch.setattr(story_views, "COUNT_LIMIT", bound)
    page = insights.list_stories(corpus, limit=limit, offset=offset)
    counted_to = max(bound, offset + limit)
    assert (page.total, page.total_exact) == (min(every, counted_to), every <= counted_to)
    assert len(page.stories) == min(limit, max(0, every - offset))
    assert corpus.count_stories(upto=3) == 3


def test_a_story_list_under_its_bound_is_exact(corpus: Store) -> None:
    page = insights.list_stories(corpus, since=date(2025, 10, 22), until=date(2025, 10, 22))
    assert page.total_exact and page.total == len(page.stories) > 0


def test_postgresql_reads_run_without_jit_or_parallel_workers(handmade: Store) -> None:
    """Short index walks: JIT compilation and worker start-up would cost more than the reads."""
    if handmade.dialect != "postgresql":
        pytest.skip("session settings of PostgreSQL connections")
    conn = handmade._conn
    assert conn.execute("SHOW jit").fetchone()[0] == "off"
    assert conn.execute("SHOW max_parallel_workers_per_gather").fetchone()[0] == "0"


@pytest.mark.parametrize(("bound", "said"), [(2, "… over 1 more stories"), (10_000, "more stories")])
def test_the_stories_command_says_when_its_count_is_a_bound(
    corpus: Store, monkeypatch: pytest.MonkeyPatch, bound: int, said: str
) -> None:
    from rich.console import Console

    from tickerwire.cli.render_insights import stories_view

    monkeypatch.setattr(story_views, "COUNT_LIMIT", bound)
    console = Console(width=200, record=True)
    console.print(stories_view(insights.list_stories(corpus, limit=1)))
    text = console.export_text()
    assert said in text
    assert ("… over " in text) == (bound == 2)
