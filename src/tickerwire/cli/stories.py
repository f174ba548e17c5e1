"""``tickerwire stories`` and ``tickerwire story``: news grouped into stories.

See ``docs/stories.md`` for how articles are grouped and what novelty and first reports mean.
"""

from __future__ import annotations

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
    stderr,
    stdout,
)
from tickerwire.errors import InvalidInputError


@app.command()
def stories(
    ctx: typer.Context,
    day: DateOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    stock: Annotated[
        str | None,
        typer.Option("--stock", help="Only stories about this company (code or name; any "
                     "listing of it counts).", metavar="CODE|NAME"),
    ] = None,
    min_articles: Annotated[
        int, typer.Option("--min-articles", help="Only stories told by at least this many "
                          "articles (2: stories with more than one source).", min=1),
    ] = 1,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Most stories shown.", min=1)] = 50,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Forget all stories and group every stored article "
                           "again, in the order they were first seen (after an upgrade).")
    ] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Stories: each piece of news once, with its lead article, "+N" other sources and
    languages, newest first. Ingest groups articles as they arrive; --rebuild regroups all."""
    if rebuild:
        if any(v is not None for v in (day, since, until, stock, as_of)):
            raise InvalidInputError("--rebuild takes no filters: it regroups every article")
        with open_store(ctx, db, readonly=False) as store:
            summary = insights.rebuild_stories(store)
        if as_json:
            emit_json(summary)
        else:
            stderr().print(f"{summary.articles} articles in {summary.stories} stories")
        return
    one_day = parse_day(day, "--date")
    first = one_day or parse_day(since, "--since")
    last = one_day or parse_day(until, "--until")
    subjects = insights.resolve_issuer(stock).codes if stock else None
    with open_store(ctx, db) as store:
        page = insights.list_stories(
            store, since=first, until=last, subjects=subjects, min_articles=min_articles,
            limit=limit, as_of=parse_instant(as_of, "--as-of"))
    if as_json:
        emit_json(page)
    else:
        stdout().print(render_insights.stories_view(page))


@app.command()
def story(
    ctx: typer.Context,
    story_id: Annotated[str, typer.Argument(help="The story id (st-…), from `tickerwire stories`.",
                                            metavar="ID")],
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One story: its articles in every language, why each joined, its novelty, and which
    facts each article reported first."""
    with open_store(ctx, db) as store:
        detail = insights.story_detail(store, story_id, as_of=parse_instant(as_of, "--as-of"))
    if as_json:
        emit_json(detail)
    else:
        stdout().print(render_insights.story_view(detail))
