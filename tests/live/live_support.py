"""Local HTTP servers for the live tests: feeds that change between polls, a webhook receiver.

Both listen on 127.0.0.1 on a free port, in a thread, and record every request they get.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import deque
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tickerwire.extract import Pipeline
from tickerwire.ingest import IngestSummary, ingest_articles
from tickerwire.sources import read_bytes
from tickerwire.store import Store


@dataclass
class Served:
    body: bytes
    content_type: str
    etag: str
    last_modified: str


@dataclass
class Hit:
    path: str
    status: int
    headers: dict[str, str]
    body: bytes = b""


class _Server:
    def __init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.handle("GET", self)

            def do_POST(self) -> None:
                owner.handle("POST", self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.hits: list[Hit] = []
        self.lock = threading.RLock()
        # shutdown() waits for the serving loop's next poll: the default half second, per test.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    def handle(self, method: str, handler: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class FeedServer(_Server):
    """Serves feeds by path; ``publish`` changes one (new ETag and Last-Modified). Answers 304
    to a request whose validators match, and the statuses queued in ``failures`` first."""

    def __init__(self) -> None:
        super().__init__()
        self.feeds: dict[str, Served] = {}
        self.failures: dict[str, deque[tuple[int, dict[str, str]]]] = {}
        self.versions = 0

    def publish(self, path: str, body: str | bytes, content_type: str = "application/rss+xml") -> str:
        data = body.encode() if isinstance(body, str) else body
        with self.lock:
            self.versions += 1
            self.feeds[path] = Served(data, content_type,
                                      '"' + hashlib.sha256(data).hexdigest()[:16] + '"',
                                      formatdate(1_760_000_000 + self.versions, usegmt=True))
        return self.url + path

    def fail(self, path: str, status: int, times: int = 1, headers: dict[str, str] | None = None) -> None:
        self.failures.setdefault(path, deque()).extend([(status, headers or {})] * times)

    def handle(self, method: str, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self.lock:
            queued = self.failures.get(path)
            if queued:
                status, extra = queued.popleft()
                self._reply(handler, path, headers, status, b"", extra)
                return
            served = self.feeds.get(path)
        if served is None:
            self._reply(handler, path, headers, 404, b"", {})
        elif (headers.get("if-none-match") == served.etag
              or headers.get("if-modified-since") == served.last_modified):
            self._reply(handler, path, headers, 304, b"", {"ETag": served.etag})
        else:
            self._reply(handler, path, headers, 200, served.body,
                        {"Content-Type": served.content_type, "ETag": served.etag,
                         "Last-Modified": served.last_modified})

    def _reply(self, handler: BaseHTTPRequestHandler, path: str, headers: dict[str, str],
               status: int, body: bytes, extra: dict[str, str]) -> None:
        with self.lock:
            self.hits.append(Hit(path, status, headers))
        handler.send_response(status)
        for key, value in extra.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


class WebhookReceiver(_Server):
    """Records every POST; answers the statuses queued in ``statuses`` first, then 204."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: deque[int] = deque()
        self.received = threading.Event()

    def handle(self, method: str, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length)
        with self.lock:
            status = self.statuses.popleft() if self.statuses else 204
            self.hits.append(Hit(handler.path, status, dict(handler.headers.items()), body))
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        if status < 300:
            self.received.set()

    def delivered(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(hit.body) for hit in self.hits if hit.status < 300]


def rss(items: list[tuple[str, str, str]], *, title: str = "Desk wire") -> str:
    """An RSS 2.0 feed of (guid, title, description) items, newest first."""
    entries = "".join(
        f"<item><guid>{guid}</guid><link>https://wire.example/{guid}</link><title>{head}</title>"
        f"<description>{body}</description><pubDate>Fri, 24 Oct 2025 08:00:00 GMT</pubDate></item>"
        for guid, head, body in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://wire.example/</link>{entries}</channel></rss>")


def ingest_text(store: Store, pipeline: Pipeline, name: str, text: str) -> IngestSummary:
    return ingest_articles(store, read_bytes(text.encode(), origin=name, filename=name),
                           pipeline=pipeline)

