"""Search folding: one written form for text that reads the same to a person.

The search index and every query go through :func:`fold`, so 中芯國際 finds 中芯国际, ＳＭＩＣ
finds SMIC and "Hang Seng\\nTech" finds "hang seng tech". Folding, in order:

1. full-width ASCII → half-width (``tickerwire.fullwidth``);
2. traditional → simplified Chinese with OpenCC's ``t2s`` conversion;
3. ``str.casefold``;
4. invisible format characters (zero-width space, BOM, soft hyphen …) dropped;
5. every run of whitespace → one space.

Steps 2–5 can change the length of the text, so :func:`fold_mapped` also returns, for every
folded character, the offset of the original character it came from. Snippets and highlights
are cut from the original text through that map (:func:`term_spans`); the folded text is only
ever matched, never shown.

OpenCC converts phrase by phrase, so a conversion may in principle change a phrase's length.
The whole text is converted at once when that keeps its length (the normal case); otherwise
each run of Han characters is converted on its own and a run whose length changed maps all its
folded characters onto the run's original characters in order. Either way the result depends
only on the text, so the index and the highlighter always agree.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

import opencc

from tickerwire.fullwidth import to_halfwidth

SQL_FUNCTION = "search_fold"  # the SQL name of :func:`fold`, used by the index triggers

# Runs of whitespace and invisible format characters (soft hyphen, zero-width and
# direction marks, word joiners, BOM).
_SQUEEZE = re.compile(
    r"(?:\s|[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff])+"
)
_FORMAT = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]+")
_SPACES = re.compile(r"\s{2,}|[^\S ]")  # what is not already one plain space
_HAN_RUN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text and, for each of its characters, the original offset it came from."""

    text: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that folded ``[start, end)`` came from."""
        return self.origin[start], self.origin[end - 1] + 1


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """``text`` in the one form the search index and queries share: ``fold_mapped(text).text``
    without the offsets, so about twice as fast (every article's text is folded twice as it is
    written: for the search index and for story matching)."""
    chars = to_halfwidth(text)
    converter = _converter()
    folded = converter.convert(chars)
    if len(folded) != len(chars):  # as _to_simplified: run by run
        folded = _HAN_RUN.sub(lambda run: converter.convert(run.group()), chars)
    # Dropping the format characters first leaves the same whitespace runs to squeeze.
    return _SPACES.sub(" ", _FORMAT.sub("", folded.casefold()))


def fold_sql(text: str | None) -> str | None:
    """:func:`fold` for SQL: NULL stays NULL, and two trailing spaces close the text.

    The padding makes every one- and two-character substring the start of some trigram, so
    short query terms are found through the index's vocabulary (see ``store.search``).
    """
    return None if text is None else fold(text) + "  "


def register(conn: sqlite3.Connection) -> None:
    """Make :func:`fold_sql` available to SQL (the index triggers and migration call it)."""
    conn.create_function(SQL_FUNCTION, 1, fold_sql, deterministic=True)


def fold_mapped(text: str) -> Folded:
    """Fold ``text``, keeping the original offset of every folded character."""
    chars = to_halfwidth(text)
    folded, origin = _to_simplified(chars)
    folded, origin = _casefold(folded, origin)
    return _squeeze(folded, origin)


def term_spans(folded: Folded, term: str) -> list[tuple[int, int]]:
    """Spans of the original text where ``term`` occurs, both folded."""
    needle = fold(term).strip()
    spans: list[tuple[int, int]] = []
    at = folded.text.find(needle) if needle else -1
    while at >= 0:
        spans.append(folded.original_span(at, at + len(needle)))
        at = folded.text.find(needle, at + len(needle))
    return spans


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping or touching ones merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _to_simplified(text: str) -> tuple[str, list[int]]:
    converter = _converter()
    whole = converter.convert(text)
    if len(whole) == len(text):
        return whole, list(range(len(text)))
    parts: list[str] = []
    origin: list[int] = []
    done = 0
    for run in _HAN_RUN.finditer(text):
        parts.append(text[done:run.start()])
        origin.extend(range(done, run.start()))
        converted = converter.convert(run.group())
        parts.append(converted)
        last = run.end() - 1
        origin.extend(min(run.start() + i, last) for i in range(len(converted)))
        done = run.end()
    parts.append(text[done:])
    origin.extend(range(done, len(text)))
    return "".join(parts), origin


def _casefold(text: str, origin: list[int]) -> tuple[str, list[int]]:
    folded = text.casefold()
    if len(folded) == len(text):  # casefold never shrinks a character, so all were 1:1
        return folded, origin
    parts: list[str] = []
    mapped: list[int] = []
    for char, at in zip(text, origin, strict=True):
        piece = char.casefold()
        parts.append(piece)
        mapped.extend([at] * len(piece))
    return "".join(parts), mapped


def _squeeze(text: str, origin: list[int]) -> Folded:
    """Drop format characters and turn each whitespace run into one space."""
    parts: list[str] = []
    mapped: list[int] = []
    done = 0
    for run in _SQUEEZE.finditer(text):
        if run.group() == " ":
            continue
        parts.append(text[done:run.start()])
        mapped.extend(origin[done:run.start()])
        if any(char.isspace() for char in run.group()):
            parts.append(" ")
            mapped.append(origin[run.start()])
        done = run.end()
    if not done:
        return Folded(text, tuple(origin))
    parts.append(text[done:])
    mapped.extend(origin[done:])
    return Folded("".join(parts), tuple(mapped))


__all__ = [
    "SQL_FUNCTION",
    "Folded",
    "fold",
    "fold_mapped",
    "fold_sql",
    "merge_spans",
    "register",
    "term_spans",
]
