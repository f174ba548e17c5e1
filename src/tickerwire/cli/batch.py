"""``tickerwire batch extract|load`` (Spark extraction, bulk load) and ``tickerwire export``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tickerwire.cli._app import app
from tickerwire.cli._options import (
    AsOfOption,
    DbOption,
    JsonOption,
    emit_json,
    open_store,
    parse_day,
    parse_instant,
    settings_for,
    stdout,
)

batch_app = typer.Typer(
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@batch_app.callback()
def batch() -> None:
    """Bulk work: extract many documents with Spark, load the result into a database."""


app.add_typer(batch_app, name="batch")


@batch_app.command("extract")
def batch_extract(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders or globs the readers take (markdown, text, HTML, feeds, JSON "
            "Lines), and Parquet files or folders of article records (text, id, url, title, "
            "published_at …).",
            metavar="INPUT...",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", help="New directory for the Parquet tables (articles, mentions, "
                     "indices, facts, events, quarantine).", file_okay=False),
    ],
    master: Annotated[
        str,
        typer.Option("--master", help="Spark master: local[*], local[2], spark://host:7077, yarn …"),
    ] = "local[*]",
    partitions: Annotated[
        int | None,
        typer.Option("--partitions", min=1, help="Tasks to split the files into (default: 4 per core)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Extract documents with Spark into Parquet tables that `batch load` and any SQL engine read.

    Runs the same readers and pipeline as `ingest`; unreadable documents go to the quarantine table.
    """
    from tickerwire.batch.spark import run_extract

    summary = run_extract(inputs, out, master=master, partitions=partitions,
                          max_bytes=settings_for(ctx, None).max_file_bytes)
    if as_json:
        emit_json({"out": str(out), "rows": summary.rows,
                   "elapsed_seconds": round(summary.elapsed_seconds, 3)})
        return
    counts = ", ".join(f"{rows:,} {name}" for name, rows in summary.rows.items())
    stdout().print(f"wrote {out}: {counts} in {summary.elapsed_seconds:.1f} s")


@batch_app.command("load")
def batch_load(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Argument(help="Directory of tables written by `batch extract` or `export all`.",
                       exists=True, file_okay=False, metavar="DIR"),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Bulk-load Parquet tables into the database; loading the same tables twice adds nothing.

    New articles then join stories as `ingest` would have grouped them (in first-seen order).
    """
    from tickerwire.batch.exchange import load_tables

    with open_store(ctx, db, readonly=False) as store:
        summary = load_tables(store, directory)
    result = {"new": summary.new, "unchanged": summary.unchanged, "revised": summary.revised,
              "quarantined": summary.quarantined, "stories_assigned": summary.stories_assigned,
              "elapsed_seconds": round(summary.elapsed_seconds, 3)}
    if as_json:
        emit_json(result)
        return
    rate = summary.articles_per_second
    stdout().print(
        f"loaded {summary.articles:,} articles: {summary.new:,} new, {summary.revised:,} revised, "
        f"{summary.unchanged:,} unchanged; {summary.quarantined:,} quarantine records; "
        f"{summary.stories_assigned:,} joined stories"
        + (f" ({rate:,.0f} articles/s)" if rate else ""))


class ExportTable(StrEnum):
    all = "all"
    articles = "articles"
    mentions = "mentions"
    indices = "indices"
    facts = "facts"
    events = "events"
    stories = "stories"


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


@app.command()
def export(
    ctx: typer.Context,
    table: Annotated[
        ExportTable,
        typer.Argument(help="Table to write, or all of them (into the --out directory).",
                       case_sensitive=False),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", help="File to write (a directory for `all`: one TABLE.FORMAT each)."),
    ],
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="parquet (typed, compressed), csv or jsonl.",
                     case_sensitive=False),
    ] = ExportFormat.parquet,
    since: Annotated[
        str | None, typer.Option("--since", help="Articles published on or after this day.",
                                 metavar="YYYY-MM-DD")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Articles published on or before this day.",
                                 metavar="YYYY-MM-DD")
    ] = None,
    listing: Annotated[
        list[str] | None,
        typer.Option("--listing", help="Only articles mentioning this security (any listing of "
                     "its issuer); repeat for several.", metavar="CODE"),
    ] = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write stored articles, mentions, indices, facts, events or stories as Parquet, CSV or JSON Lines.

    Point-in-time like every read (--as-of) and streamed a page of articles at a time.
    """
    from tickerwire.batch.exchange import EXPORT_TABLES, ExportFilters, export_paths, export_tables
    from tickerwire.batch.files import TableFormat
    from tickerwire.insights import resolve_issuer

    names = list(EXPORT_TABLES) if table is ExportTable.all else [table.value]
    filters = ExportFilters(
        as_of=parse_instant(as_of, "--as-of"),
        since=parse_day(since, "--since"),
        until=parse_day(until, "--until"),
        listings=tuple(code for query in listing for code in resolve_issuer(query).codes)
        if listing else None,
    )
    target = TableFormat(fmt.value)
    with open_store(ctx, db) as store:
        rows = export_tables(store, export_paths(out, names, target), target, filters)
    if as_json:
        emit_json({"out": str(out), "format": fmt.value, "rows": rows})
        return
    counts = ", ".join(f"{count:,} {name}" for name, count in rows.items())
    stdout().print(f"wrote {out}: {counts}")
