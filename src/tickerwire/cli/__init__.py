"""The ``tickerwire`` command line: a thin typer + rich adapter over the library.

Layout (one concern per module; every command is one small function):

- ``_app.py`` — the typer ``app``, the global ``--db``/``--version`` callback and the boundary that
  turns a :class:`~tickerwire.errors.TickerwireError` into one line on stderr and its exit code.
- ``_options.py`` — shared option types (``DbOption``, ``JsonOption``, ``AsOfOption``,
  ``LangOption``), date parsing, ``open_store``, ``emit_json`` and the two consoles (stdout for
  results, stderr for progress and errors).
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

then import the module below and list the command in ``docs/cli.md`` (a test checks both).
Commands parse, call one library function and render: no SQL, regex or scoring here. Raise
``InvalidInputError``/``NotFoundError`` for bad arguments; never print tracebacks or call
``sys.exit`` directly.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

# Which module defines each command. ``tickerwire COMMAND`` imports only that module, so a
# command starts without loading the libraries of the others; help, an unknown name or ``app``
# itself imports them all. tests/cli/test_lazy_commands.py checks this table against the app.
COMMAND_MODULES = {
    "eval": "evaluate",
    "extract": "extract",
    "ingest": "ingest",
    "reprocess": "ingest",
    "stock": "insights",
    "movers": "insights",
    "market": "insights",
    "ipos": "insights",
    "brief": "insights",
    "search": "read",
    "show": "read",
    "stats": "read",
    "securities": "securities",
    "serve": "serve",
    "prices": "prices",
    "verify": "prices",
    "study": "prices",
    "batch": "batch",
    "export": "batch",
    "stories": "stories",
    "story": "stories",
    "watch": "watch",
}
_GLOBAL_OPTIONS_WITH_VALUE = {"--db"}


def command_modules(argv: Sequence[str]) -> list[str]:
    """The command modules ``tickerwire *argv`` needs: the one defining the command named, or
    every module when no known command is named (help, version, a typo)."""
    args = iter(argv)
    for arg in args:
        if arg in _GLOBAL_OPTIONS_WITH_VALUE:
            next(args, None)
        elif not arg.startswith("-"):
            module = COMMAND_MODULES.get(arg)
            return [module] if module else sorted(set(COMMAND_MODULES.values()))
        elif arg.startswith("--db="):
            continue
        else:
            break
    return sorted(set(COMMAND_MODULES.values()))


def _load_app(modules: Sequence[str]) -> typer.Typer:
    for module in modules:
        importlib.import_module(f"tickerwire.cli.{module}")  # registers its commands
    from tickerwire.cli._app import app

    return app


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # `from tickerwire.cli import app`: the app with every command
        return _load_app(sorted(set(COMMAND_MODULES.values())))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point (``tickerwire``)."""
    _load_app(command_modules(sys.argv[1:]))()


__all__ = ["COMMAND_MODULES", "app", "command_modules", "main"]
