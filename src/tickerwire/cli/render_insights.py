"""Rich renderings of insight results: stock timeline, movers, market board, IPO pipeline.

Pure functions: an insight result in, a renderable out. Every number is shown as the library
returns it, followed by citation markers (``[1][3]``) that point into a "Sources" table listing
each cited article (id, publication time, publisher, title). When sources disagree, every reading
is shown on its own line, the best supported first and the others marked ``≠``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tickerwire import display as fmt
from tickerwire.cli.aligned import AlignedTable, Column
from tickerwire.model import Verification
from tickerwire.taxonomy import label

if TYPE_CHECKING:
    from tickerwire.insights import (
        AmountRow,
        CheckedNumber,
        DayPoint,
        Driver,
        IndexRow,
        IpoEntry,
        IpoPage,
        MarketBoard,
        Mover,
        MoversBoard,
        Reading,
        ReturnStats,
        SourceRef,
        StoryDetail,
        StoryPage,
        Study,
        Timeline,
        TimelinePage,
        VerificationReport,
    )
    from tickerwire.store.prices import BarImport

DIFFER = "≠ "
QUOTE_CHARS = 160
DISAGREEMENT_NOTE = "≠ sources differ: each reading is listed with its own sources."


class Footnotes:
    """Numbers cited articles in order of first citation and renders the key to the numbers."""

    def __init__(self) -> None:
        self._articles: dict[str, tuple[int, SourceRef]] = {}

    def cite(self, refs: Iterable[SourceRef]) -> str:
        """``[n]`` markers for the articles ``refs`` come from (each article once)."""
        numbers: list[int] = []
        for ref in refs:
            number, _ = self._articles.setdefault(ref.article_id, (len(self._articles) + 1, ref))
            if number not in numbers:
                numbers.append(number)
        return "".join(f"[{n}]" for n in sorted(numbers))

    def tables(self) -> list[RenderableType]:
        """The key to the markers: one row per cited article (nothing when none was cited)."""
        if not self._articles:
            return []
        widest = max(len(ref.article_id) for _, ref in self._articles.values())
        table = AlignedTable(
            [Column("#", numeric=True), Column("article id", max_width=min(widest, 26)),
             Column("published (HKT)"), Column("publisher", max_width=16),
             Column("title", wide=True)],
            [(str(number), ref.article_id, fmt.hk_time(ref.published_at), ref.source or "—",
              ref.title or "(untitled)") for number, ref in self._articles.values()],
            title="Sources",
        )
        return [table]


def _as_of(as_of: datetime | None) -> str:
    return f" as of {as_of.isoformat(timespec='minutes')}" if as_of else ""


def _pct(pct: float | None, qualifier: str = "exact", horizon: str | None = None) -> Text:
    if pct is None:
        return Text("")
    style = "green" if pct > 0 else "red" if pct < 0 else ""
    text = Text(fmt.signed_pct(pct, qualifier), style=style)
    if session := fmt.session_words(horizon):
        text.append(f" {session}", style="dim")
    return text


def _points(points: float | None) -> Text:
    if points is None:
        return Text("")
    style = "green" if points > 0 else "red" if points < 0 else ""
    return Text(f"{points:+,.2f}", style=style)


def _money(value: float | None, currency: str | None, value_max: float | None = None,
           *, signed: bool = False) -> Text:
    if value is None:
        return Text("")
    sign = ("+" if value > 0 else "-" if value < 0 else "") if signed else ""
    style = ("green" if value > 0 else "red" if value < 0 else "") if signed else ""
    return Text(sign + fmt.money(abs(value), currency, value_max), style=style)


def _lines(
    values: Sequence[Reading], cell: Callable[[Reading], Text | str]
) -> Text:
    """One line per reading: the best supported first, the others marked as differing."""
    out = Text()
    for i, reading in enumerate(values):
        if i:
            out.append("\n" + DIFFER, style="yellow")
        piece = cell(reading)
        out.append_text(piece if isinstance(piece, Text) else Text(piece))
    return out


def _checks(values: Sequence[Reading]) -> Text:
    """Each reading's verdict against prices: ✓ green, ✗ (with the market's figure) red."""
    def mark(reading: Reading) -> Text:
        text = fmt.verdict_mark(reading.verification, reading.currency)
        return Text(text, style="green" if text == "✓" else "red" if text else "")

    return _lines(values, mark)


def _confirmed_first(values: Sequence[Reading]) -> bool:
    check = values[0].verification if values else None
    return len(values) > 1 and check is not None and check.verdict == "confirmed"


CONFIRMED_NOTE = "✓ where sources differ, the reading the close confirms is listed first."


def _cites(values: Sequence[Reading], notes: Footnotes) -> Text:
    return _lines(values, lambda reading: Text(notes.cite(reading.sources), style="dim"))


def _section(title: str, columns: Sequence[str], rows: Sequence[Sequence[str | Text]],
             *, empty: str, wide: str | None = None, numeric: Sequence[str] = (),
             caption: str | None = None, max_widths: Mapping[str, int] | None = None,
             ) -> RenderableType:
    """An aligned table (column ``wide`` takes the spare width), or one dim line when there are
    no rows."""
    if not rows:
        return Text(f"{title}: {empty}", style="dim")
    return AlignedTable(
        [Column(name, numeric=name in numeric, wide=name == wide,
                max_width=(max_widths or {}).get(name)) for name in columns],
        rows, title=title, caption=caption,
    )


def _quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The cited words, cut at ``limit`` characters for a table (``--json`` has them whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _more(shown: int, total: int, what: str, *, exact: bool = True) -> list[RenderableType]:
    if total <= shown:
        return []
    more = f"{total - shown}" if exact else f"over {total - shown}"
    return [Text(f"… {more} more {what}: raise --limit or use --json", style="dim")]


# --- stock ----------------------------------------------------------------------------------


def stock_view(result: Timeline | TimelinePage, *, limit: int | None) -> RenderableType:
    """``tickerwire stock``: issuer header, per-day activity, then facts, events and articles
    (a page's, or with ``limit`` None the whole timeline's: every row)."""
    notes = Footnotes()
    shown = len(result.articles) if limit is None else limit
    issuer = result.issuer
    names = Table.grid(padding=(0, 2))
    names.add_column(style="bold")
    names.add_column(overflow="fold")
    names.add_row("id", issuer.id)
    names.add_row("English", issuer.name_en or "—")
    names.add_row("简体", issuer.name_zh_hans or "—")
    names.add_row("繁體", issuer.name_zh_hant or "—")
    names.add_row("industry", issuer.industry or "—")
    window = " to ".join(str(day) for day in (result.since, result.until) if day)
    names.add_row("window", (window or "all days") + _as_of(result.as_of))
    listings = _section(
        "Listings", ("code", "kind", "exchange", "board", "currency"),
        [(li.code, li.kind, li.exchange, li.board or "", li.currency or "")
         for li in issuer.listings],
        empty="none",
    )
    days_shown = result.days[-shown:] if limit is not None else result.days
    days = _section(
        "Per day (HKT)", ("day", "articles", "stories", "", "sentiment"),
        [(str(p.day), str(p.articles), str(p.stories),
          Text("▇" * min(p.articles, 40), style="cyan"), _tone(p.sentiment))
         for p in days_shown],
        empty=_coverage_since(result) or "no articles",
        numeric=("articles", "stories", "sentiment"), caption=_coverage_since(result),
    )
    facts = _section(
        "Facts", ("day", "kind", "subject", "value", "words", "src"),
        [(str(f.day), label(f.kind), f.subject or "—", fmt.fact_value(f), _quote(f.source.quote),
          notes.cite([f.source])) for f in result.facts[:shown]],
        empty="none reported", wide="words",
    )
    events = _section(
        "Events", ("day", "type", "subjects", "words", "src"),
        [(str(e.day), label(e.type), "\n".join(e.subjects) or "—", _quote(e.source.quote),
          notes.cite([e.source])) for e in result.events[:shown]],
        empty="none reported", wide="words",
    )
    articles = _section(
        "Articles", ("day", "lang", "title", "listings", "mentions", "tone", "id"),
        [(str(a.day or fmt.UNDATED), a.lang or "", a.title or "(untitled)", "\n".join(a.listings),
          str(a.mentions), _tone(a.sentiment), a.article_id)
         for a in result.articles[:shown]],
        empty="none", wide="title", numeric=("mentions", "tone"),
        max_widths={"id": 24, "listings": 10},
    )
    return Group(
        Panel(names, title=issuer.name, title_align="left"), listings,
        days, *_earlier_days(result.days[: len(result.days) - len(days_shown)]),
        facts, *_more(min(shown, len(result.facts)), len(result.facts), "facts"),
        events, *_more(min(shown, len(result.events)), len(result.events), "events"),
        articles, *_pages(result), *notes.tables(),
    )


def _earlier_days(left_out: Sequence[DayPoint]) -> list[RenderableType]:
    """The line that says a page's day table leaves out its oldest days, ``left_out``."""
    if not left_out:
        return []
    return [Text(f"… {len(left_out)} earlier days with news, from {left_out[0].day}: "
                 "raise --limit or use --json", style="dim")]


def _coverage_since(result: Timeline | TimelinePage) -> str | None:
    """Where a page's day series starts when it covers the newest articles only."""
    days_from = getattr(result, "days_from", None)
    if days_from is None:
        return None
    return (f"coverage since {days_from}: the newest articles only; earlier days with "
            "--until, every day with --all")


def _pages(result: Timeline | TimelinePage) -> list[Text]:
    """Where a page of the timeline stands among the issuer's articles."""
    from tickerwire.insights import TimelinePage  # imported on use, as the module's others

    if not isinstance(result, TimelinePage) or not (result.offset or result.has_more):
        return []
    first = result.offset + 1 if result.articles else result.offset
    more = "" if result.total_exact else "+"
    line = f"articles {first}–{result.offset + len(result.articles)} of {result.total}{more}"
    if result.has_more:
        line += f"; next: --offset {result.offset + len(result.articles)}, or --all"
    return [Text(line, style="dim")]


def _tone(score: float | None) -> Text:
    """A sentiment score (-1..1), signed and coloured."""
    if score is None:
        return Text("—", style="dim")
    style = "green" if score > 0 else "red" if score < 0 else ""
    return Text(f"{score:+.2f}", style=style)


# --- movers ---------------------------------------------------------------------------------


def movers_view(board: MoversBoard) -> RenderableType:
    """``tickerwire movers``: ranked listings with move, price, sources and reported drivers."""
    notes = Footnotes()
    title = f"Movers — {board.day}{_as_of(board.as_of)}"
    rows = [_mover_row(rank, mover, notes) for rank, mover in enumerate(board.movers, 1)]
    table = _section(
        title, ("#", "listing", "name", "kind", "move", "price", "vs market", "src", "why (reported events)"),
        rows, empty="no price moves reported", wide="why (reported events)",
        numeric=("#", "move", "price"), max_widths={"name": 22},
    )
    parts: list[RenderableType] = [table]
    if any(mover.disagreement for mover in board.movers):
        parts.append(Text(DISAGREEMENT_NOTE, style="yellow"))
    if any(_confirmed_first(mover.values) for mover in board.movers):
        parts.append(Text(CONFIRMED_NOTE, style="green"))
    return Group(*parts, *notes.tables())


def _mover_row(rank: int, mover: Mover, notes: Footnotes) -> Sequence[str | Text]:
    return (
        str(rank),
        mover.listing,
        _short(mover.name or "—"),
        mover.kind or "",
        _lines(mover.values, lambda r: _pct(r.pct, r.qualifier, r.horizon)),
        _lines(mover.values, lambda r: fmt.price(r.price, r.currency) if r.price else "—"),
        _checks(mover.values),
        _cites(mover.values, notes),
        _drivers(mover, notes),
    )


def _short(name: str, limit: int = 32) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _drivers(mover: Mover, notes: Footnotes, shown: int = 2) -> Text:
    """The reported reasons, each quote once with every event type it carries."""
    quotes: dict[str, list[Driver]] = {}
    for driver in mover.drivers:
        quotes.setdefault(driver.source.quote, []).append(driver)
    out = Text()
    for i, (words, drivers) in enumerate(list(quotes.items())[:shown]):
        if i:
            out.append("\n")
        types = ", ".join(dict.fromkeys(d.type for d in drivers))
        out.append(types, style="bold")
        out.append(f": “{_quote(words, 110)}” ")
        out.append(notes.cite(d.source for d in drivers), style="dim")
    if len(quotes) > shown:
        out.append(f"\n+{len(quotes) - shown} more (--json has all)", style="dim")
    return out if quotes else Text("—", style="dim")


# --- market ---------------------------------------------------------------------------------


def market_view(board: MarketBoard) -> RenderableType:
    """``tickerwire market``: index board, turnover and Stock Connect flows, with sources."""
    notes = Footnotes()
    indices = _section(
        f"Indices — {board.day}{_as_of(board.as_of)}",
        ("index", "name", "中文", "level", "points", "change", "vs market", "src"),
        [_index_row(row, notes) for row in board.indices],
        empty="no index levels reported", numeric=("level", "points", "change"),
    )
    amounts = [*board.turnover, *board.southbound, *board.northbound]
    money = _section(
        "Turnover and Stock Connect flows", ("measure", "market", "amount", "vs market", "src"),
        [_amount_row(row, notes) for row in amounts],
        empty="none reported", numeric=("amount",), caption="flows: + net buying, - net selling",
    )
    parts: list[RenderableType] = [indices, money]
    if any(row.disagreement for row in board.indices) or any(row.disagreement for row in amounts):
        parts.append(Text(DISAGREEMENT_NOTE, style="yellow"))
    readings = [row.values for row in board.indices] + [row.values for row in amounts]
    if any(_confirmed_first(values) for values in readings):
        parts.append(Text(CONFIRMED_NOTE, style="green"))
    return Group(*parts, *notes.tables())


def _index_row(row: IndexRow, notes: Footnotes) -> Sequence[str | Text]:
    return (
        row.index,
        row.name_en,
        row.name_zh or "",
        _lines(row.values, lambda r: fmt.level(r.value) if r.value is not None else "—"),
        _lines(row.values, lambda r: _points(r.points)),
        _lines(row.values, lambda r: _pct(r.pct, r.qualifier, r.horizon)),
        _checks(row.values),
        _cites(row.values, notes),
    )


def _amount_row(row: AmountRow, notes: Footnotes) -> Sequence[str | Text]:
    signed = row.kind != "turnover"
    return (
        label(row.kind),
        row.subject or "—",
        _lines(row.values, lambda r: _qualified(r, signed=signed)),
        _checks(row.values),
        _cites(row.values, notes),
    )


def _qualified(reading: Reading, *, signed: bool) -> Text:
    amount = _money(reading.value, reading.currency, reading.value_max, signed=signed)
    return Text(fmt.qualifier_words(reading.qualifier)).append_text(amount)


# --- IPOs -----------------------------------------------------------------------------------


def ipos_view(page: IpoPage, *, as_of: datetime | None) -> RenderableType:
    """``tickerwire ipos``: a page of the pipeline, most recent activity first, citing the
    sources of what it shows."""
    notes = Footnotes()
    entries = page.ipos
    rows = [_ipo_row(entry, notes) for entry in entries]
    table = _section(
        f"IPO pipeline{_as_of(as_of)}",
        ("company", "stage", "exchange / board", "target raise", "raised", "offer price", "key dates",
         "src"),
        rows, empty="no IPO news",
        max_widths={"company": 26, "target raise": 20, "raised": 20, "exchange / board": 18,
                    "offer price": 20},
    )
    parts: list[RenderableType] = [table]
    if page.has_more or page.offset:
        first = page.offset + 1 if entries else page.offset
        parts.append(Text(f"companies {first}–{page.offset + len(entries)} of {page.total}"
                          + (f"; next: --offset {page.offset + len(entries)}"
                             if page.has_more else ""), style="dim"))
    if any(len(values) > 1 for e in entries for values in (
            e.target_raise, e.actual_raise, e.net_proceeds, e.offer_price, e.price_range,
            e.first_day_return)):
        parts.append(Text(DISAGREEMENT_NOTE, style="yellow"))
    return Group(*parts, *notes.tables())


def _ipo_row(entry: IpoEntry, notes: Footnotes) -> Sequence[str | Text]:
    company = Text(entry.company, style="bold")
    if entry.listings:
        company.append("\n" + ", ".join(entry.listings), style="dim")
    venue = " / ".join(bit for bit in (entry.exchange, entry.board) if bit) or "—"
    raised = _raise_lines(entry.actual_raise, notes)
    if entry.net_proceeds:
        net = _raise_lines(entry.net_proceeds, notes)
        raised = Text.assemble(raised, "\n" if raised.plain else "", ("net ", "dim"), net)
    dates = "\n".join(f"{d.stage} {d.day}" for d in entry.dates) or "—"
    return (
        company, _stage(entry.stage), venue, _raise_lines(entry.target_raise, notes) or "—",
        raised or "—", _offer_lines(entry, notes) or "—", dates,
        Text(notes.cite(entry.sources), style="dim"),
    )


def _offer_lines(entry: IpoEntry, notes: Footnotes) -> Text:
    """The offer price (else the marketed range), then the first-day return."""
    def cited(words: str, reading: Reading) -> Text:
        return Text(words).append(f" {notes.cite(reading.sources)}", style="dim")

    out = _lines(entry.offer_price, lambda r: cited(fmt.price(r.value or 0.0, r.currency), r))
    if not entry.offer_price:
        out = _lines(entry.price_range, lambda r: cited(
            f"{fmt.price(r.value or 0.0, r.currency)}–{fmt.price(r.value_max or 0.0, None)}", r))
    returns = _lines(entry.first_day_return,
                     lambda r: cited(f"first day {fmt.signed_pct(r.pct or 0.0)}", r))
    return Text.assemble(out, "\n" if out.plain and returns.plain else "", returns)


def _raise_lines(values: Sequence[Reading], notes: Footnotes) -> Text:
    return _lines(
        values,
        lambda r: _qualified(r, signed=False).append(f" {notes.cite(r.sources)}", style="dim"),
    )


def _stage(stage: str) -> Text:
    style = {"listed": "green", "priced": "cyan", "bookbuilding": "cyan", "hearing": "cyan", "lapsed": "red",
             "withdrawn": "red"}.get(stage, "")
    return Text(stage, style=style)


# --- prices and verdicts ------------------------------------------------------------------


def bar_import_line(outcome: BarImport) -> str:
    codes = len(outcome.codes)
    return (f"Imported bars for {codes:,} code{'s' if codes != 1 else ''}: {outcome.new:,} new, "
            f"{outcome.revised:,} revised, {outcome.unchanged:,} unchanged; "
            f"{outcome.verdicts:,} reported numbers re-checked.")


def price_codes_table(rows: Sequence[tuple[str, date, date, int]]) -> RenderableType:
    return _section("Price bars", ("Code", "From", "To", "Bars"),
                    [(code, first.isoformat(), last.isoformat(), f"{n:,}") for code, first, last, n in rows],
                    empty="none stored; import some with `tickerwire prices import FILE`",
                    numeric=("Bars",))


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def verification_view(report: VerificationReport) -> RenderableType:
    counts = AlignedTable(
        [Column("Verdict"), Column("Numbers", numeric=True)],
        [(verdict.replace("_", " "), f"{n:,}") for verdict, n in report.counts.items()],
        title="Verdicts")
    sources = _section(
        "Sources (share of their checkable numbers)",
        ("Source", "Checkable", "Confirmed", "Contradicted", "Wrong day", "Unverifiable"),
        [(r.source, f"{r.checkable:,}", _share(r.confirmed_share), _share(r.contradicted_share),
          _share(r.wrong_day_share), f"{r.unverifiable:,}") for r in report.sources],
        empty="no checked numbers", wide="Source",
        numeric=("Checkable", "Confirmed", "Contradicted", "Wrong day", "Unverifiable"))
    notes = Footnotes()
    disputed = _section(
        "Numbers the market disagrees with",
        ("Day", "Subject", "Stated", "Verdict", "Words"),
        [(fmt.hk_time(n.day), n.subject or "", fmt.checked_figure(n.field, n.stated or 0.0, None),
          fmt.verdict_mark(_as_check(n)), Text(_quote(n.ref.quote)) + Text(notes.cite([n.ref]), style="dim"))
         for n in report.disputed],
        empty="none", wide="Words")
    parts: list[RenderableType] = [counts]
    if report.reasons:
        parts.append(Text("unverifiable because: " + ", ".join(
            f"{reason.replace('_', ' ')} {n:,}" for reason, n in report.reasons.items()), style="dim"))
    return Group(*parts, sources, disputed, *notes.tables())


def _as_check(number: CheckedNumber) -> Verification:
    return Verification(number.verdict, number.field, number.stated, number.actual,
                        number.difference, number.matched_day)


def _stat(stats: ReturnStats) -> str:
    if stats.mean_pct is None:
        return "–"
    t = f" (t {stats.t_stat:+.1f})" if stats.t_stat is not None else ""
    return f"{stats.mean_pct:+.2f}%{t}"


def study_view(result: Study) -> RenderableType:
    indices = ", ".join(f"{market}: {index}" for market, index in result.benchmarks.items())
    table = _section(
        "Returns after news, by event type and tone (mean, t-statistic)",
        ("Event", "Tone", "N", "Same day", "Next day", "Same day vs index", "Next day vs index"),
        [(row.event_type.replace("_", " "), row.tone, f"{row.same_day.n:,}", _stat(row.same_day),
          _stat(row.next_day), _stat(row.same_day_relative), _stat(row.next_day_relative))
         for row in result.rows],
        empty="no events about listings with prices; import prices with `tickerwire prices import`",
        numeric=("N", "Same day", "Next day", "Same day vs index", "Next day vs index"),
        caption=f"{result.events:,} events about listings, {result.without_prices:,} without a bar "
                f"that day (left out). Relative to {indices}.")
    return table
# --- stories --------------------------------------------------------------------------------


def stories_view(page: StoryPage) -> RenderableType:
    """``tickerwire stories``: one row per story, its lead article and how many others tell it."""
    rows = [
        (s.day.isoformat(), Text(s.title or s.lead_article_id),
         f"+{s.other_sources}" if s.other_sources else "", ", ".join(s.languages),
         ", ".join(s.sources), s.id)
        for s in page.stories
    ]
    table = _section("Stories", ("day", "title", "more", "lang", "sources", "id"), rows,
                     empty="no stories match", wide="title",
                     max_widths={"sources": 24, "lang": 6})
    return Group(table, *_more(page.offset + len(page.stories), page.total, "stories",
                               exact=page.total_exact))


def story_view(detail: StoryDetail) -> RenderableType:
    """``tickerwire story``: the story's articles, why each joined, and which facts were new."""
    s = detail.story
    header = Text.assemble((s.title or s.id, "bold"), f"\n{s.id} · {s.day.isoformat()} · "
                           f"{s.articles} article(s) · {', '.join(s.languages)} · "
                           f"{', '.join(s.subjects[:8])}")
    articles = [
        (fmt.hk_time(a.published_at) if a.published_at else fmt.UNDATED, a.lang or "",
         a.source or "", Text.assemble(a.title or a.article_id, (f"\n{a.article_id}", "dim")),
         a.reason, "" if a.novelty is None else f"{a.novelty:.0%}")
        for a in detail.articles
    ]
    facts = [
        (f.article_id, f.kind, f.subject or "", _quote(f.text),
         "first report" if f.first_report else (f"first: {f.first_article_id}" if f.first_article_id else ""))
        for f in detail.facts
    ]
    return Group(
        Panel(header),
        _section("Articles", ("published", "lang", "source", "title", "joined by", "new facts"),
                 articles, empty="none", wide="title", max_widths={"source": 16}),
        _section("Facts", ("article", "kind", "subject", "words", "reported"), facts,
                 empty="no facts", wide="words"),
    )
