"""Quantities: numbers, money with currency and scale, qualifiers; non-amounts skipped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickerwire.extract.quantities import scan_quantities


@pytest.mark.parametrize(
    ("text", "unit", "value", "currency", "qualifier"),
    [
        ("turnover reached HK$118.607 billion", "money", 118_607_000_000, "HKD", "exact"),
        ("成交额6.548亿港元", "money", 654_800_000, "HKD", "exact"),
        ("net profit of RMB 3.2bn", "money", 3_200_000_000, "CNY", "exact"),
        ("募资约12.5亿元人民币", "money", 1_250_000_000, "CNY", "about"),
        ("a deal worth US$600 million", "money", 600_000_000, "USD", "exact"),
        ("營業額逾2,684億港元", "money", 268_400_000_000, "HKD", "over"),
        ("净买入85.3万元", "money", 853_000, "HKD", "exact"),
        ("shares rose more than 5%", "pct", 5.0, None, "over"),
        ("fell nearly 3.5 per cent", "pct", 3.5, None, "about"),
        ("升逾半成", "pct", 5.0, None, "over"),
        ("按年升近3成", "pct", 30.0, None, "about"),
        ("down -1.23%", "pct", -1.23, None, "exact"),
        ("up 1.6 percentage points", "pp", 1.6, None, "exact"),
        ("closed at 25,854 points", "points", 25_854, None, "exact"),
        ("跌24點", "points", 24, None, "exact"),
        ("a loss of RMB -390 million", "money", -390_000_000, "CNY", "exact"),
    ],
)
def test_quantity_table(text: str, unit: str, value: float, currency: str | None, qualifier: str) -> None:
    qs = [q for q in scan_quantities(text) if q.unit == unit]
    assert qs, f"no {unit} in {text!r}"
    q = qs[0]
    assert q.value == pytest.approx(value)
    assert q.currency == currency
    assert q.qualifier == qualifier


@pytest.mark.parametrize(
    "text",
    [
        "On 24 October 2025 the board met.",
        "2025年10月24日",
        "The fund was founded in 2005.",
        "Call 2345 6789 for details",
        "at 9.50am local time",
        "SMIC (0981) said",
    ],
)
def test_not_amounts(text: str) -> None:
    assert [q for q in scan_quantities(text) if q.unit in {"money", "pct", "points"}] == []


def test_lot_size_is_shares_not_money() -> None:
    units = {q.unit for q in scan_quantities("a board lot of 500 shares; 34.8萬股")}
    assert units == {"shares"}


def test_bare_yuan_follows_market() -> None:
    hk = scan_quantities("收報72.5元", default_yuan="HKD")
    cn = scan_quantities("收报72.5元", default_yuan="CNY")
    assert hk[0].currency == "HKD"
    assert cn[0].currency == "CNY"


ENGINE_SENTENCES = [
    "Turnover reached HK$118.607 billion; SMIC fell -2.5% to HK$78.35 (0981) on 24 Oct 2025 at 9.50am.",
    "A loss of RMB -390 million, 1.6 percentage points, 25,854 points, 500 shares and US$600mn in 2024-25.",
    "成交额6.548亿港元，营业额逾2,684億港元，净买入85.3万元，升逾半成，按年升近3成，跌24點，34.8萬股。",
    "恒指收报26,160点，升1.2％，两市成交额1.2万亿元，¥12.5元人民币，NT$300，S$2.1bn，A$5m。",
]


def test_the_scanner_finds_what_the_regex_module_finds() -> None:
    """The scanner's pattern runs on ``re``; the ``regex`` module reads the same source alike."""
    import regex

    from tickerwire.extract.quantities import QUANTITY
    from tickerwire.sources import expand_inputs, read_path

    news = Path(__file__).resolve().parents[2] / "examples" / "news"
    texts = ENGINE_SENTENCES + [a.text for p in expand_inputs([str(news)]) for a in read_path(p) if hasattr(a, "text")]
    slow = regex.compile(QUANTITY.pattern)
    for text in texts:
        fast_hits = [(m.span(), m.groupdict()) for m in QUANTITY.finditer(text)]
        assert fast_hits == [(m.span(), m.groupdict()) for m in slow.finditer(text)], text[:80]
    assert len(texts) > 20


# Text where a shortcut could go wrong: full-width digits and signs, Chinese numerals (三成, 一百亿),
# every currency prefix and suffix, percentages written as 個百分點, qualifiers at the look-back's
# edge, and figures right after a newline or at the very start and end of the text.
TRICKY = [
    "恒指升１２３點，報２５，０００點；騰訊跌－２．５％，成交額１２３億港元。",
    "近三成股份，九成半，半成，一百亿元，百分之五，兩成，三成半，升逾四成。",
    "毛利率上升1.5個百分點，淨利率跌0.3个百分点，按年增加2 percentage points。",
    "HK$12, HKD 3bn, US$ -4, USD5m, RMB6, CNY 7 billion, CNH8, S$9, NT$10, A$11, ¥12, ￥13元人民币, $14.",
    "more than 5%, approximately 6%, in excess of HK$7bn, close to\n8%, some 9 points, up to 10%, 不足11%, 約12億元。",
    "Approximately\n\n13%; ABOUT 14%; Nearly 15 per cent; roughly −16 pct; over 17 percentage points",
    "5% at the start, −3 after a minus sign, +4 after a plus, 2024-25 and A-1, No. 5, No.\n6, Q3 2025, FY2024.",
    "约", "逾5", "50%", "-", "HK$", "三成",
]


def _texts() -> list[str]:
    from tickerwire.extract.pipeline import matching_text
    from tickerwire.sources import expand_inputs, read_path

    news = Path(__file__).resolve().parents[2] / "examples" / "news"
    written = [a.text for p in expand_inputs([str(news)]) for a in read_path(p) if hasattr(a, "text")]
    raw = ENGINE_SENTENCES + TRICKY + written
    return raw + [matching_text(t) for t in raw]  # as written and as the components read it


def test_the_scanner_tries_every_place_a_quantity_can_begin() -> None:
    """Trying the pattern only where QUANTITY_START stands finds exactly what finditer finds."""
    from tickerwire.extract.quantities import QUANTITY, QUANTITY_START, matches_where

    for text in _texts():
        everywhere = [(m.span(), m.groupdict()) for m in QUANTITY.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in matches_where(QUANTITY, QUANTITY_START, text)] == everywhere


@pytest.mark.parametrize(
    ("text", "tried"),
    [
        ("Hang Seng, Shares of SMIC, China Unicom and Alibaba Rose Sharply", ""),
        ("HK$12 HKD3 US$4 USD5 RMB6 CNY7 CNH8 S$9 NT$1 A$2", "H$12H3US$4U5R6C7C8S$9N$1A$2"),  # $ and S$ inside
        ("¥3，￥4，$5，-6，+7，−8", "¥3￥4$5-6+7−8"),
        ("三成，半成，一年，二月，三季度，半导体", "三半"),
        ("A-shares and H-shares, NT and S&P, -W, + H", ""),
        ("-3, +HK$4, −US$5, -¥6, +$7, -三成, -HKD8, -RMB", "-3+H$4−US$5-¥6+$7-三-H8-R"),  # S$ inside US$
    ],
    ids=["capitals", "prefixes", "signs", "chinese digits", "hyphens", "signs before a figure"],
)
def test_the_scanner_tries_a_capital_only_where_a_currency_prefix_stands(text: str, tried: str) -> None:
    """A capital letter is tried only as the start of HK$, HKD, US$, USD, RMB, CNY, CNH, S$, NT$ or
    A$, a sign only before a digit, a Chinese digit or a currency prefix's first character, and a
    Chinese digit only before 成; every digit and currency sign is tried."""
    from tickerwire.extract.quantities import QUANTITY_START

    assert "".join(text[i] for i in range(len(text)) if QUANTITY_START.match(text, i)) == tried


FIGURE_ALPHABET = "0123456789０１２.,，+-−%％ HKUSDRMBCNYTA$¥￥元港亿億万萬成半三一百分之點点個个\nbnmore than约逾不足"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=FIGURE_ALPHABET, max_size=40))
def test_the_scanner_agrees_with_finditer_on_any_text(text: str) -> None:
    from tickerwire.extract.quantities import QUANTITY, QUANTITY_START, matches_where

    assert [m.span() for m in matches_where(QUANTITY, QUANTITY_START, text)] == [
        m.span() for m in QUANTITY.finditer(text)
    ]


def test_the_qualifier_shortcut_reads_every_qualifier() -> None:
    """Looking for a qualifier only where one of its words stands gives what always looking gives."""
    from tickerwire.extract.prefilter import LiteralHits, required_literals
    from tickerwire.extract.quantities import _QUAL_BEFORE, QUANTITY, _build

    assert required_literals(_QUAL_BEFORE)  # the shortcut has words to look for
    always = LiteralHits([], [], [], frozenset({0}))
    qualified = 0
    for text in _texts():
        reference = [q for m in QUANTITY.finditer(text) if (q := _build(m, text, "HKD", always)) is not None]
        got = scan_quantities(text)
        assert got == [q for q in reference if abs(q.value) <= 1e15]
        qualified += sum(q.qualifier != "exact" for q in got)
    assert qualified > 20  # the table exercises the qualifiers


def test_a_hit_reads_its_branch_from_the_last_group_it_closed() -> None:
    """``_build`` tells a hit's unit by ``lastgroup``: the unit's group when one follows the number
    (its scale's otherwise), the number's when none does, as the groups the hit holds say."""
    from tickerwire.extract.quantities import _UNIT_GROUPS, QUANTITY

    units = ("pct", "cur_zh", "cur_en", "points", "shares", "scale_d")
    seen = set()
    for text in _texts():
        for m in QUANTITY.finditer(text):
            held = {name for name, value in m.groupdict().items() if value is not None}
            if "cheng_num" in held:
                expected = "cheng_num"
            elif "num_a" in held:
                expected = "cur_tail" if "cur_tail" in held else "scale_a" if "scale_a" in held else "num_a"
            else:
                expected = next((unit for unit in units if unit in held), "num_b")
            assert m.lastgroup == expected, (text, m.group())
            has_unit = bool(held & {"pct", "cur_zh", "cur_en", "points", "scale_b", "scale_c", "scale_d"})
            assert (m.lastgroup in _UNIT_GROUPS) == has_unit
            seen.add(expected)
    assert seen == {"cheng_num", "num_a", "scale_a", "cur_tail", "num_b", *units}


def test_the_qualifier_is_tried_only_at_its_words() -> None:
    """``_qualifier_before`` finds what searching the whole look-back finds, before every figure
    and every other place of the texts."""
    from tickerwire.extract.quantities import _QUAL_BEFORE, QUALIFIER_WINDOW, _qualifier_before, qualifier_hits

    found = 0
    for text in _texts():
        hits = qualifier_hits(text)
        for start in range(len(text) + 1):
            look_from = max(0, start - QUALIFIER_WINDOW)
            expected = _QUAL_BEFORE.search(text[look_from:start])
            got = _qualifier_before(text, look_from, start, hits)
            assert (got and (got.span(), got.lastgroup)) == (expected and (expected.span(), expected.lastgroup))
            found += expected is not None
    assert found > 20


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("approximately 13%", "about"),
        ("About\n\n13%", "about"),
        ("Approximately\n\n13%", "exact"),  # the word begins beyond the look-back
        ("more than  5%", "over"),
        ("close to\n8%", "about"),
        ("逾5%", "over"),
        ("約１２億元", "about"),
        ("不足11%", "under"),
        ("升逾四成", "over"),
        ("漲幅達12%以上", "over"),
        ("xabout 5%", "exact"),  # a word ending in a qualifier is not one
        ("about the index's 5%", "exact"),  # too far back
    ],
)
def test_qualifiers(text: str, qualifier: str) -> None:
    from tickerwire.extract.pipeline import matching_text

    (q,) = [q for q in scan_quantities(matching_text(text)) if q.unit == "pct" or q.unit == "money"]
    assert q.qualifier == qualifier


def test_the_date_words_begin_and_end_with_the_characters_checked_first() -> None:
    """A figure's neighbours are read with ``_DATE_AFTER`` and ``_DATE_BEFORE`` only when the
    character beside it can begin (end) a match: every branch's leading literal begins with one of
    ``DATE_AFTER_FIRST``, and every text ``_DATE_BEFORE`` finds ends with one of ``DATE_BEFORE_LAST``
    or with whitespace."""
    import itertools

    from tickerwire.extract.prefilter import required_literals
    from tickerwire.extract.quantities import (
        _DATE_AFTER,
        _DATE_BEFORE,
        DATE_AFTER_FIRST,
        DATE_BEFORE_LAST,
        DATE_BEFORE_WIDTH,
    )

    leads = required_literals(_DATE_AFTER)
    assert leads is not None and not _DATE_AFTER.flags & re.IGNORECASE
    assert {lead[0] for lead in leads} == DATE_AFTER_FIRST
    alphabet = "0123456789/:-QHFY第No. \n\t#年月日amp.x"
    for size in range(1, 4):
        for chars in itertools.product(alphabet, repeat=size):
            before = "12 " + "".join(chars)
            last = before[-1:]
            found = _DATE_BEFORE.search(before, max(0, len(before) - DATE_BEFORE_WIDTH))
            # after whitespace only "No. " or a final newline (before which "$" matches) can end one
            checked = last in DATE_BEFORE_LAST or last == "\n" or (last.isspace() and before[-2:-1] == ".")
            assert found is None or checked, before
            after = "".join(chars)
            assert _DATE_AFTER.match(after) is None or after[:1] in DATE_AFTER_FIRST, after


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("升5%以上", "over"),
        ("300多亿元", "over"),
        ("HK$300多", "over"),
        ("5% 以上", "over"),
        ("5%\n以上", "over"),
        ("5%以下", "exact"),
        ("rose 5% more", "exact"),
    ],
)
def test_a_minimum_word_after_the_figure(text: str, qualifier: str) -> None:
    """以上 or 多 after a figure, spaces between allowed, makes it a minimum."""
    (q,) = scan_quantities(text)
    assert q.qualifier == qualifier


def test_the_date_look_back_covers_the_longest_date_prefix() -> None:
    import re._parser as sre_parse  # type: ignore[import-not-found]

    from tickerwire.extract.quantities import _DATE_BEFORE, DATE_BEFORE_WIDTH

    # one more than the widest match: "$" may stand before a final newline
    assert sre_parse.parse(_DATE_BEFORE.pattern).getwidth()[1] + 1 <= DATE_BEFORE_WIDTH
    assert [q.unit for q in scan_quantities("No. \n5 and No.5 and No. 5 and Q3 and 10/3")] == []


def test_a_month_begins_with_a_capital_checked_first() -> None:
    from tickerwire.extract.quantities import _MONTH_INITIALS, _MONTHS

    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"]
    assert {month[0] for month in months} == _MONTH_INITIALS
    for month in months:
        assert _MONTHS.search(f"on {month}. 3, ")
        assert _MONTHS.search(f"on {month.lower()} 3, ") is None  # case-sensitive: a capital is needed


@settings(max_examples=500, deadline=None)
@given(
    st.from_regex(r"\A(?:[0-9]{1,3}(?:,[0-9]{3}){0,4}|[0-9]{1,30})(?:\.[0-9]{1,12})?\Z"),
    st.sampled_from([1e3, 1e4, 1e6, 1e8, 1e9, 1e12]),
)
def test_a_scaled_figure_is_its_decimal_product(num: str, scale: float) -> None:
    """Moving the point of a number by its scale's power of ten gives the float of the exact decimal
    product (4.1亿 is 410000000, not 409999999.99999994)."""
    from decimal import Decimal

    from tickerwire.extract.quantities import _times

    assert _times(num, scale) == float(Decimal(num.replace(",", "")) * Decimal(repr(scale)))
    assert _times("4.1", 1e8) == 410_000_000.0
