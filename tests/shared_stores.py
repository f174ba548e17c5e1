"""Stores built once per test run and shared by every pytest-xdist worker (read-only)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

import pytest

SAMPLE_NEWS = Path(__file__).resolve().parents[1] / "examples" / "news"


def run_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary directory of the whole test run: with xdist, the one above the worker's."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def built_once(root: Path, name: str, build: Callable[[Path], None]) -> Path:
    """The file ``root/name`` made by ``build`` once and then shared: with ``root`` the run's
    directory, every xdist worker gets the file the first one built (a lock makes the others
    wait for it)."""
    path, built = root / name, root / f"{name}.built"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():  # first, or after a build that failed: start from nothing
            for leftover in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
            build(path)
            built.touch()
    return path


def ingest_sample_news(target: Path | str) -> None:
    """``examples/news`` ingested into ``target``, every file of it stored."""
    from tickerwire.ingest import ingest_paths  # imported when a test first needs the sample
    from tickerwire.settings import Settings
    from tickerwire.store import Store

    with Store(target) as store:
        summary = ingest_paths(store, [str(SAMPLE_NEWS)], max_bytes=Settings(Path()).max_file_bytes)
    assert summary.new > 0 and not summary.quarantined, summary
