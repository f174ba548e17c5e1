"""Whether two articles tell the same story: near-duplicate text, or the same facts.

An article's ``StorySignature`` holds what matching needs and nothing else, so it can be stored
next to the story membership and read back without re-extracting:

- a MinHash (datasketch, 128 permutations, fixed seed) of its folded text's 3-token shingles,
  where a token is one Han character or one Latin word or number. Folding (简/繁, full-width,
  case) comes first, so a 繁體 copy of a 简体 article is a near-duplicate of it;
- its fact keys: (kind, subject, market day, horizon, rounded number) for every fact with a
  subject and a day, so "SMIC fell 2.4% to HK$75.25 on 7 Nov" has the same keys in English and
  Chinese, and the close of 24 Oct never shares a key with the close of 27 Oct;
- its headline subjects (issuers named in the title, brokers left out), event types, its URL and
  the URLs of its other-language versions (the publisher's ``locales`` links).

``same_story`` decides one pair; ``insights.stories`` uses it against an index of recent stories.
Nothing here touches the store, and every result depends only on the inputs (no Python ``hash``),
so assignment is the same under any ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import re
import sys
import threading
from array import array
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from operator import eq
from typing import TYPE_CHECKING, Any, Literal, Protocol

from tickerwire.model import Article, Event, Fact, IndexMention, Mention, canonical_url
from tickerwire.store.codec import aware
from tickerwire.store.folding import fold
from tickerwire.taxonomy import MOVE_KINDS, event_types
from tickerwire.timeutil import shifted

if TYPE_CHECKING:  # datasketch brings numpy and scipy: imported when a MinHash is first made
    from datasketch import MinHash

NUM_PERM = 128
MINHASH_SEED = 1
MINHASH_SCHEME: Literal["affine32"] = "affine32"  # stored signatures depend on it: a change needs a rebuild
SHINGLE_TOKENS = 3
NEAR_DUPLICATE = 0.5  # estimated Jaccard of shingles at or above which two texts are one story
FACT_OVERLAP = 0.5  # weight of the shared fact keys / weight of the lighter article's keys
MIN_SHARED_WEIGHT = 2.0  # e.g. two company figures, or one and four index figures
MIN_SPECIFIC_WEIGHT = 1.0  # of the shared weight, beyond index figures
# How much one shared fact says that two articles tell one story: a figure of one company is
# specific to its news; a market's turnover or Stock Connect flow is stated by that day's market
# stories; an index level or move is quoted by nearly every article of the day.
COMPANY_WEIGHT = 1.0
MARKET_WEIGHT = 0.5
INDEX_WEIGHT = 0.25
WRAP_SUBJECTS = 8
NEAR_DUPLICATE_WINDOW = timedelta(days=7)  # syndicated copies may lag the original
FACT_WINDOW = timedelta(days=3)  # a Friday close may be retold on Monday

MatchReason = Literal["near_duplicate", "locale", "facts"]
FactKey = tuple[str, str, str, str, str]

# The event a company figure is the news of: a results figure is the news of an article that
# reports earnings, and only background in an IPO prospectus summary.
_FIGURE_OF_NEWS = {
    "price_move": "price_move", "close_price": "price_move", "revenue": "earnings",
    "net_profit": "earnings", "target_price": "target_price", "ipo_raise": "ipo",
}
# Event types every market story has: sharing them says nothing about the news being the same.
_MARKET_EVENTS = frozenset(event_types("move", "flow", "other"))

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[a-z0-9]+(?:[.,][0-9]+)*")


class Findings(Protocol):
    """What matching reads from an extraction (``Extraction`` or a stored one)."""

    @property
    def mentions(self) -> tuple[Mention, ...]: ...
    @property
    def indices(self) -> tuple[IndexMention, ...]: ...
    @property
    def facts(self) -> tuple[Fact, ...]: ...
    @property
    def events(self) -> tuple[Event, ...]: ...


@dataclass(frozen=True, slots=True)
class StorySignature:
    """What story matching knows about one article."""

    article_id: str
    anchor_at: datetime  # publication time, else first-seen time
    lang: str | None
    url: str | None  # canonical
    locale_urls: frozenset[str]  # canonical URLs of the article's language versions
    minhash: bytes  # the MinHash's hash values, packed (``pack_minhash``)
    fact_keys: frozenset[FactKey]
    headline: frozenset[str]  # issuers named in the title, brokers left out
    event_types: frozenset[str]
    wrap: bool = False  # a market story (see ``is_market_wrap``), not a company story
    markets: frozenset[str] = frozenset()  # a market story's market(s): HK, CN, US …

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "url": self.url,
            "locale_urls": sorted(self.locale_urls),
            "minhash": list(self.minhash_values()),
            "fact_keys": sorted(list(k) for k in self.fact_keys),
            "headline": sorted(self.headline),
            "event_types": sorted(self.event_types),
            "wrap": self.wrap,
            "markets": sorted(self.markets),
        }

    @classmethod
    def from_dict(cls, article_id: str, anchor_at: datetime, data: dict[str, Any]) -> StorySignature:
        return cls(
            article_id=article_id,
            anchor_at=anchor_at,
            lang=_interned(data.get("lang")),
            url=data.get("url"),
            locale_urls=frozenset(data.get("locale_urls", ())),
            minhash=pack_minhash(int(v) for v in data.get("minhash", ())),
            fact_keys=frozenset(_fact_key_of(k) for k in data.get("fact_keys", ())),
            headline=frozenset(map(sys.intern, data.get("headline", ()))),
            event_types=frozenset(map(sys.intern, data.get("event_types", ()))),
            wrap=bool(data.get("wrap", False)),
            markets=frozenset(map(sys.intern, data.get("markets", ()))),
        )

    def minhash_values(self) -> tuple[int, ...]:
        """The MinHash's hash values (``text_minhash``'s)."""
        return tuple(memoryview(self.minhash).cast("I"))

    def subjects(self) -> tuple[str, ...]:
        """What the article is about: the companies its title names and its facts' subjects."""
        return tuple(sorted(self.headline | {key[1] for key in self.fact_keys}))


@dataclass(frozen=True, slots=True)
class PairMatch:
    """Why two articles are one story, and how strongly (Jaccard, or share of fact keys)."""

    reason: MatchReason
    score: float


def _fact_key_of(parts: Sequence[str]) -> FactKey:
    a, b, c, d, e = (sys.intern(str(p)) for p in parts)
    return a, b, c, d, e


def _interned(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


def pack_minhash(values: Iterable[int]) -> bytes:
    """MinHash hash values packed as unsigned 32-bit integers: 512 bytes for 128 values, where a
    tuple of Python ints takes ten times that. Every value fits (``MINHASH_SCHEME`` hashes to 32
    bits), and the bytes never leave the process (stored signatures keep the numbers)."""
    return array("I", values).tobytes()


def shingles(text: str) -> list[bytes]:
    """The distinct 3-token shingles of folded ``text`` (a token is a Han character or a Latin
    word), in no particular order."""
    tokens = _TOKEN.findall(fold(text))
    if len(tokens) < SHINGLE_TOKENS:
        return [" ".join(tokens).encode()] if tokens else []
    starts = [tokens[i:] for i in range(SHINGLE_TOKENS)]
    return list({" ".join(words).encode() for words in zip(*starts, strict=False)})


def text_minhash(text: str) -> tuple[int, ...]:
    """The MinHash of ``text``'s shingles, as the hash values a signature stores. It depends on
    the text alone, so the process that extracts an article can compute it (``signature_of``
    takes it)."""
    minhash = _reusable_minhash()
    minhash.clear()
    minhash.update_batch(shingles(text))
    values: list[int] = minhash.hashvalues.tolist()
    return tuple(values)


_THREAD = threading.local()


def _reusable_minhash() -> MinHash:
    """This thread's MinHash with the permutations of every MinHash made here (drawn once from
    ``MINHASH_SEED``), cleared and reused for each text: making one per text cost about a fifth
    of the hashing."""
    minhash: MinHash | None = getattr(_THREAD, "minhash", None)
    if minhash is None:
        from datasketch import MinHash

        minhash = _THREAD.minhash = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED,
                                            scheme=MINHASH_SCHEME)
    return minhash


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{round(value, digits):.{digits}f}"


def _significant(value: float | None) -> str:
    return "" if value is None else f"{value:.3g}"


# Figures measured on one market day (a close, a move, a day's turnover or flow) keep their day
# in the key; reported figures (results, a target price, an IPO's size) are the same news whichever
# day an article restates them, so their key has no day and only the matching window bounds them.
_MARKET_DAY_KINDS = frozenset({
    "price_move", "index_level", "close_price", "turnover", "southbound_net_inflow",
    "northbound_net_inflow", "week52_high", "week52_low", "market_cap", "pe_ratio",
})


def fact_key(fact: Fact) -> FactKey | None:
    """The words-free identity of a fact: same kind, subject, day, horizon and number (the day
    only for figures of one market day, ``_MARKET_DAY_KINDS``).

    None for facts that cannot identify a story: no subject, no day, or a bound ("over 5%").
    """
    if fact.subject is None or fact.day is None or fact.qualifier in ("over", "under"):
        return None
    if fact.kind == "price_move":
        number = _number(fact.pct, 1) if fact.pct is not None else _number(fact.price, 2)
    elif fact.kind == "index_level":
        number = _number(fact.value, 0)
    elif fact.kind in ("close_price", "target_price", "week52_high", "week52_low", "pe_ratio"):
        number = _number(fact.value if fact.value is not None else fact.price, 2)
    else:
        number = _significant(fact.value)
    if not number:
        return None
    day = fact.day.isoformat() if fact.kind in _MARKET_DAY_KINDS else ""
    return fact.kind, fact.subject, day, fact.horizon or "", number


def fact_weight(key: FactKey) -> float:
    """How specific fact ``key`` is to one story: a company's figure (``COMPANY_WEIGHT``), a
    market's money figure (``MARKET_WEIGHT``) or an index level or move (``INDEX_WEIGHT``)."""
    kind, subject = key[0], key[1]
    if "." in subject:  # a listing code; index and market ids have no dot
        return COMPANY_WEIGHT
    return INDEX_WEIGHT if kind in MOVE_KINDS else MARKET_WEIGHT


def _weight(keys: Iterable[FactKey]) -> float:
    return sum(fact_weight(key) for key in keys)


def signature_of(
    article_id: str,
    article: Article,
    extraction: Findings | None,
    *,
    anchor_at: datetime,
    index_markets: Mapping[str, str] | None = None,
    minhash: tuple[int, ...] | None = None,
) -> StorySignature:
    """The signature of one article (``extraction`` None: text and links only).

    ``index_markets`` maps index ids to their market (HSI → HK); without it no market is known.
    ``minhash``: the MinHash of the same text, already computed (it depends on the text only).
    """
    title_end = _title_end(article.text)
    facts = extraction.facts if extraction is not None else ()
    mentions = extraction.mentions if extraction is not None else ()
    events = extraction.events if extraction is not None else ()
    headline = frozenset(m.issuer for m in mentions if m.start < title_end and m.role is None)
    indices = extraction.indices if extraction is not None else ()
    in_title = [i.index for i in indices if i.start < title_end]
    title_figures = {f.subject for f in facts if f.start < title_end}
    subjects = {f.subject for f in facts if f.subject is not None}
    wrap = is_market_wrap(headline, title_indices=bool(title_figures & set(in_title)),
                          subjects=len(subjects))
    return StorySignature(
        article_id=article_id,
        anchor_at=aware(anchor_at),
        lang=article.lang,
        url=canonical_url(article.url) if article.url else None,
        locale_urls=frozenset(canonical_url(link.url) for link in article.locales if link.url),
        minhash=pack_minhash(minhash if minhash is not None else text_minhash(article.text)),
        fact_keys=frozenset(_fact_key_of(k) for k in (fact_key(f) for f in facts) if k is not None),
        headline=headline,
        event_types=frozenset(e.type for e in events),
        wrap=wrap,
        markets=_markets(in_title, [f.subject for f in facts if f.subject],
                         index_markets or {}) if wrap else frozenset(),
    )


def _markets(in_title: Sequence[str], subjects: Sequence[str],
             index_markets: Mapping[str, str]) -> frozenset[str]:
    """The markets of the indices a title names, else of the index the facts state most."""
    named = {index_markets[i] for i in in_title if i in index_markets}
    if named:
        return frozenset(named)
    counts: dict[str, int] = {}
    for subject in subjects:
        if subject in index_markets:
            market = index_markets[subject]
            counts[market] = counts.get(market, 0) + 1
    if not counts:
        return frozenset()
    top = max(counts.values())
    return frozenset(m for m, n in counts.items() if n == top)


def is_market_wrap(headline: frozenset[str], *, title_indices: bool, subjects: int) -> bool:
    """A market story is about the market of the day, even when it leads with a company: its title
    states an index's move or level, or names no company, or the article states figures for
    ``WRAP_SUBJECTS`` or more subjects. (A title that only names an index, "Hang Seng Index
    review: brokers tip …", does not make a market story.)"""
    return title_indices or not headline or subjects >= WRAP_SUBJECTS


def _title_end(text: str) -> int:
    end = text.find("\n")
    return end if end > 0 else min(len(text), 200)


def same_story(a: StorySignature, b: StorySignature) -> PairMatch | None:
    """The strongest reason ``a`` and ``b`` are one story, or None.

    In order: the publisher links them as language versions of one page; their texts are
    near-duplicates (within ``NEAR_DUPLICATE_WINDOW``); or, within ``FACT_WINDOW``, both are
    market stories about one market or both are stories about a common headline company, and
    they state the same facts (``facts_match``).
    """
    gap = abs(a.anchor_at - b.anchor_at)
    if _linked(a, b):
        return PairMatch("locale", 1.0)
    if gap <= NEAR_DUPLICATE_WINDOW:
        jaccard = text_jaccard(a, b)
        if jaccard >= NEAR_DUPLICATE:
            return PairMatch("near_duplicate", round(jaccard, 4))
    if gap > FACT_WINDOW or not _same_focus(a, b):
        return None
    return facts_match(a, b)


def facts_match(a: StorySignature, b: StorySignature) -> PairMatch | None:
    """Whether the facts ``a`` and ``b`` share make them one story; the score is the share of the
    fact keys of the article with fewer that the other states too.

    Each shared fact weighs what it says (``fact_weight``), and index figures alone never decide:
    the shared facts must weigh ``MIN_SPECIFIC_WEIGHT`` beyond them. Then either they weigh
    ``MIN_SHARED_WEIGHT`` and cover ``FACT_OVERLAP`` of the article with fewer keys, or two
    company stories share a company figure that is the news both report (``_common_news``): one
    results figure of two earnings stories, one target of two target-change stories, or one share
    move of two stories that are only that move, stated in English and in Chinese.
    """
    shared = a.fact_keys & b.fact_keys
    if _weight(k for k in shared if fact_weight(k) > INDEX_WEIGHT) < MIN_SPECIFIC_WEIGHT:
        return None
    overlap = round(len(shared) / min(len(a.fact_keys), len(b.fact_keys)), 4)
    if _weight(shared) >= MIN_SHARED_WEIGHT and overlap >= FACT_OVERLAP:
        return PairMatch("facts", overlap)
    if a.wrap or b.wrap:
        return None
    news = _common_news(a, b)
    if any(fact_weight(k) == COMPANY_WEIGHT and _FIGURE_OF_NEWS.get(k[0]) in news for k in shared):
        return PairMatch("facts", overlap)
    return None


def _common_news(a: StorySignature, b: StorySignature) -> frozenset[str]:
    """The news both report: their common event types beyond moves and flows; when neither has
    any, their common move events (a story that is only a share move)."""
    a_news, b_news = a.event_types - _MARKET_EVENTS, b.event_types - _MARKET_EVENTS
    if a_news or b_news:
        return a_news & b_news
    return a.event_types & b.event_types


def text_jaccard(a: StorySignature, b: StorySignature) -> float:
    if not a.minhash or not b.minhash:
        return 0.0
    equal: int = sum(map(eq, memoryview(a.minhash).cast("I"),  # map stops at the shorter
                         memoryview(b.minhash).cast("I")))
    return equal / NUM_PERM


def _linked(a: StorySignature, b: StorySignature) -> bool:
    if a.url is not None and a.url in b.locale_urls:
        return True
    if b.url is not None and b.url in a.locale_urls:
        return True
    return bool(a.locale_urls & b.locale_urls)


def _same_focus(a: StorySignature, b: StorySignature) -> bool:
    if a.wrap != b.wrap:
        return False
    if a.markets and b.markets and not a.markets & b.markets:
        return False
    if a.headline and b.headline:
        return bool(a.headline & b.headline)
    return a.wrap


def anchor_day(anchor: datetime) -> int:
    """The UTC day of ``anchor`` as a date ordinal: what ``SignatureIndex`` files it under."""
    return anchor.astimezone(UTC).date().toordinal()


@cache
def _lsh_bands() -> tuple[int, int]:
    """(bands, rows per band) of datasketch's MinHash LSH for ``NEAR_DUPLICATE``: the bands
    whose equality makes two texts candidates (datasketch chooses them to minimise the false
    positives and negatives around the threshold)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=NEAR_DUPLICATE, num_perm=NUM_PERM)
    return lsh.b, lsh.r


class SignatureIndex:
    """Signatures of articles filed by the UTC day of their anchor.

    ``candidates`` and ``reported_before`` read the articles anchored within
    ``NEAR_DUPLICATE_WINDOW`` of an article, the window every match lies in, so a day far from
    the articles being matched can be forgotten (``drop_day``) and read again later without
    changing any answer. Text candidates are those of datasketch's MinHash LSH (the same bands,
    compared over a day's signatures at once rather than kept in hash tables); fact and URL
    candidates share a fact key or a URL with the article.
    """

    def __init__(self) -> None:
        self._days: dict[int, dict[str, StorySignature]] = {}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, signature: StorySignature) -> None:
        """File ``signature`` (a second add of the same article is a no-op)."""
        day = self._days.setdefault(anchor_day(signature.anchor_at), {})
        if signature.article_id not in day:
            day[signature.article_id] = signature
            self._size += 1

    def days(self) -> list[int]:
        """The days (date ordinals) with signatures."""
        return list(self._days)

    def drop_day(self, day: int, *, keep: Container[str] = ()) -> list[str]:
        """Forget the signatures anchored on ``day`` but those of the articles in ``keep``;
        returns the ids forgotten."""
        signatures = self._days.get(day, {})
        dropped = [i for i in signatures if i not in keep]
        for article_id in dropped:
            del signatures[article_id]
        if not signatures:
            self._days.pop(day, None)
        self._size -= len(dropped)
        return dropped

    def candidates(self, signature: StorySignature) -> list[StorySignature]:
        """Indexed articles within ``NEAR_DUPLICATE_WINDOW`` of ``signature`` that could be the
        same story, in id order."""
        near = [s for s in self._within(signature.anchor_at, NEAR_DUPLICATE_WINDOW,
                                        NEAR_DUPLICATE_WINDOW)
                if s.article_id != signature.article_id]
        found = {s.article_id: s for s in _text_candidates(signature, near)}
        urls = frozenset(links(signature))
        for other in near:
            if not other.fact_keys.isdisjoint(signature.fact_keys) or (urls and (
                    other.url in urls or not other.locale_urls.isdisjoint(urls))):
                found[other.article_id] = other
        return [found[i] for i in sorted(found)]

    def reported_before(self, signature: StorySignature) -> frozenset[FactKey]:
        """The fact keys of ``signature`` that an indexed article anchored no later, and at
        most ``NEAR_DUPLICATE_WINDOW`` earlier, states too."""
        stated: set[FactKey] = set()
        for other in self._within(signature.anchor_at, NEAR_DUPLICATE_WINDOW, timedelta(0)):
            stated |= other.fact_keys & signature.fact_keys
        return frozenset(stated)

    def _within(self, anchor: datetime, before: timedelta,
                after: timedelta) -> Iterator[StorySignature]:
        since, until = shifted(anchor, -before), shifted(anchor, after)
        for day in range(anchor_day(since), anchor_day(until) + 1):
            for other in self._days.get(day, {}).values():
                if since <= other.anchor_at <= until:
                    yield other


def _text_candidates(signature: StorySignature,
                     others: Sequence[StorySignature]) -> list[StorySignature]:
    """The ``others`` whose MinHash equals ``signature``'s in a whole LSH band."""
    import numpy as np

    bands, rows = _lsh_bands()
    width = bands * rows
    if len(signature.minhash) != 4 * NUM_PERM:
        return []
    hashed = [s for s in others if len(s.minhash) == 4 * NUM_PERM]
    if not hashed:
        return []
    query = np.frombuffer(signature.minhash, dtype=np.uint32)[:width].reshape(bands, rows)
    matrix = np.frombuffer(b"".join(s.minhash for s in hashed), dtype=np.uint32)
    matrix = matrix.reshape(len(hashed), NUM_PERM)[:, :width].reshape(len(hashed), bands, rows)
    hits = (matrix == query).all(axis=2).any(axis=1)
    return [hashed[i] for i in np.flatnonzero(hits)]


def links(signature: StorySignature) -> Iterable[str]:
    """The article's URL and its language versions' URLs: what a locale match shares."""
    if signature.url is not None:
        yield signature.url
    yield from sorted(signature.locale_urls)
