"""Rich renderings of insight results: stock timeline, movers, market board, IPO pipeline.

Pure functions: an insight result in, a renderable out. Every number is shown as the library
returns it, followed by citation markers (``[1][3]``) that point into a "Sources" table listing
each cited article (id, publication time, publisher, title). When sources disagree, every reading
is shown on its own line, the best supported first and the others marked ``≠``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tickerwire import display as fmt
from tickerwire.taxonomy import label

if TYPE_CHECKING:
    from tickerwire.insights import (
        AmountRow,
        Driver,
        IndexRow,
        IpoEntry,
        MarketBoard,
        Mover,
        MoversBoard,
        Reading,
        SourceRef,
        Timeline,
    )

DIFFER = "≠ "
QUOTE_CHARS = 160
WIDE_MIN = 20  # the column that takes the spare width never gets narrower than this
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
        table = Table(title="Sources", title_justify="left", expand=True)
        table.add_column("#", justify="right")
        table.add_column("article id", overflow="fold", width=min(widest, 26))
        table.add_column("published (HKT)", no_wrap=True)
        table.add_column("publisher", overflow="fold", max_width=16)
        table.add_column("title", overflow="fold", ratio=1)
        for number, ref in self._articles.values():
            table.add_row(
                str(number), ref.article_id, fmt.hk_time(ref.published_at), ref.source or "—",
                ref.title or "(untitled)",
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


def _cites(values: Sequence[Reading], notes: Footnotes) -> Text:
    return _lines(values, lambda reading: Text(notes.cite(reading.sources), style="dim"))


def _section(title: str, columns: Sequence[str], rows: Sequence[Sequence[str | Text]],
             *, empty: str, wide: str | None = None, numeric: Sequence[str] = (),
             caption: str | None = None, max_widths: Mapping[str, int] | None = None,
             ) -> RenderableType:
    """A table (column ``wide`` takes the spare width), or one dim line when there are no rows."""
    if not rows:
        return Text(f"{title}: {empty}", style="dim")
    table = Table(title=title, title_justify="left", caption=caption, caption_justify="left",
                  expand=wide is not None)
    for column in columns:
        table.add_column(
            column, overflow="fold", ratio=1 if column == wide else None,
            min_width=WIDE_MIN if column == wide else None,
            justify="right" if column in numeric else "left",
            no_wrap=column in numeric, max_width=(max_widths or {}).get(column),
        )
    for row in rows:
        table.add_row(*row)
    return table


def _quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The cited words, cut at ``limit`` characters for a table (``--json`` has them whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _more(shown: int, total: int, what: str) -> list[RenderableType]:
    if total <= shown:
        return []
    return [Text(f"… {total - shown} more {what}: raise --limit or use --json", style="dim")]


# --- stock ----------------------------------------------------------------------------------


def stock_view(result: Timeline, *, limit: int) -> RenderableType:
    """``tickerwire stock``: issuer header, per-day activity, facts, events, articles."""
    notes = Footnotes()
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
    days = _section(
        "Per day (HKT)", ("day", "articles", "", "sentiment"),
        [(str(p.day), str(p.articles), Text("▇" * min(p.articles, 40), style="cyan"),
          _tone(p.sentiment)) for p in result.days],
        empty="no articles", numeric=("articles", "sentiment"),
    )
    facts = _section(
        "Facts", ("day", "kind", "subject", "value", "words", "src"),
        [(str(f.day), label(f.kind), f.subject or "—", fmt.fact_value(f), _quote(f.source.quote),
          notes.cite([f.source])) for f in result.facts[:limit]],
        empty="none reported", wide="words",
    )
    events = _section(
        "Events", ("day", "type", "subjects", "words", "src"),
        [(str(e.day), label(e.type), "\n".join(e.subjects) or "—", _quote(e.source.quote),
          notes.cite([e.source])) for e in result.events[:limit]],
        empty="none reported", wide="words",
    )
    articles = _section(
        "Articles", ("day", "lang", "title", "listings", "mentions", "tone", "id"),
        [(str(a.day or fmt.UNDATED), a.lang or "", a.title or "(untitled)", "\n".join(a.listings),
          str(a.mentions), _tone(a.sentiment), a.article_id)
         for a in result.articles[:limit]],
        empty="none", wide="title", numeric=("mentions", "tone"),
        max_widths={"id": 24, "listings": 10},
    )
    return Group(
        Panel(names, title=issuer.name, title_align="left"), listings, days,
        facts, *_more(min(limit, len(result.facts)), len(result.facts), "facts"),
        events, *_more(min(limit, len(result.events)), len(result.events), "events"),
        articles, *_more(min(limit, len(result.articles)), len(result.articles), "articles"),
        *notes.tables(),
    )


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
        title, ("#", "listing", "name", "kind", "move", "price", "src", "why (reported events)"),
        rows, empty="no price moves reported", wide="why (reported events)",
        numeric=("#", "move", "price"), max_widths={"name": 22},
    )
    parts: list[RenderableType] = [table]
    if any(mover.disagreement for mover in board.movers):
        parts.append(Text(DISAGREEMENT_NOTE, style="yellow"))
    return Group(*parts, *notes.tables())


def _mover_row(rank: int, mover: Mover, notes: Footnotes) -> Sequence[str | Text]:
    return (
        str(rank),
        mover.listing,
        _short(mover.name or "—"),
        mover.kind or "",
        _lines(mover.values, lambda r: _pct(r.pct, r.qualifier, r.horizon)),
        _lines(mover.values, lambda r: fmt.price(r.price, r.currency) if r.price else "—"),
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
        ("index", "name", "中文", "level", "points", "change", "src"),
        [_index_row(row, notes) for row in board.indices],
        empty="no index levels reported", numeric=("level", "points", "change"),
    )
    amounts = [*board.turnover, *board.southbound, *board.northbound]
    money = _section(
        "Turnover and Stock Connect flows", ("measure", "market", "amount", "src"),
        [_amount_row(row, notes) for row in amounts],
        empty="none reported", numeric=("amount",), caption="flows: + net buying, - net selling",
    )
    parts: list[RenderableType] = [indices, money]
    if any(row.disagreement for row in board.indices) or any(row.disagreement for row in amounts):
        parts.append(Text(DISAGREEMENT_NOTE, style="yellow"))
    return Group(*parts, *notes.tables())


def _index_row(row: IndexRow, notes: Footnotes) -> Sequence[str | Text]:
    return (
        row.index,
        row.name_en,
        row.name_zh or "",
        _lines(row.values, lambda r: fmt.level(r.value) if r.value is not None else "—"),
        _lines(row.values, lambda r: _points(r.points)),
        _lines(row.values, lambda r: _pct(r.pct, r.qualifier, r.horizon)),
        _cites(row.values, notes),
    )


def _amount_row(row: AmountRow, notes: Footnotes) -> Sequence[str | Text]:
    signed = row.kind != "turnover"
    return (
        label(row.kind),
        row.subject or "—",
        _lines(row.values, lambda r: _qualified(r, signed=signed)),
        _cites(row.values, notes),
    )


def _qualified(reading: Reading, *, signed: bool) -> Text:
    amount = _money(reading.value, reading.currency, reading.value_max, signed=signed)
    return Text(fmt.qualifier_words(reading.qualifier)).append_text(amount)


# --- IPOs -----------------------------------------------------------------------------------


def ipos_view(entries: Sequence[IpoEntry], *, as_of: datetime | None) -> RenderableType:
    """``tickerwire ipos``: the pipeline, most recent activity first."""
    notes = Footnotes()
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
