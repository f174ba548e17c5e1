"""The taxonomy: every fact kind and event type tickerwire extracts, and how each is treated.

One entry per kind or type gives its display label, what its subject is, its display class (how
the CLI, the dashboard and the brief render it) and whether ``tickerwire eval`` grades it. The
extractor, the store's filters, the API, the renderers and the grader all read these tables, so
adding a fact kind or an event type is one entry here plus its tests (docs/extract.md shows how).

The tables are typed Python data rather than a YAML file: the API and the model need the names at
import time (``Literal`` types, filters), mypy checks every entry, and loading them costs no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from tickerwire.errors import InvalidInputError

SubjectKind = Literal["company", "market", "index", "company_or_market"]
"""What a fact or event is about: a listed company, a market (HK, CN), an index, or either a
company or its market."""

FactDisplay = Literal["move", "level", "market_amount", "amount", "price", "ratio"]
"""How a fact's numbers are shown:

* ``move``: a signed percentage (and points, the price it moved to);
* ``level``: an index level;
* ``market_amount``: money counted over a market or a stock (turnover, Stock Connect flows),
  shown on the market board;
* ``amount``: other money (IPO proceeds, market value, profit, revenue);
* ``price``: a price per share;
* ``ratio``: a multiple (``12.5x``).
"""

FactGrade = Literal["moves", "index_levels", "amounts"]
"""The ``tickerwire eval`` field that grades a fact kind (``None``: not graded)."""

EventDisplay = Literal["move", "ipo", "flow", "risk", "corporate", "other"]
"""Where an event is shown: ``move`` with the movers and sector themes, ``ipo`` in the IPO
pipeline, ``flow`` with the Stock Connect numbers, ``risk`` among the brief's risks, ``corporate``
as company news (and among the risks when its article is negative), ``other`` likewise."""


@dataclass(frozen=True, slots=True)
class FactKind:
    name: str
    label: str
    subject: SubjectKind
    display: FactDisplay
    graded: FactGrade | None


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    label: str
    subject: SubjectKind
    display: EventDisplay
    graded: bool


FACTS: Final[tuple[FactKind, ...]] = (
    FactKind("price_move", "Price move", "company_or_market", "move", "moves"),
    FactKind("index_level", "Index level", "index", "level", "index_levels"),
    FactKind("turnover", "Turnover", "company_or_market", "market_amount", "amounts"),
    FactKind("southbound_net_inflow", "Southbound net inflow", "company_or_market", "market_amount", "amounts"),
    FactKind("northbound_net_inflow", "Northbound net inflow", "company_or_market", "market_amount", "amounts"),
    FactKind("ipo_raise", "IPO raise", "company_or_market", "amount", "amounts"),
    FactKind("market_cap", "Market value", "company", "amount", "amounts"),
    FactKind("net_profit", "Net profit", "company", "amount", "amounts"),
    FactKind("revenue", "Revenue", "company", "amount", "amounts"),
    FactKind("target_price", "Target price", "company", "price", "amounts"),
    FactKind("pe_ratio", "P/E ratio", "company", "ratio", None),
    FactKind("week52_high", "52-week high", "company", "price", None),
    FactKind("week52_low", "52-week low", "company", "price", None),
    FactKind("close_price", "Close price", "company", "price", None),
)

EVENTS: Final[tuple[EventType, ...]] = (
    EventType("price_move", "Price move", "company", "move", True),
    EventType("index_move", "Index move", "index", "move", True),
    EventType("sector_move", "Sector move", "market", "move", False),
    EventType("ipo", "IPO", "company", "ipo", True),
    EventType("listing_application", "Listing application", "company", "ipo", True),
    EventType("fund_flow", "Fund flow", "company_or_market", "flow", True),
    EventType("analyst_rating", "Analyst rating", "company", "corporate", True),
    EventType("target_price", "Target price", "company", "corporate", True),
    EventType("earnings", "Earnings", "company", "corporate", True),
    EventType("guidance", "Guidance", "company", "corporate", True),
    EventType("policy", "Policy", "market", "risk", True),
    EventType("geopolitics", "Geopolitics", "market", "risk", True),
    EventType("m_and_a", "M&A", "company", "corporate", True),
    EventType("index_inclusion", "Index inclusion", "company", "corporate", True),
    EventType("product_launch", "Product launch", "company", "corporate", True),
    EventType("other", "Other", "company_or_market", "other", True),
)

FACT_KINDS: Final[Mapping[str, FactKind]] = {kind.name: kind for kind in FACTS}
EVENT_TYPES: Final[Mapping[str, EventType]] = {etype.name: etype for etype in EVENTS}

FACT_KIND_NAMES: Final[tuple[str, ...]] = tuple(FACT_KINDS)
EVENT_TYPE_NAMES: Final[tuple[str, ...]] = tuple(EVENT_TYPES)
AMOUNT_KINDS: Final[tuple[str, ...]] = tuple(k.name for k in FACTS if k.graded == "amounts")
"""Money amounts: a value in plain units with a currency (a target price is one per share)."""
MOVE_KINDS: Final[frozenset[str]] = frozenset(k.name for k in FACTS if k.display in ("move", "level"))
"""Moves and index levels: the facts with a horizon (close, intraday, ytd …) whose pct is a move."""
COMPANY_AMOUNT_KINDS: Final[frozenset[str]] = frozenset(
    k.name for k in FACTS if k.graded == "amounts" and k.subject == "company")
"""Money amounts that are always about one company (a target price, profit, revenue, market value)."""
MARKET_AMOUNT_KINDS: Final[tuple[str, ...]] = tuple(k.name for k in FACTS if k.display == "market_amount")
GRADED_EVENT_TYPES: Final[frozenset[str]] = frozenset(t.name for t in EVENTS if t.graded)

IPO_FORWARD_STAGES: Final[tuple[str, ...]] = (
    "planned", "filed", "hearing", "bookbuilding", "priced", "listed")
"""The stages of an IPO on its way to a listing, in order of progress."""
IPO_TERMINAL_STAGES: Final[tuple[str, ...]] = ("lapsed", "withdrawn")
"""The stages that end an IPO without a listing."""


def ipo_stage_rank(stage: str) -> int:
    """Forward stages by progress; a lapse or withdrawal ranks below them all."""
    return IPO_FORWARD_STAGES.index(stage) if stage in IPO_FORWARD_STAGES else -1


def fact_kinds(*, display: FactDisplay | None = None, graded: FactGrade | None = None) -> tuple[str, ...]:
    """The names of the fact kinds with that display class and/or eval field, in table order."""
    return tuple(k.name for k in FACTS if (display is None or k.display == display)
                 and (graded is None or k.graded == graded))


def event_types(*displays: EventDisplay) -> tuple[str, ...]:
    """The names of the event types shown in any of ``displays``, in table order."""
    return tuple(t.name for t in EVENTS if t.display in displays)


def fact_kind(name: str) -> FactKind:
    """The fact kind called ``name``; an unknown name is an ``InvalidInputError``."""
    try:
        return FACT_KINDS[name]
    except KeyError:
        raise InvalidInputError(
            f"unknown fact kind {name!r}; known: {', '.join(FACT_KIND_NAMES)}") from None


def event_type(name: str) -> EventType:
    """The event type called ``name``; an unknown name is an ``InvalidInputError``."""
    try:
        return EVENT_TYPES[name]
    except KeyError:
        raise InvalidInputError(
            f"unknown event type {name!r}; known: {', '.join(EVENT_TYPE_NAMES)}") from None


def label(name: str | None) -> str:
    """The display label of a fact kind or event type (``Southbound net inflow``, ``M&A``).

    A name in both tables (``price_move``, ``target_price``) has the same label in each; a name in
    neither (a stored row from an older taxonomy) reads as its words: ``share_buyback`` →
    ``Share buyback``.
    """
    if not name:
        return ""
    entry = FACT_KINDS.get(name) or EVENT_TYPES.get(name)
    return entry.label if entry else name.replace("_", " ").capitalize()
