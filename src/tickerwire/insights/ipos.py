"""``ipos``: the IPO pipeline, from ``ipo``/``listing_application`` events and ``ipo_raise`` facts.

A company's stage comes from the words of the events reported about it (English, 简体, 繁體):
filed → hearing → priced → listed, or lapsed / withdrawn. The latest reported day decides; on
one day, a forward stage beats a lapse or withdrawal (an article on a refiling often recalls the
lapsed first attempt).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from tickerwire.insights.days import row_day
from tickerwire.insights.issuers import issuer_for_code
from tickerwire.insights.reader import StoreReader
from tickerwire.insights.readings import Reading, fact_reading, settle
from tickerwire.insights.records import Record
from tickerwire.insights.refs import SourceRef, source_ref, unique_refs
from tickerwire.store.rows import EventRow, FactRow

FORWARD_STAGES = ("planned", "filed", "hearing", "priced", "listed")
TERMINAL_STAGES = ("lapsed", "withdrawn")

# Checked in this order: the first match is the stage an event reports.
_STAGE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("listed", re.compile(
        r"\bdebut|began trading|start(?:ed|s) trading|first day of trading|trading debut"
        r"|挂牌|掛牌|首日|上市首日|登陆|登陸", re.I)),
    ("priced", re.compile(
        r"\bpriced\b|offer price|final price|pricing|定价|定價|发售价|發售價", re.I)),
    ("hearing", re.compile(r"listing hearing|passed (?:the |its )?hearing|聆讯|聆訊", re.I)),
    ("withdrawn", re.compile(r"withdr[ae]w|withdrawn|撤回|撤销|撤銷", re.I)),
    ("lapsed", re.compile(r"\blapsed?\b|失效", re.I)),
    ("filed", re.compile(
        r"\bfil(?:ed|es|ing)\b|submit(?:ted|s)?|refil|lodg(?:ed|es)|listing application"
        r"|递交|遞交|提交|上市申请|上市申請", re.I)),
)
_ACTUAL_RAISE = re.compile(r"\braised\b|\braises\b|募得|筹得|籌得|集资净额|集資淨額", re.I)
_TARGET_RAISE = re.compile(
    r"could|would|may|might|seek|aim|plan|expect|up to|as much as|target|拟|擬|计划|計劃|预计|預計"
    r"|最多|至多", re.I)
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
_NAME_EN = re.compile(
    r"^\s*(?:The\s+)?(?P<name>[A-Z][^,;:]{1,70}?)(?:\s*\([^)]*\))?\s*,?\s+(?:has |have |had |will |"
    r"is |was |on \w+ |formally |officially )*(?:filed|submitted|refiled|lodged|passed|priced|"
    r"debuted|made|began|started|launched|plans|planned|seeks|sought|raised|withdrew|set|listed)\b"
)
_NAME_ZH = re.compile(
    r"^\s*(?P<name>[^，,。；;：:\s]{2,30}?)(?:已|于|於|今日|昨日|正式|周[一二三四五六日]|週[一二三四五六日])*"
    r"(?:递交|遞交|提交|通过|通過|定价|定價|挂牌|掛牌|撤回|首日|登陆|登陸|招股)"
)


@dataclass(frozen=True, slots=True)
class StageDate(Record):
    stage: str
    day: date  # the first day the stage was reported
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True, slots=True)
class IpoEvent(Record):
    type: str
    stage: str | None
    day: date
    source: SourceRef


@dataclass(frozen=True, slots=True)
class IpoEntry(Record):
    company: str  # the issuer's name, else the name as the event text gives it
    issuer: str | None
    listings: tuple[str, ...]
    stage: str  # planned | filed | hearing | priced | listed | lapsed | withdrawn
    exchange: str | None
    board: str | None
    target_raise: tuple[Reading, ...]  # best supported first; several when sources differ
    actual_raise: tuple[Reading, ...]
    dates: tuple[StageDate, ...]  # in stage order
    events: tuple[IpoEvent, ...]  # newest first
    last_day: date
    sources: tuple[SourceRef, ...]


@dataclass(slots=True)
class _Draft:
    company: str
    issuer: str | None = None
    listings: tuple[str, ...] = ()
    events: list[IpoEvent] = field(default_factory=list)
    raises: list[FactRow] = field(default_factory=list)


def ipos(
    store: StoreReader,
    *,
    since: date | None = None,
    until: date | None = None,
    as_of: datetime | None = None,
) -> list[IpoEntry]:
    """IPO pipeline entries, most recent activity first."""
    events = store.event_rows(
        types=["ipo", "listing_application"], since=since, until=until, as_of=as_of
    )
    raises = store.fact_rows(kinds=["ipo_raise"], since=since, until=until, as_of=as_of)
    drafts = _drafts(events)
    _attach_raises(drafts, raises, events)
    entries = [_entry(draft) for draft in drafts.values() if draft.events or draft.raises]
    return sorted(entries, key=lambda e: (e.last_day, e.company), reverse=True)


def event_stage(row: EventRow) -> str | None:
    """The stage an event's words report, if any."""
    for stage, words in _STAGE_WORDS:
        if words.search(row.text):
            return stage
    return "filed" if row.type == "listing_application" else None


def company_name(text: str) -> str | None:
    """The company an unresolved IPO event is about, as its text names it."""
    match = _NAME_EN.match(text) or _NAME_ZH.match(text)
    return match.group("name").strip() if match else None


def _drafts(events: Sequence[EventRow]) -> dict[str, _Draft]:
    drafts: dict[str, _Draft] = {}
    for row in events:
        key, draft = _draft_for(row)
        if key is None:
            continue
        drafts.setdefault(key, draft).events.append(
            IpoEvent(row.type, event_stage(row), row_day(row),
                     source_ref(row, row.text, row.start, row.end))
        )
    return drafts


def _draft_for(row: EventRow) -> tuple[str | None, _Draft]:
    for code in row.subjects:
        issuer = issuer_for_code(code)
        if issuer is not None:
            codes = tuple(listing.code for listing in issuer.listings)
            return issuer.id, _Draft(issuer.name, issuer.id, codes)
    name = company_name(row.text)
    if name is None:
        return None, _Draft("")
    return "name:" + name.casefold(), _Draft(name)


def _attach_raises(
    drafts: dict[str, _Draft], raises: Sequence[FactRow], events: Sequence[EventRow]
) -> None:
    """A raise joins its issuer's entry, or the one entry its article reports on."""
    keys_by_article: dict[str, set[str]] = defaultdict(set)
    for key, draft in drafts.items():
        for event in draft.events:
            keys_by_article[event.source.article_id].add(key)
    for row in raises:
        issuer = issuer_for_code(row.subject) if row.subject else None
        if issuer is not None:
            codes = tuple(listing.code for listing in issuer.listings)
            drafts.setdefault(issuer.id, _Draft(issuer.name, issuer.id, codes)).raises.append(row)
        elif row.subject is None and len(keys_by_article[row.article_id]) == 1:
            (key,) = keys_by_article[row.article_id]
            drafts[key].raises.append(row)


def _entry(draft: _Draft) -> IpoEntry:
    events = sorted(draft.events, key=lambda e: (e.day, e.source.start), reverse=True)
    texts = [e.source.quote for e in events] + [row.text for row in draft.raises]
    days = [e.day for e in events] + [row_day(row) for row in draft.raises]
    actual = [row for row in draft.raises if is_actual_raise(row.text)]
    target = [row for row in draft.raises if not is_actual_raise(row.text)]
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
        dates=stage_dates(events),
        events=tuple(events),
        last_day=max(days),
        sources=unique_refs(refs),
    )


def is_actual_raise(text: str) -> bool:
    return bool(_ACTUAL_RAISE.search(text)) and not _TARGET_RAISE.search(text)


def _raise_readings(rows: Sequence[FactRow]) -> tuple[Reading, ...]:
    newest_first = sorted(rows, key=row_day, reverse=True)
    return settle(fact_reading(row) for row in newest_first)


def current_stage(events: Sequence[IpoEvent]) -> str:
    """The stage of the latest reported day; forward stages beat lapses on the same day."""
    staged = [e for e in events if e.stage is not None]
    if not staged:
        return "planned"
    latest = max(e.day for e in staged)
    return max((e.stage for e in staged if e.day == latest and e.stage), key=_stage_rank)


def _stage_rank(stage: str) -> tuple[int, int]:
    if stage in FORWARD_STAGES:
        return (1, FORWARD_STAGES.index(stage))
    return (0, TERMINAL_STAGES.index(stage))


def stage_dates(events: Iterable[IpoEvent]) -> tuple[StageDate, ...]:
    """The first day each stage was reported, with the events that reported it then."""
    firsts: dict[str, tuple[date, list[SourceRef]]] = {}
    for event in sorted(events, key=lambda e: (e.day, e.source.start)):
        if event.stage is None:
            continue
        first = firsts.setdefault(event.stage, (event.day, []))
        if first[0] == event.day:
            first[1].append(event.source)
    ordered = [*FORWARD_STAGES, *TERMINAL_STAGES]
    return tuple(
        StageDate(stage, day, unique_refs(refs))
        for stage, (day, refs) in sorted(firsts.items(), key=lambda kv: ordered.index(kv[0]))
    )


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
