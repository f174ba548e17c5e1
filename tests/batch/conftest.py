"""A store ingested once from the sample news, for the tests that only read it."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def sample_db(sample_news_sqlite: Path) -> Path:
    """The sample news ingested once (tests/conftest.py; read-only for the tests that use it)."""
    return sample_news_sqlite
