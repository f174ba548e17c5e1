"""A separate process for the parallel-ingest crash test: ingests a folder with N workers.

Usage: python ingest_runner.py DB FOLDER WORKERS
Each article is extracted by the test pipeline after a short pause, so the test can kill the
run while batches are being written. Prints a JSON summary at the end.
"""

from __future__ import annotations

import json
import sys

from ingest_parts import Pause, moves
from tickerwire.ingest import ingest_paths
from tickerwire.store import Store


def main(argv: list[str]) -> int:
    db, folder, workers = argv[0], argv[1], int(argv[2])
    with Store(db) as store:
        summary = ingest_paths(store, [folder], pipeline=moves(Pause(0.004)), max_bytes=1_000_000,
                               workers=workers, batch_articles=100)
    print(json.dumps({"new": summary.new, "unchanged": summary.unchanged,
                      "revised": summary.revised, "quarantined": summary.quarantined}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
