"""The gazetteer's matching rules: word boundaries and case for Latin names, none for Chinese, the
longest match winning an overlap; the boundary check made once per match decides alike."""

from __future__ import annotations

import ahocorasick_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickerwire.extract.gazetteer import GazetteerIndex, _word_bounded, fold_variants
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


@pytest.mark.parametrize(
    "text",
    [
        "Tencent Holdings and Alibaba led the Hang Seng Index higher; HSBC fell — “a rout”, said one.",
        "恒生指数收涨1.2%，腾讯控股、阿里巴巴-SW及中芯国际领涨；滙豐控股跌0.5%。",
        "港股三大指數低開，恆生科技指數跌1.1%，美團、小米集團走低。",
        "騰訊Tencent升，中芯SMIC跌；BYD and 比亚迪股份 both rose.",
        "Ｔｅｎｃｅｎｔ rose，HSBC fell。",  # folded to ASCII but 。
        "𠀀𠀁 Tencent rose; 𠀂中芯国际升3%。",
        "İstanbul traders bought Tencent and Hang Seng Bank.",  # lower() lengthens İ: matched as is
        "",
    ],
)
def test_two_automata_find_what_one_finds(index: GazetteerIndex, text: str) -> None:
    """The Latin and the Chinese keys are two automata; together they find every occurrence one
    automaton over all the keys finds."""
    folded = matching_text(text)
    lower = fold_variants(folded.lower() if len(folded.lower()) == len(folded) else folded)
    keys = index._loaded().keys
    one = ahocorasick_rs.AhoCorasick(keys).find_matches_as_indexes(lower, overlapping=True)
    assert sorted(index._matches(lower)) == sorted(one)


@pytest.mark.parametrize(
    ("text", "wide"),
    [
        ("Tencent rose 2% while HSBC fell — “a rout”, said one; Hang Seng Index –0.5%.", False),
        ("Tencent rose 2%, Société Générale said.", False),
        ("腾讯控股升2%", True),
        ("騰訊控股升2%", True),
        ("Tencent rose，HSBC fell！", False),  # full-width punctuation is folded before matching
        ("ソフトバンク and Tencent", True),
    ],
)
def test_the_automata_are_built_with_the_second_text(text: str, wide: bool) -> None:
    """The first text builds neither automaton (an automaton of the keys it can hold finds its
    names); the next builds the Latin one, and the Chinese one when it holds a wide character."""
    fresh = GazetteerIndex(load_master())
    fresh.find(matching_text(text))
    assert fresh._narrow is None and fresh._wide is None
    fresh.find(matching_text(text))
    assert (fresh._wide is not None) == wide
    assert fresh._narrow is not None


def test_a_long_first_text_builds_the_automata() -> None:
    from tickerwire.extract.gazetteer import _HELD_TEXT_LIMIT

    fresh = GazetteerIndex(load_master())
    text = "Tencent rose 2% while HSBC fell. " * (_HELD_TEXT_LIMIT // 30)
    spans = fresh.find(text)
    assert fresh._narrow is not None and fresh._wide is None
    assert {text[span.start : span.end] for span in spans} >= {"Tencent", "HSBC"}


@pytest.mark.parametrize(
    "text",
    [
        "Tencent Holdings and Alibaba led the Hang Seng Index higher; HSBC fell — “a rout”, said one.",
        "Shares of Hang Seng Bank, Bank of China (Hong Kong) and AIA Group rose; the HSI gained 1%.",
        "恒生指数收涨1.2%，腾讯控股、阿里巴巴-SW及中芯国际领涨；滙豐控股跌0.5%。",
        "港股三大指數低開，恆生科技指數跌1.1%，美團、小米集團走低。",
        "騰訊Tencent升，中芯SMIC跌；BYD and 比亚迪股份 both rose.",
        "𠀀𠀁 Tencent rose; 𠀂中芯国际升3%。",
        "ソフトバンク and Tencent, Hang Seng Bank and HSBC",
        "AIA",  # a key as long as the text
        "",
    ],
)
def test_the_first_text_finds_what_one_automaton_finds(text: str) -> None:
    """The first text is searched by an automaton of the keys whose first four characters it
    holds: it finds every occurrence one automaton over all the keys finds, and the spans are
    those the two automata give."""
    master = load_master()
    first, later = GazetteerIndex(master), GazetteerIndex(master)
    later.find("Tencent")
    later.find("Tencent 腾讯")  # builds both automata
    folded = matching_text(text)
    lower = fold_variants(folded.lower() if len(folded.lower()) == len(folded) else folded)
    keys = first._loaded().keys
    one = ahocorasick_rs.AhoCorasick(keys).find_matches_as_indexes(lower, overlapping=True)
    assert sorted(first._matches(lower)) == sorted(one)
    assert first._narrow is None and first._wide is None
    assert GazetteerIndex(master).find(folded) == later.find(folded)


NOT_AN_INDEX_TEXTS = [
    "Hang Seng Index rose", "Hang Seng Indexes Company", "Dow Jones Newswires", "Nasdaq-style board", "S&P 500",
    "Hang Seng & Co", "Hang Seng  &", "Hang Seng\tCorp", "Hang Seng\u3000Ltd", "Hang Seng-listed", "Hang Seng-",
    "Hang Seng news", "Hang Seng NEWS", "Hang Seng", "Hang Seng\n\nIndices", "Hang Seng Co.", "Hang Seng Coal",
]


@pytest.mark.parametrize("text", NOT_AN_INDEX_TEXTS)
def test_not_an_index_after_reads_as_its_pattern(text: str) -> None:
    """The check of the character after a name before the pattern never changes what the pattern says."""
    from tickerwire.extract.gazetteer import _NOT_AN_INDEX_AFTER, _not_an_index_after

    for end in range(len(text) + 1):
        assert _not_an_index_after(text, end) == (_NOT_AN_INDEX_AFTER.match(text, end) is not None), (text, end)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Hang Seng", " ", "-", "&", "\t", "News", "Co", "Corp", "style", "x", "ltd",
                                 "Indexes", "\u3000", "\n", "Newswires", "listed", "Company", "y"]), max_size=10))
def test_not_an_index_after_reads_as_its_pattern_on_any_text(pieces: list[str]) -> None:
    from tickerwire.extract.gazetteer import _NOT_AN_INDEX_AFTER, _not_an_index_after

    text = "".join(pieces)
    for end in range(len(text) + 1):
        assert _not_an_index_after(text, end) == (_NOT_AN_INDEX_AFTER.match(text, end) is not None), (text, end)
