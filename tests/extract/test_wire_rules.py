"""Rules learned from wire-style market news: variant characters, index wraps, respective lists,
target-price changes, Chinese numerals. Each rule is checked on sentences written for this file,
in English and Chinese, with what must not be extracted next to it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tickerwire.model import Extraction

Extract = Callable[..., Extraction]


def moves(ex: Extraction) -> set[tuple[str | None, float]]:
    return {(f.subject, f.pct) for f in ex.facts if f.kind == "price_move" and f.pct is not None}


def levels(ex: Extraction) -> set[tuple[str | None, float | None]]:
    return {(f.subject, f.value) for f in ex.facts if f.kind == "index_level"}


def amounts(ex: Extraction) -> set[tuple[str, str | None, float | None]]:
    kinds = {"turnover", "southbound_net_inflow", "northbound_net_inflow", "ipo_raise", "market_cap",
             "net_profit", "revenue", "target_price"}
    return {(f.kind, f.subject, f.value) for f in ex.facts if f.kind in kinds}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 恆/恒 and 滙/匯 are the same character in Hong Kong and mainland print
        ("港股收市：恆指跌0.8% 科指跌1.4%", {("HSI", -0.8), ("HSTECH", -1.4)}),
        ("恆生指數半日升1.25%。", {("HSI", 1.25)}),
        ("滙豐控股升2.4%，恆基地產跌1.1%。", {("00005.HK", 2.4), ("00012.HK", -1.1)}),
        ("The Hang Seng National Enterprises Index slid 1.7% to 9,012.4 points.", {("HSCEI", -1.7)}),
    ],
)
def test_variant_characters_and_index_names(extract: Extract, text: str, expected: set[tuple[str, float]]) -> None:
    assert moves(extract(text)) == expected


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("The Hang Seng Biotech Index gained 3%.", "HSBIO"),
        ("恒生生物科技指數升3%。", "HSBIO"),
        ("The Hang Seng Corporate Sustainability Index was reviewed.", "HS_CORP_SUSTAINABILITY"),
        ("恆生可持續發展企業指數成份股調整。", "HS_CORP_SUSTAINABILITY"),
    ],
)
def test_more_hang_seng_indices(extract: Extract, text: str, index: str) -> None:
    assert index in {i.index for i in extract(text).indices}


def test_national_enterprises_level_is_not_the_hang_seng(extract: Extract) -> None:
    ex = extract("The Hang Seng Index fell 2.1% to 24,100.5 points; the Hang Seng National Enterprises Index "
                 "fell 2.3%, closing at 8,800.2 points.")
    assert levels(ex) == {("HSI", 24100.5), ("HSCEI", 8800.2)}
