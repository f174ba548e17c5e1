"""What one sentence holds for fact extraction: its subjects (securities and indices) and numbers.

Shared by the move and level rules (``facts``) and the amount rules (``amounts``).

The rules search the same word patterns (direction words, metrics, amount keywords) in many
small windows of one article. ``word_index`` finds, with one Aho-Corasick pass per article,
every place where each such pattern can begin (the start of one of its leading literals, lower
case); a search in a window (``PatternStarts``) then tries the pattern only at those places
instead of at every character, and finds exactly what ``pattern.finditer(text, start, end)``
finds, or skips a window where none stands (``may_match``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from operator import attrgetter

import regex

from tickerwire.extract import lexicon as lx
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.prefilter import LeadingCharacters, LiteralPrefilter, backwards
from tickerwire.extract.quantities import Quantity
from tickerwire.refdata.rules import load_rules

NAME_LOOKBACK = 60
"""Look-back for the company name before an unknown listing code ("Las Vegas Sands (LVS.US)")."""
CONSTITUENT_WINDOW = 12
"""Text after an index name read for 成分股 / "constituents" (then it names other stocks)."""
LEVEL_INTRO_WINDOW = 20
"""Look-back for "closed at" / 收報 before a number that may be an index level."""
NOT_LEVEL_WINDOW = 12
"""Text after a level read for "mark" / 关口 (a round threshold, not a level)."""
_RULES = load_rules()
_words = _RULES.alternation
LEVEL_INTRO = regex.compile(
    rf"(?:(?<![A-Za-z])(?:{_words('level_intro', 'en')})|{_words('level_intro', 'zh')})"
    r"\s*(?:a\s+)?(?:record\s+)?(?:high of\s+)?$",
    regex.IGNORECASE,
)
NOT_LEVEL_AFTER = regex.compile(rf"^\s*(?:-?points?|點|点)?\s*(?:{_words('threshold_noun')})", regex.IGNORECASE)
# "即月期指新報20627", "HSI futures ended at 25,810": a futures contract, not the index.
_FUTURES_BEFORE = regex.compile(_words("futures"), regex.IGNORECASE)
FUTURES_WINDOW = 24
"""Look-back from a level for a futures word (期指, "futures") that makes it a contract's price."""
# Between two members of a list; a member's bracketed code or note may stand before it ("A (1997) and B").
LIST_SEPARATOR = regex.compile(
    r"^(?:-[A-Z]{1,2})?\s*(?:[(（][^()（）]{1,20}[)）]|[)）])?\s*(?:,|，|、|和|及|与|與|and|&|as well as|, and)\s*(?:the\s+)?$",
    regex.IGNORECASE,
)
RANGE_LEAD_WINDOW = 20
"""Look-back for "between" before "1% and 3%", which makes the pair one range."""
RANGE_LEAD = regex.compile(r"(?:between|from|介乎|介于|介於|由)\s*$", regex.IGNORECASE)
# Whether a look-back ends with "closed at", "between" …: searched from its end (only that one does is read).
_LEVEL_INTRO_BACK, _RANGE_LEAD_BACK = backwards(LEVEL_INTRO), backwards(RANGE_LEAD)
_AND = regex.compile(r"(?<![A-Za-z])and(?![A-Za-z])", regex.IGNORECASE)
_CJK_AND = regex.compile(r"[和及与與]")
RANGE_JOIN = regex.compile(r"^\s*(?:至|到|-|–|~|to|and)\s*(?:近|约|約|逾)?\s*$", regex.IGNORECASE)
# Brokers named with a target price are its author, not its subject.
_SOUTHBOUND_CONTEXT = regex.compile(_RULES.alternation("southbound_context"), regex.IGNORECASE)
_NORTHBOUND_CONTEXT = regex.compile(_RULES.alternation("northbound_context"), regex.IGNORECASE)


UP_GROUPS = frozenset({"up", "up_zh"})
"""The groups of ``lx.DIRECTION`` that name a rise: a match holds one of its four groups, and that
group is the last it closes (``lastgroup``)."""

WINDOW_PATTERNS = [lx.DIRECTION, lx.METRIC, _FUTURES_BEFORE, _SOUTHBOUND_CONTEXT, _NORTHBOUND_CONTEXT]
"""The patterns this module and the move and amount rules search through ``State.words``."""

# What may follow an index name or stand between two figures, checked by its first character first.
_CONSTITUENT_LEAD, _RANGE_JOIN_LEAD = LeadingCharacters(lx.CONSTITUENT_AFTER), LeadingCharacters(RANGE_JOIN)

_by_start = attrgetter("start")
"""A subject's start, the key its list is sorted by."""

_NAME_BEFORE_PAREN = regex.compile(r"(?:[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,5}|\p{Han}{2,10})\s*[(（]\s*$")


class PatternStarts:
    """Where ``pattern`` can begin in ``text``: a match begins at the start of one of its leading
    literals (``prefilter.required_literals``). ``starts`` is None when that cannot be relied on
    (a pattern without such literals, or a text the prefilter cannot read), and then every
    search runs the pattern itself."""

    def __init__(self, pattern: regex.Pattern[str], text: str, starts: list[int] | None) -> None:
        self.pattern, self.text, self.starts = pattern, text, starts

    def finditer(self, start: int, end: int) -> list[regex.Match[str]]:
        """What ``pattern.finditer(text, start, end)`` finds."""
        if self.starts is None:
            return list(self.pattern.finditer(self.text, start, end))
        out: list[regex.Match[str]] = []
        starts = self.starts
        i, after = bisect.bisect_left(starts, start), start
        if i == len(starts) or starts[i] >= end:
            return out  # no word begins in the window (most windows)
        match, text = self.pattern.match, self.text
        while i < len(starts) and starts[i] < end:
            at = starts[i]
            i += 1
            if at >= after and (m := match(text, at, end)) is not None:
                out.append(m)
                after = m.end()  # never before ``at + 1``: a match holds its literal
        return out

    def may_match(self, start: int, end: int) -> bool:
        """Whether a match can begin in ``text[start:end]`` (a search of that slice, or from
        ``start`` to ``end``, finds nothing when this is False)."""
        if self.starts is None:
            return True
        i = bisect.bisect_left(self.starts, start)
        return i < len(self.starts) and self.starts[i] < end

    def search(self, start: int, end: int) -> regex.Match[str] | None:
        """What ``pattern.search(text, start, end)`` finds."""
        if self.starts is None:
            return self.pattern.search(self.text, start, end)
        starts = self.starts
        i = bisect.bisect_left(starts, start)
        if i == len(starts) or starts[i] >= end:
            return None
        match, text = self.pattern.match, self.text
        while i < len(starts) and starts[i] < end:
            if (m := match(text, starts[i], end)) is not None:
                return m
            i += 1
        return None


WordIndex = dict[regex.Pattern[str], PatternStarts]
"""Each pattern's ``PatternStarts`` in one article."""


def word_index(prefilter: LiteralPrefilter, patterns: list[regex.Pattern[str]], text: str) -> WordIndex:
    """Where each of ``patterns`` (those ``prefilter`` was built from, in order) can begin in
    ``text``, from one scan."""
    hits = prefilter.scan(text)
    found: list[list[int] | None] = [None if n in hits.always else [] for n in range(len(patterns))]
    for at, owners in zip(hits.starts, hits.owners, strict=True):
        for n in owners:
            starts = found[n]
            if starts is not None and (not starts or starts[-1] != at):
                starts.append(at)
    return {pattern: PatternStarts(pattern, text, starts) for pattern, starts in zip(patterns, found, strict=True)}


# The classes below write out their ``__init__`` (``init=False``): the compiled module then makes
# them natively, where a dataclass's generated ``__init__`` is Python code (docs/extract.md).
@dataclass(init=False)
class Subject:
    code: str  # listing code or index id
    start: int
    end: int
    is_index: bool
    issuer: str | None
    listings: tuple[str, ...]
    broker: bool
    modifier: bool  # "科指成分股", "HSTECH ETF": names something else

    def __init__(
        self,
        code: str,
        start: int,
        end: int,
        is_index: bool,
        issuer: str | None = None,
        listings: tuple[str, ...] = (),
        broker: bool = False,
        modifier: bool = False,
    ) -> None:
        self.code, self.start, self.end, self.is_index = code, start, end, is_index
        self.issuer, self.listings, self.broker, self.modifier = issuer, listings, broker, modifier

    def with_code(self, code: str) -> Subject:
        """This subject as another of its listings: ``dataclasses.replace(self, code=code)``, made
        natively."""
        return Subject(code, self.start, self.end, self.is_index, self.issuer, self.listings, self.broker, self.modifier)


@dataclass(init=False)
class Sentence:
    start: int
    end: int
    subjects: list[Subject]
    quantities: list[Quantity]

    def __init__(
        self, start: int, end: int, subjects: list[Subject] | None = None, quantities: list[Quantity] | None = None
    ) -> None:
        self.start, self.end = start, end
        self.subjects = [] if subjects is None else subjects
        self.quantities = [] if quantities is None else quantities


@dataclass
class State:
    primary: str | None = None  # the listing the article is mainly about
    headline: str | None = None  # the listing named first in the headline, if any
    consumed: set[int] = field(default_factory=set)  # quantity starts already used
    last_kind_by_line: dict[int, str] = field(default_factory=dict)
    words: WordIndex = field(default_factory=dict)  # where the rules' words can begin (one scan)
    _flow: str | None = None
    _flow_known: bool = False

    def flow_kind(self, text: str) -> str | None:
        """southbound/northbound_net_inflow for 'net buying' words, from what the article is about."""
        if not self._flow_known:
            south = len(self.words[_SOUTHBOUND_CONTEXT].finditer(0, len(text)))
            north = len(self.words[_NORTHBOUND_CONTEXT].finditer(0, len(text)))
            if south or north:
                self._flow = "southbound_net_inflow" if south >= north else "northbound_net_inflow"
            self._flow_known = True
        return self._flow


def subjects_of(doc: Doc) -> list[Subject]:
    text = doc.text
    out: list[Subject] = []
    for m in doc.mentions:
        if out and not out[-1].is_index and out[-1].issuer == m.issuer and 0 <= m.start - out[-1].end <= 3:
            out[-1].end = m.end + 1 if text[m.end : m.end + 1] in (")", "）") else m.end
            # "SMIC (00981.HK)": one subject, the code's listing
            out[-1].code = m.listing
            continue
        start = m.start
        if m.via == "code" and text[m.start - 1 : m.start] in ("(", "（"):
            # "新世界（017）" where only the code is known: the subject starts at the name.
            name = _NAME_BEFORE_PAREN.search(text, max(0, m.start - NAME_LOOKBACK), m.start)
            if name and not (out and out[-1].end > name.start()):
                start = name.start() + (text[name.start()] in "和及与與")  # "…及新世界（017）"
        out.append(
            Subject(
                m.listing,
                start,
                m.end,
                False,
                m.issuer,
                m.listings,
                broker=m.role == "broker",
                modifier=m.role == "venue",
            )
        )
    for code, start, end in doc.unlinked_codes:
        # "Las Vegas Sands (LVS.US)": a listing the master does not know is still what moved.
        name = _NAME_BEFORE_PAREN.search(text, max(0, start - NAME_LOOKBACK), start)
        begin = name.start() if name and not any(s.start < start and s.end > name.start() for s in out) else start
        end = end + 1 if text[end : end + 1] in (")", "）") else end
        out.append(Subject(code, begin, end, False, None, (code,)))
    for ix in doc.indices:
        after = text[ix.end : ix.end + CONSTITUENT_WINDOW]
        modifier = _CONSTITUENT_LEAD.admits(after) and bool(lx.CONSTITUENT_AFTER.match(after))
        out.append(Subject(ix.index, ix.start, ix.end, True, modifier=modifier))
    out.sort(key=_by_start)
    return out


def primary_listing(doc: Doc) -> tuple[str | None, bool]:
    """The company in the headline (True), else the one named most (brokers and venues excluded)."""
    named = [m for m in doc.mentions if m.role is None]
    if not named:
        return None, False
    first_line = doc.text.find("\n")
    in_title = [m for m in named if first_line > 0 and m.start < first_line]
    if in_title:
        return in_title[0].listing, True
    counts: dict[str, int] = {}
    for m in named:
        counts[m.listing] = counts.get(m.listing, 0) + 1
    return max(counts, key=lambda code: counts[code]), False


def direction(text: str, start: int, end: int) -> int:
    """+1 / -1 from the last direction word in ``text[start:end]``, 0 if none."""
    return sign_of(list(lx.DIRECTION.finditer(text, start, end)))


def sign_of(directions: list[regex.Match[str]]) -> int:
    """+1 / -1 from the last of ``directions`` (``lx.DIRECTION`` matches), 0 if there are none."""
    if not directions:
        return 0
    return 1 if directions[-1].lastgroup in UP_GROUPS else -1


def dash_joined(text: str, q: Quantity, nxt: Quantity) -> bool:
    """'165%-175%', '620-650港元': the scanner read the dash of a range as the second figure's sign."""
    return q.end == nxt.start and nxt.signed and text[nxt.start] in "-–~"


def range_between(text: str, q: Quantity, nxt: Quantity) -> bool:
    """'1% to 3%', 升逾18%至近22%, 'between 1% and 3%', '165%-175%' — but not 'rose 13% and 16%'."""
    if dash_joined(text, q, nxt):
        return True
    between = text[q.end : nxt.start]
    if not (_RANGE_JOIN_LEAD.admits(between) and RANGE_JOIN.match(between)) or _CJK_AND.search(between):
        return False
    if _AND.search(between):
        return bool(_RANGE_LEAD_BACK.search(text, max(0, q.start - RANGE_LEAD_WINDOW), q.start))
    return True


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos)


def looks_like_level(text: str, q: Quantity, words: WordIndex, *, minimum: float) -> bool:
    """A number after "to"/"at"/收報 that is not a round threshold ("the 27,000 mark")."""
    return (
        q.unit in {"points", "number"}
        and abs(q.value) >= minimum
        and q.qualifier == "exact"
        and bool(_LEVEL_INTRO_BACK.search(text[max(0, q.start - LEVEL_INTRO_WINDOW) : q.start]))
        and not NOT_LEVEL_AFTER.match(text[q.end : q.end + NOT_LEVEL_WINDOW])
        and not words[_FUTURES_BEFORE].search(max(0, q.start - FUTURES_WINDOW), q.start)
    )


def build_sentences(doc: Doc) -> list[Sentence]:
    """The article's sentences, each with the subjects and quantities that start in it."""
    spans = doc.sentences or [(0, len(doc.text))]
    out = [Sentence(s, e) for s, e in spans]
    subjects = subjects_of(doc)  # in order of their start
    si = 0
    starts = [subject.start for subject in subjects]
    for sent in out:  # bisect, not a scan per sentence: linear in the article's length
        sent.subjects = subjects[bisect.bisect_left(starts, sent.start) : bisect.bisect_left(starts, sent.end)]
    for q in doc.quantities:
        while si < len(out) and q.start >= out[si].end:
            si += 1
        if si < len(out) and out[si].start <= q.start:
            out[si].quantities.append(q)
    return out
