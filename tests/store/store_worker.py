"""A separate process that ingests generated articles, for the concurrency and crash tests.

Usage: python store_worker.py DB COUNT DELAY_SECONDS
Each article gets one mention and two facts from a deliberately slow extraction component, so
a test can read (or kill the process) while ingest is under way. Prints a JSON summary at the end.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from tickerwire.extract.pipeline import Doc, Pipeline
from tickerwire.ingest import ingest_articles
from tickerwire.model import Article, Fact, Mention
from tickerwire.store import Store

FACTS_PER_ARTICLE = 2
_MOVE = re.compile(r"rose (\d+\.\d+)%")
_CODE = re.compile(r"\d{5}\.HK")


def generated_articles(count: int) -> Iterator[Article]:
    start = datetime(2025, 10, 1, 1, 0, tzinfo=UTC)
    for i in range(count):
        code = f"{i % 900 + 1:05d}.HK"
        yield Article(
            title=f"Stock report {i}",
            text=(
                f"Stock report {i}\nShares of {code} rose {i % 10}.5% on session {i}. "
                f"Turnover was HK${i + 1} million; the sector rose 1.{i % 10}% later."
            ),
            url=f"https://wire.example.com/reports/{i}",
            published_at=start + timedelta(hours=i),
            lang="en",
            source="Example Wire",
        )


class SlowMoves:
    """Finds "rose N%" moves and the listing code, after sleeping ``delay`` seconds."""

    name = "slow_moves"
    reads = ("text",)
    adds = ("mentions", "facts")

    def __init__(self, delay: float) -> None:
        self.delay = delay

    def __call__(self, doc: Doc) -> None:
        time.sleep(self.delay)
        code = _CODE.search(doc.text)
        if code:
            doc.mentions.append(Mention(code.group(), code.group(), code.group(),
                                        (code.group(),), code.group(), code.start(),
                                        code.end(), 1.0, "code"))
        for move in _MOVE.finditer(doc.text):
            doc.facts.append(Fact("price_move", code.group() if code else None,
                                  pct=float(move.group(1)), text=move.group(),
                                  start=move.start(), end=move.end()))


def main(argv: list[str]) -> int:
    db, count, delay = argv[0], int(argv[1]), float(argv[2])
    pipeline = Pipeline([SlowMoves(delay)], version="test-1")
    with Store(db) as store:
        # Small batches, so that a reader sees the store grow a batch at a time while it runs.
        summary = ingest_articles(store, generated_articles(count), pipeline=pipeline,
                                  batch_articles=10)
    print(json.dumps({"new": summary.new, "unchanged": summary.unchanged,
                      "revised": summary.revised}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
