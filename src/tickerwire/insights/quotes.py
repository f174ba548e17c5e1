"""Quoting article words in the brief, movers and API: exactly as the article has them.

A quote is a substring of the article (``text == article[start:end]``): never a number replaced,
never a code removed. A long sentence is trimmed at a clause boundary. Every number in the quote
that a stored fact of the same article covers cites that fact too; ``unchecked`` counts the ones
no fact covers (dates and years are not market numbers), so that the brief can prefer the quote
whose numbers it can vouch for.
"""

from __future__ import annotations

import dataclasses
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
# Where a long quote may be cut: after a clause's punctuation.
_CLAUSE_END = re.compile(r"[,;:，；：、]\s*|[.!?。！？]\s+")
MAX_QUOTE = 240


@dataclass(frozen=True, slots=True)
class Quote:
    text: str  # the article's own words: article.text[refs[0].start:refs[0].end]
    refs: tuple[SourceRef, ...]  # the quoted words first, then facts covering numbers in them
    unchecked: int  # numbers in the words that no stored fact covers
    trimmed: bool = False  # cut at a clause boundary; the sentence goes on

    @property
    def display(self) -> str:
        """The words for a reader: whitespace runs shown as one space, "…" where trimmed."""
        return " ".join(self.text.split()) + (" …" if self.trimmed else "")


def quote(ref: SourceRef, facts: Sequence[FactRow]) -> Quote:
    """``ref``'s words, trimmed at a clause boundary when long, with the facts they state."""
    text, trimmed = trim(ref.quote)
    words = dataclasses.replace(ref, quote=text, end=ref.start + len(text)) if trimmed else ref
    covering = [row for row in facts if row.article_id == ref.article_id]
    dates = [m.span() for m in DATE.finditer(text)]
    cited: list[SourceRef] = []
    unchecked = 0
    for match in NUMBER.finditer(text):
        if any(a <= match.start() < b for a, b in dates):
            continue
        fact = _covering_fact(covering, ref.start + match.start(), ref.start + match.end())
        if fact is None:
            unchecked += 1
        elif not any(r.start == fact.start and r.article_id == fact.article_id for r in cited):
            cited.append(source_ref(fact, fact.text, fact.start, fact.end))
    return Quote(text, (words, *cited), unchecked, trimmed)


def trim(text: str, limit: int = MAX_QUOTE) -> tuple[str, bool]:
    """``text`` itself when short; else its longest prefix of whole clauses within ``limit``
    characters (a hard cut at a space when the first clause alone is longer)."""
    if len(text) <= limit:
        return text, False
    cut = max((m.end() for m in _CLAUSE_END.finditer(text, 0, limit) if m.end() <= limit), default=0)
    if cut == 0:
        cut = text.rfind(" ", 0, limit)
        cut = cut if cut > 0 else limit
    return text[:cut].rstrip(), True


def _covering_fact(facts: Sequence[FactRow], start: int, end: int) -> FactRow | None:
    return next((row for row in facts if row.start <= start and end <= row.end), None)
