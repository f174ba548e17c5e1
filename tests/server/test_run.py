"""How ``tickerwire serve`` runs uvicorn: the socket, the connection limits, the access log."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from tickerwire.app import create_app
from tickerwire.errors import InvalidInputError
from tickerwire.server import run
from tickerwire.settings import Settings


def test_uvicorn_gets_the_limits(tmp_path: Path) -> None:
    limits = run.ServerLimits(keep_alive_seconds=7, header_timeout_seconds=3.5,
                              max_connections=64)
    config = run.uvicorn_config(create_app(Settings(db_path=tmp_path / "x.db")),
                                host="127.0.0.1", port=8123, limits=limits)
    assert config.timeout_keep_alive == 7
    assert config.limit_concurrency == 64
    assert isinstance(config.http, type) and issubclass(config.http, run.HeaderTimeoutProtocol)
    assert config.http.header_timeout == 3.5
    assert config.log_config["handlers"]["access"]["filters"] == ["redact_tokens"]


def test_default_limits() -> None:
    limits = run.ServerLimits()
    assert (limits.keep_alive_seconds, limits.header_timeout_seconds, limits.max_connections) == (
        5, 10.0, 200)


def test_a_busy_port_is_named_with_a_free_one() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(run.PortInUseError) as caught:
            run.listen_socket("127.0.0.1", port)
    assert isinstance(caught.value, InvalidInputError)
    assert str(caught.value) == f"port {port} is in use; try --port {caught.value.free}"
    assert caught.value.free is not None and caught.value.free > port


def test_an_unusable_address_is_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match=r"cannot listen on 192\.0\.2\.1:8000"):
        run.listen_socket("192.0.2.1", 8000)  # TEST-NET-1: not an address of this machine


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/api/articles?token=s3cret", "/api/articles?token=REDACTED"),
        ("/api/articles?filename=a.md&access_token=s3cret",
         "/api/articles?filename=a.md&access_token=REDACTED"),
        ("/api/articles?API_KEY=s3cret", "/api/articles?API_KEY=REDACTED"),
        ("/api/articles?q=%E4%B8%AD%E8%8A%AF", "/api/articles?q=%E4%B8%AD%E8%8A%AF"),  # untouched
        ("/api/health", "/api/health"),
    ],
)
def test_access_log_redacts_query_tokens(path: str, logged: str) -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", path, "1.1", 401), None,
    )
    assert run.RedactTokens().filter(record)
    assert record.getMessage() == f'127.0.0.1:5000 - "POST {logged} HTTP/1.1" 401'
    assert "s3cret" not in record.getMessage()


# --- a live server --------------------------------------------------------------------------


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """uvicorn with a 0.5 s request-head deadline, on a free loopback port, in a thread."""
    sock = run.listen_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    limits = run.ServerLimits(keep_alive_seconds=1, header_timeout_seconds=0.5,
                              max_connections=50)
    config = run.uvicorn_config(create_app(Settings(db_path=tmp_path / "absent.db")),
                                host="127.0.0.1", port=port, limits=limits, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _closed_by_server(conn: socket.socket, wait: float) -> bool:
    """True when the server closes ``conn`` within ``wait`` seconds (generous bound)."""
    conn.settimeout(wait)
    try:
        while True:
            data = conn.recv(4096)
            if not data:
                return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_a_trickled_request_head_is_cut_off(live: tuple[str, int]) -> None:
    with socket.create_connection(live) as conn:
        conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n")  # head never finished
        assert _closed_by_server(conn, wait=10)


def test_a_complete_request_is_answered_and_idle_keep_alive_closes(live: tuple[str, int]) -> None:
    with socket.create_connection(live) as conn:
        conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        conn.settimeout(10)
        head = conn.recv(4096)
        assert head.startswith(b"HTTP/1.1 200")
        assert _closed_by_server(conn, wait=10)
