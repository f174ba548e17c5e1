"""The word index of the fact rules finds exactly what searching each window finds."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from tickerwire.extract.clauses import PatternStarts, word_index
from tickerwire.extract.facts import _WORD_FILTER, _WORD_PATTERNS
from tickerwire.extract.pipeline import matching_text

TEXTS = [
    "Tencent closed up 3.1% at HK$650, taking its gain this year to 42%; its shares rose, while peers fell.",
    "The Hang Seng Index fell 1.2% to 25,000 points, and the tech sector dropped 2%; futures were flat.",
    "Turnover was HK$231.5 billion, while southbound investors made net purchases of HK$8.6 billion.",
    "Net profit rose to RMB 3.2bn from RMB 2.9bn, revenue was US$5bn (about HK$39bn), a P/E of 12 times.",
    "Revenue and net profit were 777億元 and 59億元 respectively, compared with last year's 700億元.",
    "恒生指数半日收涨1.2%，报26,160点；年初至今累升近三成，成交额一百亿元。",
    "中芯国际高开后一度升8%，收报78.35港元，连升3日；过去一年累涨95%，市盈率30倍，创52周新高。",
    "大市成交额1,850亿港元，南向资金净买入85.6亿港元，較上一交易日减少，北向資金淨賣出12億元。",
    "該股暗盤較招股價高18%，上市首日收市升25%，全年營收777億元，淨利潤59億元，毛利率升1.5個百分點。",
    "騰訊股價升２．５％，報６１２港元；恒指跌１２３點，收報２５，０００點。",  # full-width, as written
    "SHARES of Meituan ROSE 4% and its STOCK hit a 52-WEEK HIGH; the company's Net Income fell.",
    "Straße rose 5% ſhares; the KELVIN sign K and a dotless ı: text the prefilter cannot read.",
]


def _windows(text: str, step: int = 4) -> list[tuple[int, int]]:
    cuts = sorted({*range(0, len(text), step), len(text)})
    return [(a, b) for a in cuts for b in cuts if a < b]


def _agrees(index: PatternStarts, text: str, a: int, b: int) -> None:
    pattern = index.pattern
    expected = [m.span() for m in pattern.finditer(text, a, b)]
    assert [m.span() for m in index.finditer(a, b)] == expected, (pattern.pattern[:50], text[a:b])
    first = pattern.search(text, a, b)
    found = index.search(a, b)
    assert (found and found.span()) == (first and first.span())
    if not index.may_match(a, b):
        assert first is None and pattern.search(text[a:b]) is None, (pattern.pattern[:50], text[a:b])


@pytest.mark.parametrize("text", [*TEXTS, *(matching_text(t) for t in TEXTS)])
def test_the_index_finds_what_each_window_search_finds(text: str) -> None:
    words = word_index(_WORD_FILTER, _WORD_PATTERNS, text)
    assert list(words) == _WORD_PATTERNS
    for a, b in _windows(text):
        for index in words.values():
            _agrees(index, text, a, b)


def test_the_index_skips_windows_and_falls_back_where_it_cannot_read() -> None:
    plain = word_index(_WORD_FILTER, _WORD_PATTERNS, TEXTS[0])
    assert all(index.starts is not None for index in plain.values())  # every pattern is indexed
    assert sum(not index.may_match(0, 20) for index in plain.values()) > len(_WORD_PATTERNS) // 2
    special = word_index(_WORD_FILTER, _WORD_PATTERNS, TEXTS[-1])  # ſ folds to s: search every window
    assert all(index.starts is None and index.may_match(0, 1) for index in special.values())


PIECES = ["rose", "fell", " ", ",", "up", "down", "revenue", "net profit", "turnover", "shares", "its", "the ",
          "升", "跌", "收報", "成交額", "淨買入", "南向", "3%", "HK$5bn", "港元", "億元", "三成", "52-week high",
          "P/E", "from", "compared with", "respectively", "(", "futures", "Stock", "RISE", "sector"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14), st.integers(0, 40), st.integers(0, 80))
def test_the_index_agrees_on_any_text(pieces: list[str], a: int, length: int) -> None:
    text = "".join(pieces)
    a = min(a, len(text))
    b = min(len(text), a + length)
    for index in word_index(_WORD_FILTER, _WORD_PATTERNS, text).values():
        _agrees(index, text, a, b)


def test_a_direction_word_is_read_from_the_group_it_closed() -> None:
    """``sign_of`` reads a direction match's ``lastgroup``: the one of its four groups it holds."""
    from tickerwire.extract import lexicon as lx
    from tickerwire.extract.clauses import UP_GROUPS, sign_of

    signs = []
    for text in TEXTS + [matching_text(t) for t in TEXTS]:
        for m in lx.DIRECTION.finditer(text):
            (held,) = [name for name, value in m.groupdict().items() if value is not None]
            assert m.lastgroup == held
            signs.append(sign_of([m]))
            assert signs[-1] == (1 if held in UP_GROUPS else -1)
    assert set(signs) == {1, -1}


def test_a_clause_begins_after_its_last_break() -> None:
    """``amounts._clause_start`` finds the end of the last ,，;；:： before a place, as a search would."""
    import regex

    from tickerwire.extract.amounts import _CLAUSE_BREAKS, _clause_start

    breaks = regex.compile("[" + regex.escape(_CLAUSE_BREAKS) + "]")
    for text in TEXTS:
        for lo in range(0, len(text), 7):
            for pos in range(lo, len(text) + 1, 3):
                ends = [m.end() for m in breaks.finditer(text, lo, pos)]
                assert _clause_start(text, lo, pos) == (ends[-1] if ends else lo)


BACKWARDS = [
    ("clauses", "LEVEL_INTRO", "_LEVEL_INTRO_BACK"),
    ("clauses", "RANGE_LEAD", "_RANGE_LEAD_BACK"),
    ("facts", "_PRICE_INTRO", "_PRICE_INTRO_BACK"),
    ("facts", "_RATE_CHANGE", "_RATE_CHANGE_BACK"),
    ("facts", "_POINTS_CHANGE_LEAD", "_POINTS_CHANGE_LEAD_BACK"),
    ("amounts", "_FROM_BEFORE", "_FROM_BEFORE_BACK"),
    ("amounts", "_OPEN_PAREN_END", "_OPEN_PAREN_END_BACK"),
    ("amounts", "_SKIP_BEFORE_AMOUNT", "_SKIP_BEFORE_AMOUNT_BACK"),
]
LOOK_BACKS = [
    "rose 1.2% to ", "closed at a record high of ", "收報", "收市报 ", "between ", "介乎", "from ", "由",
    "margin fell from ", "traded at\n", ", or ", "或", " (approximately ", "（約", "compared with last year's ",
    "versus ", "at", "To ", "AT\u3000", "photo ", "fromage ", "between them, ", "hit", "white ", "(", "",
]


def _backwards_pairs() -> list[tuple[regex.Pattern[str], regex.Pattern[str]]]:
    import importlib

    pairs = []
    for module, forward, backward in BACKWARDS:
        found = importlib.import_module(f"tickerwire.extract.{module}")
        pairs.append((getattr(found, forward), getattr(found, backward)))
    return pairs


def test_a_pattern_searched_backwards_matches_the_same_look_backs() -> None:
    """The end-anchored look-back patterns searched from the end find a match exactly where the
    forward search does (in every window of the texts, and after every sentence head)."""
    matched = 0
    pairs = _backwards_pairs()
    for text in TEXTS + [matching_text(t) for t in TEXTS] + [h + "12" for h in LOOK_BACKS]:
        for start, end in _windows(text, step=3):
            for forward, backward in pairs:
                found = forward.search(text, start, end)
                assert bool(found) == bool(backward.search(text, start, end)), (forward.pattern, text[start:end])
                assert bool(forward.search(text[start:end])) == bool(backward.search(text[start:end]))
                matched += found is not None
    assert matched > 50


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*LOOK_BACKS, " ", "\n", "x", "1", ",", "，", "高", "(", ")"]), max_size=8))
def test_a_pattern_searched_backwards_agrees_on_any_look_back(pieces: list[str]) -> None:
    text = "".join(pieces)
    for forward, backward in _backwards_pairs():
        assert bool(forward.search(text)) == bool(backward.search(text))
