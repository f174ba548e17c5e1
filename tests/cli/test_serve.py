"""``tickerwire serve``: the socket is bound before anything is printed; uvicorn is faked."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tickerwire.cli import app
from tickerwire.server import run as server_run
from tickerwire.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    with Store(path):
        pass
    return path


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKERWIRE_DB", str(tmp_path / "env-default.db"))
    monkeypatch.setenv("COLUMNS", "160")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Each ``serve`` call: the app and the address of the socket it was handed."""
    calls: list[dict[str, Any]] = []

    def fake_serve(app: Any, sock: socket.socket, **_: Any) -> None:
        calls.append({"app": app, "address": sock.getsockname()[:2]})

    monkeypatch.setattr(server_run, "serve", fake_serve)
    return calls


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port another socket is listening on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_prints_the_url_and_serves_the_app(db: Path, served: list[dict[str, Any]]) -> None:
    port = free_port()
    result = run("serve", "--db", db, "--host", "127.0.0.1", "--port", str(port))
    assert result.exit_code == 0, result.stderr
    assert f"http://127.0.0.1:{port}/" in result.stdout
    assert len(served) == 1
    assert served[0]["address"] == ("127.0.0.1", port)
    assert served[0]["app"].state.settings.db_path == db


def test_serve_defaults_to_loopback_8000(
    db: Path, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, int]] = []
    real_listen = server_run.listen_socket

    def listen(host: str, port: int) -> socket.socket:
        asked.append((host, port))
        return real_listen("127.0.0.1", 0)  # port 8000 may be taken on this machine

    monkeypatch.setattr(server_run, "listen_socket", listen)
    result = run("--db", db, "serve")
    assert result.exit_code == 0, result.stderr
    assert "http://127.0.0.1:8000/" in result.stdout
    assert asked == [("127.0.0.1", 8000)]
    assert served[0]["app"].state.settings.db_path == db


def test_serve_on_a_busy_port_names_a_free_one(
    db: Path, served: list[dict[str, Any]], busy_port: int
) -> None:
    result = run("serve", "--db", db, "--port", str(busy_port))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: port {busy_port} is in use; try --port ")
    suggested = int(lines[0].rsplit(" ", 1)[1])
    assert suggested > busy_port
    assert "Traceback" not in result.stderr + result.stdout
    assert "Serving" not in result.stdout  # nothing printed before the failure
    assert served == []


def test_serve_missing_database_never_starts(tmp_path: Path, served: list[dict[str, Any]]) -> None:
    result = run("serve", "--db", tmp_path / "absent.db")
    assert result.exit_code == 2
    assert served == []


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_serve_bad_port_is_a_usage_error(port: str, db: Path, served: list[dict[str, Any]]) -> None:
    assert run("serve", "--db", db, "--port", port).exit_code == 2
    assert served == []
