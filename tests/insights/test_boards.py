"""Movers and the market board over the hand-made store."""

from __future__ import annotations

import json
from datetime import date

from insight_stores import WIRE_A, WIRE_B, article_id

from tickerwire.insights import market, movers
from tickerwire.store import Store

MONDAY = date(2025, 10, 13)


def test_movers_rank_by_absolute_move_and_keep_a_and_h_apart(handmade: Store) -> None:
    board = movers(handmade, MONDAY)
    assert [m.listing for m in board.movers] == ["00981.HK", "00700.HK", "688981.SH"]
    h_share, a_share = board.movers[0], board.movers[2]
    assert h_share.issuer == a_share.issuer == "00981.HK"
    assert (a_share.pct, a_share.price, a_share.currency) == (1.2, 120.1, "CNY")
    assert a_share.kind != h_share.kind


def test_two_closes_for_one_stock_are_both_shown_with_their_sources(handmade: Store) -> None:
    smic = movers(handmade, MONDAY).movers[0]
    assert smic.disagreement
    assert [(v.pct, v.price) for v in smic.values] == [(-3.6, 76.35), (-3.4, 76.5)]
    assert [v.article_ids for v in smic.values] == [(article_id(WIRE_A),), (article_id(WIRE_B),)]
    # the row's own numbers are the first reading's, never an average
    assert (smic.pct, smic.price) == (-3.6, 76.35)
    assert {ref.source for ref in smic.values[1].sources} == {"Wire B"}


def test_mover_drivers_are_events_about_it_never_market_news_beside_it(handmade: Store) -> None:
    smic = movers(handmade, MONDAY).movers[0]
    assert [d.source.quote for d in smic.drivers] == [
        "SMIC fell 3.6% to HK$76.35 after US tariff threats."
    ]
    assert all("00981.HK" in d.subjects for d in smic.drivers)


def test_movers_default_to_the_latest_day_and_respect_limit(handmade: Store) -> None:
    board = movers(handmade, limit=5)
    assert board.day == date(2025, 10, 14)
    assert [m.listing for m in board.movers] == ["01347.HK"]
    assert len(movers(handmade, MONDAY, limit=1).movers) == 1


def test_market_board_cites_every_source_that_agrees(handmade: Store) -> None:
    board = market(handmade, MONDAY)
    (hsi,) = board.indices
    assert (hsi.index, hsi.level, hsi.pct, hsi.disagreement) == ("HSI", 25889.48, -1.52, False)
    assert hsi.name_en == "Hang Seng Index" and hsi.name_zh
    assert {ref.article_id for ref in hsi.sources} == {article_id(WIRE_A), article_id(WIRE_B)}
    (turnover,) = board.turnover
    assert (turnover.subject, turnover.value, turnover.currency) == ("HK", 309.2e9, "HKD")
    (southbound,) = board.southbound
    assert southbound.value == 31.12e9
    assert board.northbound == ()


def test_boards_serialise_to_json(handmade: Store) -> None:
    for result in (movers(handmade, MONDAY), market(handmade, MONDAY)):
        payload = json.loads(json.dumps(result.to_dict()))
        assert payload["day"] == "2025-10-13"
