"""The ``tickerwire`` command line: a thin typer + rich adapter over the library.

Layout (one concern per module; every command is one small function):

- ``_app.py`` — the typer ``app``, the global ``--db``/``--version`` callback and the boundary that
  turns a :class:`~tickerwire.errors.TickerwireError` into one line on stderr and its exit code.
- ``_options.py`` — shared option types (``DbOption``, ``JsonOption``, ``AsOfOption``,
  ``LangOption``), date parsing, ``open_store``, ``emit_json`` and the two consoles (stdout for
  results, stderr for progress and errors).
- ``ingest.py`` (ingest, reprocess), ``read.py`` (search, show, stats), ``securities.py``,
  ``extract.py`` (no database), ``evaluate.py`` (eval) — the commands.
- ``insights.py`` (stock, movers, market, ipos, brief) — views over ``tickerwire.insights``;
  ``serve.py`` (serve) — runs the API and dashboard.
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

then import the module below and list the command in ``docs/cli.md`` (a test checks both).
Commands parse, call one library function and render: no SQL, regex or scoring here. Raise
``InvalidInputError``/``NotFoundError`` for bad arguments; never print tracebacks or call
``sys.exit`` directly.
"""

from __future__ import annotations

from tickerwire.cli import (  # noqa: F401  (registers the commands)
    evaluate,
    extract,
    ingest,
    insights,
    read,
    securities,
    serve,
)
from tickerwire.cli._app import app


def main() -> None:
    """Console-script entry point (``tickerwire``)."""
    app()


__all__ = ["app", "main"]
