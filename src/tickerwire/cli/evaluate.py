"""``tickerwire eval``: precision / recall / F1 of extraction against gold annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tickerwire.cli._app import app
from tickerwire.cli._options import JsonOption, LangOption, emit_json, render, stdout


@app.command("eval")
def evaluate(
    docs: Annotated[
        Path,
        typer.Option("--docs", help="JSON Lines of articles: one {id, text, lang} per line."),
    ],
    gold: Annotated[
        Path,
        typer.Option("--gold", help="JSON Lines of gold annotations with the same ids."),
    ],
    lang: LangOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list what each article missed or added.")
    ] = False,
    errors: Annotated[
        bool,
        typer.Option("--errors", help="List every miss and extra with its words, grouped by cause."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Grade the extraction pipeline: precision, recall and F1 per field (all, en, zh)."""
    from tickerwire.evaluation import run_eval, sample_ids

    report = run_eval(docs, gold, lang=lang.value if lang else None)
    if report.ungraded:
        typer.echo(
            f"note: {len(report.ungraded)} document(s) have no gold annotation and were not "
            f"graded: {sample_ids(report.ungraded)}",
            err=True,
        )
    if as_json:
        payload = report.to_dict()
        if verbose:
            payload["details"] = report.details
        if errors:
            payload["errors"] = dict(report.errors_by_cause())
        emit_json(payload)
        return
    console = stdout()
    console.print(render.eval_table(report.rows, articles=len(report.articles)))
    if verbose:
        console.print(render.eval_details(report.details))
    if errors:
        for cause, items in report.errors_by_cause():
            console.print(f"\n[bold]{cause}[/bold] ({len(items)})")
            for item in items:
                console.print(f"  {item}", markup=False, highlight=False)
