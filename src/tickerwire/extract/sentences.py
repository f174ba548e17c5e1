"""Sentence splitting: spans of the matching text, for clause-local attachment and sentiment."""

from __future__ import annotations

from bisect import bisect_right
from operator import itemgetter
from typing import Final

import regex

from tickerwire.extract.pipeline import Doc
from tickerwire.refdata.rules import load_rules

# A sentence ends at a line break, at 。！？； (and their ASCII forms) or at ". " that is not a
# decimal point or an abbreviation such as "Co." / "Inc." / "U.S.". Every branch begins with one of
# BOUNDARY_STARTS (the dot's reads what stands before it by look-behinds that include it).
_BOUNDARY = regex.compile(
    r"\n+|[。！？!?]+[」』”\"')）]*|[；;](?![^()（）\n]{0,40}[)）])|"
    r"\.(?=\s+[\"'(A-Z0-9\p{Han}])(?<![A-Z]\.)"
    rf"(?<!\b(?:{load_rules().alternation('abbreviation')})\.)"
)


# A "sentence" longer than this (a page of prose without a break, a run of binary) is cut at the
# last space or comma before the limit: per-sentence work stays bounded, extraction stays linear.
MAX_SENTENCE = 1000
_SOFT_BREAK = regex.compile(r"[\s,，、]")


_OTHER_STARTS: Final = ("。", "；", ";", "！", "？", "!", "?")
"""The characters but the line break and the dot a sentence boundary can begin with."""


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` spans covering the non-blank sentences of ``text``."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for end in boundary_ends(text):
        _add(text, pos, end, spans)
        pos = end
    _add(text, pos, len(text), spans)
    return spans


def boundary_ends(text: str) -> list[int]:
    """Where each match of ``_BOUNDARY.finditer(text)`` ends. The pattern is tried only where a
    match can begin, in text order after the last match: at a line break (whose branch, ``\\n+``,
    always matches: the run of line breaks is read without it), at one of ``_OTHER_STARTS`` and at
    a dot with a space after it and no capital before it (what the dot's branch needs; every
    character its ``\\s`` matches is one ``isspace()`` accepts). Each character is found by
    ``str.find``. A scan of every position by the pattern was most of the splitter's time."""
    size = len(text)
    match = _BOUNDARY.match
    ends: list[int] = []
    newline = text.find("\n")
    dot = text.find(".")
    others = [text.find(ch) for ch in _OTHER_STARTS]
    other = _first(others)
    while True:
        at = size
        if 0 <= newline < at:
            at = newline
        if 0 <= dot < at:
            at = dot
        if 0 <= other < at:
            at = other
        if at == size:
            return ends
        if at == newline:
            end = at + 1
            while end < size and text[end] == "\n":
                end += 1
        else:
            if at == dot:
                dot = text.find(".", at + 1)
                if not (at + 1 < size and text[at + 1].isspace() and not (at > 0 and "A" <= text[at - 1] <= "Z")):
                    continue  # a decimal point, "U.S.", a closing dot: the dot's branch cannot match
            else:
                other = _advance(text, others, at + 1)
            found = match(text, at)
            if found is None:
                continue
            end = found.end()
        ends.append(end)
        if 0 <= newline < end:  # the scan goes on after the match
            newline = text.find("\n", end)
        if 0 <= dot < end:
            dot = text.find(".", end)
        if 0 <= other < end:
            other = _advance(text, others, end)


def _advance(text: str, others: list[int], pos: int) -> int:
    """Moves each of ``others`` (where each of ``_OTHER_STARTS`` is next found) that lies before
    ``pos`` to its next place from ``pos`` on; the first of them after that (-1: none)."""
    for k in range(len(others)):
        if 0 <= others[k] < pos:
            others[k] = text.find(_OTHER_STARTS[k], pos)
    return _first(others)


def _first(places: list[int]) -> int:
    """The smallest of ``places`` that is not -1 (-1: none)."""
    first = -1
    for place in places:
        if place >= 0 and (first < 0 or place < first):
            first = place
    return first


_span_start = itemgetter(0)
"""A span's start: the spans are searched by it alone (a C call per probe, not a tuple comparison)."""


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span containing ``pos`` (``(pos, pos)`` when it falls between sentences)."""
    i = bisect_right(spans, pos, key=_span_start) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return pos, pos


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = _last_soft_break(text, start, start + MAX_SENTENCE)
        _add(text, start, cut, spans)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))


def _last_soft_break(text: str, start: int, limit: int) -> int:
    """Just after the last space or comma in ``text[start + MAX_SENTENCE // 2 : limit]``, else
    ``limit``."""
    floor = start + MAX_SENTENCE // 2
    for i in range(limit - 1, floor - 1, -1):
        if _SOFT_BREAK.match(text[i]):
            return i + 1
    return limit


class SentenceSplitter:
    """Splits the article into sentences (``Doc.sentences``)."""

    name = "sentences"
    reads = ("text",)
    adds = ("sentences",)

    def __call__(self, doc: Doc) -> None:
        doc.sentences = split_sentences(doc.text)
