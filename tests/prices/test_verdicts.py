"""The verdict rules: stated precision, qualifiers, wrong days, holidays, A and H listings."""

from __future__ import annotations

from datetime import date

import pytest

from tickerwire.model import Fact, PriceBar
from tickerwire.prices.verdicts import stated_tolerance, verify_fact

MON, TUE, WED = date(2025, 10, 13), date(2025, 10, 14), date(2025, 10, 15)
FRI_BEFORE = date(2025, 10, 10)


def bars(*items: PriceBar):  # type: ignore[no-untyped-def]
    table = {(b.code, b.day): b for b in items}
    return lambda code, day: table.get((code, day))


def move(subject: str, pct: float | None, text: str, *, day: date = TUE, price: float | None = None,
         points: float | None = None, qualifier: str = "exact", horizon: str | None = "close",
         currency: str | None = None) -> Fact:
    return Fact("price_move", subject, pct=pct, price=price, points=points, currency=currency,
                qualifier=qualifier, text=text, horizon=horizon, day=day)


# A bar closing 2.4% up: 100 → 102.40 (HK$), and the day after closing 1.0% down.
TENCENT = bars(PriceBar("00700.HK", TUE, 102.4, prev_close=100.0, currency="HKD"),
               PriceBar("00700.HK", WED, 101.376, prev_close=102.4, currency="HKD"),
               PriceBar("00700.HK", MON, 100.0, prev_close=99.0, currency="HKD"))


@pytest.mark.parametrize(("pct", "text", "verdict"), [
    (2.4, "Tencent rose 2.4%", "confirmed"),
    (2.35, "Tencent rose 2.35%", "contradicted"),  # two decimals: 2.345–2.355 only
    (2.45, "Tencent rose 2.45%", "contradicted"),
    (2.0, "Tencent rose 2%", "confirmed"),  # a whole number: 1.5–2.5
    (3.0, "Tencent rose 3%", "contradicted"),
    (2.4, "騰訊控股升２．４％", "confirmed"),  # full-width digits
    (2.4, "腾讯涨2.4%", "confirmed"),
    (-2.4, "Tencent fell 2.4%", "contradicted"),  # the wrong direction
    (2.40, "Tencent rose 2.40 per cent", "confirmed"),
    (1.0, "Tencent rose 1.0%", "wrong_day"),  # -1.0% was the next day, +1.0% the day before
])
def test_percentage_within_stated_precision(pct: float, text: str, verdict: str) -> None:
    got = verify_fact(move("00700.HK", pct, text), TENCENT)
    assert got is not None and got.verdict == verdict, got


def test_edge_of_the_last_digit() -> None:
    for close, verdict in ((102.35, "confirmed"), (102.45, "confirmed"), (102.34, "contradicted"),
                           (102.46, "contradicted")):
        lookup = bars(PriceBar("00700.HK", TUE, close, prev_close=100.0, currency="HKD"))
        got = verify_fact(move("00700.HK", 2.4, "up 2.4%"), lookup)
        assert got is not None and got.verdict == verdict, (close, got)


@pytest.mark.parametrize(("price", "text", "verdict", "actual"), [
    (102.4, "rose 2.4% to HK$102.40", "confirmed", 102.4),
    (102.0, "rose 2.4% to HK$102", "confirmed", 102.4),  # within half a dollar
    (103.0, "rose 2.4% to HK$103", "contradicted", 102.4),
    (102.5, "rose 2.4% to HK$102.50", "contradicted", 102.4),  # misprinted close
])
def test_close_price_within_half_a_unit(price: float, text: str, verdict: str, actual: float) -> None:
    got = verify_fact(move("00700.HK", 2.4, text, price=price, currency="HKD"), TENCENT)
    assert got is not None and got.verdict == verdict
    if verdict == "contradicted":
        assert got.field == "price" and got.actual == actual
        assert got.difference == pytest.approx(actual - price)


@pytest.mark.parametrize(("qualifier", "pct", "verdict"), [
    ("over", 2.0, "confirmed"),  # "more than 2%": 2.4 is
    ("over", 3.0, "contradicted"),
    ("under", 3.0, "confirmed"),
    ("under", 2.0, "contradicted"),
    ("about", 2.0, "confirmed"),
    ("about", 4.0, "contradicted"),
])
def test_qualifiers(qualifier: str, pct: float, verdict: str) -> None:
    text = f"Tencent rose {pct:g}%"
    got = verify_fact(move("00700.HK", pct, text, qualifier=qualifier), TENCENT)
    assert got is not None and got.verdict == verdict


def test_index_level_points_and_percentage() -> None:
    hsi = bars(PriceBar("HSI", TUE, 25441.35, prev_close=25889.48))
    level = Fact("index_level", "HSI", value=25441.35, pct=-1.73, points=-448.13,
                 text="Hang Seng Index closed down 448.13 points, or 1.73%, at 25,441.35",
                 horizon="close", day=TUE)
    assert verify_fact(level, hsi).verdict == "confirmed"  # type: ignore[union-attr]
    wrong_points = Fact("index_level", "HSI", value=25441.35, points=-458.13,
                        text="down 458.13 points at 25,441.35", horizon="close", day=TUE)
    got = verify_fact(wrong_points, hsi)
    assert got is not None and got.verdict == "contradicted" and got.field == "points"
    assert got.actual == pytest.approx(-448.13)


def test_headline_rounding_is_confirmed() -> None:
    hsi = bars(PriceBar("HSI", MON, 25889.48, prev_close=26290.32))
    headline = move("HSI", -1.5, "Hang Seng Index sinks 1.5%", day=MON)
    assert verify_fact(headline, hsi).verdict == "confirmed"  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "value", "actual", "verdict"), [
    ("turnover came to HK$231.5 billion", 231.5e9, 231.54e9, "confirmed"),
    ("turnover came to HK$231.5 billion", 231.5e9, 231.56e9, "contradicted"),
    ("成交额2457亿港元", 245.7e9, 245.74e9, "confirmed"),
    ("成交額增至2769億港元", 276.9e9, 277.1e9, "contradicted"),
    ("成交额2.69万亿元", 2.69e12, 2.694e12, "confirmed"),
])
def test_market_turnover(text: str, value: float, actual: float, verdict: str) -> None:
    currency = "CNY" if "万亿" in text else "HKD"
    market = "CN" if currency == "CNY" else "HK"
    lookup = bars(PriceBar(market, TUE, None, turnover=actual, currency=currency))
    fact = Fact("turnover", market, value=value, currency=currency, text=text, day=TUE)
    assert verify_fact(fact, lookup).verdict == verdict  # type: ignore[union-attr]


def test_a_and_h_listings_are_checked_on_their_own_bars_and_calendars() -> None:
    # 8 Oct 2025: Hong Kong trades, Shanghai is still shut for the National Day holiday.
    day = date(2025, 10, 8)
    lookup = bars(PriceBar("00981.HK", day, 84.1, prev_close=81.33, currency="HKD"),
                  PriceBar("688981.SH", date(2025, 10, 9), 138.5, prev_close=131.78, currency="CNY"))
    h_share = move("00981.HK", 3.4, "SMIC rose 3.4% to HK$84.10", day=day, price=84.1, currency="HKD")
    assert verify_fact(h_share, lookup).verdict == "confirmed"  # type: ignore[union-attr]
    a_share = move("688981.SH", 5.1, "中芯国际A股涨5.1%", day=day)
    got = verify_fact(a_share, lookup)
    assert got is not None and (got.verdict, got.reason) == ("unverifiable", "not_trading_day")
    next_day = move("688981.SH", 5.1, "中芯国际A股涨5.1%，收报138.50元", day=date(2025, 10, 9),
                    price=138.5, currency="CNY")
    assert verify_fact(next_day, lookup).verdict == "confirmed"  # type: ignore[union-attr]
    # An H-share price in yuan is not compared with a Hong Kong dollar close.
    wrong_currency = move("00981.HK", None, "SMIC at 84.10 yuan", day=day, price=84.1, currency="CNY")
    assert verify_fact(wrong_currency, lookup).reason == "currency"  # type: ignore[union-attr]


def test_wrong_day_skips_holidays() -> None:
    # Hong Kong was shut on Tuesday 7 Oct 2025: the trading day after 6 Oct is 8 Oct.
    mon, wed = date(2025, 10, 6), date(2025, 10, 8)
    lookup = bars(PriceBar("00981.HK", mon, 80.0, prev_close=81.55, currency="HKD"),
                  PriceBar("00981.HK", wed, 84.1, prev_close=81.33, currency="HKD"))
    got = verify_fact(move("00981.HK", 3.4, "SMIC rose 3.4%", day=mon), lookup)
    assert got is not None and got.verdict == "wrong_day" and got.day == wed


@pytest.mark.parametrize(("fact", "reason"), [
    (move("00700.HK", 2.4, "up 2.4%", horizon="intraday"), "horizon"),
    (move("00700.HK", 2.4, "up 2.4% this year", horizon="ytd"), "horizon"),
    (move(None, 2.4, "up 2.4%"), "no_subject"),  # type: ignore[arg-type]
    (Fact("price_move", "00700.HK", pct=2.4, text="up 2.4%", horizon="close"), "undated"),
    (move("00700.HK", 2.4, "up 2.4%", day=date(2025, 10, 18)), "not_trading_day"),  # a Saturday
    (move("00700.HK", 2.4, "up 2.4%", day=date(2025, 12, 25)), "not_trading_day"),  # Christmas
    (move("00700.HK", 2.4, "up 2.4%", day=date(2025, 10, 16)), "no_bar"),
    (move("00700.HK", None, "Tencent shares moved"), "no_number"),
])
def test_unverifiable(fact: Fact, reason: str) -> None:
    got = verify_fact(fact, TENCENT)
    assert got is not None and got.verdict == "unverifiable" and got.reason == reason


def test_other_kinds_are_not_checked() -> None:
    target = Fact("target_price", "00700.HK", value=700.0, currency="HKD", text="target HK$700",
                  day=TUE)
    assert verify_fact(target, TENCENT) is None


def test_a_move_without_a_previous_close_uses_the_previous_bar() -> None:
    lookup = bars(PriceBar("00700.HK", MON, 100.0), PriceBar("00700.HK", TUE, 102.4))
    assert verify_fact(move("00700.HK", 2.4, "up 2.4%"), lookup).verdict == "confirmed"  # type: ignore[union-attr]
    alone = bars(PriceBar("00700.HK", TUE, 102.4))
    assert verify_fact(move("00700.HK", 2.4, "up 2.4%"), alone).reason == "no_bar_value"  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "value", "tolerance"), [
    ("rose 2.4%", 2.4, 0.05),
    ("rose 2.40%", 2.4, 0.005),
    ("HK$80", 80.0, 0.5),
    ("HK$231.5 billion", 231.5e9, 0.05e9),
    ("成交额2.69万亿元", 2.69e12, 0.005e12),
    ("26,160.15点", 26160.15, 0.005),
    ("上涨百分之三", 3.0, 0.5),  # not in digits: from the value itself
])
def test_stated_tolerance(text: str, value: float, tolerance: float) -> None:
    assert stated_tolerance(text, value) == pytest.approx(tolerance)
