"""One Aho-Corasick automaton over every security alias and index name in the master.

Built once per process (``ahocorasick_rs``), from a table of aliases that is itself cached on disk
(``gazetteer-HASH.pickle`` next to the security master's cache, named by the hash of the master's
data files and of this module), so a process starts without rebuilding 44,000 aliases.
``Gazetteer`` (a component) finds dictionary matches in an article,
securities and indices together; the longest match wins an overlap, so that "Hang Seng Bank" beats
the index "Hang Seng", "the Hang Seng Biotech Index" is not "the Hang Seng" and 平安银行 beats 平安. Latin matches need word boundaries and a capital letter (so
"net income" or "link" in running text are not companies); Chinese matches need neither.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
import sys
from dataclasses import dataclass
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick_rs
import regex

from tickerwire.extract.pipeline import Doc, matching_text
from tickerwire.extract.prefilter import LeadingCharacters
from tickerwire.refdata.cache import read_cache, write_cache
from tickerwire.refdata.master import SecurityMaster, default_cache_dir
from tickerwire.refdata.rules import load_rules

log = logging.getLogger(__name__)

# Aliases that are ordinary words or people in news text even though some listing uses them.
_STOP_ALIASES = frozenset(
    {
        "china",
        "hong kong",
        "shanghai",
        "shenzhen",
        "beijing",
        "asia",
        "global",
        "group",
        "holdings",
        "international",
        "technology",
        "energy",
        "power",
        "bank",
        "the",
        "and",
        "new",
        "best",
        "first",
        "great",
        "value",
        "link",
        "world",
        "times",
        "golden",
        "star",
        "sun",
        "wing",
        "million",
        "top",
        "smart",
        "ever",
        "future",
        "one",
        "china mobile games",
        "li",
        "ping",
        "ck",
        "apple daily",
        "wall street",
        "nasdaq",
        "reuters",
        "bloomberg",
        "xinhua",
        "csrc",
        "pboc",
        "fed",
        "ai",
        "中国",
        "香港",
        "上海",
        "深圳",
        "北京",
        "国际",
        "國際",
        "集团",
        "集團",
        "控股",
        "科技",
        "银行",
        "銀行",
        "平安",
        "中信",
        "招商",
        "华润",
        "華潤",
        "中金",
        "新华",
        "新華",
        "人民",
        "光大",
        "恒生",
        "腾讯音乐",
    }
)
_CURATED_OK_SHORT = frozenset({"JD", "GS", "MS", "AIA", "CK", "HSBC", "CICC", "BYD", "TCL", "SMIC", "UBS"})
_LATIN = re.compile(r"[A-Za-z]")
# Variant characters that Hong Kong and mainland texts use for the same name (恆生/恒生, 滙豐/匯豐):
# folded on both sides of the match, one character for one, so offsets stay valid.
_VARIANT_PAIRS = (("恆", "恒"), ("滙", "匯"))


def fold_variants(text: str) -> str:
    """``text`` with the variant characters folded (two ``str.replace`` calls: far cheaper than
    ``str.translate`` over a whole article)."""
    for variant, common in _VARIANT_PAIRS:
        text = text.replace(variant, common)
    return text
# "Nasdaq-style board", "Dow Jones Newswires", "Hang Seng Indexes Company": not the index itself.
_words = load_rules().alternation
_NOT_AN_INDEX_AFTER = re.compile(
    rf"-(?:{_words('not_an_index_suffix')})|\s*&|\s+(?:{_words('not_an_index_word')})"
)
# What the words after the spaces can begin with (lower-cased: a superset of the case-sensitive words).
_NOT_AN_INDEX_WORD_LEAD = LeadingCharacters(re.compile(_words("not_an_index_word")))


def _not_an_index_after(text: str, end: int) -> bool:
    """``_NOT_AN_INDEX_AFTER.match(text, end)``, read only where the character after a name can
    begin a match: a dash, an ampersand, or spaces before an ampersand or before a character one
    of the words begins with (most names are followed by a space and a verb)."""
    size = len(text)
    if end >= size:
        return False
    ch = text[end]
    if ch != "-" and ch != "&":
        if not ch.isspace():
            return False  # every branch begins with "-", "&" or a space (\s is what isspace() says)
        after = end + 1
        while after < size and text[after].isspace():
            after += 1
        if after >= size or (text[after] != "&" and not _NOT_AN_INDEX_WORD_LEAD.admits(text, after)):
            return False
    return _NOT_AN_INDEX_AFTER.match(text, end) is not None


@dataclass(frozen=True, slots=True)
class Entry:
    """One dictionary alias: a security (``issuer`` set) or an index (``index`` set)."""

    alias: str
    issuer: str | None
    index: str | None
    listing: str | None  # the listing this alias names, when it names one
    kind: str  # official | short | common | former | index
    curated: bool
    latin: bool


@dataclass(frozen=True, slots=True, init=False)
class Span:
    """A dictionary match (``__init__`` written out: the compiled module makes it natively)."""

    start: int
    end: int
    entries: tuple[Entry, ...]

    def __init__(self, start: int, end: int, entries: tuple[Entry, ...]) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "entries", entries)


def _keep_alias(text: str, kind: str, curated: bool) -> bool:
    low = text.lower().strip()
    if not low or low in _STOP_ALIASES:
        return False
    if _LATIN.search(text):
        if len(low) < 3:
            return text in _CURATED_OK_SHORT
        if len(low) < 4 and not (curated and text.isupper()):
            return False
        # One generic word ("News", "Power") derived from a legal name is not a name on its own.
        return curated or " " in low or kind == "distinct" or (kind == "short" and text.isupper() and len(low) >= 5)
    # Chinese: two-character names only when curated (中芯, 华虹, 腾讯); generic words are stopped.
    return len(low) >= 3 or (curated and len(low) == 2)


_CACHE_LAYOUT = 2  # bump when the cached table changes shape
_FIELDS = 7  # an Entry's fields: alias, issuer, index, listing, kind, curated, latin
# A character of the CJK blocks or beyond (U+2E80 on): Chinese and Japanese script, full-width forms
# (``regex`` compiles the range 40 times faster than ``re`` and scans a text 5 times faster).
_WIDE = regex.compile("[\u2e80-\U0010ffff]")


class _Table(NamedTuple):
    """The alias table as the automata and the cache file hold it: the keys without a wide
    character first (``narrow`` of them), then those with one; key ``i``'s entries are the rows
    ``first[i]:first[i + 1]`` of ``columns`` (one list per ``Entry`` field, in order)."""

    keys: list[str]
    narrow: int
    first: list[int]
    columns: list[list[Any]]


_HELD_PREFIX = 4
"""``_held_keys_matches`` keeps the keys whose first this many characters stand in the text."""
_HELD_TEXT_LIMIT = 10_000
"""A longer first text builds the automata at once (its prefixes would cost more than they save)."""


def _held_keys_matches(keys: list[str], lower: str) -> list[tuple[int, int, int]]:
    """Every occurrence of ``keys`` in ``lower``, as (key, start, end), found by an automaton of
    the keys whose first ``_HELD_PREFIX`` characters (or all, when fewer) ``lower`` holds: no
    other key can occur in it."""
    n = len(lower)
    grams = {lower[i : i + size] for size in range(1, _HELD_PREFIX + 1) for i in range(n - size + 1)}
    held = [i for i, key in enumerate(keys) if key[:_HELD_PREFIX] in grams]
    if not held:
        return []
    automaton = ahocorasick_rs.AhoCorasick([keys[i] for i in held])
    return [(held[key], start, end) for key, start, end in automaton.find_matches_as_indexes(lower, overlapping=True)]


class GazetteerIndex:
    """The automata and their entries; shared by every article.

    Built on first use, from the alias table cached in ``cache_dir`` (default
    :func:`default_cache_dir`) when the master was loaded through its own cache
    (``master.cache_key``); ``use_cache=False`` builds the table afresh. The keys without a wide
    character (Latin names) and those with one (Chinese names) are two automata, the second built
    with the first text that holds a wide character, so an English article needs only the first
    (0.04 s to build instead of 0.15 s). The first text is searched instead by one automaton of
    only the keys whose first four characters stand in it (no other key can occur in it): an
    English article holds those of some 2,000 keys and a Chinese one of a few hundred, so a
    process that reads one article (``extract FILE.md``) spends 0.015 s on prefixes and automaton
    instead of 0.045 s (English) or 0.12 s (Chinese); the next text builds the automata it needs
    (a first text over ``_HELD_TEXT_LIMIT`` characters, at once). An alias's
    ``Entry`` objects are made the first time the alias is found.
    """

    def __init__(self, master: SecurityMaster, *, cache_dir: Path | None = None, use_cache: bool = True) -> None:
        self._master = master
        self._cache_dir = cache_dir
        self._use_cache = use_cache
        self._table: _Table | None = None
        self._narrow: ahocorasick_rs.AhoCorasick | None = None
        self._wide: ahocorasick_rs.AhoCorasick | None = None
        self._searched = False  # a text was searched (the first by ``_held_keys_matches``)
        self._entries: dict[int, _Key] = {}

    def _loaded(self) -> _Table:
        if self._table is None:
            master = self._master
            cached = _cached_table(master, self._cache_dir) if self._use_cache and master.cache_key else None
            self._table = cached or _table(alias_table(master))
        return self._table

    def _matches(self, lower: str) -> list[tuple[int, int, int]]:
        """Every occurrence of every key in ``lower``, overlapping, as (key, start, end): what one
        automaton of all the keys finds, since a key with a wide character occurs only in a text
        with one."""
        table = self._loaded()
        if not self._searched:
            self._searched = True
            if self._narrow is None and len(lower) <= _HELD_TEXT_LIMIT:
                return _held_keys_matches(table.keys, lower)
        if self._narrow is None:
            self._narrow = ahocorasick_rs.AhoCorasick(table.keys[: table.narrow])
        found = self._narrow.find_matches_as_indexes(lower, overlapping=True)
        if not lower.isascii() and _WIDE.search(lower):
            if self._wide is None:
                self._wide = ahocorasick_rs.AhoCorasick(table.keys[table.narrow :])
            shift = table.narrow
            found += [(key + shift, start, end) for key, start, end in self._wide.find_matches_as_indexes(lower, overlapping=True)]
        return found

    @property
    def size(self) -> int:
        """How many distinct aliases and index names the automata hold."""
        return len(self._loaded().keys)

    def _entries_of(self, key: int) -> _Key:
        found = self._entries.get(key)
        if found is None:
            table = self._loaded()
            rows = slice(table.first[key], table.first[key + 1])
            entries = tuple(Entry(*fields) for fields in zip(*(column[rows] for column in table.columns), strict=True))
            found = self._entries[key] = _Key(
                entries,
                any(e.latin for e in entries),
                all(e.latin for e in entries),
                any(e.index for e in entries),
            )
        return found

    def find(self, text: str) -> list[Span]:
        """Longest non-overlapping matches in ``text`` that pass the boundary and case rules."""
        lower = text.lower()
        if len(lower) != len(text):  # rare Unicode case mappings change length; match as is
            lower = text
        lower = fold_variants(lower)
        n = len(text)
        # Candidates as bare tuples (most articles hold a few that no rule accepts): the sort key
        # (longest first, then leftmost), the end and the accepted entries.
        found: list[tuple[int, int, int, tuple[Entry, ...]]] = []
        blocked: list[tuple[int, int]] = []
        for key, start, end in self._matches(lower):
            entries, latin, all_latin, any_index = self._entries_of(key)
            if not latin:
                kept = entries  # Chinese: no rules
            else:
                bounded = _word_bounded(text, start, end, n)
                if all_latin and not bounded:
                    kept = ()  # "Link" in "Linkage": no entry can accept it
                else:
                    kept = tuple(e for e in entries if not e.latin or (bounded and _accept_latin(text, start, end, e)))
            if kept:
                found.append((start - end, start, end, kept))
            elif any_index and _not_an_index_after(text, end):
                blocked.append((start, end))  # "Dow Jones Newswires": "Dow" inside it is not an index either
        if blocked:
            found = [f for f in found if not any(b0 <= f[1] and f[2] <= b1 for b0, b1 in blocked)]
        # Longest first, then leftmost: "the Hang Seng Biotech Index" is one index, not "the Hang Seng".
        # (No two candidates share a start and an end: one substring is one key.)
        found.sort(key=_LONGEST_THEN_LEFTMOST)
        out: list[Span] = []  # kept spans, by start
        out_starts: list[int] = []
        for _, start, end, kept in found:
            i = bisect.bisect_left(out_starts, start)
            if (i == 0 or out[i - 1].end <= start) and (i == len(out) or end <= out_starts[i]):
                out.insert(i, Span(start, end, kept))
                out_starts.insert(i, start)
        return out


class _Key(NamedTuple):
    """An automaton key's entries and what the matching rules need to know about them."""

    entries: tuple[Entry, ...]
    latin: bool  # some entry is Latin (boundary and case rules apply to it)
    all_latin: bool  # every entry is: a match off word boundaries keeps none
    any_index: bool


_LONGEST_THEN_LEFTMOST = itemgetter(0, 1)
"""A candidate's sort key: minus its length, then its start."""


def alias_table(master: SecurityMaster) -> dict[str, tuple[Entry, ...]]:
    """Every kept alias and index name of ``master``, lower-cased and variant-folded, with its entries."""
    buckets: dict[str, list[Entry]] = {}
    for alias, issuer in master.iter_aliases():
        text = fold_variants(matching_text(alias.text).strip())
        if not _keep_alias(text, alias.kind, issuer.curated):
            continue
        entry = Entry(text, issuer.id, None, alias.listing, alias.kind, issuer.curated, bool(_LATIN.search(text)))
        buckets.setdefault(fold_variants(alias.text.lower()), []).append(entry)
    for info in master.indices.values():
        for name in {info.name_en, info.name_zh_hans, info.name_zh_hant, *info.aliases}:
            name = fold_variants(matching_text(name or "").strip())
            if len(name) >= 2:
                entry = Entry(name, None, info.id, None, "index", True, bool(_LATIN.search(name)))
                buckets.setdefault(name.lower(), []).append(entry)
    return {key: tuple(_dedupe(entries)) for key, entries in buckets.items()}


def _table(table: dict[str, tuple[Entry, ...]]) -> _Table:
    """``table`` as the automata and the cache file hold it (``_Table``). Repeated field values
    (issuers, listings, kinds) are one string each, which the cache file then stores once."""
    keys = sorted(table, key=lambda key: _WIDE.search(key) is not None)  # stable: narrow keys first
    first = [0]
    columns: list[list[Any]] = [[] for _ in range(_FIELDS)]
    for key in keys:
        for entry in table[key]:
            row = (entry.alias, entry.issuer, entry.index, entry.listing, entry.kind, entry.curated, entry.latin)
            for column, value in zip(columns, row, strict=True):
                column.append(sys.intern(value) if isinstance(value, str) else value)
        first.append(len(columns[0]))
    narrow = next((i for i, key in enumerate(keys) if _WIDE.search(key)), len(keys))
    return _Table(keys, narrow, first, columns)


def _cached_table(master: SecurityMaster, cache_dir: Path | None) -> _Table:
    """The alias table from its cache file, built and written there when missing, stale or
    corrupt. The file is named by the master's data and this module's source, so a change to
    either rebuilds it."""
    source = resources.files("tickerwire.extract").joinpath("gazetteer.py").read_bytes()  # also when compiled
    digest = hashlib.sha256(f"{master.cache_key}:{_CACHE_LAYOUT}:".encode() + source).hexdigest()
    path = (cache_dir or default_cache_dir()) / f"gazetteer-{digest[:24]}.pickle"
    header = {"layout": _CACHE_LAYOUT, "digest": digest}
    payload = read_cache(path, header, what="gazetteer")
    if payload is not None:
        cached = _well_formed(payload)
        if cached is not None:
            return cached
        log.warning("%s: unreadable gazetteer cache (not a table of aliases); rebuilding it", path)
    table = _table(alias_table(master))
    write_cache(path, {**header, **table._asdict()}, what="gazetteer")
    return table


def _well_formed(payload: dict[str, Any]) -> _Table | None:
    """A cache file's table when it has the shape ``_table`` writes, else None. The checks over
    the 42,000 keys run inside ``str.join``, ``sorted`` and ``set`` rather than one by one."""
    keys, narrow, first, columns = (payload.get(name) for name in _Table._fields)
    if not (isinstance(keys, list) and isinstance(narrow, int) and isinstance(first, list)
            and isinstance(columns, list) and len(columns) == _FIELDS
            and 0 <= narrow <= len(keys) and len(first) == len(keys) + 1):
        return None
    try:
        narrow_keys = "".join(keys[:narrow])
        "".join(keys[narrow:])  # every key a string
        in_order = sorted(first) == first
    except TypeError:  # a key that is not a string, or offsets that are not numbers
        return None
    well_formed = (
        "" not in keys and _WIDE.search(narrow_keys) is None  # no wide key among the narrow ones …
        and (narrow == len(keys) or _WIDE.search(keys[narrow]) is not None)  # … and a count not too small
        and in_order and set(map(type, first)) == {int} and first[0] == 0
        and all(isinstance(column, list) and len(column) == first[-1] for column in columns)
    )
    return _Table(keys, narrow, first, columns) if well_formed else None


def _dedupe(entries: list[Entry]) -> list[Entry]:
    seen: dict[tuple[str | None, str | None], Entry] = {}
    rank = {"common": 0, "index": 0, "short": 1, "official": 2, "former": 3}
    for e in entries:
        key = (e.issuer, e.index)
        if key not in seen or rank.get(e.kind, 9) < rank.get(seen[key].kind, 9):
            seen[key] = e
    return list(seen.values())


def _word_bounded(text: str, start: int, end: int, n: int) -> bool:
    """Whether ``text[start:end]`` (``n == len(text)``) has no ASCII word character (or ``&``)
    just before it and none just after it: what every Latin name needs."""
    if start > 0:
        before = text[start - 1]
        if before.isascii() and (before.isalnum() or before in "_&"):
            return False
    if end < n:
        after = text[end]
        if after.isascii() and (after.isalnum() or after == "_"):
            return False
    return True


def _accept_latin(text: str, start: int, end: int, entry: Entry) -> bool:
    """The case and context rules for a Latin ``entry`` found on word boundaries at ``start:end``."""
    if entry.index and _not_an_index_after(text, end):
        return False
    surface = text[start:end]
    if not surface[:1].isascii():
        return True  # a Chinese name with a Latin share-class suffix: 百度集團-SW
    if entry.alias.isupper() and len(entry.alias) <= 4:
        return surface == entry.alias  # tickers and acronyms: exact case only ("AIA", not "aia")
    first = next((c for c in surface if c.isalpha()), "")
    if not first.isupper() and not (entry.index and entry.alias.lower().endswith((" index", " gauge"))):
        return False  # lower-case words are not names; "the tech index" still names an index
    if entry.index is None and not entry.curated and entry.kind in {"short", "official"}:
        # A non-curated exchange name in running text must look like a name: every word capitalised.
        words = [w for w in re.split(r"[\s\-]+", surface) if w and w[0].isalpha()]
        small = {"of", "and", "the", "de", "for", "in"}
        return all(w[0].isupper() or w.lower() in small for w in words)
    return True


class Gazetteer:
    """Finds dictionary names of securities and indices (``Doc.spans``)."""

    name = "gazetteer"
    reads = ("text",)
    adds = ("spans",)

    def __init__(self, index: GazetteerIndex) -> None:
        self.index = index

    def __call__(self, doc: Doc) -> None:
        doc.spans = self.index.find(doc.text)
