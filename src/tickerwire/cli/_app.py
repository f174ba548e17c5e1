"""The typer application, its global options and its root group (which imports a command's
module when the command runs, and is the error boundary)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from tickerwire import __version__
from tickerwire.cli import COMMANDS
from tickerwire.errors import TickerwireError


@dataclass
class CliState:
    """Options given before the command name (``tickerwire --db X stats``)."""

    db: str | None = None  # a SQLite file or a postgresql:// URL


def fail(message: str, exit_code: int) -> None:
    """Print ``error: message`` as one line on stderr and exit with ``exit_code``."""
    from rich.console import Console
    from rich.markup import escape

    line = " ".join(str(message).split())
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"[bold red]error:[/] {escape(line)}"
    )
    raise typer.Exit(exit_code)


class _NotLoaded(TyperCommand):
    """Stands in for a command whose module is not imported yet (its name and one-line help)."""

    def invoke(self, ctx: Any) -> Any:
        # RootGroup.resolve_command replaces a placeholder before anything can run it
        raise RuntimeError(f"tickerwire {self.name}: the command's module was not imported")


class RootGroup(TyperGroup):
    """The root command: imports a command's module only when that command runs, and converts
    typed errors into one stderr line and the error's exit code.

    Every command in :data:`~tickerwire.cli.COMMANDS` whose module is not imported yet is a
    placeholder carrying the table's one-line help, so ``tickerwire --help``, an unknown command
    (with its "did you mean") and ``tickerwire COMMAND`` load no other command's code. The listing
    always shows the table's help, loaded or not, so help reads the same either way.
    """

    def __init__(self, *args: Any, commands: dict[str, Any] | None = None, **kwargs: Any) -> None:
        loaded = dict(commands or {})
        listed: dict[str, Any] = {}
        for name, entry in COMMANDS.items():
            command = loaded.pop(name, None)
            if command is None:
                command = _NotLoaded(name, help=entry.help)
            else:
                command.short_help = entry.help
            listed[name] = command
        super().__init__(*args, commands={**listed, **loaded}, **kwargs)

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name = args[0] if args else None
        if name in COMMANDS and isinstance(self.commands[name], _NotLoaded):
            importlib.import_module(f"tickerwire.cli.{COMMANDS[name].module}")  # registers it
            self.commands[name] = typer.main.get_group(app).commands[name]
        return super().resolve_command(ctx, args)

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
    cls=RootGroup,
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
