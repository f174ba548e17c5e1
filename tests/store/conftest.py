"""A fresh database per test (``store`` on each backend; ``db_path`` a SQLite file)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tickerwire.store import Store


@pytest.fixture
def store(db_target: Path | str) -> Iterator[Store]:
    with Store(db_target) as opened:
        yield opened


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tickerwire.db"
