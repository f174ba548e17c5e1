"""The literal prefilter never drops a match: every window in which a pattern matches is one the
prefilter lets the pattern search."""

from __future__ import annotations

import importlib
import re

import ahocorasick_rs
import pytest
import regex

from tickerwire.extract import prefilter as prefilter_module
from tickerwire.extract.facts import _WORD_FILTER, _WORD_PATTERNS
from tickerwire.extract.prefilter import LiteralPrefilter, required_literals
from tickerwire.extract.timeframes import _ANCHORED, _CUE_RES

SENTENCES = [
    "Tencent closed up 3.1% at HK$650, taking its gain so far this year to 42%.",
    "The Hang Seng Index opened 0.8% higher and was trading 1.2% up at midday.",
    "Shares of Hua Hong rose as much as 8% intraday before settling 5% higher at the close.",
    "SMIC has risen 95% over the past 12 months and 12% in five straight sessions.",
    "Turnover was HK$231.5 billion, while southbound investors made net purchases of HK$8.6 billion.",
    "Worth of its shares changed hands reached HK$4.2 billion; net profit fell to RMB 3.2bn on revenue of US$5bn.",
    "The new listing debuted 18% above its IPO price, after its grey market trading.",
    "恒生指数半日收涨1.2%，报26,160点；年初至今累升28%。",
    "中芯国际高开后一度升8%，收报78.35港元，连升3日；过去一年累涨95%。",
    "大市成交额1,850亿港元，南向资金净买入85.6亿港元，港股通成交活跃。",
    "該股暗盤較招股價高18%，上市首日收市升25%，全年營收777億元，淨利潤59億元。",
    "騰訊本月累跌6%，本周跌3%，52週新高後回落。",
]

FILTERS = [
    ("horizon, session and day words", _ANCHORED.prefilter, [re.compile(*a) for a in _ANCHORED.anchors]),
    ("fact and amount words", _WORD_FILTER, _WORD_PATTERNS),
]


def _windows(text: str, step: int = 3) -> list[tuple[int, int]]:
    cuts = sorted({*range(0, len(text), step), len(text)})
    return [(a, b) for a in cuts for b in cuts if a < b]


@pytest.mark.parametrize(("name", "prefilter", "patterns"), FILTERS, ids=[f[0] for f in FILTERS])
def test_no_window_with_a_match_is_filtered_out(
    name: str, prefilter: LiteralPrefilter, patterns: list[re.Pattern[str]]
) -> None:
    matched = skipped = 0
    for text in SENTENCES:
        hits = prefilter.scan(text)
        for a, b in _windows(text):
            possible = hits.possible(a, b)
            for n, pattern in enumerate(patterns):
                if pattern.search(text[a:b]) or pattern.search(text, a, b):  # both ways components search
                    matched += 1
                    assert n in possible, (name, text[a:b], pattern.pattern[:60])
                elif n not in possible:
                    skipped += 1
    assert matched > 1000 and skipped > 1000  # the table exercises both outcomes


def test_windows_without_a_literal_are_skipped() -> None:
    text = "Tencent closed up 3.1% at HK$650. 恒生指数半日收涨1.2%。"
    hits = _ANCHORED.prefilter.scan(text)
    close = next(n for n, (h, _) in enumerate(_CUE_RES) if h == "close")
    midday = next(n for n, (h, _) in enumerate(_CUE_RES) if h == "midday")
    assert close in hits.possible(0, 20) and midday not in hits.possible(0, 20)
    assert midday in hits.possible(34, len(text))


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bclos(?:ed|ing|e)\b|終場|收[市盘]", ("clos", "終場", "收")),
        (r"(?:worth of (?:its )?shares )?chang(?:ed|ing) hands", ("worth of ", "chang")),
        (r"[連连][升跌]\d+日", ("連", "连")),
        (r"(?<![A-Za-z])Net Profit", ("net profit",)),
        (r"\d{1,2}月[累至]|本月", None),  # a branch that starts with a digit class: never filtered
        (r"(?:the )?index", ("the ", "index")),  # the optional word, or what follows it
        (r"(?:the )?\d+ points", None),  # the optional word may be missing and the rest is not a literal
    ],
)
def test_required_literals(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert required_literals(re.compile(pattern, re.IGNORECASE)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Shares ſettled 2% higher",  # the long s matches "s" case-insensitively; lower() keeps it
        "İstanbul-listed shares closed 1% up",  # lower-casing İ makes two characters
        "Le titre a cloſ ſettled",
    ],
)
def test_texts_that_fold_otherwise_are_not_filtered(text: str) -> None:
    pattern = re.compile(r"settled|closed", re.IGNORECASE)
    prefilter = LiteralPrefilter([pattern])
    assert 0 in prefilter.scan(text).possible(0, len(text))


def test_patterns_of_the_regex_module_are_read() -> None:
    pattern = regex.compile(r"net (?:buying|purchases)|淨買入", regex.IGNORECASE)
    assert required_literals(pattern) == ("net ", "淨買入")
    assert required_literals(regex.compile(r"\p{Han}+股")) is None  # syntax re cannot read: always searched


ROLE_SENTENCES = [
    "CICC, Morgan Stanley and UBS are the joint sponsors of the listing.",
    "Goldman Sachs acted as sole Sponsor; HSBC was a joint global coordinator and bookrunner.",
    "According to Morgan Stanley, the stock is cheap; per Citi, margins will widen.",
    "Per HSBC's note, the property developer's percentage of presales rose per cent by per cent.",
    "中金公司及摩根士丹利为联席保荐人，华泰国际担任整体协调人。",
    "據摩根士丹利報告，騰訊目標價上調；根据中金的研究，承銷商已就位。",
    "The placing agent, CLSA, said it would underwrite the deal.",
    "No role words here: Tencent rose 2% and SMIC fell 1%.",
]


@pytest.mark.parametrize("text", ROLE_SENTENCES)
def test_role_words_are_never_filtered_out_of_a_window_they_match_in(text: str) -> None:
    """The securities linker searches a name's windows for sponsor words and "according to" only
    where their literals are; every window a pattern matches in holds one."""
    from tickerwire.extract import lexicon
    from tickerwire.extract.securities import _ACCORDING_TO, _ROLE_WORDS, _SPONSOR, _SPONSOR_WORD

    hits = _ROLE_WORDS.scan(text)
    for a, b in _windows(text, step=1):
        possible = hits.possible(a, b)
        if _SPONSOR_WORD.search(text[a:b]):
            assert _SPONSOR in possible, text[a:b]
        if lexicon.ACCORDING_TO.search(text, a, b):
            assert _ACCORDING_TO in possible, text[a:b]
    assert hits.possible(0, len(text)) or text.startswith("No role words")


@pytest.mark.parametrize("literal", [
    "closed", "net profit", "收盘", "連", "暗盤", "港元",  # English, 简体, 繁體: plain
    "ſettled", "straße", "ς", "µ", "\u212a", "\u0130",  # long s, sharp s, final sigma, micro, Kelvin, İ
    "\U00020000", "é", "ﬁ",  # beyond the BMP; an accent; a ligature that casefolds to two letters
])
def test_a_literal_is_read_as_plain_exactly_as_a_text_is(literal: str) -> None:
    from tickerwire.extract.prefilter import _plain, _plain_literal

    assert _plain_literal(literal) is _plain(literal)


def _own_scan(shared: LiteralPrefilter, text: str) -> tuple[object, ...]:
    """What ``shared``'s literals would give scanned alone, by its own automaton."""
    alone = LiteralPrefilter([], shared=False)
    alone.size, alone.always, alone.keys, alone.owners = shared.size, shared.always, shared.keys, shared.owners
    alone.automaton = ahocorasick_rs.AhoCorasick(list(shared.keys)) if shared.keys else None
    hits = alone.scan(text)
    return hits.starts, hits.ends, hits.owners, hits.always


SHARED_TEXTS = [
    *SENTENCES,
    *ROLE_SENTENCES,
    "İstanbul-listed shares closed 1% up",  # cannot be filtered: every pattern is searched
    "",
    "Tencent 騰訊 closed 收市 升3% more than 逾 a day ago 昨日, per the sponsor 保薦人.",
]


@pytest.mark.parametrize("text", SHARED_TEXTS)
def test_a_shared_scan_gives_each_prefilter_what_its_own_automaton_finds(text: str) -> None:
    """The components' prefilters read an article in one pass; each gets exactly the hits (and the
    order) a scan of its own literals would give."""
    for module in ("events", "facts", "quantities", "timeframes"):  # their prefilters are shared
        importlib.import_module(f"tickerwire.extract.{module}")
    members = list(prefilter_module._SHARED.members)
    assert len(members) >= 5
    for member in members:
        hits = member.scan(text)
        assert (hits.starts, hits.ends, hits.owners, hits.always) == _own_scan(member, text)


def test_the_shared_scan_reads_a_text_once_and_a_new_member_joins_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter_module, "_SHARED", prefilter_module._SharedScan())  # not the components' set
    text = "Shares closed up 3% and the index rose."
    first = LiteralPrefilter([re.compile(r"closed|rose", re.IGNORECASE)], shared=True)
    hits = first.scan(text)
    assert first.scan(text) is hits  # the same text again: the hits of the one pass
    assert hits.starts == [7, 34]
    second = LiteralPrefilter([re.compile(r"up \d", re.IGNORECASE)], shared=True)
    assert second.scan(text).starts == [14]  # joined after the first pass: the automaton is rebuilt
    assert first.scan(text).starts == [7, 34]
    assert first.scan(text.upper()).starts == [7, 34]  # another text: scanned again


@pytest.mark.parametrize(
    ("word", "expected"),
    [("upgrade", ("upgrade",)), ("新股", ("新股",)), ("Upgrade", None), ("", None), ("ſettle", None)],
)
def test_a_lower_case_word_is_its_own_literal(word: str, expected: tuple[str, ...] | None) -> None:
    """A plain lower-case word (an event cue) is a pattern of one literal; any other is always searched."""
    assert required_literals(word) == expected


AFTER_A_FIGURE = [
    " of its shares", " of the market", "的股份", "的比例", " to HK$650", " in the benchmark Hang Seng Index",
    " rise in the Hang Seng Index", " gain on the day", " higher than the offer price", " lower than its IPO price",
    " above the offer price", " below the offer price", "以上的升幅", "的升幅", "的跌幅", "升幅", "，报26,160点",
    " from a year earlier", " over the period", " versus last year", " compared with a year ago", "。",
    "\u00a0of its shares", "\u3000的股份", " \u017fhare of", " OF ITS SHARES", " Rise In The Hang Seng", "",
    "   ", " stake in the company", " jump in net profit", " change in revenue", " per cent tariff",
    ", up from 2%", " or lower on the day", "，跌幅收窄", " down", " Revenue growth", " year-on-year", "，同比增長",
    " gross margin", " higher", " UP", "涨", " YoY", " constituents rose", " ETF", "成分股", " to 3%", " and 5%",
    "至近22%", " – 4%", "~5%", " To 6%", " to ", "至近", " – ", "~", " AND ", "\u3000到约 ",
]
LEAD_PATTERNS = [
    "SHARE_OF", "NOT_A_MOVE_AFTER", "MOVE_NOUN_IN", "_RISE_AFTER", "_FALL_AFTER", "_ABOVE_AFTER", "_BELOW_AFTER",
    "DIRECTION", "METRIC", "CONSTITUENT_AFTER", "RANGE_JOIN",
]


@pytest.mark.parametrize("name", LEAD_PATTERNS)
def test_leading_characters_never_turn_away_a_match(name: str) -> None:
    """Where ``admits`` is False the pattern matches nothing, at any place of any of the texts."""
    from tickerwire.extract import clauses, facts
    from tickerwire.extract import lexicon as lx
    from tickerwire.extract.prefilter import LeadingCharacters

    pattern = getattr(lx, name, None) or getattr(facts, name, None) or getattr(clauses, name)
    lead = LeadingCharacters(pattern)
    assert lead.chars, name  # every one of these has literals to check
    matched = 0
    for text in AFTER_A_FIGURE + SENTENCES:
        for pos in range(len(text) + 1):
            for end in (-1, min(len(text), pos + 12)):
                found = pattern.match(text, pos, len(text) if end < 0 else end)
                matched += found is not None
                assert found is None or lead.admits(text, pos, end), (name, text, pos)
    assert matched


@pytest.mark.parametrize(
    ("pattern", "chars", "spaces"),
    [
        (r"^\s*(?:of\b|的股份)", {"o", "的"}, True),
        (r"\s*(?:rise|gain)\s+in", {"r", "g"}, True),
        (r"(?:Hang Seng|HKEX)", {"h"}, False),
        (r"\d+%", None, False),
        (r"\s*\w+", None, True),
    ],
)
def test_leading_characters_of_a_pattern(pattern: str, chars: set[str] | None, spaces: bool) -> None:
    from tickerwire.extract.prefilter import LeadingCharacters

    lead = LeadingCharacters(regex.compile(pattern, regex.IGNORECASE))
    assert lead.chars == (None if chars is None else frozenset(chars))
    assert lead.skips_spaces is spaces


def test_every_space_either_engine_matches_is_a_space_to_python() -> None:
    """``admits`` skips what ``str.isspace`` calls a space: at least every character ``\\s`` matches."""
    every_character = "".join(map(chr, range(0x110000)))
    for engine in (re, regex):
        assert all(ch.isspace() for ch in engine.findall(r"\s", every_character)), engine.__name__


@pytest.mark.parametrize("text", ["Tencent ROSE 3%", "騰訊升３％", "Straße ſhares", "İstanbul", ""])
def test_a_text_is_lowered_and_checked_once_for_every_prefilter(text: str) -> None:
    """The shared pass and the securities linker's role words read one lowering of an article."""
    first = prefilter_module.lowered(text)
    assert first == (text.lower(), prefilter_module._filterable(text, text.lower()))
    assert prefilter_module.lowered(text)[0] is first[0]  # the same text again: not lowered again
    other = text + " x"
    assert prefilter_module.lowered(other) == (other.lower(), prefilter_module._filterable(other, other.lower()))


@pytest.mark.parametrize(
    ("text", "admitted"),
    [
        (" tariff on imports", True),
        (" to HK$650", False),  # t, but not "ta"/"st"… of a noun after a percentage
        (" stake", True),
        (" s", False),  # no literal of NOT_A_MOVE_AFTER is "s" alone
        ("的股份", True),
        (" \u017ftake", True),  # the long s folds to s: admitted without reading two characters
    ],
)
def test_leading_characters_read_two_characters_of_ascii_text(text: str, admitted: bool) -> None:
    from tickerwire.extract import lexicon as lx
    from tickerwire.extract.prefilter import LeadingCharacters

    lead = LeadingCharacters(lx.NOT_A_MOVE_AFTER)
    assert lead.admits(text) is admitted
    if not admitted:
        assert lx.NOT_A_MOVE_AFTER.match(text) is None
