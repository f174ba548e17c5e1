"""Anchored searches find exactly what ``search`` and ``finditer`` find: every window of realistic
English and Chinese sentences, the whole patterns of the event, horizon and IPO rules, and texts
the literal prefilter cannot read (they fall back to the ordinary search)."""

from __future__ import annotations

import re

import pytest

from tickerwire.extract.anchors import Anchored
from tickerwire.extract.prefilter import PatternSource

SENTENCES = [
    "Tencent closed up 3.1% at HK$650, taking its gain so far this year to 42%.",
    "The Hang Seng Index opened 0.8% higher and was trading 1.2% up at midday.",
    "Shares of Hua Hong rose as much as 8% intraday before settling 5% higher at the close.",
    "SMIC has risen 95% over the past 12 months and 12% in five straight sessions.",
    "The new listing debuted 18% above its IPO price of HK$12.50, after its grey market trading.",
    "Morgan Stanley upgraded Meituan to overweight and raised its target price to HK$150.",
    "The company expects Q4 revenue to grow 20%, and issued a profit warning for the full year.",
    "Chip stocks rallied and property developers slid; the bank said it would raise its dividend.",
    "Zhongwei Widgets refiled its listing application and will price the offering at the top end of its range.",
    "恒生指数半日收涨1.2%，报26,160点；年初至今累升28%。",
    "中芯国际高开后一度升8%，收报78.35港元，连升3日；过去一年累涨95%。",
    "該股暗盤較招股價高18%，上市首日收市升25%，全年營收777億元，淨利潤59億元。",
    "騰訊公布第三季業績，收入按年增長15%，純利升三成；摩根士丹利將評級上調至增持。",
    "公司擬於11月6日掛牌，招股價介乎每股１５．５至１６．８港元，集資一百亿港元。",
    "南向资金净买入85.6亿港元，恒指升幅收窄至0.5個百分點，半导体股急升，内房股回落。",
]
PATTERNS = [
    re.compile(r"\bclos(?:ed|ing|e)\b|終場|收[市盘報报涨漲跌升於于]", re.IGNORECASE),
    re.compile(
        r"(?<![A-Za-z])(?:chip|property|bank(?:ing)?) (?:stocks|shares|developers)(?![A-Za-z])|(?:半导体|内房)股", re.I
    ),
    re.compile(
        r"\b(?:in|over) (?:the )?(?:past |last )?(?:five|\d+) (?:straight )?(?:sessions|months)|[连連][升跌涨漲]\d+日",
        re.I,
    ),
    re.compile(r"(?:upgrad|downgrad)(?:e|es|ed|ing) \w+|評級|评级|上調.{0,6}(?:評級|目標)", re.I),
    re.compile(r"\bwill\b|\bexpected to\b|将|將|拟|擬", re.I),
    re.compile(r"(?:top|upper) end of (?:the|its) (?:price )?range|上限", re.I),
    re.compile(r"\d{1,2}月\d{1,2}日|\d+(?:\.\d+)?%"),  # no leading literal: searched as before
    re.compile(r"in|at|收|年"),  # short literals, overlapping matches
    re.compile(r"招股[價价]|[掛挂]牌|(?<!億)港元|HK\$\s?\d+", re.I),
]


def _windows(text: str, step: int = 3) -> list[tuple[int, int]]:
    cuts = sorted({*range(0, len(text), step), len(text)})
    return [(a, b) for a in cuts for b in cuts if a < b]


def _spans(matches: list[re.Match[str]]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in matches]


@pytest.mark.parametrize("text", SENTENCES)
def test_search_and_finditer_agree_with_re_in_every_window(text: str) -> None:
    anchored = Anchored(PATTERNS)
    hits = anchored.scan(text)
    found = 0
    for a, b in _windows(text):
        piece = text[a:b]
        for n, pattern in enumerate(PATTERNS):
            whole = pattern.search(text, a, b)
            found += whole is not None
            assert _spans([m] if (m := hits.search(n, text, a, b)) else []) == _spans([whole] if whole else [])
            assert _spans(hits.finditer(n, text, a, b)) == _spans(list(pattern.finditer(text, a, b)))
            # a slice searched as a string of its own: look-behinds and \b see only the slice
            own = pattern.search(piece)
            assert _spans([m] if (m := hits.search(n, piece, offset=a)) else []) == _spans([own] if own else [])
            assert _spans(hits.finditer(n, piece, offset=a)) == _spans(list(pattern.finditer(piece)))
            assert hits.any_in(n, a, b) or whole is None
    assert found > 100  # the patterns match in many windows of every sentence


def test_only_places_where_a_literal_starts_are_tried() -> None:
    text = "Hang Seng Tech closed 2% higher; 恒指收涨1%。"
    hits = Anchored(PATTERNS).scan(text)
    assert hits.starts(0) == [text.index("closed"), text.index("收")]
    assert not hits.any_in(0, 0, 15) and hits.any_in(0, 0, 16)
    assert 6 in hits.always  # the digit-led pattern has no literal: always searched


@pytest.mark.parametrize(
    "text",
    [
        "Shares ſettled 2% higher; the index closed up",  # the long s folds to s: not filtered
        "İstanbul-listed shares closed 1% up",  # lower-casing İ makes two characters
    ],
)
def test_texts_the_prefilter_cannot_read_are_searched_in_full(text: str) -> None:
    pattern = re.compile(r"settled|closed", re.IGNORECASE)
    hits = Anchored([pattern]).scan(text)
    assert hits.always == frozenset({0})
    assert _spans(hits.finditer(0, text)) == _spans(list(pattern.finditer(text)))
    assert hits.search(0, text) is not None


WORD_LISTS = [
    # a period word list with one entry that starts with digits: anchored on the others, guarded by it
    ["this month", "monthly", r"\bin (?:January|March|November)\b", "本月", "月[內内]", r"\d{1,2}月[份]?[累至]"],
    [r"\d+(?:\.\d+)?\s*(?:%|％|個百分點)", "per cent", "成"],
]
GUARDED_SENTENCES = [
    *SENTENCES,
    "Shares rose 3% this month and 12% in March; 恒指3月累升5%，１１月至今跌２％，本月內升四成。",
    "The index fell 0.5 percentage points, or 2 per cent, in November; 升幅收窄至0.5個百分點。",
]


@pytest.mark.parametrize("words", WORD_LISTS, ids=["month", "percent"])
def test_a_word_list_with_unanchored_entries_is_guarded_and_exact(words: list[str]) -> None:
    pattern = re.compile("|".join(words), re.IGNORECASE)
    anchored = Anchored([pattern], entries=[words])
    assert 0 in anchored.guards and not anchored.prefilter.always  # anchored on the literal entries
    assert type(anchored.scan("本月").unanchored) is frozenset  # what its annotation says (compiled code checks)
    guarded = 0
    for text in GUARDED_SENTENCES:
        hits = anchored.scan(text)
        for a, b in _windows(text, step=5):
            piece = text[a:b]
            guarded += anchored.guards[0].search(piece) is not None
            assert _spans(hits.finditer(0, text, a, b)) == _spans(list(pattern.finditer(text, a, b)))
            assert _spans(hits.finditer(0, piece, offset=a)) == _spans(list(pattern.finditer(piece)))
            own = pattern.search(piece)
            assert _spans([m] if (m := hits.search(0, piece, offset=a)) else []) == _spans([own] if own else [])
    assert guarded > 10


@pytest.mark.parametrize(
    ("text", "searched"),
    [
        ("Tencent closed 3.1% higher on Monday.", [0]),
        ("恒指收涨1.2%，内房股回落。", [0, 1]),
        ("Morgan Stanley upgraded Meituan; the bank will raise its dividend.", [3, 4]),
    ],
)
def test_a_pattern_given_as_source_is_compiled_when_first_searched(text: str, searched: list[int]) -> None:
    """Sources read for their literals, compiled only for a search; the same answers as compiled."""
    sources = [PatternSource(p.pattern, p.flags) for p in PATTERNS]
    anchored = Anchored(sources)
    assert anchored.compiled == [None] * len(PATTERNS)
    assert anchored.prefilter.keys == Anchored(PATTERNS).prefilter.keys
    hits = anchored.scan(text)
    for n in searched:
        assert _spans(hits.finditer(n, text)) == _spans(list(PATTERNS[n].finditer(text)))
        assert hits.finditer(n, text)
    assert [n for n, p in enumerate(anchored.compiled) if p is not None] == searched
    assert all(anchored.compiled[n] == PATTERNS[n] for n in searched)


@pytest.mark.parametrize(
    ("source", "flags", "expected"),
    [
        (r"\d{1,2}月[份]?[累至]", re.IGNORECASE, ("月",)),
        (r"\d{1,2}月[份]?[累至]|\d+年(?:內|内)", re.IGNORECASE, ("月", "年")),
        (r"(?:\d+)(?:个|個)?百分点", 0, ("百",)),
        (r"\d+(?:\.\d+)?\s*(?:%|％|個百分點)", re.IGNORECASE, None),  # only an alternation holds the literals
        (r"\d{1,2}(?:st|nd|rd|th)", re.IGNORECASE, None),  # letters fold: str.find would miss "ST"
        (r"\d{1,2}月|\bmonth", re.IGNORECASE, None),  # a branch without an uncased literal
        (r"(?:about )?3月", 0, ("3",)),  # an optional part is skipped: the digit is the first held
        (r"ſ月", re.IGNORECASE, ("月",)),  # the long s folds specially: never taken
    ],
)
def test_required_characters_are_held_by_every_match(source: str, flags: int, expected: tuple[str, ...] | None) -> None:
    from tickerwire.extract.prefilter import required_characters

    assert required_characters(re.compile(source, flags)) == expected


def test_a_guard_is_not_searched_in_a_window_without_its_required_characters() -> None:
    """The month list's guard (``\\d{1,2}月[份]?[累至]``) is searched only where a 月 stands, and
    answers the same as ever there (``test_a_word_list_with_unanchored_entries_is_guarded_and_exact``)."""
    words = WORD_LISTS[0]
    anchored = Anchored([re.compile("|".join(words), re.IGNORECASE)], entries=[words])
    assert anchored.guard_characters == {0: ("月",)}
    searched: list[str] = []

    class Recording:
        def __init__(self, guard: re.Pattern[str]) -> None:
            self.guard = guard

        def search(self, text: str, pos: int, end: int) -> re.Match[str] | None:
            searched.append(text[pos:end])
            return self.guard.search(text, pos, end)

    text = "Shares rose 3% this month; 恒指3月累升5%，本月內升四成。"
    hits = anchored.scan(text)
    hits.guards = {0: Recording(anchored.guards[0])}  # type: ignore[dict-item]
    assert _spans(hits.finditer(0, text, 0, 26)) == _spans(list(anchored.pattern(0).finditer(text, 0, 26)))
    assert _spans(hits.finditer(0, text, 27)) == _spans(list(anchored.pattern(0).finditer(text, 27)))
    assert searched == [text[27:]]  # the English half holds no 月: its guard search is skipped


def test_the_required_characters_of_the_engines_guards_match_only_themselves() -> None:
    """What ``str.find`` relies on: no other character matches a guard's required character under
    the guard's flags (re's case-insensitive matching included)."""
    from tickerwire.extract import timeframes

    every_character = "".join(map(chr, range(0x110000)))
    checked = 0
    for n, characters in timeframes._ANCHORED.guard_characters.items():
        flags = timeframes._ANCHORED.guards[n].flags
        for ch in characters or ():
            assert re.compile(re.escape(ch), flags).findall(every_character) == [ch]
            checked += 1
    assert checked  # the month list's guard holds one
