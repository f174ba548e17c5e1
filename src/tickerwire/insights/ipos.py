"""``ipos``: the IPO pipeline, from ``ipo``/``listing_application`` events and ``ipo_raise`` facts.

A company's stage comes from the attributes extraction stored with the events reported about it
(``extract.ipo_details``: the stages a sentence reports as done for its company, with the days it
states): filed → hearing → bookbuilding → priced → listed, or lapsed / withdrawn. Announced or
hedged stages ("will debut", 拟于…挂牌) were never stored as done. The stage is the most advanced
one reported, unless a lapse or withdrawal is reported on a later day than any progress (an
article on a refiling that recalls the lapsed first attempt stays "filed").

The pipeline is read from the news of a window of days: ``since`` to ``until`` when asked, and
by default the ``PIPELINE_DAYS`` up to ``until`` (else the latest day with news). A listing
application lapses six months after it is filed, so an entry with no news for that long has
left the pipeline.

The store's IPO index (``store/ipo_index.py``: each IPO event's and raise's company and day)
gives the window's companies with their latest day, so the pipeline is paged (``ipo_page``) and
only the companies shown are read: each entry is built from its company's
``REPORTS_PER_ENTRY`` latest events and latest raises in the window, and counts its reports (up
to ``REPORT_COUNT_BOUND``). A company with more reports than that in six months (a store of
copied news) has its stage, dates and figures from the latest ones. The brief reads the
companies reported on its day only (``ipos_on``).

Only events whose sentence has one company as its subject build the pipeline: a sentence listing
several ("CATL, Hengrui and Sany have listed …") is market colour. Events naming no known issuer
join by the company name their sentence starts with.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, TypeVar

from tickerwire.insights.days import row_day
from tickerwire.insights.issuers import IssuerHeader, issuer_for_code
from tickerwire.insights.reader import StoreReader
from tickerwire.insights.readings import Reading, fact_reading, settle
from tickerwire.insights.records import Record
from tickerwire.insights.refs import SourceRef, source_ref, unique_refs
from tickerwire.store.rows import EventRow, FactRow
from tickerwire.taxonomy import IPO_FORWARD_STAGES as FORWARD_STAGES
from tickerwire.taxonomy import IPO_TERMINAL_STAGES as TERMINAL_STAGES
from tickerwire.taxonomy import ipo_stage_rank as stage_rank

__all__ = [
    "FORWARD_STAGES", "PIPELINE_DAYS", "REPORTS_PER_ENTRY", "REPORT_COUNT_BOUND",
    "TERMINAL_STAGES", "IpoEntry", "IpoEvent", "IpoPage", "StageDate", "ipo_page", "ipos",
    "ipos_on", "pipeline_since",
]

# How far back the pipeline reads by default: an application lapses six months after filing.
PIPELINE_DAYS = 183
# An entry is built from its company's latest events and latest raises, this many of each, and
# counts its reports up to the bound.
REPORTS_PER_ENTRY = 20
REPORT_COUNT_BOUND = 100  # at least the reports an entry lists (2 × REPORTS_PER_ENTRY)

_IssuerOf = Callable[[str], IssuerHeader | None]
RowT = TypeVar("RowT", EventRow, FactRow)

_RAISE_NET = re.compile(r"集资净额|集資淨額|募资净额|募資淨額|net proceeds|after fees|net of", re.I)
_RAISE_ACTUAL = re.compile(
    r"\braised\b|\braising\b|募得|筹得|籌得|集资总额|集資總額|集资|集資|募资|募資", re.I)
_RAISE_TARGET = re.compile(
    r"could|would|\bmay\b|might|seek|aim|plan|expect|up to|as much as|target|拟|擬|计划|計劃"
    r"|预计|預計|最多|至多", re.I)
# Amounts tagged as a raise that are not one: subscriptions, margin loans; and anything below
# a million is an offer price per share.
_NOT_RAISE = re.compile(r"认购|認購|subscri|孖展|margin", re.I)
MIN_RAISE = 1_000_000.0
_EXCHANGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("HKEX", re.compile(r"Hong Kong|HKEX|香港|港交所|联交所|聯交所|港股", re.I)),
    ("SSE", re.compile(r"Shanghai|上交所|上海证券交易所|上海證券交易所|沪市|滬市", re.I)),
    ("SZSE", re.compile(r"Shenzhen|深交所|深圳证券交易所|深圳證券交易所", re.I)),
    ("BSE", re.compile(r"Beijing Stock Exchange|北交所", re.I)),
    ("NASDAQ", re.compile(r"Nasdaq|纳斯达克|納斯達克", re.I)),
    ("NYSE", re.compile(r"New York Stock Exchange|NYSE|纽交所|紐交所", re.I)),
)
_H_SHARES = re.compile(r"\bH[- ]shares?\b|H股", re.I)
_BOARDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Main Board", re.compile(r"Main Board|主板", re.I)),
    ("GEM", re.compile(r"\bGEM\b", re.I)),
    ("STAR Market", re.compile(r"STAR Market|科创板|科創板", re.I)),
    ("ChiNext", re.compile(r"ChiNext|创业板|創業板", re.I)),
)

@dataclass(frozen=True, slots=True)
class StageDate(Record):
    stage: str
    day: date  # the day the stage happened: the date stated with it, else the day first reported
    sources: tuple[SourceRef, ...]  # the reports giving that day
    reported: date  # the first day an article reported the stage as done


@dataclass(frozen=True, slots=True)
class StageReport(Record):
    stage: str
    on: date  # the date the sentence states for the stage, else the article's day


@dataclass(frozen=True, slots=True)
class IpoEvent(Record):
    type: str
    stage: str | None  # the most advanced stage the event reports as done about the company
    day: date
    source: SourceRef
    reports: tuple[StageReport, ...] = ()  # every stage it reports as done, most advanced first
    offer_price: Reading | None = None  # the price per share it states
    price_range: Reading | None = None  # the marketed range it states (value to value_max)
    first_day_return: Reading | None = None  # the debut move it states (pct)


@dataclass(frozen=True, slots=True)
class IpoEntry(Record):
    company: str  # the issuer's name, else the name as the event text gives it
    issuer: str | None
    listings: tuple[str, ...]
    stage: str  # planned | filed | hearing | bookbuilding | priced | listed | lapsed | withdrawn
    exchange: str | None
    board: str | None
    target_raise: tuple[Reading, ...]  # best supported first; several when sources differ
    actual_raise: tuple[Reading, ...]  # gross proceeds once priced
    net_proceeds: tuple[Reading, ...]  # after fees
    offer_price: tuple[Reading, ...]  # per share, once priced
    price_range: tuple[Reading, ...]  # the range marketed while the books were open
    first_day_return: tuple[Reading, ...]  # the debut move against the offer price (pct)
    dates: tuple[StageDate, ...]  # in stage order
    events: tuple[IpoEvent, ...]  # newest first: the latest REPORTS_PER_ENTRY
    last_day: date
    sources: tuple[SourceRef, ...]
    # IPO events and raises about the company in the window, those listed included (counted up
    # to REPORT_COUNT_BOUND)
    reports: int = 0


@dataclass(frozen=True, slots=True)
class IpoPage(Record):
    since: date | None
    until: date | None
    as_of: datetime | None
    total: int  # entries across all pages
    limit: int | None  # None: every entry from offset on
    offset: int
    ipos: tuple[IpoEntry, ...]  # the page's entries, most recent activity first

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.ipos) < self.total


@dataclass(slots=True)
class _Draft:
    company: str
    issuer: str | None = None
    listings: tuple[str, ...] = ()
    events: list[IpoEvent] = field(default_factory=list)
    raises: list[FactRow] = field(default_factory=list)


def ipo_page(
    store: StoreReader,
    *,
    limit: int | None,
    offset: int = 0,
    since: date | None = None,
    until: date | None = None,
    as_of: datetime | None = None,
) -> IpoPage:
    """Entries ``offset`` … ``offset + limit`` (all from ``offset`` with ``limit`` None) of the
    pipeline of ``since`` to ``until`` (by default, ``pipeline_since``), most recent activity
    first; each built from its company's ``REPORTS_PER_ENTRY`` latest events and raises (see the
    module docstring)."""
    since = since or pipeline_since(store, until, as_of)
    companies = _window_companies(store, since, until, as_of)
    end = None if limit is None else offset + limit
    entries = _entries(store, companies[offset:end], since, until, as_of)
    return IpoPage(since=since, until=until, as_of=as_of, total=len(companies), limit=limit,
                   offset=offset, ipos=tuple(entries))


def ipos(
    store: StoreReader,
    *,
    since: date | None = None,
    until: date | None = None,
    as_of: datetime | None = None,
) -> list[IpoEntry]:
    """Every entry of the pipeline of ``since`` to ``until`` (``ipo_page`` without a bound)."""
    since = since or pipeline_since(store, until, as_of)
    return _entries(store, _window_companies(store, since, until, as_of), since, until, as_of)


def ipos_on(store: StoreReader, day: date, as_of: datetime | None = None) -> list[IpoEntry]:
    """The entries (as they stood on ``day``, over the window ending that day) with news on
    ``day``: only the companies reported that day are read."""
    companies = _companies(store.ipo_companies(since=day, until=day, as_of=as_of))
    entries = _entries(store, companies, pipeline_since(store, day, as_of), day, as_of)
    return [entry for entry in entries if entry.last_day == day]


def _window_companies(
    store: StoreReader, since: date | None, until: date | None, as_of: datetime | None
) -> list[_Company]:
    """The companies of the window; ``since`` is None only when no dated news is visible (the
    default window has no first day), and then there are none."""
    if since is None:
        return []
    return _companies(store.ipo_companies(since=since, until=until, as_of=as_of))


@dataclass(frozen=True, slots=True)
class _Company:
    key: str  # the entry's key: the issuer's id, else the code or name key
    name: str  # the issuer's name, else the code or the casefolded name
    index_keys: tuple[str, ...]  # its keys in the store's index (codes of its listings, or a name)
    last_day: date


def _companies(found: Sequence[tuple[str, date]]) -> list[_Company]:
    """The index's companies grouped into entries (an issuer's codes are one entry, read by all
    its codes), in the pipeline's order: latest activity first, then by name."""
    issuer_of = cache(issuer_for_code)
    companies: dict[str, _Company] = {}
    for index_key, day in found:
        issuer = None if index_key.startswith("name:") else issuer_of(index_key)
        if issuer is None:
            company = _Company(index_key, index_key.removeprefix("name:"), (index_key,), day)
        else:
            codes = tuple(listing.code for listing in issuer.listings)
            company = _Company(issuer.id, issuer.name, codes, day)
        if (seen := companies.get(company.key)) is None or seen.last_day < day:
            companies[company.key] = company
    return sorted(companies.values(), key=lambda c: (c.last_day, c.name), reverse=True)


def _entry_key(index_key: str, issuer_of: _IssuerOf) -> str:
    if index_key.startswith("name:"):
        return index_key
    issuer = issuer_of(index_key)
    return issuer.id if issuer else index_key


def _entries(
    store: StoreReader,
    companies: Sequence[_Company],
    since: date | None,
    until: date | None,
    as_of: datetime | None,
) -> list[IpoEntry]:
    """The entries of ``companies``, each from its latest reports, in the order given."""
    issuer_of = cache(issuer_for_code)  # a pipeline names few issuers, in many rows
    events: list[EventRow] = []
    raises: list[FactRow] = []
    counts: dict[str, int] = {}
    for company in companies:
        mine_events: list[EventRow] = []
        mine_raises: list[FactRow] = []
        count = 0
        for index_key in company.index_keys:
            found_events, found_raises, found = store.ipo_reports(
                index_key, limit=REPORTS_PER_ENTRY, count_upto=REPORT_COUNT_BOUND, since=since,
                until=until, as_of=as_of)
            mine_events += found_events
            mine_raises += found_raises
            count += found
        events += _latest(mine_events)
        raises += _latest(mine_raises)
        counts[company.key] = min(count, REPORT_COUNT_BOUND)
    drafts = _drafts(events, issuer_of)
    extraction_ids = [row.extraction_id for row in events]
    unattributed = [row for row in store.fact_rows(kinds=["ipo_raise"], since=since, until=until,
                                                   as_of=as_of, extraction_ids=extraction_ids)
                    if row.subject is None]
    keys_of = {eid: {_entry_key(k, issuer_of) for k in keys}
               for eid, keys in store.ipo_companies_of(extraction_ids).items()}
    _attach_raises(drafts, [*raises, *unattributed], keys_of, issuer_of)
    return [_entry(drafts[c.key], counts[c.key]) for c in companies
            if c.key in drafts and (drafts[c.key].events or drafts[c.key].raises)]


def _latest(rows: Sequence[RowT]) -> list[RowT]:
    """The ``REPORTS_PER_ENTRY`` latest of one company's rows (read per index key)."""
    def newest(row: RowT) -> tuple[date, int, int]:
        day = row.day if isinstance(row, FactRow) else None
        return (day or row_day(row), row.extraction_id, row.start)

    ordered = sorted(rows, key=newest, reverse=True)
    return ordered[:REPORTS_PER_ENTRY]


def pipeline_since(store: StoreReader, until: date | None, as_of: datetime | None) -> date | None:
    """The first day of the default window: ``PIPELINE_DAYS`` before ``until``, else before the
    latest day with news (None when there is none)."""
    last = until or store.latest_day(as_of=as_of)
    return None if last is None else last - timedelta(days=PIPELINE_DAYS - 1)




def event_reports(
    row: EventRow, issuer_of: _IssuerOf = issuer_for_code
) -> tuple[str | None, tuple[StageReport, ...]]:
    """The company key an event is about, and the stages it reports as done for that company,
    from the attributes extraction stored with it (a stage without a stated day happened on the
    article's day)."""
    attributes = row.attributes
    subject, name = attributes.get("subject"), attributes.get("company")
    if isinstance(subject, str):
        issuer = issuer_of(subject)
        key = issuer.id if issuer else subject
    elif isinstance(name, str):
        key = "name:" + name.casefold()
    else:
        return None, ()
    day = row_day(row)
    return key, tuple(StageReport(str(s["stage"]), _stated_day(s) or day)
                      for s in attributes.get("stages", ()))


def _stated_day(stage: Mapping[str, Any]) -> date | None:
    on = stage.get("on")
    return date.fromisoformat(on) if isinstance(on, str) else None


def _drafts(events: Sequence[EventRow], issuer_of: _IssuerOf) -> dict[str, _Draft]:
    drafts: dict[str, _Draft] = {}
    for row in events:
        key, reports = event_reports(row, issuer_of)
        if key is None:
            continue
        stage = max((r.stage for r in reports), key=stage_rank, default=None)
        source = source_ref(row, row.text, row.start, row.end)
        if key not in drafts:
            drafts[key] = _draft(key, row.attributes.get("company"), issuer_of)
        drafts[key].events.append(
            IpoEvent(row.type, stage, row_day(row), source, reports, **_prices(row.attributes, source))
        )
    return drafts


def _prices(attributes: Mapping[str, Any], source: SourceRef) -> dict[str, Reading]:
    """The offer price, price range and first-day return an event's attributes state."""
    currency = attributes.get("currency")
    found = {}
    if isinstance(price := attributes.get("offer_price"), float | int):
        found["offer_price"] = Reading(value=float(price), currency=currency, sources=(source,))
    low, high = attributes.get("price_low"), attributes.get("price_high")
    if isinstance(low, float | int) and isinstance(high, float | int):
        found["price_range"] = Reading(value=float(low), value_max=float(high), currency=currency,
                                       sources=(source,))
    if isinstance(pct := attributes.get("first_day_return"), float | int):
        found["first_day_return"] = Reading(pct=float(pct), horizon="since_listing", sources=(source,))
    return found


def _draft(key: str, name: str | None, issuer_of: _IssuerOf) -> _Draft:
    if key.startswith("name:"):
        return _Draft(name or key.removeprefix("name:"))
    issuer = issuer_of(key)
    if issuer is None:
        return _Draft(key)
    return _Draft(issuer.name, issuer.id, tuple(listing.code for listing in issuer.listings))


def _attach_raises(
    drafts: dict[str, _Draft],
    raises: Sequence[FactRow],
    keys_of: Mapping[int, set[str]],
    issuer_of: _IssuerOf,
) -> None:
    """A raise joins its issuer's entry, or the one entry its article reports on (``keys_of``:
    the entry keys of each extraction's IPO events)."""
    for row in raises:
        if not is_raise(row):
            continue
        issuer = issuer_of(row.subject) if row.subject else None
        if issuer is not None:
            codes = tuple(listing.code for listing in issuer.listings)
            drafts.setdefault(issuer.id, _Draft(issuer.name, issuer.id, codes)).raises.append(row)
        elif row.subject is None and len(keys := keys_of.get(row.extraction_id, set())) == 1:
            (key,) = keys
            if key in drafts:
                drafts[key].raises.append(row)


def _entry(draft: _Draft, reports: int) -> IpoEntry:
    events = sorted(draft.events, key=lambda e: (e.day, e.source.start), reverse=True)
    texts = [e.source.quote for e in events] + [row.text for row in draft.raises]
    days = [e.day for e in events] + [row_day(row) for row in draft.raises]
    kinds = [raise_kind(row.text) for row in draft.raises]
    target, actual, net = ([row for row, kind in zip(draft.raises, kinds, strict=True) if kind == k]
                           for k in ("target", "actual", "net"))
    refs = [e.source for e in events] + [fact_reading(row).sources[0] for row in draft.raises]
    return IpoEntry(
        company=draft.company,
        issuer=draft.issuer,
        listings=draft.listings,
        stage=current_stage(events),
        exchange=ipo_exchange(texts),
        board=_first_label(_BOARDS, texts),
        target_raise=_raise_readings(target),
        actual_raise=_raise_readings(actual),
        net_proceeds=_raise_readings(net),
        offer_price=settle(e.offer_price for e in events if e.offer_price),
        price_range=settle(e.price_range for e in events if e.price_range),
        first_day_return=settle(e.first_day_return for e in events if e.first_day_return),
        dates=stage_dates(events),
        events=tuple(events),
        last_day=max(days),
        sources=unique_refs(refs),
        reports=reports,
    )


def is_raise(row: FactRow) -> bool:
    """An ``ipo_raise`` fact that states proceeds (not a per-share price or a subscription)."""
    return (row.value is not None and abs(row.value) >= MIN_RAISE
            and not _NOT_RAISE.search(row.text))


def raise_kind(text: str) -> str:
    """target (sought or expected) | net (after fees) | actual (gross proceeds)."""
    if _RAISE_TARGET.search(text):
        return "target"
    if _RAISE_NET.search(text):
        return "net"
    return "actual" if _RAISE_ACTUAL.search(text) else "target"


def _raise_readings(rows: Sequence[FactRow]) -> tuple[Reading, ...]:
    newest_first = sorted(rows, key=row_day, reverse=True)
    return settle(fact_reading(row) for row in newest_first)


def current_stage(events: Sequence[IpoEvent]) -> str:
    """The most advanced stage reported, unless a later day reports a lapse or withdrawal."""
    forward = [e for e in events if e.stage in FORWARD_STAGES]
    ended = [e for e in events if e.stage in TERMINAL_STAGES]
    last_progress = max((e.day for e in forward), default=None)
    if ended:
        last_end = max(ended, key=lambda e: (e.day, e.stage == "withdrawn"))
        if last_progress is None or last_end.day > last_progress:
            return str(last_end.stage)
    if not forward:
        return "planned"
    return max((str(e.stage) for e in forward), key=FORWARD_STAGES.index)


def stage_dates(events: Iterable[IpoEvent]) -> tuple[StageDate, ...]:
    """Per stage: the earliest day it happened, as reported, with the reports giving that day."""
    reports = [(report, event) for event in events for report in event.reports]
    ordered = [*FORWARD_STAGES, *TERMINAL_STAGES]
    dates = []
    for stage in sorted({r.stage for r, _ in reports}, key=ordered.index):
        mine = sorted(((r, e) for r, e in reports if r.stage == stage),
                      key=lambda pair: (pair[0].on, pair[1].day, pair[1].source.start))
        first = mine[0][0].on
        refs = [e.source for r, e in mine if r.on == first]
        dates.append(StageDate(stage, first, unique_refs(refs), min(e.day for _, e in mine)))
    return tuple(dates)


def ipo_exchange(texts: Sequence[str]) -> str | None:
    """Where the shares list: H shares list in Hong Kong, else the first exchange named."""
    if any(_H_SHARES.search(text) for text in texts):
        return "HKEX"
    return _first_label(_EXCHANGES, texts)


def _first_label(labels: Sequence[tuple[str, re.Pattern[str]]], texts: Sequence[str]) -> str | None:
    """The label whose words appear earliest in the first text that names any of them."""
    for text in texts:
        hits = [(match.start(), label) for label, words in labels if (match := words.search(text))]
        if hits:
            return min(hits)[1]
    return None
