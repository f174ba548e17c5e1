"""The insights over the sample news, ingested through the ingest service."""

from __future__ import annotations

import pytest
from brief_numbers import numbers, unsupported_numbers

from tickerwire.insights import brief, ipos, market, movers, timeline
from tickerwire.store import Store


@pytest.mark.slow  # renders every day's brief twice: most of a minute
def test_every_brief_of_the_corpus_cites_every_number(corpus: Store) -> None:
    days = corpus.days()
    assert len(days) > 10
    checked = 0
    for day in days:
        wrap = brief(corpus, day)
        for rendered in (wrap.render_text(), wrap.render_markdown()):
            assert unsupported_numbers(corpus, wrap, rendered) == [], day
            checked += len(list(numbers(rendered)))
        for ref in wrap.sources:
            stored = corpus.get_article(ref.article_id)
            assert stored is not None and stored.text[ref.start:ref.end] == ref.quote
    assert checked > 100


def test_boards_of_the_corpus(corpus: Store) -> None:
    days = sorted(corpus.days())
    boards = [market(corpus, day) for day in days]
    assert any(b.indices and b.indices[0].index == "HSI" for b in boards)
    movers_boards = [movers(corpus, day) for day in days]
    assert any(len(b.movers) >= 3 for b in movers_boards)
    for board in movers_boards:
        for mover in board.movers:
            assert mover.sources
            if mover.disagreement:  # each reading comes from its own articles
                ids = [set(v.article_ids) for v in mover.values]
                assert all(a.isdisjoint(b) for i, a in enumerate(ids) for b in ids[i + 1:])


@pytest.mark.parametrize("query", ["SMIC", "中芯國際", "00981"])
def test_timeline_of_a_corpus_issuer(corpus: Store, query: str) -> None:
    found = timeline(corpus, query)
    assert found.issuer.id == "00981.HK"
    assert len(found.articles) >= 5 and found.facts
    assert sum(point.articles for point in found.days) == len([a for a in found.articles if a.day])


def test_ipo_pipeline_of_the_corpus(corpus: Store) -> None:
    entries = {entry.issuer: entry for entry in ipos(corpus) if entry.issuer}
    assert entries["06031.HK"].stage == "listed"
    assert entries["06031.HK"].actual_raise[0].value == pytest.approx(12.35e9)
    assert "03986.HK" in entries


def test_every_stored_fact_has_its_day_and_every_move_its_horizon(corpus: Store) -> None:
    from tickerwire.extract.timeframes import HORIZONS

    rows = corpus.fact_rows()
    assert rows and all(row.day is not None and row.published_date_hk is not None for row in rows)
    moves = [row for row in rows if row.kind in ("price_move", "index_level")]
    assert all(row.horizon in HORIZONS for row in moves)
    assert {row.horizon for row in moves} == set(HORIZONS)  # the sample news has every horizon
    # A fact names its own day when its sentence does (a Friday report of Thursday's close).
    assert any(row.day != row.published_date_hk for row in rows)
