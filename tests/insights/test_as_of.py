"""``as_of``: nothing first seen or extracted after the instant is visible."""

from __future__ import annotations

from datetime import date

import pytest
from insight_stores import BETWEEN, SEEN_FIRST

from tickerwire.errors import NotFoundError
from tickerwire.insights import ipos, market, movers, timeline
from tickerwire.store import Store

TUESDAY = date(2025, 10, 14)


def test_later_articles_are_hidden_before_they_were_seen(handmade: Store) -> None:
    assert ipos(handmade, as_of=BETWEEN) == []
    assert movers(handmade, TUESDAY, as_of=BETWEEN).movers == ()
    assert market(handmade, TUESDAY, as_of=BETWEEN).indices == ()
    assert timeline(handmade, "Hua Hong", as_of=BETWEEN).articles == ()
    assert movers(handmade, as_of=BETWEEN).day == date(2025, 10, 13)


def test_later_articles_appear_once_seen(handmade: Store) -> None:
    assert [m.listing for m in movers(handmade, TUESDAY).movers] == ["01347.HK"]
    assert len(timeline(handmade, "Hua Hong").articles) == 1
    assert {e.company for e in ipos(handmade)} >= {"Acme Robotics Holdings"}


def test_before_anything_was_seen_there_is_no_default_day(handmade: Store) -> None:
    with pytest.raises(NotFoundError):
        movers(handmade, as_of=SEEN_FIRST.replace(year=2024))
