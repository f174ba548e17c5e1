"""One prebuilt read-only store for the read tests; a fresh one for each write test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from api_corpus import build_store
from api_helpers import TOKEN
from fastapi.testclient import TestClient

from tickerwire.app import create_app
from tickerwire.settings import Settings


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("api") / "corpus.db"
    ids = build_store(path)
    return path, ids


@pytest.fixture(scope="session")
def ids(corpus_db: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return corpus_db[1]


@pytest.fixture(scope="session")
def settings(corpus_db: tuple[Path, dict[str, str]]) -> Settings:
    return Settings(db_path=corpus_db[0], api_token=None, max_page_size=50)


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def write_settings(tmp_path: Path) -> Settings:
    return Settings(db_path=tmp_path / "write.db", api_token=TOKEN, max_request_bytes=64 * 1024)


@pytest.fixture
def writer(write_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(write_settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def no_token_client(write_settings: Settings) -> Iterator[TestClient]:
    app = create_app(replace(write_settings, api_token=None))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
