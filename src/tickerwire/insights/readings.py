"""Readings: one reported value with every source that gives it, and the disagreement rule.

Sources often report the same thing (a close, an index level, the day's turnover). Their
readings are grouped: two readings *agree* when every field both of them state is equal (one
source giving "up 3.4% at HK$84.10" and another "closed at HK$84.10" agree); otherwise they
disagree and both are kept, each with its own sources. Values are never averaged. The first
reading of a result is the one the most articles give (ties: the earliest article), except that
when prices are stored a reading the close confirms comes before those it does not: the board
then shows the market's number first and marks each reading ✓ or ✗ (docs/prices.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tickerwire.insights.days import DAY_HORIZONS
from tickerwire.insights.records import Record
from tickerwire.insights.refs import SourceRef, instant_key, source_ref, unique_refs
from tickerwire.model import Verification
from tickerwire.store.rows import FactRow

_NUMERIC_FIELDS = ("value", "value_max", "pct", "points", "price")


@dataclass(frozen=True, slots=True)
class Reading(Record):
    """A value as one or more sources report it."""

    value: float | None = None
    value_max: float | None = None
    pct: float | None = None
    points: float | None = None
    price: float | None = None
    currency: str | None = None
    qualifier: str = "exact"
    sources: tuple[SourceRef, ...] = ()
    horizon: str | None = None  # a move's period: close, midday, intraday … (extract.timeframes)
    verification: Verification | None = None  # the prices' verdict on it (docs/prices.md)

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ref.article_id for ref in self.sources))


def fact_source(row: FactRow) -> SourceRef:
    return source_ref(row, row.text, row.start, row.end)


def fact_reading(row: FactRow) -> Reading:
    """The reading a fact states, as-is."""
    return Reading(
        value=row.value,
        value_max=row.value_max,
        pct=row.pct,
        points=row.points,
        price=row.price,
        currency=row.currency,
        qualifier=row.qualifier,
        sources=(fact_source(row),),
        horizon=row.horizon,
        verification=row.verification,
    )


# Which verdict a merged reading keeps: a disagreement with the market outweighs an agreement
# (the merged reading states every number of both), an agreement outweighs no check.
_VERDICT_WEIGHT = {"contradicted": 3, "wrong_day": 3, "confirmed": 2, "unverifiable": 1}


def decisive(*checks: Verification | None) -> Verification | None:
    """The verdict that speaks for several facts stating one reading."""
    return max(checks, key=lambda c: _VERDICT_WEIGHT.get(c.verdict, 0) if c else 0, default=None)


def _same(a: float | None, b: float | None) -> bool:
    return a is None or b is None or round(a, 4) == round(b, 4)


def agree(a: Reading, b: Reading) -> bool:
    """Every field both state is equal (figures to four decimals), and so is the currency."""
    return (all(_same(getattr(a, name), getattr(b, name)) for name in _NUMERIC_FIELDS)
            and not (a.currency and b.currency and a.currency != b.currency))


def merge(a: Reading, b: Reading) -> Reading | None:
    """One reading stating everything ``a`` and ``b`` state, or None when they disagree."""
    if not agree(a, b):
        return None
    group = _Group(a)
    group.add(b)
    return group.reading()


def _first(a: float | None, b: float | None) -> float | None:
    return a if a is not None else b


class _Group:
    """Readings that agree, folded one at a time as ``merge`` folds two (its first stated
    figures, currency and horizon, an exact qualifier when any before the last is exact, every
    source once, the decisive verdict) without copying the sources at each step."""

    __slots__ = ("head", "qualifier", "seen", "sources", "verification")

    def __init__(self, reading: Reading) -> None:
        self.head = reading  # the figures, currency and horizon the group states
        self.sources = list(unique_refs(reading.sources))
        self.seen = {_ref_key(ref) for ref in self.sources}
        self.qualifier = reading.qualifier
        self.verification = reading.verification

    def add(self, reading: Reading) -> None:
        head = self.head
        if (any(getattr(head, name) is None and getattr(reading, name) is not None
                for name in _NUMERIC_FIELDS)
                or (not head.currency and reading.currency) or (not head.horizon and reading.horizon)):
            self.head = Reading(
                value=_first(head.value, reading.value),
                value_max=_first(head.value_max, reading.value_max),
                pct=_first(head.pct, reading.pct),
                points=_first(head.points, reading.points),
                price=_first(head.price, reading.price),
                currency=head.currency or reading.currency,
                horizon=head.horizon or reading.horizon,
            )
        for ref in reading.sources:
            if (key := _ref_key(ref)) not in self.seen:
                self.seen.add(key)
                self.sources.append(ref)
        if self.qualifier != "exact":
            self.qualifier = reading.qualifier
        self.verification = decisive(self.verification, reading.verification)

    def reading(self) -> Reading:
        head = self.head
        return Reading(
            value=head.value, value_max=head.value_max, pct=head.pct, points=head.points,
            price=head.price, currency=head.currency,
            qualifier=self.qualifier,
            sources=tuple(self.sources),
            horizon=head.horizon,
            verification=self.verification,
        )


def _ref_key(ref: SourceRef) -> tuple[str, int, int]:
    return (ref.article_id, ref.start, ref.end)


def cluster(readings: Iterable[Reading]) -> list[Reading]:
    """Readings merged into groups that agree, in order of first appearance: each reading joins
    the first group it agrees with, else starts a group.

    Groups are indexed by each numeric field: by the value they state (rounded as ``merge``
    compares it) or as not stating it. A reading stating a field can only join a group stating
    the same value or none, so it tries those groups alone (of its fields, the one with the
    fewest), in group order; the result is that of trying every group in order.
    """
    groups: list[_Group] = []
    stating: dict[str, dict[float, list[int]]] = {name: {} for name in _NUMERIC_FIELDS}
    silent: dict[str, set[int]] = {name: set() for name in _NUMERIC_FIELDS}
    for reading in readings:
        index = _first_agreeing(groups, reading, stating, silent)
        if index is None:
            index, before = len(groups), None
            groups.append(_Group(reading))
        else:
            before = groups[index].head
            groups[index].add(reading)
        _index_group(index, before, groups[index].head, stating, silent)
    return [group.reading() for group in groups]


def _first_agreeing(
    groups: Sequence[_Group],
    reading: Reading,
    stating: dict[str, dict[float, list[int]]],
    silent: dict[str, set[int]],
) -> int | None:
    """The first group ``reading`` agrees with."""
    candidates: Iterable[int] = range(len(groups))
    fewest = len(groups) + 1
    for name in _NUMERIC_FIELDS:
        value = getattr(reading, name)
        if value is None:
            continue
        same, unstated = stating[name].get(round(value, 4), []), silent[name]
        if len(same) + len(unstated) < fewest:
            fewest = len(same) + len(unstated)
            candidates = sorted({*same, *unstated})
    for index in candidates:
        if agree(groups[index].head, reading):
            return index
    return None


def _index_group(
    index: int,
    before: Reading | None,
    head: Reading,
    stating: dict[str, dict[float, list[int]]],
    silent: dict[str, set[int]],
) -> None:
    """Index a new or grown group: a group keeps the figures it states and may gain new ones."""
    for name in _NUMERIC_FIELDS:
        value = getattr(head, name)
        if before is not None and getattr(before, name) is not None:
            continue
        if value is None:
            silent[name].add(index)
        else:
            silent[name].discard(index)
            stating[name].setdefault(round(value, 4), []).append(index)


def article_reading(rows: Sequence[FactRow], convert: Callable[[FactRow], Reading]) -> Reading:
    """What one article says about one thing: one reading, not a disagreement with itself.

    An article may give an intraday high and the close for the same stock: the close wins, and
    a session figure is only used when the article gives nothing better (``DAY_HORIZONS``;
    facts stored before horizons were kept count as closes). A rounded figure in
    the headline ("sinks 1.5%") yields to the body's exact one ("1.52%, at 25,889.48"). Among
    what is left, the reading the most facts support wins, then the fullest, then the first.
    """
    ordered = sorted(rows, key=lambda row: row.start)
    best = min(_session_rank(row) for row in ordered)
    settled = [row for row in ordered if _session_rank(row) == best]
    body = [row for row in settled if not in_headline(row)] or settled
    groups = cluster(convert(row) for row in body)
    return min(groups, key=lambda g: (-len(g.sources), -_stated(g), g.sources[0].start))


def _session_rank(row: FactRow) -> int:
    horizon = row.horizon or "close"
    return DAY_HORIZONS.index(horizon) if horizon in DAY_HORIZONS else len(DAY_HORIZONS)


def in_headline(row: FactRow) -> bool:
    """The fact is read from the article's title line."""
    title = row.title or ""
    return bool(title) and row.text in title and row.start <= len(title) + 4


def _stated(reading: Reading) -> int:
    return sum(getattr(reading, name) is not None for name in _NUMERIC_FIELDS)


def settle(readings: Iterable[Reading]) -> tuple[Reading, ...]:
    """Per-article readings grouped by agreement; the best-supported group first."""
    groups = cluster(readings)
    return tuple(sorted(groups, key=_support_key))


def _support_key(reading: Reading) -> tuple[bool, int, float]:
    earliest = min((instant_key(ref.published_at) for ref in reading.sources), default=0.0)
    confirmed = reading.verification is not None and reading.verification.verdict == "confirmed"
    return (not confirmed, -len(reading.article_ids), earliest)
