"""Feeds over HTTP: the ``feeds.yaml`` list, conditional polling, per-feed intervals and backoff.

``feeds.yaml``::

    interval: 300          # seconds between polls of a feed (default for every feed)
    max_backoff: 3600      # the longest wait after repeated failures
    feeds:
      - url: https://news.example.com/hk/rss.xml
      - {url: https://news.example.com/cn/feed.json, name: CN desk, interval: 60}

A poll sends the validators of the last good response (``If-None-Match`` with its ETag,
``If-Modified-Since`` with its Last-Modified); 304 means nothing new. A failure (connection
error, timeout, HTTP error, a body over the size limit) is logged in one line and the feed is
retried after ``interval × 2^(failures−1)`` (at most ``max_backoff``, at least the server's
``Retry-After``). The validators are saved only once the body has been ingested, so a watcher
killed in between fetches the feed again on restart; ingest skips what it already stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Annotated

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tickerwire.errors import InvalidInputError
from tickerwire.live.rules import describe, read_yaml
from tickerwire.store import FeedState

log = logging.getLogger(__name__)

USER_AGENT = "tickerwire-watch (+https://pypi.org/project/tickerwire/)"


class FeedSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    name: str | None = None
    interval: float | None = Field(default=None, gt=0, le=86400)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.url})" if self.name else self.url


class FeedsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    interval: float = Field(default=300.0, gt=0, le=86400)
    max_backoff: float = Field(default=3600.0, gt=0, le=7 * 86400)
    timeout: float = Field(default=20.0, gt=0, le=300)
    feeds: list[FeedSpec] = Field(default_factory=list)

    def model_post_init(self, _context: object) -> None:
        urls = [feed.url for feed in self.feeds]
        twice = sorted({url for url in urls if urls.count(url) > 1})
        if twice:
            raise ValueError(f"feeds listed twice: {', '.join(twice)}")

    def interval_of(self, feed: FeedSpec) -> float:
        return feed.interval if feed.interval is not None else self.interval


def load_feeds(path: Path) -> FeedsConfig:
    try:
        return FeedsConfig.model_validate(read_yaml(path) or {})
    except ValidationError as exc:
        raise InvalidInputError(f"{path}: {describe(exc)}") from exc


@dataclass(frozen=True, slots=True)
class Fetched:
    """A poll's outcome: a new body (``body`` set), nothing new (304), or a failure."""

    state: FeedState  # the state to save once the body (if any) is ingested
    body: bytes | None = None
    filename: str | None = None


class FeedPoller:
    """Polls feeds with conditional requests and keeps each feed's schedule."""

    def __init__(self, config: FeedsConfig, client: httpx.Client, *, max_bytes: int) -> None:
        self.config = config
        self.client = client
        self.max_bytes = max_bytes

    def due(self, states: dict[str, FeedState], now: datetime) -> list[FeedSpec]:
        """Feeds whose next poll time has come (never-polled feeds are due at once)."""
        return [feed for feed in self.config.feeds
                if (state := states.get(feed.url)) is None or state.next_poll_at is None
                or state.next_poll_at <= now]

    def poll(self, feed: FeedSpec, state: FeedState | None, now: datetime) -> Fetched:
        """One conditional GET of ``feed``; never raises for network or HTTP trouble."""
        state = state or FeedState(feed.url)
        headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, "
                   "application/feed+json, application/json, application/xml, text/xml, */*"}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        try:
            with self.client.stream("GET", feed.url, headers=headers, timeout=self.config.timeout,
                                    follow_redirects=True) as response:
                if response.status_code == 304:
                    return Fetched(self._success(feed, state, now, 304, state.etag,
                                                 state.last_modified))
                if not response.is_success:
                    return self._failure(feed, state, now, f"HTTP {response.status_code}",
                                         response.status_code, _retry_after(response, now))
                body = self._read(response)
        except httpx.HTTPError as exc:
            return self._failure(feed, state, now, f"{type(exc).__name__}: {exc}", None, None)
        except _TooLarge as exc:
            return self._failure(feed, state, now, str(exc), 200, None)
        done = self._success(feed, state, now, response.status_code,
                             response.headers.get("ETag"), response.headers.get("Last-Modified"))
        return Fetched(done, body, Path(response.url.path).name or None)

    def _read(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge(f"the feed is over {self.max_bytes / 1048576:.1f} MB "
                                "(TICKERWIRE_MAX_FILE_BYTES)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _success(self, feed: FeedSpec, state: FeedState, now: datetime, status: int,
                 etag: str | None, last_modified: str | None) -> FeedState:
        if state.failures:
            log.info("feed %s: back after %d failure(s)", feed.label, state.failures)
        return replace(state, etag=etag, last_modified=last_modified, last_polled_at=now,
                       last_status=status, failures=0, last_error=None,
                       next_poll_at=now + timedelta(seconds=self.config.interval_of(feed)))

    def _failure(self, feed: FeedSpec, state: FeedState, now: datetime, error: str,
                 status: int | None, retry_after: float | None) -> Fetched:
        failures = state.failures + 1
        wait = min(self.config.max_backoff, self.config.interval_of(feed) * 2 ** (failures - 1))
        wait = max(wait, retry_after or 0.0)
        log.warning("feed %s: poll failed (%s); failure %d in a row, next try in %.0f s",
                    feed.label, error, failures, wait)
        return Fetched(replace(state, last_polled_at=now, last_status=status, failures=failures,
                               last_error=error, next_poll_at=now + timedelta(seconds=wait)))


class _TooLarge(Exception):
    pass


def _retry_after(response: httpx.Response, now: datetime) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - now).total_seconds())
