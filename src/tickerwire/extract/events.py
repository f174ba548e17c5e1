"""Events: the DESIGN taxonomy, tagged per sentence with its evidence span and subjects.

Move events come from the facts (a stock move → ``price_move``, an index move → ``index_move``);
the others from keyword patterns in English, simplified and traditional Chinese that report the
news itself (an upgrade, a filing, a policy step), not words that merely appear near it.
"""

from __future__ import annotations

import re as regex  # stdlib re: these patterns need nothing more, and it is faster here

import ahocorasick_rs

from tickerwire.extract import lexicon as lx
from tickerwire.extract import records
from tickerwire.extract.anchors import Anchored, AnchorHits
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.prefilter import LiteralPrefilter, PatternSource
from tickerwire.extract.sentences import sentence_of
from tickerwire.refdata.rules import load_rules

_I = regex.IGNORECASE
_TABLES = load_rules()
_RULES = _TABLES.events
# One table (refdata/data/rules/*.yaml) gives each type its patterns and cues; the cues are
# lower-case literals that every pattern match's sentence holds, so one Aho-Corasick pass finds
# them and a pattern only runs on the sentences that hold its type's cues (and is compiled when it
# first does: _ANCHORED).
EVENT_PATTERNS: tuple[tuple[str, PatternSource], ...] = tuple(
    (etype, PatternSource(rule.pattern, _I)) for etype, rule in _RULES.items() if rule.patterns
)
EVENT_CUES: dict[str, tuple[str, ...]] = {etype: rule.cues for etype, rule in _RULES.items()}
SECTOR_MOVE_WINDOW = 40
"""How far after a sector word ("chip stocks", 内房股) its move verb may stand for a sector_move."""
_words = _TABLES.alternation
_SECTOR_PATTERN = PatternSource(
    rf"(?<![A-Za-z])(?:{_words('sector', 'en')}) (?:{_words('sector_stock_noun', 'en')})(?![A-Za-z])"
    rf"|(?<![A-Za-z])(?:{_words('sector_players')})(?![A-Za-z])"
    rf"|(?:{_words('sector', 'zh')})(?:{_words('sector_stock_noun', 'zh')})",
    _I,
)
_SECTOR_MOVE_PATTERN = PatternSource(_TABLES.whole_words("sector_move_verb"), _I)
_WARNING_PATTERN = PatternSource(_TABLES.alternation("profit_warning"), _I)
_PROJECTING_PATTERN = PatternSource(_TABLES.alternation("projection"), _I)
_IPO_TRANCHE_PATTERN = PatternSource(_words("ipo_tranche"), _I)
_FUTURE_PATTERN = PatternSource(rf"\b(?:{_words('future', 'en')})\b|{_words('future', 'zh')}", _I)

# Every pattern the tagger searches, in one set: a search is a match tried only where one of the
# pattern's leading literals stands (anchors.py), all of them found by one pass over the article;
# each is compiled the first time it is searched.
_ANCHORED = Anchored([
    *(pattern for _, pattern in EVENT_PATTERNS), _SECTOR_PATTERN, _SECTOR_MOVE_PATTERN,
    _WARNING_PATTERN, _PROJECTING_PATTERN, _IPO_TRANCHE_PATTERN, _FUTURE_PATTERN,
], shared=True)
_TYPE_INDEX = {etype: n for n, (etype, _) in enumerate(EVENT_PATTERNS)}
_SECTOR, _VERB, _WARNING, _PROJECTING, _IPO_TRANCHE, _FUTURE = range(len(EVENT_PATTERNS), len(EVENT_PATTERNS) + 6)


def _types_by_cue() -> dict[str, tuple[str, ...]]:
    """Every cue and the event types it cues."""
    by_cue: dict[str, set[str]] = {}
    for etype, cues in EVENT_CUES.items():
        for cue in cues:
            by_cue.setdefault(cue, set()).add(etype)
    return {cue: tuple(sorted(types)) for cue, types in by_cue.items()}


_TYPES_BY_CUE = _types_by_cue()
# The cues, found in the article's pass of the shared prefilter scan (a cue is its own literal).
_CUE_WORDS = LiteralPrefilter(list(_TYPES_BY_CUE), shared=True)


def _cue_automaton() -> tuple[ahocorasick_rs.AhoCorasick, tuple[tuple[str, ...], ...]]:
    """One automaton over every cue, and the event types of each of its cues: the cues of a text
    the shared scan cannot read (one whose lower-casing changes its length …)."""
    return ahocorasick_rs.AhoCorasick(list(_TYPES_BY_CUE)), tuple(_TYPES_BY_CUE.values())


class EventTagger:
    """Tags events per sentence; evidence is the sentence, subjects its securities and indices."""

    name = "events"
    reads = ("text", "sentences", "mentions", "indices", "facts", "quantities", "article.text")
    adds = ("events",)

    def __init__(self) -> None:
        # one automaton for all cues, built once
        self.cues, self.cue_types = _cue_automaton()

    def __call__(self, doc: Doc) -> None:
        seen: set[tuple[str, int]] = set()
        spans = doc.sentences or [(0, len(doc.text))]
        text = doc.text
        candidates: set[tuple[tuple[int, int], str]] = set()  # (sentence, event type): sorted by both
        sentence = (0, 0)
        for key, end in self._cues_in(text):
            if not sentence[0] < end <= sentence[1]:  # the cues come by start: most share the sentence before
                sentence = sentence_of(spans, end - 1)
            candidates.update([(sentence, etype) for etype in self.cue_types[key]])
        hits = _ANCHORED.scan(text) if candidates else _ANCHORED.unfiltered()
        for (start, end), etype in sorted(candidates):
            if (etype, start) not in seen and end > start and self._news(doc, etype, start, end, hits):
                self._add(doc, seen, etype, _subjects_in(doc, start, end), start, end)
        for m in doc.mentions:  # "摩通預期…", "Morgan Stanley expects …": a broker's view
            if m.role == "broker" and lx.BROKER_VIEW.match(text, m.end):
                s, e = sentence_of(spans, m.start)
                self._add(doc, seen, "analyst_rating", _subjects_in(doc, s, e), s, e)
        for fact in doc.facts:
            if fact.kind != "price_move" or fact.subject is None:
                continue
            is_index = "." not in fact.subject
            etype = "index_move" if is_index else "price_move"
            if not sentence[0] <= fact.start < sentence[1]:
                sentence = sentence_of(spans, fact.start)
            self._add(doc, seen, etype, (fact.subject,), sentence[0], sentence[1])

    def _cues_in(self, text: str) -> list[tuple[int, int]]:
        """(cue, end) of every cue in the lower-cased ``text``, overlapping, in no set order."""
        hits = _CUE_WORDS.scan(text)
        if hits.always:  # the shared scan could not read the text: the cues' own automaton reads it lower-cased
            return [(key, end) for key, _, end in self.cues.find_matches_as_indexes(text.lower(), overlapping=True)]
        return [(owners[0], end) for owners, end in zip(hits.owners, hits.ends, strict=True)]

    def _news(self, doc: Doc, etype: str, start: int, end: int, hits: AnchorHits) -> bool:
        """Whether the sentence at ``start:end`` reports an event of ``etype`` as news."""
        text = doc.text
        if not self.reports(etype, text, start, end, hits):
            return False
        if etype == "fund_flow" and not _has_amount(doc, start, end):
            return False  # a flow is news when the article states how much
        if etype == "earnings" and (hits.search(_WARNING, text, start, end) or hits.search(_PROJECTING, text, start, end)):
            return False  # a profit warning or a projection is guidance, not results
        if etype == "other" and hits.search(_IPO_TRANCHE, text, start, end):
            return False  # an IPO's international placing or over-allotment is not a placement
        # "will report results next week", 將於明年公布業績: not yet news
        return etype not in {"earnings", "ipo"} or hits.search(_FUTURE, text, start, end) is None

    def reports(self, etype: str, text: str, start: int, end: int, hits: AnchorHits | None = None) -> bool:
        """Whether ``text[start:end]`` matches the patterns of ``etype``; ``hits`` is
        ``_ANCHORED.scan(text)`` when the caller has it."""
        hits = hits or _ANCHORED.scan(text)
        if etype == "sector_move":
            return sector_move_in(text, start, end, hits)
        return hits.search(_TYPE_INDEX[etype], text, start, end) is not None

    @staticmethod
    def _add(doc: Doc, seen: set[tuple[str, int]], etype: str, subjects: tuple[str, ...], start: int, end: int) -> None:
        if (etype, start) in seen:
            return
        seen.add((etype, start))
        doc.events.append(records.event(etype, subjects, doc.article.text[start:end], start, end))


def sector_move_in(text: str, start: int, end: int, hits: AnchorHits | None = None) -> bool:
    """Whether ``text[start:end]`` names a sector with a move verb after it ("chip stocks rallied");
    ``hits`` is ``_ANCHORED.scan(text)`` when the caller has it."""
    hits = hits or _ANCHORED.scan(text)
    if not hits.any_in(_VERB, start, end):
        return False  # no move verb: no sector move
    sector = hits.search(_SECTOR, text, start, end)
    return bool(sector and hits.search(_VERB, text, sector.end(), min(end, sector.end() + SECTOR_MOVE_WINDOW)))


_NOT_A_FLOW = frozenset({"turnover", "market_cap", "ipo_raise", "net_profit", "revenue", "target_price"})


def _has_amount(doc: Doc, start: int, end: int) -> bool:
    """A money amount in the span that is not another kind of figure (the market's turnover …)."""
    other = {f.end for f in doc.facts if f.kind in _NOT_A_FLOW and start <= f.end <= end}
    return any(q.unit == "money" and start <= q.start < end and q.end not in other for q in doc.quantities)


def _subjects_in(doc: Doc, start: int, end: int) -> tuple[str, ...]:
    codes = [m.listing for m in doc.mentions if start <= m.start < end and m.role != "venue"]
    codes += [i.index for i in doc.indices if start <= i.start < end]
    return tuple(dict.fromkeys(codes))
