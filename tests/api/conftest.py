"""One prebuilt read-only store for the read tests; a fresh one for each write test (on each
backend)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from api_corpus import build_store
from api_helpers import TOKEN
from fastapi.testclient import TestClient

from pg_server import new_target, settings_for
from tickerwire.app import create_app
from tickerwire.settings import Settings


@pytest.fixture(scope="session")
def corpus_db(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path | str, dict[str, str]]]:
    for target in new_target(backend, request, tmp_path_factory.mktemp("api")):
        yield target, build_store(target)


@pytest.fixture(scope="session")
def ids(corpus_db: tuple[Path | str, dict[str, str]]) -> dict[str, str]:
    return corpus_db[1]


@pytest.fixture(scope="session")
def settings(corpus_db: tuple[Path | str, dict[str, str]]) -> Settings:
    return settings_for(corpus_db[0], api_token=None, max_page_size=50)


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def write_settings(db_target: Path | str) -> Settings:
    return settings_for(db_target, api_token=TOKEN, max_request_bytes=64 * 1024)


@pytest.fixture
def writer(write_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(write_settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def no_token_client(write_settings: Settings) -> Iterator[TestClient]:
    app = create_app(replace(write_settings, api_token=None))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
