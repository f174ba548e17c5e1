"""Article tone: lexicon scores per sentence, combined per article and per mentioned listing.

Method (details and limits in ``docs/sentiment.md``):

1. One Aho-Corasick automaton per language holds every term, negator, intensifier and neutral
   blocker of the packaged lexicons (``tickerwire.refdata.lexicons``). English matches are
   case-insensitive and must sit on word boundaries; Chinese matches need none. Overlapping
   matches resolve leftmost-longest, so "profit warning" beats "warning" and "未来" shadows "未".
2. A term's weight is flipped by a negator shortly before it in the same clause ("did not fall",
   "未能扭亏"), scaled by an intensifier next to it ("rose sharply", "小幅下跌") and reversed next
   to a figure whose rise is bad news ("costs surged", "成本下降").
3. A sentence scores the sum of its terms. The article score is ``S / (A + 1.5)`` where ``S`` is
   the weighted sum of sentence scores and ``A`` the weighted sum of their absolute values; the
   lead weighs more (``LEAD_WEIGHTS``). It lies in -1..1, is near 0 for mixed or nearly term-free
   articles, and approaches ±1 as consistent evidence accumulates.
4. Per company (``by_subject``, ``labels``, ``evidence``): the same formula over the sentences
   that name the listing, with a smaller smoothing; when a sentence names several listings, a
   term counts for the listings named in its own clause (a bare list of names shares the clause
   that follows it); the listing's own price moves count at their words. ``evidence`` keeps the
   strongest spans that agree with the label.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Final

import ahocorasick_rs
import regex

from tickerwire.extract import records
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.prefilter import PatternSource, required_literals
from tickerwire.extract.sentences import split_sentences
from tickerwire.model import Fact, Mention, Sentiment, SentimentEvidence
from tickerwire.refdata.lexicons import LANGUAGES, Lexicon, load_lexicon
from tickerwire.refdata.rules import load_rules

# Labels: |score| below this is neutral.
POSITIVE_THRESHOLD: Final = 0.2
NEGATIVE_THRESHOLD: Final = -0.2
# What the article emphasises leads it: the headline (first sentence) and the next two sentences
# weigh more than the body.
LEAD_WEIGHTS: Final = (4.0, 3.0, 2.0)
# A listing's own reported price move counts like a strong term at the move's words.
MOVE_WEIGHT: Final = 1.0
SMOOTHING: Final = 1.5  # the "+ k" in S / (A + k): one weak term alone stays neutral
# Per company the words are already scoped to its own sentences and clauses: one clear term
# about it is enough for a label.
SUBJECT_SMOOTHING: Final = 0.5
# A negated positive term becomes clearly negative ("failed to beat", "未能扭亏"); a negated
# negative term only weakly positive ("did not fall" is reassurance, not good news).
NEGATED_POSITIVE: Final = -0.8
NEGATED_NEGATIVE: Final = -0.4

_TERM, _NEGATOR, _INTENSIFIER, _NEUTRAL, _INVERSE_FIGURE = range(5)


@dataclass(frozen=True, slots=True)
class _Window:
    """How far a negator or intensifier reaches: words for English, characters for Chinese."""

    negator: int
    intensifier_before: int
    intensifier_after: int
    figure: int  # how far an inverse figure reaches, before or after the term
    by_words: bool


_WINDOWS: Final = {
    "en": _Window(negator=3, intensifier_before=2, intensifier_after=1, figure=2, by_words=True),
    "zh": _Window(negator=4, intensifier_before=2, intensifier_after=2, figure=2, by_words=False),
}

# Clause boundaries: negation and clause-level attribution never cross them.
_words = load_rules().alternation
_CLAUSE = regex.compile(
    rf"(?<!\d)[,](?!\d)|[;:，；：、—]|\b(?:{_words('clause_contrast', 'en')}|{_words('clause_concession', 'en')})\b"
    rf"|{_words('clause_contrast', 'zh')}|{_words('clause_concession', 'zh')}",
    regex.IGNORECASE,
)
_CLAUSE_WORDS_EN = required_literals(
    PatternSource(f"{_words('clause_contrast', 'en')}|{_words('clause_concession', 'en')}", regex.IGNORECASE)
)
# What a clause boundary in ASCII text begins with (None: the words have no literals to find).
_CLAUSE_STARTS: Final = None if _CLAUSE_WORDS_EN is None else (",", ";", ":", *_CLAUSE_WORDS_EN)
_HAN = regex.compile(r"\p{Han}")
_WORD = regex.compile(r"[\p{L}\p{N}]+")


# An article has dozens of each of the two below: their ``__init__`` is written out
# (``init=False``) so that the compiled module makes them natively (docs/extract.md).
@dataclass(slots=True, init=False)
class _Hit:
    """One lexicon entry found in the text."""

    start: int
    end: int
    kind: int
    value: float
    lang: str

    def __init__(self, start: int, end: int, kind: int, value: float, lang: str) -> None:
        self.start, self.end, self.kind, self.value, self.lang = start, end, kind, value, lang


@dataclass(frozen=True, slots=True, init=False)
class _Contribution:
    """One scored term: its position and its signed, negated and scaled weight."""

    start: int
    end: int
    value: float

    def __init__(self, start: int, end: int, value: float) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "value", value)


def _fold_latin(text: str) -> str:
    """Lower-cased ``text`` with curly apostrophes straightened, one character for one."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.replace("\u2019", "'").replace("\u2018", "'")


_CJK_START: Final = "\u2e80"
"""Letters and digits below this are word characters of Latin scripts (Latin, Cyrillic …); from
here on CJK, where a name needs no word boundary."""


class _LanguageMatcher:
    """The automaton over every entry of one language's lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lang = lexicon.lang
        self.latin = lexicon.lang != "zh"
        entries: list[tuple[Iterable[str], int, Mapping[str, float] | None]] = [
            (lexicon.terms, _TERM, lexicon.terms),
            (lexicon.intensifiers, _INTENSIFIER, lexicon.intensifiers),
            (lexicon.negators, _NEGATOR, None),
            (lexicon.neutral, _NEUTRAL, None),
            (lexicon.inverse_figures, _INVERSE_FIGURE, None),
        ]
        table: dict[str, tuple[int, float]] = {}  # a word in two lists takes the later list's role
        for words, kind, values in entries:
            for word in words:
                key = _fold_latin(word) if self.latin else word
                table[key] = (kind, values[word] if values is not None else 0.0)
        self.values = tuple(table.values())
        self.automaton = ahocorasick_rs.AhoCorasick(list(table)) if table else None

    def hits(self, text: str) -> list[_Hit]:
        """Leftmost-longest, non-overlapping matches (word-bounded for Latin scripts).

        Every raw match is a bare ``(start, -end, key)`` tuple; only the chosen ones become hits
        (most raw matches are words inside longer words, "rise" in "enterprise")."""
        if self.automaton is None:
            return []
        n = len(text)
        latin = self.latin
        found: list[tuple[int, int, int]] = []
        for key, start, end in self.automaton.find_matches_as_indexes(text, overlapping=True):
            if latin:
                if start > 0:
                    before = text[start - 1]
                    if before < _CJK_START and before.isalnum():
                        continue
                if end < n:
                    after = text[end]
                    if after < _CJK_START and after.isalnum():
                        continue
            found.append((start, -end, key))
        found.sort()  # by start, longest first (a start and an end name one key)
        values, lang = self.values, self.lang
        chosen: list[_Hit] = []
        last_end = -1
        for start, negative_end, key in found:
            if start >= last_end:
                kind, value = values[key]
                chosen.append(_Hit(start, -negative_end, kind, value, lang))
                last_end = -negative_end
        return chosen


class SentimentScorer:
    """Scores the tone of the article and of each mentioned listing (``Doc.sentiment``)."""

    name: str = "sentiment"
    reads: tuple[str, ...] = ("article", "text", "sentences", "mentions", "facts")
    adds: tuple[str, ...] = ("sentiment",)

    def __init__(self, lexicons: Mapping[str, Lexicon] | None = None) -> None:
        if lexicons is None:
            lexicons = {lang: load_lexicon(lang) for lang in LANGUAGES}
        self._matchers = tuple(_LanguageMatcher(lex) for lex in lexicons.values())

    def __call__(self, doc: Doc) -> None:
        sentences = doc.sentences or split_sentences(doc.text)
        doc.sentiment = self.score(doc.text, sentences, doc.mentions, doc.facts, original=doc.article.text)

    def score_text(self, text: str, mentions: Sequence[Mention] = (), facts: Sequence[Fact] = ()) -> Sentiment:
        """Convenience: split ``text`` into sentences and score it."""
        return self.score(text, split_sentences(text), mentions, facts)

    def score(
        self,
        text: str,
        sentences: Sequence[tuple[int, int]],
        mentions: Sequence[Mention] = (),
        facts: Sequence[Fact] = (),
        *,
        original: str | None = None,
    ) -> Sentiment:
        """Tone of ``text``; ``original`` (same length) is the text evidence spans quote."""
        hits = self._hits(text)
        per_sentence = [
            _sentence_contributions(text, inside) if inside else _NONE for inside in _hits_by_sentence(sentences, hits)
        ]
        weights = [LEAD_WEIGHTS[i] if i < len(LEAD_WEIGHTS) else 1.0 for i in range(len(sentences))]
        score = combine([_total(cs) if cs else 0 for cs in per_sentence], weights)
        moves = _moves_by_sentence(sentences, facts)
        by_subject, evidence = _by_subject(
            text, sentences, per_sentence, weights, mentions, moves, quote=original or text
        )
        return Sentiment(
            score=score,
            label=label_for(score),
            by_subject=by_subject,
            labels={listing: label_for(value) for listing, value in by_subject.items()},
            evidence=evidence,
        )

    def _hits(self, text: str) -> list[_Hit]:
        folded = _fold_latin(text)
        has_han = not text.isascii() and _HAN.search(text) is not None
        hits: list[_Hit] = []
        for matcher in self._matchers:
            if not matcher.latin and not has_han:
                continue  # no Chinese character: the Chinese lexicon cannot match
            hits.extend(matcher.hits(folded if matcher.latin else text))
        hits.sort(key=_hit_start)
        return hits


_hit_start = attrgetter("start")


def label_for(score: float) -> str:
    if score >= POSITIVE_THRESHOLD:
        return "positive"
    if score <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def combine(values: Sequence[float], weights: Sequence[float], *, smoothing: float = SMOOTHING) -> float:
    """``S / (A + k)``: weighted sum over weighted absolute sum plus smoothing, in (-1, 1)."""
    n = len(values)
    if len(weights) != n:
        raise ValueError(f"combine: {n} values but {len(weights)} weights")
    # ``sum`` of lists built by index: the same additions as before, in half the instructions of
    # two generators over ``zip`` when compiled.
    signed = sum([weights[i] * values[i] for i in range(n)])
    absolute = sum([weights[i] * abs(values[i]) for i in range(n)])
    return signed / (absolute + smoothing)


_NONE: Final[list[_Contribution]] = []
"""The contributions of a sentence without lexicon hits (shared, never changed)."""


def _total(contributions: Sequence[_Contribution]) -> float:
    """The sum of the contributions' values."""
    return sum(c.value for c in contributions)


def _hits_by_sentence(sentences: Sequence[tuple[int, int]], hits: Sequence[_Hit]) -> list[list[_Hit]]:
    """The ``hits`` (sorted by start) that lie inside each sentence."""
    out: list[list[_Hit]] = []
    ranges = starting_inside(sentences, [h.start for h in hits])
    for (lo, hi), (_, end) in zip(ranges, sentences, strict=True):
        out.append([hit for hit in hits[lo:hi] if hit.end <= end] if hi > lo else [])
    return out


def starting_inside(sentences: Sequence[tuple[int, int]], starts: Sequence[int]) -> list[tuple[int, int]]:
    """For each sentence ``(start, end)``, the ``(lo, hi)`` such that ``starts[lo:hi]`` (sorted) are
    those in ``start..end - 1``: ``lo = bisect_left(starts, start)``, ``hi = bisect_left(starts, end,
    lo)``. Sentences come in text order, so each is found by walking on from the one before
    (by bisection for a sentence that starts before the one before it)."""
    size = len(starts)
    out: list[tuple[int, int]] = []
    lo = 0
    previous = -1
    for start, end in sentences:
        if start < previous:
            lo = bisect_left(starts, start)
        else:
            while lo < size and starts[lo] < start:
                lo += 1
        previous = start
        hi = lo
        while hi < size and starts[hi] < end:
            hi += 1
        out.append((lo, hi))
    return out


def _sentence_contributions(text: str, inside: Sequence[_Hit]) -> list[_Contribution]:
    """Scored terms of one sentence, from the hits ``inside`` it (in text order)."""
    out: list[_Contribution] = []
    for i, hit in enumerate(inside):
        if hit.kind != _TERM or hit.value == 0.0:
            continue
        window = _WINDOWS.get(hit.lang, _WINDOWS["en"])
        negated, factor = _look_back(text, inside, i, window)
        if factor is None:
            factor = _look_ahead(text, inside, i, window)
        value = hit.value * (factor or 1.0)
        if _next_to_inverse_figure(text, inside, i, window):
            value = -value
        if negated:
            value *= NEGATED_POSITIVE if hit.value > 0 else NEGATED_NEGATIVE
        out.append(_Contribution(hit.start, hit.end, value))
    return out


def _gap_size(gap: str, window: _Window) -> int | None:
    """Words (English) or characters (Chinese) between two matches; None across a clause break."""
    if _CLAUSE.search(gap):
        return None
    if window.by_words:
        return len(_WORD.findall(gap))
    return len(gap.strip())


def _look_back(text: str, hits: Sequence[_Hit], i: int, window: _Window) -> tuple[bool, float | None]:
    """Is the term at ``i`` negated, and by what intensifier before it is it scaled?"""
    negated = False
    factor: float | None = None
    position = hits[i].start
    for j in range(i - 1, -1, -1):
        other = hits[j]
        if other.kind == _TERM:
            break
        gap = _gap_size(text[other.end : position], window)
        if gap is None or gap > window.negator:
            break
        if other.kind == _NEGATOR:
            negated = not negated
        elif other.kind == _INTENSIFIER and factor is None and gap <= window.intensifier_before:
            factor = other.value
        position = other.start
    return negated, factor


def _next_to_inverse_figure(text: str, hits: Sequence[_Hit], i: int, window: _Window) -> bool:
    """Is the term at ``i`` the direction of a figure whose rise is bad ("costs rose", "成本上升")?"""
    for j in (i - 1, i + 1):
        if 0 <= j < len(hits) and hits[j].kind == _INVERSE_FIGURE:
            left, right = (hits[j], hits[i]) if _order(hits[j]) < _order(hits[i]) else (hits[i], hits[j])
            gap = _gap_size(text[left.end : right.start], window)
            if gap is not None and gap <= window.figure:
                return True
    return False


def _order(hit: _Hit) -> tuple[int, int, int, float, str]:
    return hit.start, hit.end, hit.kind, hit.value, hit.lang


def _look_ahead(text: str, hits: Sequence[_Hit], i: int, window: _Window) -> float | None:
    if i + 1 >= len(hits):
        return None
    nxt = hits[i + 1]
    if nxt.kind != _INTENSIFIER:
        return None
    gap = _gap_size(text[hits[i].end : nxt.start], window)
    if gap is None or gap > window.intensifier_after:
        return None
    return nxt.value


def _clause_boundaries(text: str, span: tuple[int, int]) -> list[int]:
    """Clause boundary offsets inside ``span`` (sorted): where ``_CLAUSE.finditer`` finds them. In
    an ASCII sentence every boundary begins at a comma, a semicolon, a colon or one of the English
    clause words (lower-cased, ASCII case is all case-insensitive matching can fold there), so the
    pattern is tried only at those places, in order after the last boundary; other sentences are
    scanned whole."""
    start, end = span
    sentence = text[start:end]
    if _CLAUSE_STARTS is None or not sentence.isascii():
        return [m.start() for m in _CLAUSE.finditer(text, start, end)]
    lower = sentence.lower()
    places: list[int] = []
    for literal in _CLAUSE_STARTS:
        at = lower.find(literal)
        while at >= 0:
            places.append(at)
            at = lower.find(literal, at + 1)
    places.sort()
    found: list[int] = []
    resume = 0
    for at in places:
        if at < resume:
            continue
        m = _CLAUSE.match(text, start + at, end)
        if m is not None:
            found.append(m.start())
            resume = m.end() - start
    return found


# What may stand beside the names in a bare list: separators, "and", a code in brackets.
_LIST_FILLER = regex.compile(
    r"(?:[\s,，、;；:：&/]|\band\b|\bas well as\b|以及|及|和|与|與|同|[（(][^()（）]{0,16}[)）])*", regex.IGNORECASE
)


def _share_with_listed_names(
    text: str,
    span: tuple[int, int],
    boundaries: Sequence[int],
    inside: Sequence[Mention],
    listing_clauses: dict[str, set[int]],
) -> None:
    """"Pop Mart, JD Logistics and China Telecom will join the index": a clause that holds only
    names belongs with the clause after it, so every listed company gets the shared predicate."""
    if not boundaries:
        return
    edges = [span[0], *boundaries, span[1]]
    bare: dict[int, bool] = {}
    for clause in range(len(edges) - 1):
        lo, hi = edges[clause], edges[clause + 1]
        pieces, cursor = [], lo
        for m in inside:
            if lo <= m.start < hi:
                pieces.append(text[cursor : m.start])
                cursor = max(cursor, min(m.end, hi))
        pieces.append(text[cursor:hi])
        bare[clause] = cursor > lo and _LIST_FILLER.fullmatch("".join(pieces)) is not None
    for clauses in listing_clauses.values():
        for clause in sorted(clauses):
            following = clause
            while bare.get(following) and following + 1 < len(edges) - 1:
                following += 1
                clauses.add(following)


def _moves_by_sentence(
    sentences: Sequence[tuple[int, int]], facts: Sequence[Fact]
) -> dict[int, list[tuple[str, _Contribution]]]:
    """Each listing's own price moves, by sentence: the sign of the move is the clearest tone."""
    out: dict[int, list[tuple[str, _Contribution]]] = {}
    sentence_starts = [span[0] for span in sentences]
    for fact in facts:
        if fact.kind != "price_move" or not fact.pct or not fact.subject or "." not in fact.subject:
            continue
        index = max(bisect_left(sentence_starts, fact.start + 1) - 1, 0)
        value = MOVE_WEIGHT if fact.pct > 0 else -MOVE_WEIGHT
        out.setdefault(index, []).append((fact.subject, _Contribution(fact.start, fact.end, value)))
    return out


def _by_subject(
    text: str,
    sentences: Sequence[tuple[int, int]],
    per_sentence: Sequence[Sequence[_Contribution]],
    weights: Sequence[float],
    mentions: Sequence[Mention],
    moves: Mapping[int, Sequence[tuple[str, _Contribution]]],
    *,
    quote: str,
) -> tuple[dict[str, float], dict[str, tuple[SentimentEvidence, ...]]]:
    """Score and evidence per mentioned listing from the sentences (and clauses) that name it,
    plus the listing's own price moves."""
    # Brokers and venues are who said it or where it trades, not what the tone is about.
    mentions = [m for m in mentions if m.role is None]
    if not mentions and not moves:
        return {}, {}
    values: dict[str, list[float]] = {}
    subject_weights: dict[str, list[float]] = {}
    decided: dict[str, list[_Weighted]] = {}
    order = sorted(range(len(mentions)), key=[m.start for m in mentions].__getitem__)
    ranges = starting_inside(sentences, [mentions[i].start for i in order])
    for index, span in enumerate(sentences):
        lo, hi = ranges[index]
        sentence_moves = moves.get(index)
        if lo == hi and not sentence_moves:
            continue  # most sentences: no listing named, none moved
        own_moves: dict[str, list[_Contribution]] = {}
        for listing, move in sentence_moves or ():
            own_moves.setdefault(listing, []).append(move)
        inside = [mentions[i] for i in sorted(order[lo:hi])]  # bisect: linear in article length
        boundaries = _clause_boundaries(text, span) if len({m.listing for m in inside}) > 1 else []
        listing_clauses: dict[str, set[int]] = {}
        for m in inside:
            listing_clauses.setdefault(m.listing, set()).add(bisect_right(boundaries, m.start))
        _share_with_listed_names(text, span, boundaries, inside, listing_clauses)
        named_clauses = set().union(*listing_clauses.values())
        for listing in own_moves:
            listing_clauses.setdefault(listing, set())
        contributions = per_sentence[index]
        clause_of = [bisect_right(boundaries, c.start) for c in contributions] if boundaries else None
        weight = weights[index]
        for listing, clauses in listing_clauses.items():
            if not clauses:
                counted: list[_Contribution] = []
            elif clause_of is None:  # one clause: every term counts
                counted = list(contributions)
            else:
                counted = [
                    c for c, clause in zip(contributions, clause_of, strict=True)
                    if clause in clauses or clause not in named_clauses
                ]
            counted += own_moves.get(listing, ())
            values.setdefault(listing, []).append(_total(counted))
            subject_weights.setdefault(listing, []).append(weight)
            decided.setdefault(listing, []).extend([(c.start, c.end, c.value * weight) for c in counted])
    scores = {
        listing: combine(values[listing], subject_weights[listing], smoothing=SUBJECT_SMOOTHING) for listing in values
    }
    evidence = {listing: _deciding(decided[listing], scores[listing], quote) for listing in decided}
    for m in mentions:  # a listing named outside every sentence span still gets an entry
        scores.setdefault(m.listing, 0.0)
    return scores, {listing: spans for listing, spans in evidence.items() if spans}


EVIDENCE_SPANS: Final = 5

_Weighted = tuple[int, int, float]
"""A counted term for one listing: start, end and its weight in the listing's score."""


def _deciding(spans: Sequence[_Weighted], score: float, quote: str) -> tuple[SentimentEvidence, ...]:
    """The strongest spans that agree with the label (both signs when it is neutral), in text order,
    quoted from ``quote``."""
    label = label_for(score)
    agreeing = [
        s for s in spans
        if s[2] != 0.0 and (label == "neutral" or (s[2] > 0) == (label == "positive"))
    ]
    strongest = sorted(agreeing, key=lambda s: -abs(s[2]))[:EVIDENCE_SPANS]
    return tuple(
        records.evidence(quote[start:end], start, end, weight)
        for start, end, weight in sorted(strongest, key=lambda s: s[0])
    )
