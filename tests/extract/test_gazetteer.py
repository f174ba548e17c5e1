"""The gazetteer's matching rules: word boundaries and case for Latin names, none for Chinese, the
longest match winning an overlap; the boundary check made once per match decides alike."""

from __future__ import annotations

import pytest

from tickerwire.extract.gazetteer import GazetteerIndex, _word_bounded
from tickerwire.extract.pipeline import matching_text
from tickerwire.refdata.master import load_master


@pytest.fixture(scope="module")
def index() -> GazetteerIndex:
    return GazetteerIndex(load_master())


def found(index: GazetteerIndex, text: str) -> list[str]:
    folded = matching_text(text)
    return [folded[s.start : s.end] for s in index.find(folded)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Tencent rose; SMIC and Hua Hong Semiconductor fell.", ["Tencent", "SMIC", "Hua Hong Semiconductor"]),
        ("(Tencent) and 'SMIC' and Tencent, SMIC.", ["Tencent", "SMIC", "Tencent", "SMIC"]),
        ("騰訊Tencent升，中芯SMIC跌", ["騰訊", "Tencent", "中芯", "SMIC"]),  # a CJK neighbour is a boundary
        ("Ｔｅｎｃｅｎｔ rose", ["Tencent"]),  # full-width folded before matching
        ("Tencents SMICs xTencent Tencent_1 SMIC2 &SMIC", []),  # glued to a word character: none
        ("smic and tencent in lower case", []),  # acronyms need their exact case, names a capital
        ("the Hang Seng Index and Hang Seng Bank", ["Hang Seng Index", "Hang Seng Bank"]),  # longest wins
        ("中芯国际与华虹半导体齐升，騰訊控股回落", ["中芯国际", "华虹半导体", "騰訊控股"]),
        ("平安银行与中國平安", ["平安银行", "中國平安"]),
        ("恆生指數與恒生指数", ["恆生指數", "恒生指数"]),  # variant characters folded on both sides
    ],
)
def test_names_found_on_boundaries(index: GazetteerIndex, text: str, names: list[str]) -> None:
    assert found(index, text) == names


@pytest.mark.parametrize(
    ("text", "start", "end", "bounded"),
    [
        ("Tencent rose", 0, 7, True),
        ("rose Tencent", 5, 12, True),
        ("(Tencent)", 1, 8, True),
        ("騰訊Tencent升", 2, 9, True),
        ("Tencents", 0, 7, False),
        ("xTencent", 1, 8, False),
        ("1Tencent", 1, 8, False),
        ("Tencent_", 0, 7, False),
        ("_Tencent", 1, 8, False),
        ("&SMIC", 1, 5, False),  # "S&P", "AT&T": the letters after & are no name of their own
        ("SMIC&", 0, 4, True),
        ("Tencent-W", 0, 7, True),
        ("éTencent", 1, 8, True),  # only ASCII neighbours glue
    ],
)
def test_word_boundaries(text: str, start: int, end: int, bounded: bool) -> None:
    assert _word_bounded(text, start, end, len(text)) is bounded
