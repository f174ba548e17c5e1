"""The database backends every store, insights, CLI and API test runs against.

``backend`` is ``sqlite`` or ``postgresql``; ``db_target`` is what ``Store`` opens for that
backend: a file path in a temporary directory, or the URL of a fresh database on a PostgreSQL
server the session starts (``pg_server.py``). Where no server can start, the ``postgresql``
cases are skipped with the reason; with ``TICKERWIRE_REQUIRE_PG=1`` (as in CI) they fail instead.

``sample_news`` is ``examples/news`` ingested once: on SQLite one file per test run, built by
the first pytest-xdist worker that needs it while the others wait, then shared by all of them
(``sample_news_sqlite``); on PostgreSQL once per worker's server. Tests only read it (a Store
opened with ``readonly=True``, a read-only command, or a copy from ``copy_target``).

Every test under ``tests/store`` carries the ``store_dir`` marker: ``make test`` runs the
PostgreSQL cases of those only (``-m "... and (not postgresql or store_dir)"``), in the same run
as the SQLite ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pg_server import PgServer, ServerUnavailable, new_target, start_server
from shared_stores import built_once, ingest_sample_news, run_directory

# `tickerwire ingest` runs in one process unless a test asks for workers (`--workers N`, or
# ingest_paths(workers=N) in tests/test_ingest_workers.py): spawning a pipeline per core for each
# small ingest costs more than the ingest, and the test workers already use every core.
os.environ.setdefault("TICKERWIRE_WORKERS", "1")

STORE_DIR = Path(__file__).parent / "store"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "store_dir: a test under tests/store (set by tests/conftest.py)")


# The longest files, most of their time spent starting processes (ingest workers, CLI
# subprocesses), run first: `make test` hands each worker whole files (--dist loadfile), and one
# of these started last would run alone at the end while the other core idles.
LONGEST_FIRST = [Path(__file__).parent / name for name in (
    "test_ingest_workers.py", "cli/test_lazy_commands.py", "store/test_store_search.py",
    "test_cli.py", "store/test_store_postgresql.py",
)]


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by the markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if STORE_DIR in item.path.parents:
            item.add_marker(pytest.mark.store_dir)
    items.sort(key=lambda item: item.path not in LONGEST_FIRST)  # stable: the rest keep their order


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = start_server()
    except ServerUnavailable as exc:
        if os.environ.get("TICKERWIRE_REQUIRE_PG") == "1":
            pytest.fail(f"TICKERWIRE_REQUIRE_PG=1 but no PostgreSQL server could start: {exc}")
        pytest.skip(f"no PostgreSQL server could start: {exc}")
    yield server
    from tickerwire.store.postgres import close_pools

    close_pools()
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_target(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """A fresh database per test, on each backend."""
    yield from new_target(backend, request, tmp_path)


@pytest.fixture(scope="session")
def sample_news_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``examples/news`` in a SQLite file, built once per test run; read it, never write it."""
    return built_once(run_directory(tmp_path_factory), "sample-news.db", ingest_sample_news)


@pytest.fixture(scope="session")
def sample_news(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path | str]:
    """``examples/news`` ingested once, on each backend (read it, never write it)."""
    if backend == "sqlite":
        yield request.getfixturevalue("sample_news_sqlite")
        return
    for url in new_target(backend, request, tmp_path_factory.mktemp("sample-news")):
        ingest_sample_news(url)
        yield url
