"""``tickerwire watch``: follow folders and feeds, ingest what arrives, fire alerts."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from tickerwire.cli._app import app
from tickerwire.cli._options import AlertsOption, BacklogOption, DbOption, FeedsOption, settings_for, stderr
from tickerwire.settings import Settings

if TYPE_CHECKING:
    from tickerwire.live.watch import Watcher

@app.command()
def watch(
    ctx: typer.Context,
    folders: Annotated[
        list[Path] | None,
        typer.Argument(help="Folders to follow: files added or changed in them are ingested.",
                       file_okay=False),
    ] = None,
    feeds: FeedsOption = None,
    alerts: AlertsOption = None,
    backlog: BacklogOption = False,
    once: Annotated[
        bool, typer.Option("--once", help="Ingest what is there now, poll each due feed once, "
                           "deliver the alerts, and exit.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Follow folders and feeds until Ctrl-C (or SIGTERM), ingesting what arrives and
    delivering alerts; safe to stop and start again at any time (see docs/live.md)."""
    settings = settings_for(ctx, db)
    watcher = build_watcher(settings, folders or [], feeds=feeds, alerts=alerts, backlog=backlog)
    if not once:
        _stop_on_signals(watcher.stop)
        announce(watcher, settings, suffix="Ctrl-C stops.")
    summary = watcher.run(once=once)
    report(watcher)
    if summary.errors:  # a watcher thread failed (logged above)
        raise typer.Exit(1)


def build_watcher(
    settings: Settings, folders: list[Path], *, feeds: Path | None, alerts: Path | None,
    backlog: bool,
) -> Watcher:
    """The watcher ``watch`` and ``serve --watch`` run (typed errors for bad files or folders),
    with its log lines going to stderr."""
    from tickerwire.live.feeds import load_feeds
    from tickerwire.live.rules import load_alerts
    from tickerwire.live.watch import Watcher

    watcher = Watcher(
        settings.db_path,
        folders=folders,
        feeds=load_feeds(feeds) if feeds else None,
        alerts=load_alerts(alerts) if alerts else None,
        max_bytes=settings.max_file_bytes,
        backlog=backlog,
    )
    _log_to_stderr()
    return watcher


def announce(watcher: Watcher, settings: Settings, *, suffix: str) -> None:
    """The first line on stderr: what is watched, into what."""
    watched = ", ".join(map(str, watcher.folders)) or "no folder"
    stderr().print(f"Watching {watched} and {len(watcher.feeds.feeds)} feed(s) into "
                   f"{settings.db_path}; {len(watcher.alerts.rules)} alert rule(s) from the file. "
                   f"{suffix}", style="dim", highlight=False, markup=False, soft_wrap=True)


def report(watcher: Watcher) -> None:
    """The last line on stderr: what the watcher stored and fired."""
    summary = watcher.summary
    stderr().print(f"{summary.new} new, {summary.revised} revised, {summary.unchanged} unchanged, "
                   f"{summary.quarantined} quarantined; {summary.alerts} alert(s)",
                   highlight=False, soft_wrap=True)


def _log_to_stderr() -> None:
    """One unwrapped line per event (a poll failure, a batch ingested), for terminals and logs."""
    root = logging.getLogger("tickerwire")
    if not any(getattr(h, "name", None) == "tickerwire-watch" for h in root.handlers):
        handler = logging.StreamHandler()  # stderr, looked up when written to
        handler.set_name("tickerwire-watch")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, _frame: FrameType | None) -> None:
        stop.set()  # finish the article in hand, then stop; a second Ctrl-C interrupts at once
        signal.signal(signal.SIGINT, signal.default_int_handler)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)

