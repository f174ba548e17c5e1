"""Stores of the sample news, built once per test run and copied for each use that writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from price_samples import PRICES, copy_db

from shared_stores import built_once, run_directory
from tickerwire.prices.readers import expand_price_inputs, read_price_files
from tickerwire.refdata.master import load_master
from tickerwire.store import Store


@pytest.fixture(scope="session")
def news_db(sample_news_sqlite: Path) -> Path:
    """The sample news, no prices (tests/conftest.py ingests it once)."""
    return sample_news_sqlite


@pytest.fixture(scope="session")
def priced_db(news_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample news with the sample prices imported (built once per test run, read-only)."""

    def build(path: Path) -> None:
        copy_db(news_db, path)
        with Store(path) as store:
            store.import_bars(read_price_files(expand_price_inputs([str(PRICES)]), load_master()))

    return built_once(run_directory(tmp_path_factory), "sample-priced.db", build)
