"""Sentence spans and finding the sentence a position lies in."""

from __future__ import annotations

import bisect
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from tickerwire.extract.sentences import _BOUNDARY, boundary_ends, sentence_of, split_sentences
from tickerwire.refdata.rules import load_rules

SAMPLE_NEWS = Path(__file__).resolve().parents[2] / "examples" / "news"

TEXTS = [
    "Tencent rose 2.1% to HK$612. The Hang Seng Index fell 0.5%.\nHSBC gained 1% (HK$100). Co. Ltd. shares ended flat!",
    "恒指收升1.2%。騰訊升3%；美團跌2%！\n\n科指報5,800點？成交額1,200億港元",
    "  leading spaces. trailing spaces.   ",
    "",
]


def _reference(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """What sentence_of answered before it searched by start alone: a tuple comparison."""
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return pos, pos


@pytest.mark.parametrize("text", TEXTS)
def test_sentence_of_every_position(text: str) -> None:
    """Every position, between sentences and past the end included, finds its sentence or ``(pos, pos)``."""
    spans = split_sentences(text)
    for pos in range(-1, len(text) + 2):
        found = sentence_of(spans, pos)
        assert found == _reference(spans, pos)
        assert found in spans if any(s <= pos < e for s, e in spans) else found == (pos, pos)


def test_sentence_of_without_sentences() -> None:
    assert sentence_of([], 5) == (5, 5)


# The boundary pattern as it was written before its dot branch began with the dot: the reference
# the pattern in use must agree with.
def _reference_boundary() -> regex.Pattern[str]:
    return regex.compile(
        r"\n+|[。！？!?]+[」』”\"')）]*|[；;](?![^()（）\n]{0,40}[)）])|"
        rf"(?<!\b(?:{load_rules().alternation('abbreviation')}))"
        r"(?<![A-Z])\.(?=\s+[\"'(A-Z0-9\p{Han}])"
    )


BOUNDARY_TEXTS = [
    *TEXTS,
    "Shares of Tencent Holdings Ltd. rose. Co. Ltd. fell. U.S. stocks. The U.K. Inc. A. B. C. ok. 3.5. 2.",
    "He said. (Tencent rose.) 'Quoted.' \"Quoted.\" 中文。 Mr. Lee met Dr. Chan. vs. Sept. 5. No. 1. St. X",
    ".Leading dot. end with dot.",
    "Jan. 5. Feb. Mar. The Apr. Jun. Jul. Aug. Sep. Oct. Nov. Dec. 12 corp. Corp. CORP. 恒指. 升",
    "a.\u3000B. c.\tD. e.\nF. g.  Ｈ. 騰訊. ABC. AbC. Ab. Co.Co. Ltd.. Inc.. 1.\u00a0A",
]


def _agree(text: str) -> None:
    """The pattern finds what its reference finds, and boundary_ends, which tries it only where a
    boundary can begin, finds where each of those ends."""
    reference = [m.span() for m in _reference_boundary().finditer(text)]
    assert [m.span() for m in _BOUNDARY.finditer(text)] == reference
    assert boundary_ends(text) == [end for _, end in reference]


@pytest.mark.parametrize("text", BOUNDARY_TEXTS)
def test_boundary_pattern_agrees_with_its_reference(text: str) -> None:
    _agree(text)


BOUNDARY_PIECES = [".", ". ", " ", "\n", "Co", "Inc", "U.S", "Mr", "Jan", "A", "B", "ab", "x", "3", "(", ")", "\"",
                   "'", "。", "！", "?", ";", "；", "」", "騰訊", "Ltd", "corp", "\u3000", "HK$5", "st", "St", "\n\n",
                   "!?", "）", "\u2028", "\x1c", "\t", "；(", "Ａ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(BOUNDARY_PIECES), max_size=30))
def test_boundary_pattern_agrees_with_its_reference_on_any_text(pieces: list[str]) -> None:
    _agree("".join(pieces))


def test_boundary_pattern_agrees_with_its_reference_on_the_sample_news() -> None:
    from tickerwire.sources import expand_inputs, read_path

    for path in expand_inputs([str(SAMPLE_NEWS)]):
        for article in read_path(path):
            _agree(article.text)
