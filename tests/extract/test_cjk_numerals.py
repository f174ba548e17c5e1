"""Figures and percentages written in Chinese numerals."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickerwire.extract.cjk_numerals import merge_quantities, scan_cjk_numerals
from tickerwire.extract.quantities import Quantity
from tickerwire.model import Extraction

Extract = Callable[..., Extraction]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("升百分之三", [("pct", 3.0)]),
        ("跌百分之12.5", [("pct", 12.5)]),
        ("較招股價高七成半", [("pct", 75.0)]),
        ("升兩成半", [("pct", 25.0)]),
        ("大市成交额一千二百亿港元", [("money", 120e9)]),
        ("南向資金淨買入九十八億元", [("money", 9.8e9)]),
        ("收入一千九百二十八亿元", [("money", 192.8e9)]),
        ("升百分之4至5", [("pct", 4.0), ("pct", 5.0)]),
        # ordinary words are not numbers
        ("统一元朝", []),
        ("一带一路", []),
        ("百分之", []),
    ],
)
def test_scan(text: str, expected: list[tuple[str, float]]) -> None:
    got = scan_cjk_numerals(text, default_yuan="HKD")
    assert [(q.unit, round(q.value, 2)) for q in got] == [(u, round(v, 2)) for u, v in expected]


def test_currency_and_qualifier() -> None:
    (q,) = scan_cjk_numerals("净买入逾九十八亿港元", default_yuan="CNY")
    assert (q.currency, q.qualifier, q.scaled) == ("HKD", "over", True)
    (bare,) = scan_cjk_numerals("净利润三十亿元", default_yuan="CNY")
    assert bare.currency == "CNY"


def test_merge_keeps_the_longer_span() -> None:
    seven = Quantity("pct", 70.0, 0, 2)
    seven_and_half = Quantity("pct", 75.0, 0, 3)
    other = Quantity("pct", 3.0, 10, 12)
    assert merge_quantities([seven, other], [seven_and_half]) == [seven_and_half, other]


@pytest.mark.parametrize(
    ("text", "kind", "subject", "value"),
    [
        ("騰訊升百分之三，報620元。", "price_move", "00700.HK", 3.0),
        ("壁仞科技首日較招股價高七成半。", "price_move", "06082.HK", 75.0),
        ("港股大市成交额一千二百亿港元。", "turnover", "HK", 120e9),
        ("南向资金净买入九十八亿元。", "southbound_net_inflow", "HK", 9.8e9),
        ("小米去年收入一千九百二十八亿元。", "revenue", "01810.HK", 192.8e9),
    ],
)
def test_facts_from_chinese_numerals(extract: Extract, text: str, kind: str, subject: str, value: float) -> None:
    facts = [f for f in extract(text).facts if f.kind == kind]
    got = [(f.subject, f.pct if kind == "price_move" else f.value) for f in facts]
    assert got == [(subject, value)]


def test_a_chinese_range_is_not_a_move(extract: Extract) -> None:
    ex = extract("友邦、國壽升百分之4至5。")
    assert [f for f in ex.facts if f.kind == "price_move"] == []


SHORTCUT_TEXTS = [
    "升百分之三，跌百分之12.5，升百分之4至5，較招股價高七成半，升兩成半，升3成半，近三成，一百亿元。",
    "大市成交额一千二百亿港元，南向資金淨買入九十八億元，收入一千九百二十八亿元人民币，一百万美元。",
    "恒指升１２３點，報２５，０００點，跌百分之１，成交額一千億港幣，一千萬人民幣，两百港币。",
    "统一元朝，一带一路，百分之，十百元，第一元，成半，元",
    "Tencent rose 3% to HK$612 on turnover of HK$12 billion.",  # no Chinese figure at all
    "毛利率上升1.5個百分點至三成，净买入逾九十八亿港元",
    "2025年前三季收入按年升12.5%至3,880亿元，毛利率约三成，派息每股1.2元，百分之30的股份",
    "升3成半，成交额120亿港元，百分之5至8",
]


def test_the_shortcut_finds_what_the_full_scan_finds() -> None:
    """Skipping texts without an anchor and trying the pattern only at a numeral loses nothing."""
    from tickerwire.extract.cjk_numerals import _ANCHORS, _CJK_QUANTITY, _HALF, _START, _START_NOT_DIGIT
    from tickerwire.extract.quantities import matches_where

    found = 0
    for text in SHORTCUT_TEXTS:
        everywhere = [(m.span(), m.groupdict()) for m in _CJK_QUANTITY.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in matches_where(_CJK_QUANTITY, _START, text)] == everywhere
        if _HALF not in text:  # then no match begins with an Arabic digit
            shortcut = matches_where(_CJK_QUANTITY, _START_NOT_DIGIT, text)
            assert [(m.span(), m.groupdict()) for m in shortcut] == everywhere
        for m in _CJK_QUANTITY.finditer(text):
            assert any(anchor in m.group() for anchor in _ANCHORS), m.group()
            found += 1
    assert found >= 15


NUMERAL_ALPHABET = "0123456789.零〇一二两兩三四五六七八九十百千万萬亿億点點百分之至到-成半元港币幣美人民 x"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=NUMERAL_ALPHABET, max_size=30))
def test_the_shortcut_agrees_with_finditer_on_any_text(text: str) -> None:
    from tickerwire.extract.cjk_numerals import _ANCHORS, _CJK_QUANTITY, _HALF, _START, _START_NOT_DIGIT
    from tickerwire.extract.quantities import matches_where

    everywhere = list(_CJK_QUANTITY.finditer(text))
    assert [m.span() for m in matches_where(_CJK_QUANTITY, _START, text)] == [m.span() for m in everywhere]
    if _HALF not in text:
        assert [m.span() for m in matches_where(_CJK_QUANTITY, _START_NOT_DIGIT, text)] == [
            m.span() for m in everywhere
        ]
    assert all(any(anchor in m.group() for anchor in _ANCHORS) for m in everywhere)
