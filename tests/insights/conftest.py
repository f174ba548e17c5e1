"""Stores for the insight tests: the sample corpus, and a small hand-made one (one per session
and backend)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from insight_stores import FIRST, LATER, SEEN_FIRST, SEEN_LATER, pair

from pg_server import new_target
from tickerwire.store import Store


@pytest.fixture(scope="session")
def handmade_path(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path | str]:
    """The hand-made store's file or URL."""
    for path in new_target(backend, request, tmp_path_factory.mktemp("insights")):
        with Store(path) as store:
            for spec in FIRST:
                store.ingest_article(*pair(spec), now=SEEN_FIRST)
            for spec in LATER:
                store.ingest_article(*pair(spec), now=SEEN_LATER)
        yield path


@pytest.fixture(scope="session")
def handmade(handmade_path: Path | str) -> Iterator[Store]:
    with Store(handmade_path, readonly=True) as store:
        yield store


@pytest.fixture(scope="session")
def corpus(sample_news: Path | str) -> Iterator[Store]:
    """The sample news in ``examples/news`` (tests/conftest.py ingests it once)."""
    with Store(sample_news, readonly=True) as store:
        yield store
