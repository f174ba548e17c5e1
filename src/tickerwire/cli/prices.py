"""``tickerwire prices import|fetch|list`` and ``tickerwire verify``: market prices and the
verdicts on the numbers the news reports (docs/prices.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from tickerwire.cli._app import app
from tickerwire.cli._options import (
    AsOfOption,
    DbOption,
    JsonOption,
    SinceOption,
    UntilOption,
    emit_json,
    open_store,
    parse_day,
    parse_instant,
    render_insights,
    stdout,
)

prices_app = typer.Typer(no_args_is_help=True, help="Daily price bars: import, fetch, list.")
app.add_typer(prices_app, name="prices")


@prices_app.callback()
def prices() -> None:
    """Daily price bars of listings, indices and market totals: import files, fetch from a
    provider, list what is stored. Importing re-checks the news numbers about those codes."""


@prices_app.command("import")
def import_prices(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(help="CSV or Parquet files, or folders of them (Yahoo/Stooq, tushare, "
                       "AkShare columns).", metavar="FILE|DIR..."),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import daily bars; a changed bar becomes a new revision, the same bar again is a no-op.
    Any bad row (reported with file and line) stops the import before anything is written."""
    from tickerwire.prices.readers import expand_price_inputs, read_price_files
    from tickerwire.refdata.master import load_master

    bars = read_price_files(expand_price_inputs(inputs), load_master())
    with open_store(ctx, db, readonly=False) as store:
        outcome = store.import_bars(bars)
    if as_json:
        emit_json(outcome)
    else:
        stdout().print(render_insights.bar_import_line(outcome))


@prices_app.command("fetch")
def fetch_prices(
    ctx: typer.Context,
    codes: Annotated[list[str], typer.Argument(help="Codes in any form (0700.HK, 600519.SH, HSI).",
                                               metavar="CODE...")],
    source: Annotated[str, typer.Option("--source", help="yfinance or akshare.")] = "yfinance",
    since: Annotated[str, typer.Option("--since", help="First day (YYYY-MM-DD).",
                                       metavar="DAY")] = "",
    until: Annotated[str | None, typer.Option("--until", help="Last day (YYYY-MM-DD); default "
                                              "today.", metavar="DAY")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Download daily bars from yfinance or AkShare (``pip install 'tickerwire[prices]'``) and
    import them like files."""
    from tickerwire.prices.fetch import fetch_bars
    from tickerwire.refdata.master import load_master

    first = parse_day(since, "--since")
    if first is None:
        from tickerwire.errors import InvalidInputError

        raise InvalidInputError("--since is required: the first day to fetch (YYYY-MM-DD)")
    bars = fetch_bars(source, codes, since=first, until=parse_day(until, "--until"),
                      master=load_master())
    with open_store(ctx, db, readonly=False) as store:
        outcome = store.import_bars(bars)
    if as_json:
        emit_json(outcome)
    else:
        stdout().print(render_insights.bar_import_line(outcome))


@prices_app.command("list")
def list_prices(
    ctx: typer.Context, as_of: AsOfOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Every code with stored bars: first and last day and how many bars."""
    with open_store(ctx, db) as store:
        rows = store.price_codes(as_of=parse_instant(as_of, "--as-of"))
    if as_json:
        emit_json({"codes": [{"code": c, "first": f, "last": la, "bars": n} for c, f, la, n in rows]})
    else:
        stdout().print(render_insights.price_codes_table(rows))


@app.command()
def verify(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check every reported close, move, index level and turnover against the stored prices:
    counts per verdict, each publisher's record, and the numbers the market contradicts."""
    from tickerwire.insights import verification_report

    since_day = parse_day(since, "--since")
    until_day = parse_day(until, "--until")
    with open_store(ctx, db, readonly=False, must_exist=True) as store:
        store.refresh_verdicts()
        report = verification_report(store, since=since_day, until=until_day)
    if as_json:
        emit_json(report)
    else:
        stdout().print(render_insights.verification_view(report))


@app.command()
def study(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Does the news carry a signal? Per event type and tone: the mean same-day and next-day
    return of the companies concerned, raw and against their index, with counts and t-stats."""
    from tickerwire.insights import study as run_study

    with open_store(ctx, db) as store:
        result = run_study(store, since=parse_day(since, "--since"), until=parse_day(until, "--until"),
                           as_of=parse_instant(as_of, "--as-of"))
    if as_json:
        emit_json(result)
    else:
        stdout().print(render_insights.study_view(result))
