"""The typer application, its global options and the error boundary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from tickerwire import __version__
from tickerwire.errors import TickerwireError


@dataclass
class CliState:
    """Options given before the command name (``tickerwire --db X stats``)."""

    db: str | None = None  # a SQLite file or a postgresql:// URL


def fail(message: str, exit_code: int) -> None:
    """Print ``error: message`` as one line on stderr and exit with ``exit_code``."""
    line = " ".join(str(message).split())
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"[bold red]error:[/] {escape(line)}"
    )
    raise typer.Exit(exit_code)


class ErrorBoundaryGroup(TyperGroup):
    """Runs a command; converts typed errors into one stderr line and the error's exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except TickerwireError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:  # `tickerwire extract … | head`
            raise typer.Exit(0) from None
        return None


app = typer.Typer(
    name="tickerwire",
    cls=ErrorBoundaryGroup,
    help="Market news about Hong Kong and mainland-China listed companies, as a "
    "point-in-time, source-cited database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"tickerwire {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLite database file, or postgresql://user@host/dbname, for every command "
            "(default: $TICKERWIRE_DB, else tickerwire.db in the user data directory).",
            metavar="FILE|URL",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the tickerwire version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Market news about Hong Kong and mainland-China listed companies, as data."""
    ctx.obj = CliState(db=db)
