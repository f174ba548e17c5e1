"""Stories: one entry per piece of news, however many copies, reposts and translations it has.

Each article joins exactly one story when it is first stored (``StoryAssigner``, called by ingest):
the story of the best matching recent article (``story_match.same_story``: a language version,
a near-duplicate text, or the same facts about the same companies), or a new story it opens. A
story's id is ``st-`` and 16 hex digits of its first article's id, so the same articles in the
same order always give the same stories. Membership is written with the article, stamped with
the instant the article was first seen, so an ``as_of`` query sees each story as it stood then.

Novelty: an article's fact keys that no article stored before it, and published no later, had
stated, as a share of its fact keys. ``first_reports`` answers, for any fact key, which article
reported it first as of an instant. ``rebuild_stories`` forgets every story and assigns all
articles again in the order they were first seen (after a matching change or an upgrade);
``regroup_stories`` does so only when articles' extractions changed what matching reads of them
(``reprocess`` calls it).
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Protocol, TypeVar

from tickerwire.insights.reader import StoreReader
from tickerwire.insights.records import Record
from tickerwire.insights.story_match import (
    NEAR_DUPLICATE_WINDOW,
    FactKey,
    Findings,
    PairMatch,
    SignatureIndex,
    StorySignature,
    anchor_day,
    links,
    same_story,
    signature_of,
)
from tickerwire.model import Article
from tickerwire.store.codec import aware
from tickerwire.store.rows import StoredArticle, StoryJoin, StoryMemberRow, StoryRow
from tickerwire.timeutil import shifted

K = TypeVar("K")
V = TypeVar("V")
_REASON_RANK = {"locale": 3, "near_duplicate": 2, "facts": 1}
REBUILD_BATCH = 200
# Signatures an assigner keeps (a few KB each): beyond it, the days farthest from the article
# being matched are forgotten, and read from the store again if an article near them comes.
MAX_SIGNATURES = 100_000
# Past the bound, days are forgotten until this share of it is left, so that a pass over the days
# comes once per tenth of the bound read, not once per article.
FORGET_TO = 0.9
# Joins an assigner remembers that it never forgets: its caller may write a batch of joins after
# deciding them all (``assign_stories`` writes ``REBUILD_BATCH`` at a time).
RECENT_JOINS = 1_000


class StoryWriter(Protocol):
    """What assigning stories needs from a store, beyond reading."""

    def story_members_anchored(
        self, since: datetime, until: datetime, *, as_of: datetime | None = None
    ) -> list[StoryMemberRow]: ...

    def story_facts_stated(
        self, fact_keys: Collection[FactKey], *, until: datetime, as_of: datetime | None = None
    ) -> set[FactKey]: ...

    def story_members_linked(
        self, urls: Collection[str], *, as_of: datetime | None = None
    ) -> list[StoryMemberRow]: ...

    def join_stories(self, joins: Sequence[StoryJoin]) -> None: ...

    def clear_stories(self) -> None: ...

    def unassigned_articles(self) -> list[str]: ...

    def get_articles(
        self, article_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> dict[str, StoredArticle]: ...

    def story_memberships(
        self, article_ids: Sequence[str], *, as_of: datetime | None = None,
        with_signatures: bool = False,
    ) -> dict[str, StoryMemberRow]: ...

    def iter_current(
        self, as_of: datetime | None = None, *, unless_version: str | None = None
    ) -> Iterator[tuple[str, int, Article]]: ...


def story_id_for(article_id: str) -> str:
    """The id of the story an article opens."""
    return "st-" + hashlib.sha256(article_id.encode()).hexdigest()[:16]


class StoryAssigner:
    """Decides which story each new article joins, against the stories already stored.

    Near-duplicates and shared facts are looked for among the articles anchored within
    ``NEAR_DUPLICATE_WINDOW`` of the new one, in an index of signatures read from the store a day
    at a time and extended with every join it ``remember``s. Language versions (links) and
    novelty (fact keys stated before) look at every stored member, however far back, through the
    store's index of their keys (``story_facts_stated``, ``story_members_linked``), and at the
    last ``recent_joins`` joins remembered, which may not be written yet (a caller that writes
    each join before deciding the next can keep fewer).

    Past ``max_signatures`` the index forgets whole days, farthest from the article being matched
    first, but never the days of that article's window nor the recent joins; a forgotten day is
    read again when an article near it comes. So the bound changes no decision, only how often
    the store is read.
    """

    def __init__(self, store: StoryWriter, *, max_signatures: int = MAX_SIGNATURES,
                 recent_joins: int = RECENT_JOINS) -> None:
        self.store = store
        self.max_signatures = max_signatures
        self.index_markets = _index_markets()
        self.index = SignatureIndex()
        self._story_of: dict[str, str] = {}
        self._loaded_days: set[int] = set()
        self._recent = _RecentJoins(recent_joins)
        self._decided: StorySignature | None = None  # the last decision's, for ``remember``

    def decide(
        self, article_id: str, article: Article, findings: Findings | None, *, now: datetime,
        anchor_at: datetime | None = None, minhash: tuple[int, ...] | None = None,
    ) -> StoryJoin:
        """The story ``article`` joins if it is stored at ``now`` (not yet written);
        ``minhash``: its text's ``text_minhash``, when computed already."""
        now = aware(now)
        anchor = aware(anchor_at or article.published_at or now)
        signature = signature_of(article_id, article, findings, anchor_at=anchor,
                                 index_markets=self.index_markets, minhash=minhash)
        self._load_around(anchor)
        best = _best_match(signature, self._candidates(signature))
        facts, new = self._novelty(signature)
        novelty = None if facts == 0 else round(new / facts, 4)
        if best is None:
            story_id = story_id_for(article_id)
            story = StoryRow(story_id, _title(article), article_id, now, anchor)
            reason, matched, score = "first", None, None
        else:
            (other, story_id), match = best
            story = None
            reason, matched, score = match.reason, other.article_id, match.score
        member = StoryMemberRow(article_id, story_id, now, anchor, reason, matched, score,
                                novelty, facts, new, signature.to_dict(), signature.subjects())
        self._decided = signature
        return StoryJoin(member, story)

    def remember(self, join: StoryJoin) -> None:
        """Add a join to the index, so later articles can match it (written or about to be)."""
        member, decided = join.member, self._decided
        # What ``decide`` built is not parsed back from its dict.
        same = decided is not None and decided.article_id == member.article_id
        signature = decided if same and decided is not None else _signature(member)
        self._index(member, signature)
        self._recent.add(signature, member.story_id)
        if len(self.index) > self.max_signatures:
            self._forget_far_days(*_window_days(member.anchor_at))

    def _index(self, member: StoryMemberRow, signature: StorySignature) -> None:
        self._story_of[member.article_id] = member.story_id
        self.index.add(signature)

    def _load_around(self, anchor: datetime) -> None:
        """Read the days of ``anchor``'s window not in the index yet, then keep to the bound."""
        first, last = _window_days(anchor)
        missing = [day for day in range(first, last + 1) if day not in self._loaded_days]
        for start, end in _runs(missing):
            since = datetime.combine(date.fromordinal(start), time.min, UTC)
            until = datetime.combine(date.fromordinal(end), time.max, UTC)
            for member in self.store.story_members_anchored(since, until):
                self._index(member, _signature(member))
        self._loaded_days.update(missing)
        if len(self.index) > self.max_signatures:
            self._forget_far_days(first, last)

    def _forget_far_days(self, first: int, last: int) -> None:
        """Forget days outside ``first``–``last``, farthest first, until ``FORGET_TO`` of the
        bound is left."""
        keep = self._recent.ids()
        middle = (first + last) / 2
        target = int(self.max_signatures * FORGET_TO)
        for day in sorted(self.index.days(), key=lambda d: abs(d - middle), reverse=True):
            if len(self.index) <= target or first <= day <= last:
                break
            for article_id in self.index.drop_day(day, keep=keep):
                del self._story_of[article_id]
            self._loaded_days.discard(day)

    def _candidates(self, signature: StorySignature) -> list[_Candidate]:
        """Articles that could be ``signature``'s story, with their stories, in id order: those
        of the window, and the language versions linked to it whenever published."""
        found = {s.article_id: (s, self._story_of[s.article_id])
                 for s in self.index.candidates(signature)}
        urls = set(links(signature))
        if urls:
            for member in self.store.story_members_linked(urls):
                found.setdefault(member.article_id, (_signature(member), member.story_id))
            for other, story_id in self._recent.linked(urls):
                found.setdefault(other.article_id, (other, story_id))
        found.pop(signature.article_id, None)
        return [found[i] for i in sorted(found)]

    def _novelty(self, signature: StorySignature) -> tuple[int, int]:
        """(fact keys, keys no article stored before and published no later had stated)."""
        keys = signature.fact_keys
        stated = self.index.reported_before(signature) | self._recent.stated(signature)
        if keys - stated:
            stated |= self.store.story_facts_stated(keys - stated, until=signature.anchor_at)
        return len(keys), len(keys - stated)


_Candidate = tuple[StorySignature, str]  # a signature and its story's id


class _RecentJoins:
    """The last joins an assigner remembered, which its caller may not have written yet
    (``assign_stories`` writes a batch of them after deciding it), by fact key and link."""

    def __init__(self, size: int) -> None:
        self._joins: deque[_Candidate] = deque(maxlen=size)
        self._by_fact: dict[FactKey, list[StorySignature]] = {}
        self._by_link: dict[str, list[_Candidate]] = {}

    def add(self, signature: StorySignature, story_id: str) -> None:
        if not self._joins.maxlen:
            return
        if len(self._joins) == self._joins.maxlen:
            self._forget(*self._joins[0])
        self._joins.append((signature, story_id))
        for key in signature.fact_keys:
            self._by_fact.setdefault(key, []).append(signature)
        for url in set(links(signature)):
            self._by_link.setdefault(url, []).append((signature, story_id))

    def _forget(self, signature: StorySignature, story_id: str) -> None:
        for key in signature.fact_keys:
            _remove(self._by_fact, key, signature)
        for url in set(links(signature)):
            _remove(self._by_link, url, (signature, story_id))

    def ids(self) -> set[str]:
        return {signature.article_id for signature, _story_id in self._joins}

    def stated(self, signature: StorySignature) -> set[FactKey]:
        """The fact keys of ``signature`` a recent join anchored no later states."""
        return {key for key in signature.fact_keys
                if any(r.anchor_at <= signature.anchor_at for r in self._by_fact.get(key, ()))}

    def linked(self, urls: set[str]) -> list[_Candidate]:
        """Recent joins one of whose links is among ``urls``."""
        return [c for url in sorted(urls) for c in self._by_link.get(url, ())]


def _remove(lists: dict[K, list[V]], key: K, value: V) -> None:
    values = lists[key]
    values.remove(value)
    if not values:
        del lists[key]


def _best_match(
    signature: StorySignature, candidates: Sequence[_Candidate]
) -> tuple[_Candidate, PairMatch] | None:
    """The candidate ``signature`` matches best (in id order, so ties are stable)."""
    best: tuple[_Candidate, PairMatch] | None = None
    for candidate in candidates:
        match = same_story(signature, candidate[0])
        if match is None:
            continue
        if best is None or _rank(match) > _rank(best[1]):
            best = (candidate, match)
    return best


def _signature(member: StoryMemberRow) -> StorySignature:
    return StorySignature.from_dict(member.article_id, member.anchor_at, member.signature)


def _window_days(anchor: datetime) -> tuple[int, int]:
    """The first and last days (date ordinals) of ``anchor``'s matching window."""
    return (anchor_day(shifted(anchor, -NEAR_DUPLICATE_WINDOW)),
            anchor_day(shifted(anchor, NEAR_DUPLICATE_WINDOW)))


def _runs(days: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive ``days`` (ascending) as (first, last)."""
    start = end = None
    for day in days:
        if end is not None and day == end + 1:
            end = day
            continue
        if start is not None and end is not None:
            yield start, end
        start = end = day
    if start is not None and end is not None:
        yield start, end


def _index_markets() -> dict[str, str]:
    from tickerwire.refdata.master import load_master

    return {i: info.market for i, info in load_master().indices.items()}


def _rank(match: PairMatch) -> tuple[int, float]:
    return _REASON_RANK[match.reason], match.score


def _title(article: Article) -> str | None:
    if article.title:
        return article.title
    first = article.text.strip().split("\n", 1)[0].strip()
    return first[:200] or None


@dataclass(frozen=True, slots=True)
class RebuildSummary(Record):
    articles: int
    stories: int


def rebuild_stories(
    store: StoryWriter, *, progress: Callable[[int], None] | None = None
) -> RebuildSummary:
    """Forget every story and assign all stored articles again (``assign_stories``)."""
    store.clear_stories()
    return assign_stories(store, progress=progress)


def assign_stories(
    store: StoryWriter, *, progress: Callable[[int], None] | None = None
) -> RebuildSummary:
    """Give every stored article without a story the story it joins, oldest first-seen first,
    each decided as of the instant it was first seen from its current revision and extraction
    (what ingest does as it stores them), a batch of joins per transaction. ``progress`` is
    called with the number of articles done after each batch."""
    assigner = StoryAssigner(store)
    ids = store.unassigned_articles()
    opened = 0
    for start in range(0, len(ids), REBUILD_BATCH):
        batch = ids[start:start + REBUILD_BATCH]
        found = store.get_articles(batch)
        joins = []
        for stored in (found[i] for i in batch if i in found):
            join = assigner.decide(stored.id, stored.to_article(), stored.extraction,
                                   now=stored.first_seen_at,
                                   anchor_at=stored.published_at or stored.first_seen_at)
            assigner.remember(join)
            joins.append(join)
            opened += join.story is not None
        store.join_stories(joins)
        if progress is not None:
            progress(min(start + REBUILD_BATCH, len(ids)))
    return RebuildSummary(articles=len(ids), stories=opened)


def regroup_stories(
    store: StoryWriter, *, progress: Callable[[int], None] | None = None
) -> RebuildSummary | None:
    """Make the stories follow the articles' current extractions (after ``reprocess``).

    Compares what matching reads of each article — its fact keys, headline companies, event
    types, kind of story — as stored with its membership and as its current extraction says. When
    any differs, or an article has no story, every story is rebuilt (``rebuild_stories``: one
    changed article can move others that matched through it) and the summary returned; when none
    differs, nothing is written and None returned.
    """
    index_markets = _index_markets()
    ids = [article_id for article_id, _revision, _article in store.iter_current()]
    for start in range(0, len(ids), REBUILD_BATCH):
        batch = ids[start:start + REBUILD_BATCH]
        found = store.get_articles(batch)
        members = store.story_memberships(batch, with_signatures=True)
        for article_id in batch:
            stored, member = found.get(article_id), members.get(article_id)
            if stored is None:
                continue
            if member is None or _changed(stored, member, index_markets):
                return rebuild_stories(store, progress=progress)
    return None


def _changed(stored: StoredArticle, member: StoryMemberRow, index_markets: dict[str, str]) -> bool:
    before = _signature(member)
    now = signature_of(member.article_id, stored.to_article(), stored.extraction,
                       anchor_at=member.anchor_at, index_markets=index_markets,
                       minhash=before.minhash_values())
    return now != before


# -- reading stories -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryMembership(Record):
    """Which story an article joined and what it added: what live alerts need."""

    article_id: str
    story_id: str
    first_report: bool  # the article opened its story
    reason: str  # first | locale | near_duplicate | facts
    matched_article_id: str | None
    novelty: float | None
    new_facts: int
    joined_at: datetime


def story_of(
    store: StoreReader, article_id: str, *, as_of: datetime | None = None
) -> StoryMembership | None:
    """The story ``article_id`` joined (None: not stored, not yet visible, or not assigned)."""
    row = store.story_memberships([article_id], as_of=as_of).get(article_id)
    return None if row is None else _membership(row)


def _membership(row: StoryMemberRow) -> StoryMembership:
    return StoryMembership(row.article_id, row.story_id, row.reason == "first", row.reason,
                           row.matched_article_id, row.novelty, row.new_facts, row.joined_at)


def first_reports(
    store: StoreReader,
    keys: Iterable[FactKey],
    *,
    around: Sequence[datetime],
    as_of: datetime | None = None,
) -> dict[FactKey, str]:
    """For each fact key, the article that reported it first (earliest publication, then
    earliest seen) among the articles visible ``as_of`` and published within two weeks of the
    instants ``around`` (a story's publication times)."""
    wanted = set(keys)
    if not wanted or not around:
        return {}
    since = shifted(min(around), -2 * NEAR_DUPLICATE_WINDOW)
    until = shifted(max(around), 2 * NEAR_DUPLICATE_WINDOW)
    best: dict[FactKey, tuple[datetime, datetime, str]] = {}
    for member in store.story_members_anchored(since, until, as_of=as_of):
        signature = _signature(member)
        order = (member.anchor_at, member.joined_at, member.article_id)
        for key in signature.fact_keys & wanted:
            if key not in best or order < best[key]:
                best[key] = order
    return {key: order[2] for key, order in best.items()}

