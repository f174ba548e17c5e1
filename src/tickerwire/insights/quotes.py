"""Quoting article words in the brief without letting an unchecked number through.

The brief quotes events in their own words. A number inside a quote is kept only when a stored
fact of the same article covers it (that fact is then cited too); any other number is elided as
"…". Dates and years are not market numbers and stay; security codes in parentheses are dropped
(the brief names securities itself).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tickerwire.insights.refs import SourceRef, source_ref
from tickerwire.store.rows import FactRow

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# Dates: "October 8", "8 October", "2025", "2025-10-08", "10月8日", "2025年".
DATE = re.compile(
    rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}"
    r"|\b\d{4}-\d{2}-\d{2}\b|(?<![\d.,])(?:19|20)\d{2}(?![\d.,]*\d)(?!\s*%)"
    r"|\d{1,2}月\d{1,2}[日号號]|\d{1,2}月|\d{1,2}[日号號]|\d{4}年"
)
_CODE = re.compile(
    r"\s*[(（](?:[A-Za-z]+\s*[:：]\s*)?\d{3,6}(?:\.[A-Za-z]{2})?(?:\s*[,;/]\s*\d{3,6}(?:\.[A-Za-z]{2})?)*[)）]"
)
MAX_QUOTE = 240


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    refs: tuple[SourceRef, ...]  # the quoted words first, then facts covering numbers in them
    elided: int  # numbers replaced by "…"


def quote(ref: SourceRef, facts: Sequence[FactRow]) -> Quote:
    """``ref``'s words, with numbers no fact of its article covers elided."""
    text, start = _shorten(ref.quote, ref.start)
    covering = [row for row in facts if row.article_id == ref.article_id]
    dates = [m.span() for m in DATE.finditer(text)]
    cited: list[SourceRef] = []
    pieces: list[str] = []
    elided = 0
    last = 0
    for match in NUMBER.finditer(text):
        if any(a <= match.start() < b for a, b in dates):
            continue
        fact = _covering_fact(covering, start + match.start(), start + match.end())
        if fact is None:
            pieces.append(text[last:match.start()] + "…")
            last = match.end()
            elided += 1
        elif not any(r.start == fact.start and r.article_id == fact.article_id for r in cited):
            cited.append(source_ref(fact, fact.text, fact.start, fact.end))
    pieces.append(text[last:])
    words = " ".join("".join(pieces).split()).replace(" ,", ",").replace(" .", ".")
    return Quote(words, (ref, *cited), elided)


def _shorten(text: str, start: int) -> tuple[str, int]:
    cleaned = _CODE.sub(lambda m: " " * len(m.group(0)), text)  # keep offsets aligned
    if len(cleaned) <= MAX_QUOTE:
        return cleaned, start
    cut = cleaned.rfind(" ", 0, MAX_QUOTE)
    return cleaned[: cut if cut > 0 else MAX_QUOTE] + " …", start


def _covering_fact(facts: Sequence[FactRow], start: int, end: int) -> FactRow | None:
    return next((row for row in facts if row.start <= start and end <= row.end), None)
