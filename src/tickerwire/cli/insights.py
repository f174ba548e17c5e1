"""``tickerwire stock``, ``movers``, ``market``, ``ipos`` and ``brief``: the insight views.

Each command parses its options, calls one function of :mod:`tickerwire.insights` and renders
the result (``--json`` prints the result's ``to_dict()``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from tickerwire.cli._app import app
from tickerwire.cli._options import (
    AsOfOption,
    DateOption,
    DbOption,
    JsonOption,
    SinceOption,
    UntilOption,
    emit_json,
    insights,
    open_store,
    parse_day,
    parse_instant,
    render_insights,
    stdout,
)


class BriefFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"


@app.command()
def stock(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            help="The company: a code in any form (981 HK, 0981.HK, 688981.SH) or a name in "
            "English, 简体 or 繁體 (SMIC, 中芯国际); all its listings count.",
            metavar="CODE|NAME",
        ),
    ],
    since: SinceOption = None,
    until: UntilOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Articles per page (newest first); the tables "
                          "of days, facts and events show as many rows.", min=1)
    ] = 50,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many articles.", min=0)] = 0,
    show_all: Annotated[
        bool, typer.Option("--all", help="The whole timeline: every article, fact and event.")
    ] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One company's news timeline, a page of articles at a time: listings and names, per-day
    articles and sentiment (the newest --limit days), then the page's articles (newest first)
    with the facts and events they state and their sources.

    An unknown code or name exits 2 and suggests near matches.
    """
    since_day = parse_day(since, "--since")
    until_day = parse_day(until, "--until")
    instant = parse_instant(as_of, "--as-of")
    with open_store(ctx, db) as store:
        if show_all:
            result: insights.Timeline | insights.TimelinePage = insights.timeline(
                store, query, since=since_day, until=until_day, as_of=instant)
        else:
            result = insights.timeline_page(store, query, limit=limit, offset=offset,
                                            since=since_day, until=until_day, as_of=instant)
    if as_json:
        emit_json(result)
    else:
        stdout().print(render_insights.stock_view(result, limit=None if show_all else limit))


@app.command()
def movers(
    ctx: typer.Context,
    day: DateOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Most movers to list.", min=1)
    ] = 20,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The day's biggest reported price moves: each listing with its move, price, sources and
    the events the same articles give as the reason."""
    trading_day = parse_day(day, "--date")
    instant = parse_instant(as_of, "--as-of")
    with open_store(ctx, db) as store:
        result = insights.movers(store, trading_day, as_of=instant, limit=limit)
    if as_json:
        emit_json(result)
    else:
        stdout().print(render_insights.movers_view(result))


@app.command()
def market(
    ctx: typer.Context,
    day: DateOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The day's index board, turnover and southbound/northbound Stock Connect flows, each with
    its sources; when sources disagree every value is shown with its own."""
    trading_day = parse_day(day, "--date")
    instant = parse_instant(as_of, "--as-of")
    with open_store(ctx, db) as store:
        result = insights.market(store, trading_day, as_of=instant)
    if as_json:
        emit_json(result)
    else:
        stdout().print(render_insights.market_view(result))


@app.command()
def ipos(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Most companies to show.", min=1)] = 20,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many companies.", min=0)] = 0,
    show_all: Annotated[bool, typer.Option("--all", help="Every company (no --limit).")] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The IPO pipeline, a page of companies (most recent activity first): company, stage,
    exchange and board, target and actual raise, the day each stage was first reported, and
    the sources of what is shown."""
    since_day = parse_day(since, "--since")
    until_day = parse_day(until, "--until")
    instant = parse_instant(as_of, "--as-of")
    with open_store(ctx, db) as store:
        page = insights.ipo_page(store, limit=None if show_all else limit,
                                 offset=0 if show_all else offset, since=since_day,
                                 until=until_day, as_of=instant)
    if as_json:
        emit_json(page)
    else:
        stdout().print(render_insights.ipos_view(page, as_of=instant))


@app.command()
def brief(
    ctx: typer.Context,
    day: DateOption = None,
    output_format: Annotated[
        BriefFormat,
        typer.Option(
            "--format", "-f",
            help="text (plain), md (Markdown) or html (a standalone page); each ends with its "
            "numbered sources.",
            case_sensitive=False,
        ),
    ] = BriefFormat.text,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The day's market wrap — indices, flows, movers and why, sectors, IPOs, risks — every
    number followed by a citation of the article words it came from."""
    trading_day = parse_day(day, "--date")
    instant = parse_instant(as_of, "--as-of")
    with open_store(ctx, db) as store:
        result = insights.brief(store, trading_day, as_of=instant)
    if as_json:
        emit_json(result)
        return
    renderers = {
        BriefFormat.text: result.render_text,
        BriefFormat.md: result.render_markdown,
        BriefFormat.html: result.render_html,
    }
    typer.echo(renderers[output_format](), nl=False)
