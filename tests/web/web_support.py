"""Types and the test server shared by the dashboard tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pg_server import settings_for


@dataclass
class LiveServer:
    url: str
    ids: dict[str, str]


@dataclass
class PageProbe:
    """A page plus everything that went wrong on it: console errors, page errors, dialogs."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.console_errors + self.page_errors + [f"dialog: {d}" for d in self.dialogs]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(target: Path | str, **options: Any) -> Iterator[str]:
    """The app over ``target`` served by uvicorn in a thread on a free port; yields its URL."""
    import uvicorn

    from tickerwire.app import create_app

    port = free_port()
    config = uvicorn.Config(create_app(settings_for(target)), host="127.0.0.1", port=port,
                            log_level="warning", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
