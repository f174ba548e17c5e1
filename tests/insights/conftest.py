"""Stores for the insight tests: the sample corpus, and a small hand-made one (one per session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from insight_stores import EXAMPLES, FIRST, LATER, SEEN_FIRST, SEEN_LATER, pair

from tickerwire.ingest import ingest_paths
from tickerwire.store import Store


@pytest.fixture(scope="session")
def handmade_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("insights") / "handmade.db"
    with Store(path) as store:
        for spec in FIRST:
            store.ingest_article(*pair(spec), now=SEEN_FIRST)
        for spec in LATER:
            store.ingest_article(*pair(spec), now=SEEN_LATER)
    return path


@pytest.fixture(scope="session")
def handmade(handmade_path: Path) -> Iterator[Store]:
    with Store(handmade_path, readonly=True) as store:
        yield store


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The sample news in ``examples/news``, ingested once through the ingest service."""
    path = tmp_path_factory.mktemp("insights-corpus") / "corpus.db"
    with Store(path) as store:
        ingest_paths(store, [str(EXAMPLES)], max_bytes=5_000_000)
    with Store(path, readonly=True) as store:
        yield store
