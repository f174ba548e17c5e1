"""Patterns tried only where a match can start: at an occurrence of one of their leading literals.

A regular expression whose every branch begins with a literal (``required_literals``: "debut",
"收[市盘]", ``\\bwill\\b``) can only match where one of those literals starts. One Aho-Corasick
pass over a text (``LiteralPrefilter``) finds all of them; a search is then an anchored
``match`` at each such place, in order, instead of the regular-expression engine trying every
branch at every character. Python's ``re`` has no fast path for a case-insensitive alternation of
words, so this is what makes the long word lists of the event, horizon and IPO rules cheap.

The answers are exactly those of ``pattern.search`` and ``pattern.finditer``: a match found at a
later position would need a literal there, and a position without one is never a match start. A
pattern with a branch that does not begin with a literal, and every pattern in a text the
prefilter cannot read (one whose lower-casing changes its length …), is searched the ordinary way.
A pattern joined from a word list (``entries``) with only a few such entries (``\\d{1,2}月[累至]``)
is anchored on the literals of the others, and those few, joined into a guard, are searched
first: where the guard finds nothing the pattern matches exactly where its other entries do. A
window without any of the characters every match of the guard holds (the 月 of ``\\d{1,2}月[累至]``)
is not searched with the guard at all (``prefilter.required_characters``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from tickerwire.extract.prefilter import (
    LiteralHits,
    LiteralPrefilter,
    PatternSource,
    pattern_literals,
    required_characters,
    required_literals,
)

Pattern = re.Pattern[str]
_NOWHERE: list[int] = []  # the starts of a pattern none of whose literals occur (never changed)


class AnchorHits:
    """Where each pattern of an ``Anchored`` set can start in one text (``Anchored.scan``)."""

    def __init__(self, anchored: Anchored, hits: LiteralHits, guards: dict[int, Pattern]) -> None:
        self.anchored = anchored  # compiles each pattern on its first search
        self.always = hits.always  # the patterns searched the ordinary way
        self.guards = guards  # by pattern: its entries without a leading literal (Anchored)
        self.unanchored = hits.always | frozenset(guards)  # the patterns not told apart by their literals alone
        self.hits = hits  # every literal found, by start
        self._starts: dict[int, list[int]] = {}  # by pattern: where its literals start, ascending
        for start, owners in zip(hits.starts, hits.owners, strict=True):
            for n in owners:
                at = self._starts.get(n)
                if at is None:
                    self._starts[n] = [start]
                else:
                    at.append(start)  # a place twice when two literals start there: tried twice, harmless

    def starts(self, n: int) -> list[int]:
        """Where a literal of pattern ``n`` starts, ascending."""
        return self._starts.get(n, _NOWHERE)

    def search(self, n: int, text: str, pos: int = 0, endpos: int | None = None, offset: int = 0) -> re.Match[str] | None:
        """``patterns[n].search(text, pos, endpos)``. ``text`` is the scanned text or a piece of it
        starting at ``offset`` in the scanned text (so a slice searched as a string of its own)."""
        pattern = self.anchored.pattern(n)
        end = len(text) if endpos is None else endpos
        if self._ordinary(n, text, pos, end):
            return pattern.search(text, pos, end)
        starts = self.starts(n)
        i = bisect.bisect_left(starts, pos + offset)
        last = end + offset
        while i < len(starts) and starts[i] < last:
            m = pattern.match(text, starts[i] - offset, end)
            if m is not None:
                return m
            i += 1
        return None

    def finditer(self, n: int, text: str, pos: int = 0, endpos: int | None = None, offset: int = 0) -> list[re.Match[str]]:
        """``list(patterns[n].finditer(text, pos, endpos))``, ``text`` and ``offset`` as in ``search``."""
        pattern = self.anchored.pattern(n)
        end = len(text) if endpos is None else endpos
        if self._ordinary(n, text, pos, end):
            return list(pattern.finditer(text, pos, end))
        starts = self.starts(n)
        i = bisect.bisect_left(starts, pos + offset)
        last = end + offset
        found: list[re.Match[str]] = []
        resume = pos + offset  # no match may start inside the one before it
        while i < len(starts) and starts[i] < last:
            start = starts[i]
            i += 1
            if start < resume:
                continue
            m = pattern.match(text, start - offset, end)
            if m is not None:
                found.append(m)
                resume = m.end() + offset
        return found

    def _ordinary(self, n: int, text: str, pos: int, end: int) -> bool:
        """Whether pattern ``n`` must be searched the ordinary way in ``text[pos:end]``."""
        if n in self.always:
            return True
        guard = self.guards.get(n)
        if guard is None:
            return False
        needed = self.anchored.guard_characters.get(n)
        if needed is not None and not any(text.find(ch, pos, end) >= 0 for ch in needed):
            return False  # most windows hold none of the characters every match of the guard holds
        return guard.search(text, pos, end) is not None

    def any_in(self, n: int, start: int, end: int) -> bool:
        """Whether pattern ``n`` could match inside ``[start, end)`` of the scanned text (a literal of
        it starts there, or it is not told apart by its literals): a cheap test before ``search``."""
        if n in self.unanchored:
            return True
        starts = self.starts(n)
        i = bisect.bisect_left(starts, start)
        return i < len(starts) and starts[i] < end

    def present(self, start: int, end: int) -> set[int]:
        """The patterns that could match inside ``[start, end)`` of the scanned text."""
        out = set(self.unanchored)
        starts, owners = self.hits.starts, self.hits.owners
        i = bisect.bisect_left(starts, start)
        while i < len(starts) and starts[i] < end:
            out.update(owners[i])
            i += 1
        return out


class Anchored:
    """A set of patterns and one automaton over their leading literals, built once. A pattern given
    as a ``PatternSource`` is compiled the first time it is searched: most texts hold the literals
    of few of them, so most are never compiled by a process that reads a few articles. ``entries``,
    when given, holds for each pattern the word-list entries it was joined from (or None);
    ``shared``: the literals are scanned with the other shared sets (``LiteralPrefilter``)."""

    def __init__(
        self, patterns: Sequence[Pattern | PatternSource], entries: Sequence[Sequence[str] | None] = (), *,
        shared: bool = False,
    ) -> None:
        self.sources = tuple(PatternSource(p.pattern, p.flags) for p in patterns)
        self.compiled: list[Pattern | None] = [p if isinstance(p, re.Pattern) else None for p in patterns]
        self.guards: dict[int, Pattern] = {}
        anchors: list[Pattern | PatternSource] = list(self.sources)  # what each pattern's literals are read from
        for n, words in enumerate(entries):
            source = self.sources[n]
            if words is None or required_literals(source) is not None:
                continue
            led = [w for w in words if pattern_literals(w, source.flags) is not None]
            rest = [w for w in words if w not in led]
            if led and rest:
                anchors[n] = PatternSource("|".join(led), source.flags)
                self.guards[n] = re.compile("|".join(rest), source.flags)
        self.anchors = tuple(anchors)
        # By guard: characters one of which its every match holds (``str.find`` before the search).
        self.guard_characters: dict[int, tuple[str, ...] | None] = {
            n: required_characters(guard) for n, guard in self.guards.items()
        }
        self.prefilter = LiteralPrefilter(self.anchors, shared=shared)

    def pattern(self, n: int) -> Pattern:
        """Pattern ``n``, compiled (on its first search when it was given as a source)."""
        compiled = self.compiled[n]
        if compiled is None:
            compiled = self.compiled[n] = re.compile(*self.sources[n])
        return compiled

    def scan(self, text: str) -> AnchorHits:
        """Where every pattern can start in ``text`` (one pass of the automaton)."""
        return AnchorHits(self, self.prefilter.scan(text), self.guards)

    def unfiltered(self) -> AnchorHits:
        """Hits that search every pattern the ordinary way, in any text: the reference the
        anchored searches are checked against."""
        return AnchorHits(self, LiteralHits([], [], [], frozenset(range(len(self.sources)))), {})
