"""Stores of the sample news, built once per session and copied for each use that writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from price_samples import NEWS, PRICES, copy_db

from tickerwire.ingest import ingest_paths
from tickerwire.prices.readers import expand_price_inputs, read_price_files
from tickerwire.refdata.master import load_master
from tickerwire.settings import Settings
from tickerwire.store import Store


@pytest.fixture(scope="session")
def news_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample news, no prices."""
    path = tmp_path_factory.mktemp("news") / "news.db"
    with Store(path) as store:
        ingest_paths(store, [str(NEWS)], max_bytes=Settings(path).max_file_bytes)
    return path


@pytest.fixture(scope="session")
def priced_db(news_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample news with the sample prices imported."""
    path = copy_db(news_db, tmp_path_factory.mktemp("priced") / "priced.db")
    with Store(path) as store:
        store.import_bars(read_price_files(expand_price_inputs([str(PRICES)]), load_master()))
    return path
