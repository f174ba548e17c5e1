"""``brief``: a market wrap for one day, composed from stored facts and events only.

Structure: headline; market context (indices, turnover, Stock Connect flows); notable movers
with their reported drivers; sector themes (``sector_move`` events); IPO pipeline; risks
(geopolitics, policy, and events in negative articles). Every number is a stored fact's value,
written by ``display`` and followed by a citation marker; quoted words are the article's own,
exactly (see ``quotes``). Sentences come from fixed templates.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from tickerwire import display as fmt
from tickerwire import taxonomy
from tickerwire.insights import brief_render
from tickerwire.insights.days import pick_day
from tickerwire.insights.ipos import IpoEntry, ipos_on
from tickerwire.insights.market import AmountRow, IndexRow, MarketBoard, market_board
from tickerwire.insights.movers import Mover, movers_board
from tickerwire.insights.quotes import Quote, quote, trim
from tickerwire.insights.reader import StoreReader
from tickerwire.insights.readings import Reading
from tickerwire.insights.records import Record
from tickerwire.insights.refs import SourceRef, source_ref
from tickerwire.store.rows import EventRow, FactRow
from tickerwire.taxonomy import event_types

_Words = Callable[[Reading], str]
_FactsOf = Mapping[str, Sequence[FactRow]]  # an article's facts, by article id

MOVERS_SHOWN = 8
RISK_TYPES = frozenset(event_types("risk"))
_NOT_RISKS = frozenset(event_types("move", "ipo", "flow"))
_MARKETS = {"HK": "Hong Kong", "CN": "mainland", "SH": "Shanghai", "SZ": "Shenzhen",
            "BJ": "Beijing", "US": "US"}
_FLOW_NAMES = {"southbound_net_inflow": "Southbound", "northbound_net_inflow": "Northbound"}


@dataclass(frozen=True, slots=True)
class BriefPart(Record):
    """A run of words followed by its citation markers (1-based indexes into ``sources``)."""

    text: str
    refs: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class BriefLine(Record):
    parts: tuple[BriefPart, ...]

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)


@dataclass(frozen=True, slots=True)
class BriefSection(Record):
    key: str  # market | movers | sectors | ipos | risks
    title: str
    lines: tuple[BriefLine, ...]


@dataclass(frozen=True, slots=True)
class Brief(Record):
    day: date
    as_of: datetime | None
    title: str
    headline: BriefLine
    sections: tuple[BriefSection, ...]
    sources: tuple[SourceRef, ...]  # marker n cites sources[n - 1]
    # Per source: its article's story (the article id when it has none) and how many other
    # articles tell that story ("+N sources"). The sources list shows one entry per story.
    source_stories: tuple[str, ...] = ()
    more_sources: tuple[int, ...] = ()
    has_news: bool = True  # False: no article is dated to ``day``; the sections are empty
    previous_news_day: date | None = None  # the nearest earlier day with news (when no news)
    next_news_day: date | None = None  # the nearest later day with news (when no news)

    def render_text(self) -> str:
        return brief_render.as_text(self)

    def render_markdown(self) -> str:
        return brief_render.as_markdown(self)

    def render_html(self) -> str:
        return brief_render.as_html(self)


@dataclass(slots=True)
class _Citations:
    refs: list[SourceRef] = field(default_factory=list)
    index: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def cite(self, refs: Iterable[SourceRef]) -> tuple[int, ...]:
        out: list[int] = []
        for ref in refs:
            key = (ref.article_id, ref.start, ref.end)
            if key not in self.index:
                self.refs.append(ref)
                self.index[key] = len(self.refs)
            if self.index[key] not in out:
                out.append(self.index[key])
        return tuple(out)

    def part(self, text: str, refs: Iterable[SourceRef] = ()) -> BriefPart:
        return BriefPart(text, self.cite(refs))

    def quoted(self, found: Quote, lead: str = "") -> BriefPart:
        return self.part(f"{lead}“{found.display}”", found.refs)


def brief(store: StoreReader, day: date | None = None, *, as_of: datetime | None = None) -> Brief:
    """The market wrap for ``day`` (default: the latest day with articles) as of ``as_of``."""
    day = pick_day(store, day, as_of)
    on_or_before = store.latest_day(until=day, as_of=as_of)
    if on_or_before != day:
        return _no_news(day, as_of, on_or_before, store.next_day(after=day, as_of=as_of))
    # The day's facts and events, read once for the board, the movers and the quotes.
    facts = store.fact_rows(since=day, until=day, as_of=as_of)
    events = store.event_rows(since=day, until=day, as_of=as_of)
    board = market_board(day, as_of, facts)
    top = movers_board(day, as_of, facts, events, limit=MOVERS_SHOWN).movers
    by_article = _by_article(facts)
    negative = _negative_articles(store, day, as_of)
    cite = _Citations()
    headline = _headline(cite, board, top)
    sections = (
        BriefSection("market", "Market context", _market_lines(cite, board)),
        BriefSection("movers", "Notable movers", _mover_lines(cite, top, by_article)),
        BriefSection("sectors", "Sector themes",
                     _event_lines(cite, _sector_events(events), by_article)),
        BriefSection("ipos", "IPO pipeline",
                     _ipo_lines(cite, ipos_on(store, day, as_of), by_article)),
        BriefSection("risks", "Risks mentioned",
                     _event_lines(cite, _risks(events, negative), by_article)),
    )
    draft = Brief(day, as_of, _title(day), headline, sections, tuple(cite.refs))
    return _numbered_by_story(_with_stories(store, draft))


def _title(day: date) -> str:
    return f"Market brief — {brief_render.long_day(day)}"


def _no_news(day: date, as_of: datetime | None, before: date | None, after: date | None) -> Brief:
    """A brief that says once that no news is dated to ``day`` and names the nearest days that
    have some (``before`` and ``after``), instead of a row of empty sections."""
    headline = BriefLine((BriefPart(f"No news is dated {brief_render.long_day(day)}."),))
    return Brief(day, as_of, _title(day), headline, (), (), has_news=False,
                 previous_news_day=before, next_news_day=after)


def _with_stories(store: StoreReader, draft: Brief) -> Brief:
    """Give each source its article's story and how many other articles tell that story, so
    the sources list shows each story once, with "+N sources". Citations are left as they are:
    a number stated by several articles of one story keeps every quote that supports it."""
    articles = list(dict.fromkeys(ref.article_id for ref in draft.sources))
    memberships = store.story_memberships(articles, as_of=draft.as_of)
    story_of = {a: memberships[a].story_id if a in memberships else a for a in articles}
    sizes: dict[str, int] = {}
    for member in store.story_members(sorted({m.story_id for m in memberships.values()}),
                                      as_of=draft.as_of):
        sizes[member.story_id] = sizes.get(member.story_id, 0) + 1
    return dataclasses.replace(
        draft,
        source_stories=tuple(story_of[ref.article_id] for ref in draft.sources),
        more_sources=tuple(max(0, sizes.get(story_of[ref.article_id], 1) - 1)
                           for ref in draft.sources),
    )


def _numbered_by_story(draft: Brief) -> Brief:
    """Renumber citations so each story's quotes, and within it each article's, are
    consecutive in the sources list."""
    order: dict[tuple[str, str], list[int]] = {}
    stories = draft.source_stories or tuple(ref.article_id for ref in draft.sources)
    first: dict[str, int] = {}
    for n, (ref, story) in enumerate(zip(draft.sources, stories, strict=True), 1):
        first.setdefault(story, n)
        order.setdefault((story, ref.article_id), []).append(n)
    order = dict(sorted(order.items(), key=lambda item: (first[item[0][0]], item[1][0])))
    old_numbers = [n for numbers in order.values() for n in numbers]
    new = {old: i for i, old in enumerate(old_numbers, 1)}

    def line(old: BriefLine) -> BriefLine:
        return BriefLine(tuple(BriefPart(p.text, tuple(new[n] for n in p.refs)) for p in old.parts))

    sections = tuple(
        BriefSection(s.key, s.title, tuple(line(x) for x in s.lines)) for s in draft.sections
    )
    sources = tuple(draft.sources[n - 1] for n in old_numbers)
    more = tuple(draft.more_sources[n - 1] for n in old_numbers) if draft.more_sources else ()
    story_ids = tuple(stories[n - 1] for n in old_numbers) if draft.source_stories else ()
    return dataclasses.replace(draft, headline=line(draft.headline), sections=sections,
                               sources=sources, source_stories=story_ids, more_sources=more)


def _negative_articles(store: StoreReader, day: date, as_of: datetime | None) -> set[str]:
    hits = store.search(None, since=day, until=day, sentiment="negative", limit=1000, as_of=as_of)
    return {hit.id for hit in hits}


# -- headline and market context ------------------------------------------------------------


def _headline(cite: _Citations, board: MarketBoard, top: Sequence[Mover]) -> BriefLine:
    parts: list[BriefPart] = []
    lead = next((row for row in board.indices if row.pct is not None or row.level), None)
    if lead is not None:
        parts.append(cite.part(f"{lead.name_en} {_index_move(lead.values[0])}", lead.sources))
    if top:
        mover = top[0]
        joiner = "; " if parts else ""
        parts.append(cite.part(
            f"{joiner}{_label(mover)} {_stock_move(mover.values[0])}", mover.sources))
    if not parts:
        parts.append(BriefPart("No market numbers were reported"))
    return BriefLine(tuple(parts))


def _market_lines(cite: _Citations, board: MarketBoard) -> tuple[BriefLine, ...]:
    lines = [_index_line(cite, row) for row in board.indices]
    for row in (*board.turnover, *board.southbound, *board.northbound):
        lines.append(_amount_line(cite, row))
    return tuple(lines)


def _index_line(cite: _Citations, row: IndexRow) -> BriefLine:
    name = f"{row.name_en} ({row.name_zh})" if row.name_zh else row.name_en
    return _readings_line(cite, f"{name}: ", row.values, _index_move)


def _amount_line(cite: _Citations, row: AmountRow) -> BriefLine:
    market_name = _MARKETS.get(row.subject or "", row.subject or "")
    if row.kind == "turnover":
        label = f"{market_name} turnover: " if market_name else "Turnover: "
        label = label[0].upper() + label[1:]
        return _readings_line(cite, label, row.values, _amount)
    where = f" ({market_name})" if market_name else ""
    label = f"{_FLOW_NAMES[row.kind]} Stock Connect{where}: "
    return _readings_line(cite, label, row.values, _flow)


def _readings_line(
    cite: _Citations, label: str, values: Sequence[Reading], words: _Words
) -> BriefLine:
    """``label`` then one reading, or every reading when sources disagree; each followed by the
    prices' verdict (✓, or ✗ with the market's figure) when it was checked."""
    if len(values) == 1:
        return BriefLine((cite.part(label + _checked(words, values[0]), values[0].sources),))
    first = values[0].verification
    lead = ("sources differ, the close confirms the first: "
            if first is not None and first.verdict == "confirmed" else "sources differ: ")
    parts = [BriefPart(label + lead)]
    for i, reading in enumerate(values):
        parts.append(cite.part(("; " if i else "") + _checked(words, reading), reading.sources))
    return BriefLine(tuple(parts))


def _checked(words: _Words, reading: Reading) -> str:
    mark = fmt.verdict_mark(reading.verification, reading.currency)
    return f"{words(reading)} {mark}" if mark else words(reading)


def _index_move(reading: Reading) -> str:
    bits: list[str] = []
    if reading.pct is not None:
        bits.append(f"{fmt.direction(reading.pct)} {fmt.pct(reading.pct, reading.qualifier)}")
    if reading.points is not None:
        bits.append(fmt.points(reading.points))
    move = " or ".join(bits)
    if reading.value is None:
        return move or "level not reported"
    return f"{move} at {fmt.level(reading.value)}" if move else f"at {fmt.level(reading.value)}"


def _amount(reading: Reading) -> str:
    if reading.value is None:
        return "amount not reported"
    return fmt.qualifier_words(reading.qualifier) + fmt.money(
        abs(reading.value), reading.currency, reading.value_max)


def _flow(reading: Reading) -> str:
    if reading.value is None:
        return "amount not reported"
    side = "net buying" if reading.value >= 0 else "net selling"
    return f"{side} of {_amount(reading)}"


# -- movers, sectors, IPOs, risks -----------------------------------------------------------


def _label(mover: Mover) -> str:
    return f"{mover.name} ({mover.listing})" if mover.name else mover.listing


def _stock_move(reading: Reading) -> str:
    bits = []
    if reading.pct is not None:
        bits.append(f"{fmt.direction(reading.pct)} {fmt.pct(reading.pct, reading.qualifier)}")
    if reading.price is not None:
        bits.append(f"at {fmt.price(reading.price, reading.currency)}")
    if bits and reading.horizon not in (None, "close"):
        bits.append(fmt.session_words(reading.horizon))
    return " ".join(bits) or "move not reported"


def _by_article(facts: Sequence[FactRow]) -> _FactsOf:
    """The day's facts by article, for quoting (``quote`` needs the quoted article's facts)."""
    out: dict[str, list[FactRow]] = {}
    for row in facts:
        out.setdefault(row.article_id, []).append(row)
    return out


def _quote(ref: SourceRef, facts: _FactsOf) -> Quote:
    return quote(ref, facts.get(ref.article_id, ()))


def _mover_lines(
    cite: _Citations, top: Sequence[Mover], facts: _FactsOf
) -> tuple[BriefLine, ...]:
    lines = []
    for mover in top:
        line = _readings_line(cite, f"{_label(mover)}: ", mover.values, _stock_move)
        driver = _best_quote(mover_driver_refs(mover), facts)
        if driver is not None:
            line = BriefLine((*line.parts, cite.quoted(driver, " — ")))
        lines.append(line)
    return tuple(lines)


def mover_driver_refs(mover: Mover) -> list[SourceRef]:
    """The stated reasons for a move: events about the security, else its own move sentence."""
    reasons = [d.source for d in mover.drivers if d.type != "price_move"]
    return reasons or [d.source for d in mover.drivers]


def _best_quote(refs: Sequence[SourceRef], facts: _FactsOf) -> Quote | None:
    """The quote with the fewest numbers no fact covers (first one on ties)."""
    quotes = [_quote(ref, facts) for ref in refs]
    return min(quotes, key=lambda q: q.unchecked) if quotes else None


def _event_lines(
    cite: _Citations, events: Sequence[EventRow], facts: _FactsOf
) -> tuple[BriefLine, ...]:
    lines = []
    seen: set[str] = set()
    for row in events:
        if trim(row.text)[0] in seen:  # the words an earlier line quotes
            continue
        found = _quote(source_ref(row, row.text, row.start, row.end), facts)
        seen.add(found.text)
        lines.append(BriefLine((cite.quoted(found, f"{taxonomy.label(row.type)}: "),)))
    return tuple(lines)


def _sector_events(events: Sequence[EventRow]) -> list[EventRow]:
    return [row for row in events if row.type == "sector_move"]


def _risks(events: Sequence[EventRow], negative: set[str]) -> list[EventRow]:
    return [
        row for row in events
        if row.type in RISK_TYPES or (row.article_id in negative and row.type not in _NOT_RISKS)
    ]


def _ipo_lines(
    cite: _Citations, entries: Sequence[IpoEntry], facts: _FactsOf
) -> tuple[BriefLine, ...]:
    lines = []
    for entry in entries:
        venue = ", ".join(bit for bit in (entry.exchange, entry.board) if bit)
        parts = [BriefPart(f"{entry.company}: {entry.stage}" + (f" ({venue})" if venue else ""))]
        for label, values in (("target raise", entry.target_raise),
                              ("raised", entry.actual_raise)):
            for reading in values:
                parts.append(cite.part(f"; {label} {_amount(reading)}", reading.sources))
        for reading in entry.first_day_return[:1]:  # a debut move: a stored fact the event states
            parts.append(cite.part(
                f"; {fmt.direction(reading.pct)} {fmt.pct(reading.pct or 0.0)} on its first day",
                reading.sources))
        latest = [e.source for e in entry.events if e.day == entry.last_day]
        found = _best_quote(latest, facts)
        if found is not None:
            parts.append(cite.quoted(found, " — "))
        lines.append(BriefLine(tuple(parts)))
    return tuple(lines)
