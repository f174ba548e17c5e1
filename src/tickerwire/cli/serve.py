"""``tickerwire serve``: the REST API and dashboard over a database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tickerwire.cli._app import app
from tickerwire.cli._options import (
    AlertsOption,
    BacklogOption,
    DbOption,
    FeedsOption,
    open_store,
    settings_for,
    stdout,
)


def server_url(host: str, port: int) -> str:
    """``http://host:port/`` (an IPv6 address in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@app.command()
def serve(
    ctx: typer.Context,
    db: DbOption = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on (127.0.0.1 keeps it on this machine; 0.0.0.0 opens it "
            "to the network).",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", "-p", help="TCP port to listen on.", min=1, max=65535)
    ] = 8000,
    watch: Annotated[
        list[Path] | None,
        typer.Option("--watch", help="Also follow this folder, as `tickerwire watch` does: "
                     "files added or changed in it are ingested (repeat for more folders).",
                     file_okay=False),
    ] = None,
    feeds: FeedsOption = None,
    alerts: AlertsOption = None,
    backlog: BacklogOption = False,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs) and the dashboard over the database until
    Ctrl-C. The database must exist: ingest news first. With --watch FOLDER and/or --feeds
    FILE, also follow folders and feeds in the same process, ingesting what arrives and
    delivering alerts (see docs/live.md); the dashboard's Latest news shows it as it lands.

    Idle keep-alive connections close after 5 s, a request's headers must arrive within 10 s,
    and past 200 open connections new requests get 503 (see docs/api.md)."""
    from contextlib import nullcontext

    from tickerwire.app import create_app
    from tickerwire.cli.watch import announce, build_watcher, report
    from tickerwire.live.watch import watching
    from tickerwire.server import run

    settings = settings_for(ctx, db)
    with open_store(ctx, db):  # a missing or unreadable database fails here, with the fix
        pass
    following = bool(watch or feeds)
    if alerts and not following:
        raise typer.BadParameter("--alerts needs --watch FOLDER or --feeds FILE", param_hint="--alerts")
    watcher = (build_watcher(settings, watch or [], feeds=feeds, alerts=alerts, backlog=backlog)
               if following else None)  # bad folders, feeds or rules fail here
    sock = run.listen_socket(host, port)  # a busy port fails here, naming a free one
    url = server_url(host, port)
    out = stdout()
    where = escape(settings.database_label)
    out.print(f"Serving {where} on [bold]{escape(url)}[/] (API docs: {escape(url)}docs)")
    out.print("Press Ctrl-C to stop.", style="dim")
    if watcher is not None:
        announce(watcher, settings, suffix="Ctrl-C stops both.")
    try:
        with sock, watching(watcher) if watcher is not None else nullcontext():
            run.serve(create_app(settings), sock)
    finally:  # also after Ctrl-C, which uvicorn passes on once it has shut down
        if watcher is not None:
            report(watcher)
    if watcher is not None and watcher.summary.errors:  # a watcher thread failed (logged above)
        raise typer.Exit(1)

