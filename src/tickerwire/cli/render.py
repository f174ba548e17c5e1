"""Rich renderings of library results. Pure functions: objects in, renderables out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tickerwire.cli.aligned import AlignedTable, Column
from tickerwire.display import event_details, fact_value, hk_time_zoned
from tickerwire.errors import SourceError
from tickerwire.model import Extraction, Fact, IndexMention, Mention, Relevance

if TYPE_CHECKING:
    from tickerwire.evaluation import EvalRow
    from tickerwire.ingest import IngestSummary
    from tickerwire.insights.search import SearchPage
    from tickerwire.refdata.master import Issuer
    from tickerwire.store.rows import StoredArticle


def _signed(value: float | None) -> Text:
    if value is None:
        return Text("")
    style = "green" if value > 0 else "red" if value < 0 else ""
    return Text(f"{value:+.2f}", style=style)


def key_value_table(title: str, rows: Mapping[str, Any], *, caption: str | None = None) -> Table:
    table = Table(title=title, caption=caption, show_header=False, title_justify="left",
                  caption_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    for key, value in rows.items():
        table.add_row(str(key), f"{value:,}" if isinstance(value, int) else str(value))
    return table


def eval_table(rows: Iterable[EvalRow], *, articles: int) -> Table:
    table = Table(title=f"Accuracy over {articles} articles", title_justify="left")
    for name in ("field", "lang"):
        table.add_column(name)
    for name in ("tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(name, justify="right")
    last_lang = None
    for row in rows:
        if last_lang is not None and row.lang != last_lang:
            table.add_section()
        last_lang = row.lang
        table.add_row(
            row.field,
            row.lang,
            str(row.tp),
            str(row.fp),
            str(row.fn),
            f"{row.precision:.3f}",
            f"{row.recall:.3f}",
            Text(f"{row.f1:.3f}", style="bold"),
        )
    return table


def eval_details(details: Sequence[Mapping[str, Any]]) -> RenderableType:
    table = Table(title="Per-article misses (missed = in gold only, extra = predicted only)",
                  title_justify="left")
    table.add_column("article")
    table.add_column("field")
    table.add_column("missed", style="yellow")
    table.add_column("extra", style="magenta")
    for item in details:
        fields = sorted({*item.get("missed", {}), *item.get("extra", {})})
        for name in fields:
            table.add_row(
                f"{item['id']} ({item['lang']})",
                name,
                "\n".join(item.get("missed", {}).get(name, [])),
                "\n".join(item.get("extra", {}).get(name, [])),
            )
    if not details:
        return Group(Text("No misses."))
    return table


# --- articles -------------------------------------------------------------------------------


MENTION_STYLE = "underline bold cyan"
INDEX_STYLE = "underline magenta"
FACT_STYLE = "on grey23"


def marked_text(
    text: str,
    mentions: Sequence[Mention],
    indices: Sequence[IndexMention],
    facts: Sequence[Fact],
) -> Text:
    """The article text with mentions underlined and facts highlighted, each labelled after it."""
    base = Text(text)
    labels: dict[int, list[Text]] = {}
    for fact in facts:
        base.stylize(FACT_STYLE, fact.start, fact.end)
        label = f"⟨{fact.kind} {fact_value(fact)}⟩"
        labels.setdefault(fact.end, []).append(Text(label, style="yellow"))
    for index in indices:
        base.stylize(INDEX_STYLE, index.start, index.end)
        labels.setdefault(index.end, []).insert(0, Text(f"[{index.index}]", style="magenta"))
    for mention in mentions:
        base.stylize(MENTION_STYLE, mention.start, mention.end)
        labels.setdefault(mention.end, []).insert(0, Text(f"[{mention.listing}]", style="cyan"))
    cuts = sorted(pos for pos in labels if 0 < pos < len(text))
    pieces = base.divide(cuts)
    out = Text()
    for piece_end, piece in zip([*cuts, len(text)], pieces, strict=False):
        out.append_text(piece)
        for marker in labels.get(piece_end, []):
            out.append_text(marker)
    return out


def _article_header(stored: StoredArticle) -> Table:
    ex = stored.extraction
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold")
    header.add_column()
    rows = {
        "id": stored.id,
        "source": stored.source or "—",
        "published": hk_time_zoned(stored.published_at),
        "url": stored.url or "—",
        "lang": stored.lang or "—",
        "revision": f"{stored.revision} of {stored.revisions} "
        f"(seen {hk_time_zoned(stored.revision_seen_at)}; first seen {hk_time_zoned(stored.first_seen_at)})",
        "pipeline": f"{ex.pipeline_version} (extracted {hk_time_zoned(ex.extracted_at)})" if ex else "—",
    }
    for key, value in rows.items():
        header.add_row(key, value)
    return header


def _table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str | Text]]) -> Table:
    table = Table(title=title, title_justify="left", expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def _section(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[str | Text]]
) -> RenderableType:
    """A table, or one dim line when there is nothing to list."""
    materialised = list(rows)
    if not materialised:
        return Text(f"{title}: none", style="dim")
    return _table(title, columns, materialised)


def _relevance_table(stored: StoredArticle, relevance: Sequence[Relevance]) -> RenderableType:
    claimed = list(stored.metadata.get("related_stocks", ()))
    rows: list[Sequence[str | Text]] = [
        (
            r.issuer,
            r.level,
            str(r.count),
            "yes" if r.related_claimed else "no",
            Text("yes", style="green") if r.confirmed else Text("no", style="red"),
        )
        for r in relevance
    ]
    title = "Publisher Related Stocks vs text"
    if not rows:
        rows = [(code, "—", "0", "yes", Text("not checked", style="dim")) for code in claimed]
    return _section(
        title, ("issuer", "relevance", "mentions", "publisher claims", "confirmed"), rows
    )


def article_view(stored: StoredArticle) -> RenderableType:
    """Everything ``tickerwire show`` prints for one article."""
    ex = stored.extraction
    parts: list[RenderableType] = [
        Panel(_article_header(stored), title=stored.title or stored.id, title_align="left")
    ]
    if ex is None:
        parts.append(Text(stored.text))
        parts.append(Text("Not extracted yet: run `tickerwire reprocess`.", style="yellow"))
        return Group(*parts)
    parts.append(Panel(marked_text(stored.text, ex.mentions, ex.indices, ex.facts), title="text",
                       title_align="left"))
    parts.append(_section(
        "Mentions", ("text", "listing", "issuer", "all listings", "conf", "via", "at"),
        ((m.text, m.listing, f"{m.name} ({m.issuer})", ", ".join(m.listings),
          f"{m.confidence:.2f}", m.via, f"{m.start}-{m.end}") for m in ex.mentions),
    ))
    if ex.indices:
        parts.append(_section("Indices", ("text", "index", "at"),
                            ((i.text, i.index, f"{i.start}-{i.end}") for i in ex.indices)))
    parts.append(_section(
        "Facts", ("kind", "subject", "value", "text", "at"),
        ((f.kind, f.subject or "—", fact_value(f), f.text, f"{f.start}-{f.end}") for f in ex.facts),
    ))
    parts.append(_section(
        "Events", ("type", "subjects", "text"),
        ((e.type + (f"\n{details}" if (details := event_details(e.attributes)) else ""),
          ", ".join(e.subjects) or "—", e.text) for e in ex.events),
    ))
    sentiment = ex.sentiment
    tone = Text("Sentiment: ", style="bold")
    parts.append(tone.append_text(_signed(sentiment.score)).append(f" {sentiment.label}"))
    parts.append(_section(
        "Sentiment by security", ("subject", "score"),
        ((code, _signed(score)) for code, score in sorted(sentiment.by_subject.items())),
    ))
    parts.append(_relevance_table(stored, ex.relevance))
    if ex.errors:
        parts.append(Text("Component errors: " + "; ".join(ex.errors), style="red"))
    return Group(*parts)


def _first(codes: Sequence[str], count: int) -> str:
    """Up to ``count`` codes, one a line, then how many more."""
    shown = "\n".join(codes[:count])
    return shown + (f"\n+{len(codes) - count} more" if len(codes) > count else "")


def search_results(page: SearchPage) -> RenderableType:
    """Hits with their snippet (matched words highlighted) and why each matched."""
    results = page.results
    if not results:
        return Text(f"No articles match {page.query!r}." if page.query else "No articles match.")
    shown = f"{page.offset + 1}–{page.offset + len(results)} of " if page.total > len(results) else ""
    more = "" if page.total_exact else "+"
    rows: list[tuple[str | Text, ...]] = []
    for hit in results:
        title = Text(hit.title or "(untitled)", style="bold")
        if hit.snippet:
            snippet = Text(hit.snippet, style="dim")
            for start, end in hit.marks:
                snippet.stylize("bold yellow", start, end)
            title.append("\n").append_text(snippet)
        if hit.matched:
            title.append("\nmatched: " + ", ".join(m.describe() for m in hit.matched),
                         style="cyan")
        listings = _first(hit.listings, 4)
        day = hit.published_date_hk.isoformat() if hit.published_date_hk else "—"
        rows.append((day, hit.lang or "", title, listings, _signed(hit.sentiment_score), hit.id))
    return AlignedTable(
        [Column("published", no_wrap=True), Column("lang"), Column("title / snippet", wide=True),
         Column("securities", no_wrap=True), Column("tone", numeric=True),
         Column("id", no_wrap=True)],
        rows, title=f"{shown}{page.total}{more} article{'s' if page.total != 1 else ''}",
    )


def extraction_table(extractions: Sequence[Extraction]) -> Table:
    table = Table(title=f"{len(extractions)} article{'s' if len(extractions) != 1 else ''}",
                  title_justify="left", expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("lang")
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("securities", no_wrap=True)
    table.add_column("facts", justify="right")
    table.add_column("events", no_wrap=True)
    table.add_column("tone", justify="right")
    for ex in extractions:
        listings = list(dict.fromkeys(m.listing for m in ex.mentions))
        table.add_row(
            ex.article.id,
            ex.article.lang or "",
            ex.article.title or "(untitled)",
            _first(listings, 4),
            str(len(ex.facts)),
            "\n".join(sorted({e.type for e in ex.events})),
            _signed(ex.sentiment.score),
        )
    return table


# --- securities -----------------------------------------------------------------------------


def issuer_view(issuer: Issuer) -> RenderableType:
    """An issuer with every listing, its names in English, 简体 and 繁體, and aliases."""
    names = Table.grid(padding=(0, 2))
    names.add_column(style="bold")
    names.add_column(overflow="fold")
    names.add_row("id", issuer.id)
    names.add_row("English", issuer.name_en or "—")
    names.add_row("简体", issuer.name_zh_hans or "—")
    names.add_row("繁體", issuer.name_zh_hant or "—")
    for lang, label in (("en", "aliases EN"), ("zh-hans", "别名 简"), ("zh-hant", "別名 繁")):
        texts = dict.fromkeys(
            a.text for a in issuer.aliases if a.lang == lang and a.kind != "former"
        )
        names.add_row(label, ", ".join(texts) or "—")
    if issuer.former_names:
        names.add_row("former names", ", ".join(issuer.former_names))
    names.add_row("industry", issuer.industry or "—")
    listings = _table(
        "Listings", ("code", "exchange", "kind", "currency", "board", "name", "listed on"),
        (
            (li.code, li.exchange, li.kind, li.currency or "", li.board or "", li.name or "",
             str(li.listed_on or ""))
            for li in issuer.listings
        ),
    )
    return Group(Panel(names, title=issuer.name, title_align="left"), listings)


def candidates_table(query: str, candidates: Sequence[Issuer], *, ambiguous: bool) -> Table:
    title = (
        f"{query!r} names {len(candidates)} issuers; ask again with a code"
        if ambiguous
        else f"No exact match for {query!r}; closest {len(candidates)} issuers"
    )
    return _table(
        title,
        ("id", "name", "中文", "listings"),
        (
            (c.id, c.name_en or c.name, c.name_zh_hans or c.name_zh_hant or "",
             ", ".join(li.code for li in c.listings))
            for c in candidates
        ),
    )


# --- ingest ---------------------------------------------------------------------------------


def _source_error(error: SourceError) -> dict[str, str]:
    return {"origin": error.origin, "reason": error.reason, "detail": error.detail}


def ingest_json(summary: IngestSummary) -> dict[str, Any]:
    """The ``ingest --json`` object: counts, speed and each quarantined document."""
    rate = summary.articles_per_second
    return {
        "new": summary.new,
        "unchanged": summary.unchanged,
        "revised": summary.revised,
        "quarantined": summary.quarantined,
        "articles": summary.articles,
        "elapsed_seconds": round(summary.elapsed_seconds, 3),
        "articles_per_second": round(rate, 1) if rate is not None else None,
        "errors": [_source_error(e) for e in summary.errors],
    }


def ingest_summary(summary: IngestSummary) -> RenderableType:
    counts = Table(title="Ingest", title_justify="left")
    for name in ("new", "unchanged", "revised", "quarantined"):
        counts.add_column(name, justify="right")
    counts.add_row(
        Text(str(summary.new), style="green" if summary.new else ""),
        str(summary.unchanged),
        Text(str(summary.revised), style="cyan" if summary.revised else ""),
        Text(str(summary.quarantined), style="red" if summary.quarantined else ""),
    )
    rate = summary.articles_per_second
    speed = Text(
        f"{summary.articles:,} articles in {summary.elapsed_seconds:.2f} s"
        + (f" ({rate:,.1f}/s)" if rate else ""),
        style="dim",
    )
    if not summary.errors:
        return Group(counts, speed)
    return Group(counts, speed, quarantine_table(
        [(e.origin, e.reason, e.detail) for e in summary.errors]
    ))


def quarantine_table(rows: Iterable[tuple[str, str, str]]) -> Table:
    return _table("Quarantined (not stored; fix and ingest again)", ("file", "reason", "detail"),
                  ((origin, Text(reason, style="red"), detail) for origin, reason, detail in rows))
