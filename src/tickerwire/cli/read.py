"""``tickerwire search``, ``show`` and ``stats``: read the database."""

from __future__ import annotations

from typing import Annotated

import typer

from tickerwire.cli._app import app
from tickerwire.cli._options import (
    AsOfOption,
    DbOption,
    JsonOption,
    LangOption,
    emit_json,
    insights,
    open_store,
    parse_day,
    parse_instant,
    render,
    settings_for,
    stdout,
)
from tickerwire.errors import NotFoundError


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            help="Words to find in titles and text, English or Chinese ('' for any).",
            show_default=False,
        ),
    ] = "",
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Published on or after this day (YYYY-MM-DD).", metavar="DAY"
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="Published on or before this day (YYYY-MM-DD).", metavar="DAY"
        ),
    ] = None,
    lang: LangOption = None,
    security: Annotated[
        str | None,
        typer.Option(
            "--security",
            "-s",
            help="Only articles mentioning this security: any code form (981 HK, 0981.HK, "
            "688981.SH) or name (SMIC, 中芯国际); all its listings count.",
            metavar="CODE_OR_NAME",
        ),
    ] = None,
    event: Annotated[
        str | None,
        typer.Option(
            "--event", help="Only articles reporting this event type (e.g. ipo).", metavar="TYPE"
        ),
    ] = None,
    sentiment: Annotated[
        str | None,
        typer.Option(
            "--sentiment",
            help="Only articles with this tone: positive, neutral or negative.",
            metavar="LABEL",
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Only articles from this source (as stored).",
                     metavar="SOURCE"),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Most results to show.", min=1)] = 20,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many results.", min=0)] = 0,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Full-text search of stored articles, newest first.

    简体 and 繁體, full-width and case are folded (中芯國際 finds 中芯国际); words that name a
    security (SMIC, 00981.HK, 騰訊) also find articles that mention any of its listings. Each
    hit says why it matched.
    """
    since_day = parse_day(since, "--since")
    until_day = parse_day(until, "--until")
    instant = parse_instant(as_of, "--as-of")
    insights.security_query(query)  # a control character or an empty query fails here
    if security:
        insights.resolve_issuer(security)  # an unknown or ambiguous name fails before the database opens
    with open_store(ctx, db) as store:
        page = insights.search_articles(
            store,
            query,
            since=since_day,
            until=until_day,
            lang=lang.value if lang else None,
            security=security,
            event_type=event,
            sentiment=sentiment,
            source=source,
            limit=limit,
            offset=offset,
            as_of=instant,
        )
    if as_json:
        emit_json(list(page.results))
    else:
        stdout().print(render.search_results(page))


@app.command()
def show(
    ctx: typer.Context,
    article_id: Annotated[
        str, typer.Argument(help="Article id, as printed by search or ingest.", metavar="ID")
    ],
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One article: header, text with mentions and facts marked, then what was extracted."""
    instant = parse_instant(as_of, "--as-of")
    with open_store(ctx, db) as store:
        stored = store.get_article(article_id, as_of=instant)
    if stored is None:
        when = f" as of {as_of}" if as_of else ""
        raise NotFoundError(
            f"no article with id {article_id!r}{when}: find ids with `tickerwire search QUERY`"
        )
    if as_json:
        emit_json(stored)
    else:
        stdout().print(render.article_view(stored))


@app.command()
def stats(
    ctx: typer.Context, as_of: AsOfOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Counts of what the database holds: articles, revisions, mentions, facts, quarantined …"""
    instant = parse_instant(as_of, "--as-of")
    with open_store(ctx, db) as store:
        counts = store.stats(as_of=instant)
    if as_json:
        emit_json(counts)
    else:
        where = settings_for(ctx, db).database_label
        stdout().print(render.key_value_table("Database", counts, caption=where))
