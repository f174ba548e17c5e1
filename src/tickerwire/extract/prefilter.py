"""A literal prefilter for a set of regular expressions that are searched in many small windows.

Most windows a component reads (the clause before a figure, a sentence) hold no match of most of
its patterns, yet each pattern is a regular-expression scan of the window. Every match of a
pattern whose branches each begin with a literal ("closed", "收盤", "[連连]續") contains one of those
literals, so one Aho-Corasick pass over the article finds every place a pattern could match, and a
pattern is only searched in a window that holds one of its literals.

The prefilter never drops a match the pattern would find: a pattern with a branch that does not
begin with a literal (``\\d+月``) is always searched, and so is every pattern in a text whose
lower-casing changes its length or that holds a character that case-insensitive matching folds
otherwise than ``lower()`` (the long s, the dotless i, final sigma …), where lower-cased literals
could miss. Patterns of the ``regex`` module are read with ``re``'s parser; one it cannot read is
always searched.

Several components scan the same article (the word index of the fact rules, the anchors and cues
of the event rules, the horizon words, the qualifier words). The prefilters built with
``shared=True`` are scanned together: one automaton over all their literals, one pass over a
text, and each prefilter's hits kept for that text (the last one scanned), so the article is read
once however many components ask.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

import ahocorasick_rs
import regex

from tickerwire.refdata.cache import read_cache, write_cache

log = logging.getLogger(__name__)

# re's own parser, opcodes and the case equivalences it adds to lower() (not exported names).
_parser = importlib.import_module("re._parser")
sre = importlib.import_module("re._constants")
_casefix = importlib.import_module("re._casefix")

MAX_CLASS = 8
"""Largest character class taken as a set of one-character literals ("[掛挂]")."""

# Characters that re matches case-insensitively to one whose lower case differs (ſ and s, ı and i,
# µ and μ …); the ASCII letters among them fold by lower() alike, so only the others are kept.
_RE_FOLDS = frozenset(chr(c) for key, values in _casefix._EXTRA_CASES.items() for c in (key, *values) if c >= 128)


def _folds_specially(ch: str) -> bool:
    """Whether a case-insensitive match could pair ``ch`` with a character of another lower case:
    re's extra cases, and any character whose case folding (what ``regex`` uses) is not its lower
    case (ſ, ς, ß …)."""
    return ch in _RE_FOLDS or ch.lower() != ch.casefold()


def _special_characters() -> str:
    """Every character of the Basic Multilingual Plane beyond ASCII that folds specially (0.015 s
    to find: kept with the patterns' literals, ``_KnownLiterals``)."""
    return "".join(chr(c) for c in range(0x80, 0x10000) if _folds_specially(chr(c)))


@lru_cache(maxsize=1)
def _unplain() -> re.Pattern[str]:
    """One character class of every character that folds specially, and of every character
    beyond the Basic Multilingual Plane (rare in news; not worth a table): built on first use."""
    special = "".join(map(re.escape, _KNOWN.special_characters()))
    return re.compile(f"[{special}\U00010000-\U0010FFFF]")


def _plain(text: str) -> bool:
    """True when every character of ``text`` folds as it lowers (so lower-cased literals find
    every case-insensitive match)."""
    return text.isascii() or _unplain().search(text) is None


def _plain_literal(literal: str) -> bool:
    """:func:`_plain` for a pattern's literal, read character by character (literals are short):
    building the patterns needs no table of every character, which only texts to scan need."""
    return all(ch < "\U00010000" and not _folds_specially(ch) for ch in literal)


def backwards(pattern: regex.Pattern[str]) -> regex.Pattern[str]:
    """``pattern`` searched from the end of the text (``regex``'s reverse mode): it matches the
    same texts, so it answers whether a pattern anchored at the end (``…\\s*$``) matches in a
    handful of tries instead of one try at every place of the look-back. Where it matches may
    differ (a search backwards finds the last match), so only that it matches is read."""
    return regex.compile("(?r)" + pattern.pattern, pattern.flags)


_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
_RE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE  # what a regex-module pattern's flags share


class PatternSource(NamedTuple):
    """A pattern's text and flags, as a compiled pattern names them: read for its literals without
    compiling it (``Anchored`` compiles it when it is first searched)."""

    pattern: str
    flags: int


PatternOrWord: TypeAlias = "re.Pattern[str] | regex.Pattern[str] | PatternSource | str"
"""A pattern, or a lower-case word that is its own only literal (an automaton key)."""


def required_literals(pattern: PatternOrWord) -> tuple[str, ...] | None:
    """Lower-cased literals one of which every match of ``pattern`` contains (each branch's leading
    literal), or None when some branch does not begin with one."""
    if isinstance(pattern, str):
        return (pattern,) if pattern and pattern == pattern.lower() and _plain_literal(pattern) else None
    return pattern_literals(pattern.pattern, pattern.flags)


def pattern_literals(source: str, flags: int) -> tuple[str, ...] | None:
    """``required_literals`` of the pattern ``source`` compiled with ``flags``, without compiling
    it: read before by this process or, through the cache file, by an earlier one (``save_literals``)."""
    return _KNOWN.get(source, int(flags & _RE_FLAGS))


def _parsed_literals(source: str, flags: int) -> tuple[str, ...] | None:
    try:
        found = _leading(list(_parser.parse(source, flags)))
    except re.error:
        return None  # syntax only the regex module reads: always searched
    if found is None or any(not lit or not _plain_literal(lit) for lit in found):
        return None
    return tuple(dict.fromkeys(found))


_LITERALS_LAYOUT = 1  # bump when the cached table changes shape
Literals: TypeAlias = "tuple[str, ...] | None"


class _KnownLiterals:
    """The literals of every pattern read, by (source, flags). Reading a pattern with re's parser
    costs as much as compiling it, and the pipeline reads some 200, so the table is kept in the
    user cache directory (``literals-HASH.pickle``, named by this module's source and the Python
    version, whose parser and Unicode tables the answers come from): loaded with the first
    pattern read, written by ``save_literals`` when a pattern was not in it. The file also keeps
    the characters that fold specially (``_special_characters``), which the first text with a
    character beyond ASCII needs."""

    def __init__(self) -> None:
        self.table: dict[tuple[str, int], Literals] | None = None
        self.special: str | None = None
        self.path: Path | None = None
        self.header: dict[str, object] = {}
        self.unsaved = False

    def get(self, source: str, flags: int) -> Literals:
        table = self.table if self.table is not None else self._load()
        key = (source, flags)
        if key in table:
            return table[key]
        found = table[key] = _parsed_literals(source, flags)
        self.unsaved = True
        return found

    def _load(self) -> dict[tuple[str, int], Literals]:
        from tickerwire.refdata.master import default_cache_dir  # heavier to import than this module

        code = resources.files("tickerwire.extract").joinpath("prefilter.py").read_bytes()  # also when compiled
        digest = hashlib.sha256(f"{_LITERALS_LAYOUT}:{sys.version}:".encode() + code).hexdigest()
        self.path = default_cache_dir() / f"literals-{digest[:24]}.pickle"
        self.header = {"layout": _LITERALS_LAYOUT, "digest": digest}
        payload = read_cache(self.path, self.header, what="pattern literals")
        cached = payload.get("literals") if payload is not None else None
        if payload is not None and not _well_formed(cached):
            log.warning("%s: unreadable pattern literals cache (not a table of literals); rebuilding it", self.path)
            cached = None
        self.table = dict(cached) if cached is not None else {}
        special = payload.get("special") if cached is not None and payload is not None else None
        self.special = special if isinstance(special, str) else None
        self.unsaved = self.special is None
        return self.table

    def special_characters(self) -> str:
        if self.table is None:
            self._load()
        if self.special is None:
            self.special = _special_characters()
            self.unsaved = True
        return self.special

    def save(self) -> None:
        if self.unsaved and self.table is not None and self.path is not None:
            payload = {**self.header, "literals": self.table, "special": self.special_characters()}
            self.unsaved = False
            write_cache(self.path, payload, what="pattern literals")


def _well_formed(table: Any) -> bool:
    """Whether a cache file's ``literals`` have the shape ``_KnownLiterals`` writes."""
    return isinstance(table, dict) and all(
        isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], str) and isinstance(key[1], int)
        and (value is None or (isinstance(value, tuple) and all(isinstance(lit, str) and lit for lit in value)))
        for key, value in table.items()
    )


_KNOWN = _KnownLiterals()


def save_literals() -> None:
    """Write the patterns' literals to their cache file when one was read that was not in it."""
    _KNOWN.save()


def _leading(items: list[Any]) -> list[str] | None:
    i = 0
    while i < len(items) and items[i][0] in _ZERO_WIDTH:
        i += 1
    if i == len(items):
        return None
    op, av = items[i]
    if op is sre.LITERAL:
        chars = []
        while i < len(items) and items[i][0] is sre.LITERAL:
            chars.append(chr(items[i][1]))
            i += 1
        return ["".join(chars).lower()]
    if op is sre.BRANCH:
        out: list[str] = []
        for branch in av[1]:
            found = _leading(list(branch))
            if found is None:
                return None
            out += found
        return out
    if op is sre.SUBPATTERN:
        return _leading(list(av[-1]))
    if op in _REPEATS:
        least, _, body = av
        first = _leading(list(body))
        if first is None or least >= 1:
            return first
        rest = _leading(items[i + 1 :])  # "(?:worth of )?changed hands": either may come first
        return None if rest is None else first + rest
    if op is sre.IN and len(av) <= MAX_CLASS and all(kind is sre.LITERAL for kind, _ in av):
        return [chr(code).lower() for _, code in av]
    return None


def required_characters(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Characters one of which every match of ``pattern`` holds, each matched only by itself even
    case-insensitively (an ideograph, a digit: no case, no special fold), so that a text without
    any of them holds no match: ``str.find`` answers before the pattern is searched. One per
    branch of a top-level alternation (a literal the branch holds outside any optional part);
    None when a branch has none."""
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags & _RE_FLAGS))
    except re.error:
        return None
    alternation = len(items) == 1 and items[0][0] is sre.BRANCH
    branches = [list(branch) for branch in items[0][1][1]] if alternation else [items]
    found: list[str] = []
    for branch in branches:
        ch = _uncased_literal(branch)
        if ch is None:
            return None
        if ch not in found:
            found.append(ch)
    return tuple(found)


def _uncased_literal(items: list[Any]) -> str | None:
    """A character that every match of the sequence ``items`` holds and that only matches itself."""
    for op, av in items:
        if op is sre.LITERAL:
            ch = chr(av)
            if ch.lower() == ch == ch.upper() and ch < "\U00010000" and not _folds_specially(ch):
                return ch
        elif op is sre.SUBPATTERN:
            inner = _uncased_literal(list(av[-1]))
            if inner is not None:
                return inner
    return None


def _is_spaces(item: Any) -> bool:
    """Whether a parsed item is ``\\s*``."""
    op, av = item
    return op in _REPEATS and av[0] == 0 and list(av[2]) == [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_SPACE)])]


class LeadingCharacters:
    """The characters a match of ``pattern`` can begin with, after its leading whitespace
    (``\\s*``) when it has one: the first characters (lower-cased) of its leading literals, and
    where the text is ASCII their first two (" to", not " tariff"). A pattern read at one place
    ("…% of its shares", "…% rise in") is only tried where the text there (after the spaces)
    begins like one of them; ``admits`` is True for every pattern without such literals, and for
    a character that case-insensitive matching folds otherwise than ``lower()`` (the long s, the
    Kelvin sign …)."""

    def __init__(self, pattern: re.Pattern[str] | regex.Pattern[str]) -> None:
        self.chars: frozenset[str] | None = None
        self.prefixes: tuple[str, ...] = ()
        """The first two characters of each leading literal (one, for a literal of one)."""
        self.skips_spaces = False
        try:
            items = list(_parser.parse(pattern.pattern, pattern.flags & _RE_FLAGS))
        except re.error:
            return
        i = 0
        while i < len(items) and items[i][0] in _ZERO_WIDTH:
            i += 1
        if i < len(items) and _is_spaces(items[i]):
            self.skips_spaces = True
            i += 1
        found = _leading(items[i:])
        if found is not None and all(lit and _plain_literal(lit) for lit in found):
            self.chars = frozenset(lit[0] for lit in found)
            self.prefixes = tuple(sorted({lit[:2] for lit in found}))

    def admits(self, text: str, pos: int = 0, end: int = -1) -> bool:
        """Whether a match of the pattern can begin at ``pos`` of ``text`` (ending by ``end``;
        -1: the end of the text): ``pattern.match(text, pos, end)`` finds nothing when False."""
        chars = self.chars
        if chars is None:
            return True
        stop = len(text) if end < 0 else min(end, len(text))
        if self.skips_spaces:
            while pos < stop and text[pos].isspace():  # every character \s matches is a space here
                pos += 1
        if pos >= stop:
            return False
        head = text[pos : min(pos + 2, stop)]
        if head.isascii():  # an ASCII character matches a plain literal's character as it lowers
            return head.lower().startswith(self.prefixes)
        ch = head[0]
        return ch.lower() in chars or (not ch.isascii() and _folds_specially(ch))


@dataclass(frozen=True, slots=True, init=False)
class LiteralHits:
    """Where the patterns' literals occur in one text, by start: each hit's ``starts``, ``ends`` and
    the patterns it is a literal of (``owners``); ``always`` holds the patterns never filtered
    (every pattern when the text cannot be filtered). ``__init__`` is written out so that the
    compiled module makes one natively (docs/extract.md)."""

    starts: list[int]
    ends: list[int]
    owners: list[tuple[int, ...]]
    always: frozenset[int]

    def __init__(
        self, starts: list[int], ends: list[int], owners: list[tuple[int, ...]], always: frozenset[int]
    ) -> None:
        object.__setattr__(self, "starts", starts)
        object.__setattr__(self, "ends", ends)
        object.__setattr__(self, "owners", owners)
        object.__setattr__(self, "always", always)

    def possible(self, start: int, end: int) -> set[int]:
        """The patterns that could match inside ``text[start:end]``."""
        out = set(self.always)
        starts, ends, owners = self.starts, self.ends, self.owners
        i = bisect.bisect_left(starts, start)
        while i < len(starts) and starts[i] < end:
            if ends[i] <= end:
                out.update(owners[i])
            i += 1
        return out


_by_start = itemgetter(1)
"""The start of an automaton hit ``(key, start, end)``."""


def _unfiltered(size: int) -> LiteralHits:
    return LiteralHits([], [], [], frozenset(range(size)))


def _filterable(text: str, lower: str) -> bool:
    """Whether lower-cased literals find every case-insensitive match in ``text``."""
    return len(lower) == len(text) and _plain(text)


_last_lowered: tuple[str | None, str, bool] = (None, "", False)
"""The last text scanned, lower-cased, and whether it can be filtered (replaced whole, never
changed in place, so that a thread reads a consistent triple)."""


def lowered(text: str) -> tuple[str, bool]:
    """``text`` lower-cased and whether lower-cased literals find every case-insensitive match in
    it (``_filterable``). The prefilters of one article (the shared pass, the securities linker's
    role words) scan the same text: it is lowered and checked once."""
    global _last_lowered
    last = _last_lowered
    if last[0] is text:
        return last[1], last[2]
    lower = text.lower()
    filterable = _filterable(text, lower)
    _last_lowered = (text, lower, filterable)
    return lower, filterable


class LiteralPrefilter:
    """The literals of ``patterns`` in one automaton; ``scan`` finds them in a text once.
    ``shared``: scanned with every other shared prefilter (``_SharedScan``)."""

    def __init__(self, patterns: Sequence[PatternOrWord], *, shared: bool = False) -> None:
        self.size = len(patterns)
        literals = [required_literals(p) for p in patterns]
        self.always = frozenset(i for i, lits in enumerate(literals) if lits is None)
        owners: dict[str, list[int]] = {}
        for i, lits in enumerate(literals):
            for lit in lits or ():
                owners.setdefault(lit, []).append(i)
        self.keys = tuple(owners)
        self.owners = tuple(tuple(v) for v in owners.values())
        self.slot = _SHARED.join(self) if shared else -1
        self.automaton = ahocorasick_rs.AhoCorasick(list(self.keys)) if self.keys and not shared else None

    def scan(self, text: str) -> LiteralHits:
        """Where every pattern's literals occur in ``text``."""
        if self.slot >= 0:
            return _SHARED.hits(text)[self.slot]
        lower, filterable = lowered(text)
        if self.automaton is None or not filterable:
            return _unfiltered(self.size)  # cannot be filtered: search all
        hits = sorted(self.automaton.find_matches_as_indexes(lower, overlapping=True), key=_by_start)
        owners = self.owners
        return LiteralHits([h[1] for h in hits], [h[2] for h in hits], [owners[h[0]] for h in hits], self.always)


class _SharedScan:
    """The literals of every shared ``LiteralPrefilter`` in one automaton, and the hits of the
    last text scanned, by prefilter. Each prefilter's hits are what its own automaton finds, in
    the same order (by start, then end: a key is one literal, so no two hits of one prefilter
    share both)."""

    def __init__(self) -> None:
        self.members: list[LiteralPrefilter] = []
        # Replaced whole, never changed in place, so that a thread reads a consistent pair:
        # (members joined, automaton, each key's (member, owners) pairs) and (text, hits).
        self.table: tuple[int, ahocorasick_rs.AhoCorasick | None, list[list[tuple[int, tuple[int, ...]]]]] = (
            0,
            None,
            [],
        )
        self.last: tuple[str | None, list[LiteralHits]] = (None, [])

    def join(self, member: LiteralPrefilter) -> int:
        self.members.append(member)
        return len(self.members) - 1

    def _built(self) -> tuple[int, ahocorasick_rs.AhoCorasick | None, list[list[tuple[int, tuple[int, ...]]]]]:
        members = list(self.members)
        if self.table[0] == len(members):
            return self.table
        index: dict[str, int] = {}
        targets: list[list[tuple[int, tuple[int, ...]]]] = []
        for slot, member in enumerate(members):
            for key, owners in zip(member.keys, member.owners, strict=True):
                at = index.setdefault(key, len(targets))
                if at == len(targets):
                    targets.append([])
                targets[at].append((slot, owners))
        automaton = ahocorasick_rs.AhoCorasick(list(index)) if index else None
        self.table = (len(members), automaton, targets)
        return self.table

    def hits(self, text: str) -> list[LiteralHits]:
        """Every shared prefilter's hits in ``text``, by slot."""
        last = self.last
        size, automaton, targets = self._built()
        if last[0] is text and len(last[1]) == size:
            return last[1]
        members = self.members[:size]
        lower, filterable = lowered(text)
        if automaton is None or not filterable:
            found = [_unfiltered(m.size) for m in members]
        else:
            starts: list[list[int]] = [[] for _ in members]
            ends: list[list[int]] = [[] for _ in members]
            owners: list[list[tuple[int, ...]]] = [[] for _ in members]
            for key, start, end in sorted(automaton.find_matches_as_indexes(lower, overlapping=True), key=_by_start):
                for slot, own in targets[key]:
                    starts[slot].append(start)
                    ends[slot].append(end)
                    owners[slot].append(own)
            found = [
                LiteralHits(starts[slot], ends[slot], owners[slot], m.always) for slot, m in enumerate(members)
            ]
        self.last = (text, found)
        return found


_SHARED = _SharedScan()
