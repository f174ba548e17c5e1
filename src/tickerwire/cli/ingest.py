"""``tickerwire ingest`` and ``tickerwire reprocess``: the commands that write the database."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tickerwire.cli import render
from tickerwire.cli._app import app
from tickerwire.cli._options import (
    DbOption,
    JsonOption,
    emit_json,
    open_store,
    read_inputs,
    settings_for,
    stderr,
    stdout,
)
from tickerwire.errors import InvalidInputError

if TYPE_CHECKING:
    from tickerwire.ingest import IngestProgress


@contextmanager
def _progress_bar(
    verb: str, *, total: int | None, enabled: bool
) -> Iterator[Callable[[str], None] | None]:
    """A rich progress bar on stderr; yields the callback the library calls before each item."""
    if not enabled:
        yield None
        return
    bar = Progress(
        TextColumn(f"[bold]{verb}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.description}"),
        console=stderr(),
        transient=True,
    )
    task = bar.add_task("", total=total)
    started = 0

    def starting(item: str) -> None:
        nonlocal started
        bar.update(task, completed=started, description=item[-60:])
        started += 1

    with bar:
        yield starting
        bar.update(task, completed=started)


@contextmanager
def _ingest_bar(
    *, files: int, enabled: bool
) -> Iterator[Callable[[IngestProgress], None] | None]:
    """A rich progress bar on stderr over the input files, counting the articles read."""
    if not enabled:
        yield None
        return
    bar = Progress(
        TextColumn("[bold]ingest[/]"),
        BarColumn(),
        TextColumn("{task.fields[articles]:,} articles"),
        TextColumn("[dim]{task.completed:,}/{task.total:,} files"),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.description}"),
        console=stderr(),
        transient=True,
    )
    task = bar.add_task("", total=files, articles=0)

    def advanced(at: IngestProgress) -> None:
        bar.update(task, completed=at.files_done, articles=at.articles,
                   description=at.current[-50:])

    with bar:
        yield advanced


@app.command()
def ingest(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders or globs (markdown, text, HTML, RSS/Atom, JSON Lines); "
            "'-' reads from stdin.",
            metavar="PATH...",
        ),
    ],
    db: DbOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 if any document was quarantined.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, envvar="TICKERWIRE_WORKERS",
            help="Processes that read and extract files (default: TICKERWIRE_WORKERS, else one "
            "per CPU core); this process writes. 1 does everything in one process.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Read news files, extract them and store them; re-ingesting the same news is a no-op.

    Documents that cannot be read are quarantined with their reason and the batch goes on.
    Articles are written in batches of a few hundred (or every second), each batch in one
    transaction; an interrupted ingest can simply be run again.
    """
    if "-" in inputs and len(inputs) > 1:
        raise InvalidInputError(
            "'-' (stdin) cannot be combined with paths: run one ingest for stdin, one for files"
        )
    from tickerwire.extract import build_pipeline
    from tickerwire.ingest import ingest_articles, ingest_paths
    from tickerwire.sources import expand_inputs

    max_bytes = settings_for(ctx, db).max_file_bytes
    processes = workers if workers is not None else os.cpu_count() or 1
    with open_store(ctx, db, readonly=False) as store:
        if inputs == ["-"]:
            items = read_inputs(inputs, max_bytes=max_bytes)
            summary = ingest_articles(store, items, pipeline=build_pipeline())
        else:
            files = sum(1 for _ in expand_inputs(inputs))  # also checks every path exists
            # With workers, each builds its own pipeline; this process only writes.
            pipeline = build_pipeline() if processes == 1 or files == 1 else None
            with _ingest_bar(files=files, enabled=not as_json) as progress:
                summary = ingest_paths(
                    store, inputs, pipeline=pipeline, max_bytes=max_bytes, progress=progress,
                    workers=processes,
                )
    if as_json:
        emit_json(render.ingest_json(summary))
    else:
        stdout().print(render.ingest_summary(summary))
    if strict and summary.quarantined:
        raise typer.Exit(1)


@app.command()
def reprocess(
    ctx: typer.Context,
    db: DbOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Re-extract every article, not only those from an older pipeline."
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Re-extract stored articles after a pipeline change (new revision of the extraction)."""
    from tickerwire.extract import build_pipeline
    from tickerwire.ingest import reprocess as reprocess_store

    pipeline = build_pipeline()
    with open_store(ctx, db, readonly=False) as store:
        total = store.stats()["articles"] if force else None
        with _progress_bar("reprocess", total=total, enabled=not as_json) as progress:
            count = reprocess_store(store, pipeline=pipeline, force=force, progress=progress)
    if as_json:
        emit_json({"reprocessed": count, "pipeline_version": pipeline.version})
    else:
        stdout().print(
            f"Re-extracted {count:,} article{'s' if count != 1 else ''} "
            f"with pipeline {pipeline.version}."
        )
