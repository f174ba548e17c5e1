"""Readers in other processes keep working while a writer is busy (WAL)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_builders import make_article

from tickerwire.errors import StoreError
from tickerwire.store import Store

WORKER = Path(__file__).with_name("store_worker.py")

_HOLD_WRITE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO quarantine(origin, reason, detail, first_seen_at, last_seen_at)"
             " VALUES ('held.md', 'binary', 'held', '2025-01-01', '2025-01-01')")
print("holding", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
print("committed", flush=True)
"""


def test_reads_from_another_process_succeed_during_a_long_write(db_path: Path) -> None:
    with Store(db_path) as store:
        store.ingest_article(make_article(), None)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_WRITE, str(db_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "holding"
        with Store(db_path, readonly=True, timeout=0.5) as reader:
            assert reader.stats()["articles"] == 1  # not blocked by the open write
            assert reader.stats()["quarantined"] == 0  # and sees nothing uncommitted
            assert [hit.title for hit in reader.search("Tencent")] != []
        with Store(db_path, timeout=0.2) as second_writer, pytest.raises(StoreError,
                                                                         match="writing"):
            second_writer.quarantine("other.md", "empty", "nothing")
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "committed"
        with Store(db_path, readonly=True) as reader:
            assert reader.stats()["quarantined"] == 1
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_reader_sees_consistent_growing_counts_while_ingest_runs(db_path: Path) -> None:
    Store(db_path).close()
    count = 200
    worker = subprocess.Popen([sys.executable, str(WORKER), str(db_path), str(count), "0.005"],
                              stdout=subprocess.PIPE, text=True)
    seen: list[int] = []
    with Store(db_path, readonly=True, timeout=5) as reader:
        while worker.poll() is None:
            stats = reader.stats()
            # every visible article is complete: its extraction and both facts came with it
            assert stats["extractions"] == stats["articles"]
            assert stats["facts"] == 2 * stats["articles"]
            assert reader.count(None) >= stats["articles"]  # a later snapshot
            seen.append(stats["articles"])
            time.sleep(0.02)
        out, _ = worker.communicate()
        assert worker.returncode == 0
        assert json.loads(out)["new"] == count
        assert reader.stats()["articles"] == count
    assert seen == sorted(seen)
    assert len({n for n in seen if 0 < n < count}) >= 2  # really read while it was writing
