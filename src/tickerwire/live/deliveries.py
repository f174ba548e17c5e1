"""Delivering recorded alerts: to the console, a JSON Lines file, and webhooks.

Each alert has one delivery row per channel in the store; ``Deliverer.deliver_pending`` sends
the pending ones and marks each delivered, or failed once its retries are spent. A watcher
stopped mid-way sends the rest when it starts again, so delivery is at least once: a webhook
receiver deduplicates on the ``X-Tickerwire-Alert-Id`` header.

Webhooks are POSTed as JSON with retries (exponential backoff on connection errors, timeouts,
429 and 5xx; ``Retry-After`` is honoured) and, when a secret is configured, the header
``X-Tickerwire-Signature: t=<unix seconds>,sha256=<hex>`` — an HMAC-SHA256 with the secret of
``<t>.<body>``; ``verify_signature`` checks one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TextIO

import httpx

from tickerwire.errors import InvalidInputError
from tickerwire.live.rules import Channel, ConsoleChannel, JsonlChannel, WebhookChannel
from tickerwire.store import AlertRow, Store

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Tickerwire-Signature"
ALERT_ID_HEADER = "X-Tickerwire-Alert-Id"
_RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_MAX_RETRY_AFTER = 300.0


class DeliveryError(Exception):
    """One attempt failed; ``retry`` says whether another may succeed."""

    def __init__(self, message: str, *, retry: bool, after: float | None = None) -> None:
        super().__init__(message)
        self.retry = retry
        self.after = after


class Sender(Protocol):
    attempts: int  # how many times one delivery is tried

    def send(self, alert: dict[str, Any]) -> None: ...

    def wait(self, attempt: int, error: DeliveryError) -> float: ...


def alert_document(alert: AlertRow) -> dict[str, Any]:
    """The JSON every channel delivers: the stored payload with the alert's id and time."""
    return {"id": alert.id, "fired_at": alert.fired_at.isoformat(), **alert.payload}


def console_line(document: Mapping[str, Any]) -> str:
    rule, article = document["rule"], document["article"]
    reasons = "; ".join(m["reason"] for m in document["matches"])
    return (f"[alert {document['id']}] {rule['name'] or rule['id']}: {article['title'] or article['id']}"
            f" ({article['source'] or 'unknown source'}) — {reasons}")


class ConsoleSender:
    attempts = 1

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def send(self, alert: dict[str, Any]) -> None:
        print(console_line(alert), file=self.stream, flush=True)

    def wait(self, attempt: int, error: DeliveryError) -> float:
        return 0.0


class JsonlSender:
    """Appends one line per alert (the file is opened per alert, so rotation is safe)."""

    attempts = 3

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, alert: dict[str, Any]) -> None:
        line = json.dumps({**alert, "delivered_at": datetime.now(UTC).isoformat()},
                          ensure_ascii=False, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as exc:
            raise DeliveryError(f"{self.path}: {exc.strerror or exc}", retry=True) from exc

    def wait(self, attempt: int, error: DeliveryError) -> float:
        return 0.5 * attempt


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},sha256={mac.hexdigest()}"


def verify_signature(secret: str, header: str, body: bytes, *, tolerance: float = 300.0,
                     now: float | None = None) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},sha256={fields.get('sha256', '')}")


class WebhookSender:
    def __init__(self, channel: WebhookChannel, client: httpx.Client) -> None:
        self.channel = channel
        self.client = client
        self.secret = channel.signing_key()
        self.attempts = channel.retries + 1

    def send(self, alert: dict[str, Any]) -> None:
        body = json.dumps(alert, ensure_ascii=False, sort_keys=True).encode()
        headers = {"Content-Type": "application/json", ALERT_ID_HEADER: str(alert["id"])}
        if self.secret is not None:
            headers[SIGNATURE_HEADER] = sign(self.secret, int(time.time()), body)
        try:
            response = self.client.post(self.channel.url, content=body, headers=headers,
                                        timeout=self.channel.timeout_seconds)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{self.channel.url}: {type(exc).__name__}: {exc}", retry=True) from exc
        if response.is_success:
            return
        raise DeliveryError(
            f"{self.channel.url}: HTTP {response.status_code}",
            retry=response.status_code in _RETRY_STATUSES,
            after=_retry_after(response.headers.get("Retry-After")),
        )

    def wait(self, attempt: int, error: DeliveryError) -> float:
        backoff = self.channel.backoff_seconds * 2.0 ** (attempt - 1)
        return min(_MAX_RETRY_AFTER, max(backoff, error.after or 0.0))


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return min(_MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        return None


def build_senders(
    channels: Mapping[str, Channel], *, stream: TextIO, client: httpx.Client
) -> dict[str, Sender]:
    senders: dict[str, Sender] = {}
    for name, channel in channels.items():
        if isinstance(channel, ConsoleChannel):
            senders[name] = ConsoleSender(stream)
        elif isinstance(channel, JsonlChannel):
            senders[name] = JsonlSender(channel.path)
        else:
            senders[name] = WebhookSender(channel, client)
    return senders


class Deliverer:
    """Sends the store's pending deliveries through the configured senders."""

    def __init__(
        self, store: Store, senders: Mapping[str, Sender], *,
        stop: threading.Event | None = None, sleep: Callable[[float], bool] | None = None,
    ) -> None:
        self.store = store
        self.senders = senders
        self.stop = stop or threading.Event()
        self._sleep = sleep or self.stop.wait

    def deliver_pending(self) -> int:
        """Send everything pending; return how many deliveries succeeded."""
        delivered = 0
        while not self.stop.is_set():
            pending = self.store.pending_deliveries(limit=100)
            if not pending:
                break
            for item in pending:
                if self.stop.is_set():
                    break
                delivered += self._deliver(item.alert, item.channel)
        return delivered

    def _deliver(self, alert: AlertRow, channel: str) -> bool:
        sender = self.senders.get(channel)
        if sender is None:
            log.error("alert %s: no channel named %s is configured; delivery dropped", alert.id, channel)
            self.store.mark_delivery(alert.id, channel, delivered=False, attempts=0,
                                     error=f"channel {channel} is not configured")
            return False
        document = alert_document(alert)
        for attempt in range(1, sender.attempts + 1):
            try:
                sender.send(document)
            except DeliveryError as exc:
                last = attempt == sender.attempts or not exc.retry
                log.warning("alert %s to %s: attempt %d of %d failed: %s%s", alert.id, channel,
                            attempt, sender.attempts, exc, "" if last else "; retrying")
                if last:
                    self.store.mark_delivery(alert.id, channel, delivered=False, attempts=attempt,
                                             error=str(exc))
                    return False
                if self._sleep(sender.wait(attempt, exc)):
                    return False  # stopping: the delivery stays pending for the next start
                continue
            self.store.mark_delivery(alert.id, channel, delivered=True, attempts=attempt)
            return True
        return False


def check_channels(channels: Mapping[str, Channel]) -> None:
    """Fail at start for a channel that cannot work (a webhook secret variable not set)."""
    for channel in channels.values():
        if isinstance(channel, WebhookChannel):
            channel.signing_key()
        elif isinstance(channel, JsonlChannel) and channel.path.is_dir():
            raise InvalidInputError(f"{channel.path}: is a folder; give the jsonl channel a file path")
