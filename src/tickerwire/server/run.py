"""Run an app with uvicorn (``tickerwire serve``): the socket, the limits and the access log.

The listening socket is bound here, before uvicorn starts, so a busy port is one clear error
(:class:`PortInUseError`) rather than a traceback after the URL was printed.

Connection limits (:class:`ServerLimits`), so slow or idle clients cannot pin file descriptors:

* ``keep_alive_seconds``: an idle keep-alive connection is closed after this long (uvicorn's
  ``timeout_keep_alive``);
* ``header_timeout_seconds``: a request head (request line and headers) must arrive within this
  long of the connection opening or of the previous response; a client trickling its headers is
  disconnected. uvicorn has no such setting, so :func:`header_timeout_protocol` adds it to its
  h11 protocol;
* ``max_connections``: past this many open connections or running requests, new requests get
  503 at once (uvicorn's ``limit_concurrency``).

The access log redacts credentials sent in a query string (:class:`RedactTokens`).
"""

from __future__ import annotations

import asyncio
import copy
import errno
import logging
import socket
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode

import h11
import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol

from tickerwire.errors import InvalidInputError
from tickerwire.server.auth import TOKEN_QUERY_PARAMS

REDACTED: Final = "REDACTED"


class PortInUseError(InvalidInputError):
    """Another process listens on the port ``tickerwire serve`` was asked to use."""

    def __init__(self, port: int, free: int | None) -> None:
        self.port = port
        self.free = free
        hint = f"try --port {free}" if free is not None else "pick another with --port"
        super().__init__(f"port {port} is in use; {hint}")


@dataclass(frozen=True, slots=True)
class ServerLimits:
    keep_alive_seconds: int = 5
    header_timeout_seconds: float = 10.0
    max_connections: int = 200


def listen_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (uvicorn starts listening on it).

    Raises :class:`PortInUseError` naming a free port nearby, or ``InvalidInputError`` when the
    address cannot be used at all (unknown host, no permission).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(port, _free_port_after(host, port, family)) from None
        reason = exc.strerror or str(exc)
        raise InvalidInputError(f"cannot listen on {host}:{port}: {reason}") from None
    sock.set_inheritable(True)
    return sock


def _free_port_after(host: str, port: int, family: socket.AddressFamily) -> int | None:
    for candidate in range(port + 1, min(port + 21, 65536)):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    return None


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose request head is late."""

    header_timeout: float = 10.0  # seconds; see header_timeout_protocol

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_deadline()
        super().connection_lost(exc)

    def _arm_head_deadline(self) -> None:
        self._cancel_head_deadline()
        if not self.transport.is_closing():
            self._head_deadline = self.loop.call_later(self.header_timeout, self._head_overdue)

    def _cancel_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_overdue(self) -> None:
        self._head_deadline = None
        # IDLE: no complete request head since the deadline was armed (idle or trickling).
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def header_timeout_protocol(seconds: float) -> type[HeaderTimeoutProtocol]:
    """The h11 protocol class with a request-head deadline of ``seconds``."""
    return type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"header_timeout": seconds})


class RedactTokens(logging.Filter):
    """Replace credential values in the query string of uvicorn's access-log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_query(args[2]), *args[3:])
        return True


def redact_query(path: str) -> str:
    """``path`` with the values of credential-like query parameters replaced by REDACTED."""
    base, sep, query = path.partition("?")
    if not sep:
        return path
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(name.lower() in TOKEN_QUERY_PARAMS for name, _ in pairs):
        return path
    safe = [(name, REDACTED if name.lower() in TOKEN_QUERY_PARAMS else value) for name, value in pairs]
    return f"{base}?{urlencode(safe)}"


def log_config() -> dict[str, Any]:
    """uvicorn's logging setup with :class:`RedactTokens` on the access log."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_tokens"] = {"()": RedactTokens}
    config["handlers"]["access"]["filters"] = ["redact_tokens"]
    return config


def uvicorn_config(
    app: Any, *, host: str, port: int, limits: ServerLimits, log_level: str = "info"
) -> uvicorn.Config:
    """Everything passed to uvicorn, in one place (the tests read it back)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=header_timeout_protocol(limits.header_timeout_seconds),
        timeout_keep_alive=limits.keep_alive_seconds,
        limit_concurrency=limits.max_connections,
        log_config=log_config(),
        log_level=log_level,
    )


def serve(
    app: Any,
    sock: socket.socket,
    *,
    limits: ServerLimits | None = None,
    log_level: str = "info",
) -> None:
    """Serve ``app`` on the bound ``sock`` until interrupted."""
    host, port = sock.getsockname()[:2]
    config = uvicorn_config(app, host=host, port=port, limits=limits or ServerLimits(),
                            log_level=log_level)
    uvicorn.Server(config).run(sockets=[sock])
