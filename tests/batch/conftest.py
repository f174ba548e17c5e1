"""A store ingested once from the sample news, for the tests that only read it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_helpers import NEWS, ingest_into


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample news ingested once (read-only for the tests that use it)."""
    path = tmp_path_factory.mktemp("sample") / "news.db"
    ingest_into(path, [str(NEWS)])
    yield path
