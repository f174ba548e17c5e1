"""Stores built once per test run and shared by every pytest-xdist worker (read-only)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tickerwire.ingest import ingest_paths
from tickerwire.settings import Settings
from tickerwire.store import Store

SAMPLE_NEWS = Path(__file__).resolve().parents[1] / "examples" / "news"


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The file ``name`` made by ``build`` once per test run and shared by every xdist worker
    (the directory above a worker's temporary directory is the run's; a lock makes the others
    wait for the first)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    path, built = root / name, root / f"{name}.built"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            build(path)
            built.touch()
    return path


def ingest_sample_news(target: Path | str) -> None:
    with Store(target) as store:
        summary = ingest_paths(store, [str(SAMPLE_NEWS)], max_bytes=Settings(Path()).max_file_bytes)
    assert summary.new > 0 and not summary.quarantined, summary
