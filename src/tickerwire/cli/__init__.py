"""The ``tickerwire`` command line: a thin typer + rich adapter over the library.

Layout (one concern per module; every command is one small function):

- ``_app.py`` — the typer ``app``, the global ``--db``/``--version`` callback and the root group
  that imports a command's module when it runs and turns a
  :class:`~tickerwire.errors.TickerwireError` into one line on stderr and its exit code.
- ``_options.py`` — shared option types (``DbOption``, ``JsonOption``, ``AsOfOption``,
  ``DateOption``, ``LangOption``), ``insights`` (imported on first use), date parsing,
  ``open_store``, ``emit_json`` and the two consoles (stdout for results, stderr for progress
  and errors).
- ``ingest.py`` (ingest, reprocess), ``read.py`` (search, show, stats), ``securities.py``,
  ``extract.py`` (no database), ``evaluate.py`` (eval) — the commands.
- ``prices.py`` (prices import|fetch|list, verify, study) — price bars, the verdicts on reported
  numbers and the returns after news;
- ``insights.py`` (stock, movers, market, ipos, brief) — views over ``tickerwire.insights``;
  ``serve.py`` (serve) — runs the API and dashboard; ``batch.py`` (batch extract, batch load,
  export) — Spark extraction, bulk loads and exports of the exchange tables; ``watch.py``
  (watch) — follows folders and feeds and delivers alerts.
- ``render.py`` — rich renderings of library objects (tables, marked-up article text);
  ``render_insights.py`` — renderings of insight results, with numbered source footnotes.

Adding a command: create a module (or add to the closest one), write::

    @app.command()
    def movers(ctx: typer.Context, db: DbOption = None, as_of: AsOfOption = None,
               as_json: JsonOption = False) -> None:
        \"\"\"One line of help: what it shows.\"\"\"
        with open_store(ctx, db) as store:
            result = insights.movers(store, as_of=parse_instant(as_of, "--as-of"))
        if as_json:
            emit_json(result)
        else:
            out.print(render.movers_table(result))

then add a line to ``COMMANDS`` below (the command's name, its module and the one-line help
that ``tickerwire --help`` lists) and list the command in ``docs/cli.md`` (tests check both
against the commands' docstrings). ``tickerwire COMMAND`` imports only that command's module,
and ``tickerwire --help`` none, so a module imports at its top only what its commands' options
need: the library (``tickerwire.insights``, ``extract``, ``store`` …) is imported inside the
function that uses it.
Commands parse, call one library function and render: no SQL, regex or scoring here. Raise
``InvalidInputError``/``NotFoundError`` for bad arguments; never print tracebacks or call
``sys.exit`` directly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import typer


class Command(NamedTuple):
    module: str  # the module under tickerwire.cli that defines the command
    help: str  # the first paragraph of its docstring, on one line


# Every command, in the order ``tickerwire --help`` lists them.
COMMANDS = {
    "ingest": Command(
        "ingest",
        "Read news files, extract them and store them; re-ingesting the same news is a no-op.",
    ),
    "reprocess": Command(
        "ingest",
        "Re-extract stored articles after a pipeline change (new revision of the extraction).",
    ),
    "extract": Command(
        "extract",
        "Extract mentions, facts, events and sentiment from files and print them (no database).",
    ),
    "search": Command("read", "Full-text search of stored articles, newest first."),
    "show": Command(
        "read",
        "One article: header, text with mentions and facts marked, then what was extracted.",
    ),
    "stats": Command(
        "read",
        "Counts of what the database holds: articles, revisions, mentions, facts, quarantined …",
    ),
    "securities": Command(
        "securities",
        "Resolve a code or name: the issuer, all its listings, names EN/简/繁 and aliases.",
    ),
    "stock": Command(
        "insights",
        "One company's news timeline, a page of articles at a time: listings and names, per-day "
        "articles and sentiment (the newest --limit days), then the page's articles (newest "
        "first) with the facts and events they state and their sources.",
    ),
    "movers": Command(
        "insights",
        "The day's biggest reported price moves: each listing with its move, price, sources and "
        "the events the same articles give as the reason.",
    ),
    "market": Command(
        "insights",
        "The day's index board, turnover and southbound/northbound Stock Connect flows, each with "
        "its sources; when sources disagree every value is shown with its own.",
    ),
    "ipos": Command(
        "insights",
        "The IPO pipeline, a page of companies (most recent activity first): company, stage, "
        "exchange and board, target and actual raise, the day each stage was first reported, "
        "and the sources of what is shown.",
    ),
    "brief": Command(
        "insights",
        "The day's market wrap — indices, flows, movers and why, sectors, IPOs, risks — every "
        "number followed by a citation of the article words it came from.",
    ),
    "stories": Command(
        "stories",
        'Stories: each piece of news once, with its lead article, "+N" other sources and '
        "languages, newest first. Ingest groups articles as they arrive; --rebuild regroups all.",
    ),
    "story": Command(
        "stories",
        "One story: its articles in every language, why each joined, its novelty, and which "
        "facts each article reported first.",
    ),
    "prices": Command("prices", "Daily price bars: import, fetch, list."),
    "verify": Command(
        "prices",
        "Check every reported close, move, index level and turnover against the stored prices: "
        "counts per verdict, each publisher's record, and the numbers the market contradicts.",
    ),
    "study": Command(
        "prices",
        "Does the news carry a signal? Per event type and tone: the mean same-day and next-day "
        "return of the companies concerned, raw and against their index, with counts and "
        "t-stats.",
    ),
    "watch": Command(
        "watch",
        "Follow folders and feeds until Ctrl-C (or SIGTERM), ingesting what arrives and "
        "delivering alerts; safe to stop and start again at any time (see docs/live.md).",
    ),
    "serve": Command(
        "serve",
        "Serve the REST API (OpenAPI docs at /docs) and the dashboard over the database until "
        "Ctrl-C. The database must exist: ingest news first. With --watch FOLDER and/or --feeds "
        "FILE, also follow folders and feeds in the same process, ingesting what arrives and "
        "delivering alerts (see docs/live.md); the dashboard's Latest news shows it as it lands.",
    ),
    "batch": Command(
        "batch", "Bulk work: extract many documents with Spark, load the result into a database."
    ),
    "export": Command(
        "batch",
        "Write stored articles, mentions, indices, facts, events or stories as Parquet, CSV or "
        "JSON Lines.",
    ),
    "eval": Command(
        "evaluate",
        "Grade the extraction pipeline: precision, recall and F1 per field (all, en, zh).",
    ),
}


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # `from tickerwire.cli import app`: the app with every command loaded
        for module in sorted({command.module for command in COMMANDS.values()}):
            importlib.import_module(f"tickerwire.cli.{module}")  # registers its commands
        from tickerwire.cli._app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point (``tickerwire``): loads a command's module when it runs."""
    from tickerwire.cli._app import app

    app()


__all__ = ["COMMANDS", "Command", "app", "main"]
