"""Shared option types and helpers every command uses (database, JSON, dates, output)."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tickerwire.cli._app import CliState
from tickerwire.errors import InvalidInputError, SourceError
from tickerwire.model import Article
from tickerwire.serialize import jsonable
from tickerwire.settings import Settings, load_settings
from tickerwire.timeutil import parse_day as parse_day  # the CLI's date options
from tickerwire.timeutil import parse_instant as parse_instant

if TYPE_CHECKING:
    from rich.console import Console

    from tickerwire import insights as insights
    from tickerwire.cli import render as render
    from tickerwire.cli import render_insights as render_insights
    from tickerwire.store import Store


class _ImportedOnUse:
    """A module imported when one of its attributes is first read, so a command module can name
    the library at its top while ``--help`` and the other commands never load it (and a command
    printing JSON never loads rich's tables)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


if not TYPE_CHECKING:
    insights = _ImportedOnUse("tickerwire.insights")
    render = _ImportedOnUse("tickerwire.cli.render")
    render_insights = _ImportedOnUse("tickerwire.cli.render_insights")


class Lang(StrEnum):
    en = "en"
    zh = "zh"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite database file or postgresql://user@host/dbname URL (overrides the global "
        "--db and $TICKERWIRE_DB).",
        metavar="FILE|URL",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")
]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="From this day on (YYYY-MM-DD, inclusive).", metavar="DAY"),
]
UntilOption = Annotated[
    str | None,
    typer.Option("--until", help="Up to this day (YYYY-MM-DD, inclusive).", metavar="DAY"),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Hong Kong trading day (YYYY-MM-DD); default: the latest day with market numbers.",
        metavar="DAY",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Answer as the database stood at this instant (YYYY-MM-DD = end of that day, or "
        "ISO 8601 time; no offset = Hong Kong time).",
        metavar="WHEN",
    ),
]
LangOption = Annotated[
    Lang | None,
    typer.Option("--lang", help="Only articles in this language.", case_sensitive=False),
]


def stdout() -> Console:
    """Console for results (tables, text); rich is imported by the first command that prints
    through it, never by one that prints JSON."""
    from rich.console import Console

    return Console(highlight=False)


def stderr() -> Console:
    """Console for progress bars, warnings and per-item errors."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def settings_for(ctx: typer.Context, db: str | None) -> Settings:
    """Settings with the database chosen by the command option, else the global one."""
    root = ctx.find_root().obj
    global_db = root.db if isinstance(root, CliState) else None
    return load_settings(db or global_db)


@contextmanager
def open_store(
    ctx: typer.Context, db: str | None, *, readonly: bool = True, must_exist: bool = False
) -> Iterator[Store]:
    """Open the command's database (read-only unless the command writes; a writer creates it
    unless ``must_exist``)."""
    settings = settings_for(ctx, db)
    if (readonly or must_exist) and not settings.database_exists():
        path = settings.db_path
        raise InvalidInputError(
            f"no database at {path}: ingest news first (`tickerwire --db {path} ingest PATH`) "
            "or pass --db"
        )
    from tickerwire.store import Store

    with Store(settings.database, readonly=readonly) as store:
        yield store


def emit_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON on stdout (UTF-8, Chinese kept readable)."""
    typer.echo(json.dumps(jsonable(obj), ensure_ascii=False, indent=2))


def emit_json_line(obj: Any) -> None:
    """Print ``obj`` as one compact JSON line (JSON Lines output)."""
    typer.echo(json.dumps(jsonable(obj), ensure_ascii=False))


def stdin_bytes() -> bytes:
    """Everything on standard input, as bytes (decoding is the reader's job)."""
    return typer.get_binary_stream("stdin").read()


def read_inputs(inputs: Sequence[str], *, max_bytes: int) -> Iterator[Article | SourceError]:
    """Read PATH arguments: ``-`` is standard input (read first), the rest go to the readers.

    Every path is checked before anything is read: a missing one raises ``InvalidInputError``.
    """
    from tickerwire.sources import expand_inputs, read_bytes, read_path

    files = list(expand_inputs([arg for arg in inputs if arg != "-"]))
    if "-" in inputs:
        yield from read_bytes(stdin_bytes(), origin="<stdin>", max_bytes=max_bytes)
    for path in files:
        yield from read_path(path, max_bytes=max_bytes)


# Options `watch` and `serve --watch` share.
FeedsOption = Annotated[
    Path | None,
    typer.Option("--feeds", help="feeds.yaml listing RSS/Atom/JSON feed URLs to poll.",
                 dir_okay=False, exists=True),
]
AlertsOption = Annotated[
    Path | None,
    typer.Option("--alerts", help="Alert rules and delivery channels (YAML); rules added "
                 "over the API apply too.", dir_okay=False, exists=True),
]
BacklogOption = Annotated[
    bool, typer.Option("--backlog", help="On the first run, check every stored article "
                       "against the rules (default: only articles stored from now on).")
]
