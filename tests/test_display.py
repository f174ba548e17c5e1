"""One way to show numbers and times, shared by the CLI, the dashboard and the brief."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from tickerwire import display
from tickerwire.timeutil import HONG_KONG


@dataclass(frozen=True)
class FactLike:
    kind: str
    value: float | None = None
    value_max: float | None = None
    pct: float | None = None
    points: float | None = None
    price: float | None = None
    currency: str | None = None
    qualifier: str = "exact"
    previous: float | None = None


@dataclass(frozen=True)
class BoardRow:
    """A market-board row: a fact's value fields, but no pct, points or price."""

    kind: str
    value: float | None
    value_max: float | None
    currency: str | None
    qualifier: str


@pytest.mark.parametrize(
    ("fact", "shown"),
    [
        # SMIC fell 3.6% to HK$84.10
        (FactLike("price_move", pct=-3.6, price=84.1, currency="HKD"), "-3.60% at HK$84.10"),
        # 中芯国际涨超5%
        (FactLike("price_move", pct=5.0, qualifier="over"), ">+5.00%"),
        (FactLike("price_move", pct=2.0, qualifier="about"), "~+2.00%"),
        # the Hang Seng Index closed at 26,160.15, up 123.45 points or 0.47%
        (FactLike("index_level", value=26160.15, pct=0.47, points=123.45),
         "26,160.15 +0.47% +123.45 pts"),
        # HKD 118.607 billion turnover; 6.548亿港元 southbound
        (FactLike("turnover", value=118_607_000_000, currency="HKD"), "HK$118.607bn"),
        (FactLike("southbound_net_inflow", value=654_800_000, currency="HKD"), "HK$654.8m"),
        (FactLike("southbound_net_inflow", value=-1.2e9, currency="HKD"), "-HK$1.2bn"),
        # an IPO of US$500 million to 600 million; more than 10亿元
        (FactLike("ipo_raise", value=5e8, value_max=6e8, currency="USD"), "US$500–600m"),
        (FactLike("ipo_raise", value=1e9, currency="CNY", qualifier="over"), ">CNY 1bn"),
        # a target price is a price per share, not an amount
        (FactLike("target_price", value=95.0, currency="HKD"), "HK$95.00"),
        # target raised from HK$62 to HK$80; 目标价由48港元升至60港元
        (FactLike("target_price", value=80.0, currency="HKD", previous=62.0), "HK$80.00 (from HK$62.00)"),
        (FactLike("target_price", value=60.0, currency="HKD", previous=48.0), "HK$60.00 (from HK$48.00)"),
        (FactLike("close_price", value=84.1, price=84.1, currency="HKD"), "HK$84.10"),
        (FactLike("pe_ratio", value=12.5), "12.5x"),
        (BoardRow("turnover", 2.3e11, None, "HKD", "exact"), "HK$230bn"),
    ],
)
def test_fact_value(fact: object, shown: str) -> None:
    assert display.fact_value(fact) == shown


@pytest.mark.parametrize(
    ("qualifier", "mark", "words"),
    [("over", ">", "more than "), ("under", "<", "less than "), ("about", "~", "about "),
     ("exact", "", "")],
)
def test_qualifiers(qualifier: str, mark: str, words: str) -> None:
    assert display.qualifier_mark(qualifier) == mark
    assert display.qualifier_words(qualifier) == words
    assert display.signed_pct(-1.5, qualifier) == f"{mark}-1.50%"
    assert display.pct(-1.5, qualifier) == f"{words}1.5%"


@pytest.mark.parametrize(
    ("value", "currency", "value_max", "prose", "compact"),
    [
        (309.2e9, "HKD", None, "HK$309.2 billion", "HK$309.2bn"),
        (1.5e12, "CNY", None, "CNY 1.5 trillion", "CNY 1.5tn"),
        (5e8, "USD", 6e8, "US$500–600 million", "US$500–600m"),
        (950_000, "HKD", None, "HK$950,000", "HK$950,000"),
    ],
)
def test_money_scaling(
    value: float, currency: str, value_max: float | None, prose: str, compact: str
) -> None:
    assert display.money(value, currency, value_max) == prose
    assert display.money(value, currency, value_max, compact=True) == compact


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2025, 10, 24, 8, 10, tzinfo=UTC), "2025-10-24 16:10"),
        (datetime(2025, 10, 24, 16, 10), "2025-10-24 16:10"),  # naive = Hong Kong
        ("2025-10-24T08:10:00+00:00", "2025-10-24 16:10"),
        (date(2025, 10, 24), "2025-10-24"),
        (None, "Undated"),
    ],
)
def test_hong_kong_time(moment: datetime | date | str | None, shown: str) -> None:
    assert display.hk_time(moment) == shown


def test_zoned_time_and_undated() -> None:
    moment = datetime(2025, 10, 24, 16, 10, tzinfo=HONG_KONG)
    assert display.hk_time_zoned(moment) == "2025-10-24 16:10 HKT"
    assert display.hk_time_zoned(None) == "Undated"


@pytest.mark.parametrize(
    ("attributes", "shown"),
    [
        ({}, ""),
        # "GigaDevice rose 18.2% on its first day of trading on Thursday"
        ({"stage": "listed", "stages": [{"stage": "listed", "on": "2025-11-06"}], "hedged": False,
          "first_day_return": 18.2}, "listed 2025-11-06 · first day +18.20%"),
        # 兆易创新于10月9日递交上市申请，昨日通过聆讯
        ({"stages": [{"stage": "hearing", "on": "2025-10-22"}, {"stage": "filed", "on": "2025-10-09"}]},
         "hearing 2025-10-22 · filed 2025-10-09"),
        # 招股价介乎148.00至162.00港元的上限，即每股162.00港元
        ({"stages": [{"stage": "priced"}], "offer_price": 162.0, "price_low": 148.0, "price_high": 162.0,
          "currency": "HKD"}, "priced · offer HK$162.00 · range HK$148.00–162.00"),
        # "plans to seek a Hong Kong listing"
        ({"subject": "06809.HK", "hedged": True}, "hedged"),
    ],
)
def test_event_details(attributes: dict[str, object], shown: str) -> None:
    assert display.event_details(attributes) == shown
