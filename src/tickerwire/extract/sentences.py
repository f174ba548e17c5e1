"""Sentence splitting: spans of the matching text, for clause-local attachment and sentiment."""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
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


_OTHER_STARTS = re.compile(r"[。；;！？!?]")
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
    match can begin: at a line break, at one of ``_OTHER_STARTS`` and at a dot with a space after
    it and no capital before it (what the dot's branch needs; every character its ``\\s``
    matches is one ``isspace()`` accepts), in text order after the last match. Its scan of every
    position was most of the splitter's time; an article has a few dozen such places."""
    size = len(text)
    match = _BOUNDARY.match
    ends: list[int] = []
    newline = text.find("\n")
    dot = text.find(".")
    other = _next_other(text, 0)
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
        if at == dot:
            dot = text.find(".", at + 1)
            if not (at + 1 < size and text[at + 1].isspace() and not (at > 0 and "A" <= text[at - 1] <= "Z")):
                continue  # a decimal point, "U.S.", a closing dot: the dot's branch cannot match
        elif at == newline:
            newline = text.find("\n", at + 1)
        else:
            other = _next_other(text, at + 1)
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
            other = _next_other(text, end)


def _next_other(text: str, pos: int) -> int:
    found = _OTHER_STARTS.search(text, pos)
    return -1 if found is None else found.start()


_LAST: Final = sys.maxsize
"""An end no span reaches: ``(pos, _LAST)`` sorts after every span that starts at or before ``pos``
(two integer comparisons per probe, cheaper than a key call per probe)."""


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span containing ``pos`` (``(pos, pos)`` when it falls between sentences)."""
    i = bisect_right(spans, (pos, _LAST)) - 1
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
