"""The tests' PostgreSQL server starts even when another process takes its free port first (as a
parallel test worker may, between choosing the port and the server binding it)."""

from __future__ import annotations

import os
import socket

import pytest

import pg_server
from pg_server import ServerUnavailable


@pytest.mark.postgresql
def test_a_server_whose_port_is_taken_starts_on_another(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = int(taken.getsockname()[1])
        choices = iter([busy])
        free_port = pg_server._free_port
        monkeypatch.setattr(pg_server, "_free_port", lambda: next(choices, None) or free_port())
        try:
            server = pg_server.start_server()
        except ServerUnavailable as exc:
            if os.environ.get("TICKERWIRE_REQUIRE_PG") == "1":
                pytest.fail(f"no PostgreSQL server could start: {exc}")
            pytest.skip(f"no PostgreSQL server could start: {exc}")
        try:
            assert server.port != busy
            server.admin("SELECT 1")
        finally:
            server.stop()
