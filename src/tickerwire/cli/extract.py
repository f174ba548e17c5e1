"""``tickerwire extract``: run the pipeline over files, print the DESIGN contract (no database)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from tickerwire.cli._app import app
from tickerwire.cli._options import (
    emit_json_line,
    read_inputs,
    render,
    settings_for,
    stderr,
    stdout,
)
from tickerwire.errors import SourceError
from tickerwire.model import Extraction

if TYPE_CHECKING:
    from collections.abc import Callable


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


@app.command()
def extract(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders or globs to read (markdown, text, HTML, RSS/Atom, JSON Lines); "
            "'-' reads one document from stdin.",
            metavar="PATH...",
        ),
    ],
    fmt: Annotated[
        ExtractFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl: one JSON object per article (the extraction contract); table: a summary.",
            case_sensitive=False,
        ),
    ] = ExtractFormat.jsonl,
    with_text: Annotated[
        bool,
        typer.Option(
            "--with-text", help="Include the article text that start/end offsets point into."
        ),
    ] = False,
    prices: Annotated[
        list[str] | None,
        typer.Option(
            "--prices", help="Price files or folders (as `prices import` reads) to check each "
            "reported number against; without it every `verification` is null.",
            metavar="PATH",
        ),
    ] = None,
) -> None:
    """Extract mentions, facts, events and sentiment from files and print them (no database).

    Exits 1 if any input could not be read; the others are still printed.
    """
    from tickerwire.extract import build_pipeline

    check = _price_check(prices) if prices else None
    pipeline = build_pipeline()
    max_bytes = settings_for(ctx, None).max_file_bytes
    extractions: list[Extraction] = []
    failed = 0
    for item in read_inputs(inputs, max_bytes=max_bytes):
        if isinstance(item, SourceError):
            from rich.markup import escape

            failed += 1
            stderr().print(f"[red]skipped[/] {escape(str(item))}", soft_wrap=True)
            continue
        extraction = pipeline(item)
        if check is not None:
            extraction = check(extraction)
        if fmt is ExtractFormat.jsonl:
            emit_json_line(extraction.to_dict(with_text=with_text))
        else:
            extractions.append(extraction)
    if fmt is ExtractFormat.table:
        stdout().print(render.extraction_table(extractions))
    if failed:
        raise typer.Exit(1)


def _price_check(paths: list[str]) -> Callable[[Extraction], Extraction]:
    """The verdicts on an extraction's numbers against the price files ``paths`` (the price
    readers and the verdict rules load only with ``--prices``)."""
    from tickerwire.prices.readers import expand_price_inputs, read_price_files
    from tickerwire.prices.verdicts import bar_lookup, with_verdicts
    from tickerwire.refdata.master import load_master

    bars = bar_lookup(read_price_files(expand_price_inputs(paths), load_master()))
    return lambda extraction: with_verdicts(extraction, bars)
