"""The records of ``tickerwire.model`` (``Fact``, ``Mention`` …) made without their dataclass ``__init__``.

They are frozen dataclasses: the ``__init__`` that ``@dataclass`` generates is Python code that
sets each field through ``object.__setattr__`` (2.7 µs for a ``Fact`` called from compiled code
with keyword arguments), and an article makes about seventy of them, plus the copies later
components make to change one field. The functions here make the same objects — the same class
with the same field values, so equal, hashed, pickled and printed alike — by allocating the
instance and writing each slot through its descriptor, which from this compiled module takes
about 1.9 µs (each slot is still one call into the interpreter). None of these classes has a
``__post_init__`` or a field outside ``__init__``; ``tests/extract/test_records.py`` checks each
function against its class field by field, so a field added to ``model.py`` that is missing here
fails there. As everywhere in the compiled modules, pass each value with its annotated type: a
``float`` parameter is a C double there, so an ``int`` passed for it comes back a ``float``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import date
from operator import attrgetter
from typing import Any, Final, TypeVar

from tickerwire.model import Event, Fact, IndexMention, Mention, Relevance, SentimentEvidence, Verification

_Record = TypeVar("_Record")


class _Slots:
    """How to write one record class's slots: its fields in order and each one's setter."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.names: tuple[str, ...] = tuple(f.name for f in fields(cls))
        # A slot's member descriptor; its __set__ writes the slot whatever the class's __setattr__.
        self.setters: tuple[Callable[[object, object], None], ...] = tuple(
            getattr(cls, name).__set__ for name in self.names
        )
        self.positions: dict[str, int] = {name: i for i, name in enumerate(self.names)}
        self.values: Callable[[object], tuple[object, ...]] = attrgetter(*self.names)

    def make(self, values: tuple[object, ...]) -> Any:
        """A new record with ``values``, one per field, in field order."""
        made: object = object.__new__(self.cls)
        setters = self.setters
        for i in range(len(setters)):
            setters[i](made, values[i])
        return made

    def copy(self, record: object, changes: Mapping[str, object]) -> Any:
        """``dataclasses.replace(record, **changes)``."""
        values = list(self.values(record))
        positions = self.positions
        for name, value in changes.items():
            values[positions[name]] = value
        return self.make(tuple(values))


_FACT: Final = _Slots(Fact)
_MENTION: Final = _Slots(Mention)
_INDEX_MENTION: Final = _Slots(IndexMention)
_EVENT: Final = _Slots(Event)
_EVIDENCE: Final = _Slots(SentimentEvidence)
_RELEVANCE: Final = _Slots(Relevance)
_BY_CLASS: Final = {s.cls: s for s in (_FACT, _MENTION, _INDEX_MENTION, _EVENT, _EVIDENCE, _RELEVANCE)}


def fact(
    kind: str,
    subject: str | None,
    value: float | None = None,
    pct: float | None = None,
    points: float | None = None,
    price: float | None = None,
    currency: str | None = None,
    qualifier: str = "exact",
    text: str = "",
    start: int = 0,
    end: int = 0,
    value_max: float | None = None,
    previous: float | None = None,
    horizon: str | None = None,
    day: date | None = None,
    verification: Verification | None = None,
) -> Fact:
    """``Fact(...)``."""
    made: Fact = _FACT.make(
        (kind, subject, value, pct, points, price, currency, qualifier, text, start, end, value_max, previous,
         horizon, day, verification)
    )
    return made


def mention(
    issuer: str,
    name: str,
    listing: str,
    listings: tuple[str, ...],
    text: str,
    start: int,
    end: int,
    confidence: float,
    via: str = "name",
    role: str | None = None,
) -> Mention:
    """``Mention(...)``."""
    made: Mention = _MENTION.make((issuer, name, listing, listings, text, start, end, confidence, via, role))
    return made


def index_mention(index: str, text: str, start: int, end: int) -> IndexMention:
    """``IndexMention(...)``."""
    made: IndexMention = _INDEX_MENTION.make((index, text, start, end))
    return made


def event(
    type: str,
    subjects: tuple[str, ...],
    text: str,
    start: int,
    end: int,
    attributes: Mapping[str, Any] | None = None,
) -> Event:
    """``Event(...)`` (no ``attributes``: a new empty dict, as the field's default factory makes)."""
    made: Event = _EVENT.make((type, subjects, text, start, end, {} if attributes is None else attributes))
    return made


def evidence(text: str, start: int, end: int, weight: float) -> SentimentEvidence:
    """``SentimentEvidence(...)``."""
    made: SentimentEvidence = _EVIDENCE.make((text, start, end, weight))
    return made


def relevance(issuer: str, level: str, count: int, related_claimed: bool, confirmed: bool) -> Relevance:
    """``Relevance(...)``."""
    made: Relevance = _RELEVANCE.make((issuer, level, count, related_claimed, confirmed))
    return made


_HORIZON_AT: Final[int] = _FACT.positions["horizon"]
"""Where ``Fact``'s horizon is, its day right after it (``tests/extract/test_records.py`` checks)."""


def dated(fact_: Fact, horizon: str | None, day: date | None) -> Fact:
    """``replaced(fact_, horizon=horizon, day=day)``, without the keyword mapping (the timeframes
    component copies most facts so)."""
    values = _FACT.values(fact_)
    made: Fact = _FACT.make((*values[:_HORIZON_AT], horizon, day, *values[_HORIZON_AT + 2 :]))
    return made


def replaced(record: _Record, **changes: object) -> _Record:
    """``dataclasses.replace(record, **changes)`` for a record made by one of the functions above."""
    made: _Record = _BY_CLASS[type(record)].copy(record, changes)
    return made
