"""Quantities: numbers, money with currency and scale, qualifiers; non-amounts skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

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
