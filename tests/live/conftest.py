from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from live_support import FeedServer, WebhookReceiver

from tickerwire.extract import Pipeline, build_pipeline
from tickerwire.store import Store


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return build_pipeline()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "live.db") as opened:
        yield opened


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        assert isinstance(server, FeedServer)
        yield server


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        assert isinstance(server, WebhookReceiver)
        yield server
