"""Sentence spans and finding the sentence a position lies in."""

from __future__ import annotations

import bisect

import pytest

from tickerwire.extract.sentences import sentence_of, split_sentences

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
