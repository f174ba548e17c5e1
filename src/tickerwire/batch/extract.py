"""What one Spark task does: read documents, run the pipeline, make exchange-table rows.

Plain Python with no Spark import, so it is tested on its own and runs unchanged in any engine.
The pipeline is ``extract.build_pipeline()``, built once per worker process and reused for every
article that worker sees. Articles come out keyed by id with their place in the input, so that
``number_revisions`` can give repeated ids the revision numbers ``tickerwire ingest`` would.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tickerwire.batch.tables import Row, article_row, child_rows
from tickerwire.errors import SourceError, UnstorableArticleError
from tickerwire.extract import build_pipeline
from tickerwire.ingest import file_sha256
from tickerwire.model import Article
from tickerwire.sources import read_path
from tickerwire.sources.jsonl import read_record
from tickerwire.store.database import unstorable_as_error
from tickerwire.store.writer import article_metadata

# Input order of an article: (input number, item number within it).
Order = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Extracted:
    """One article's rows, before its revision number is known (rows carry revision 1)."""

    article_id: str
    order: Order
    content_hash: str
    rows: dict[str, list[Row]]


def quarantine_row(error: SourceError, sha256: str | None) -> Row:
    return {"origin": error.origin, "reason": error.reason, "detail": error.detail,
            "content_sha256": sha256}


def extract_article(article: Article, order: Order, seen_at: datetime) -> Extracted | Row:
    """The rows of one article, or its quarantine row when the store could not keep it."""
    try:
        with unstorable_as_error(article.origin or "article"):
            article_id, content_hash = article.id, article.content_hash
            metadata = article_metadata(article)
            article.text.encode("utf-8")
            extraction = build_pipeline()(article)
            rows = {"articles": [article_row(article, extraction, revision=1, first_seen_at=seen_at,
                                             extracted_at=seen_at, metadata=metadata)]}
            rows.update(child_rows(article_id, 1, extraction))
    except UnstorableArticleError as exc:
        return quarantine_row(SourceError(exc.origin, exc.reason, exc.detail), None)
    return Extracted(article_id, order, content_hash, rows)


def extract_files(
    numbered_paths: Iterable[tuple[int, str]], *, max_bytes: int, seen_at: datetime
) -> Iterator[Extracted | Row]:
    """Every article of every file (``(input number, path)``), or its quarantine row."""
    for number, name in numbered_paths:
        path = Path(name)
        digest: list[str | None] = []
        for item_number, item in enumerate(read_path(path, max_bytes=max_bytes)):
            if isinstance(item, SourceError):
                if not digest:
                    digest.append(file_sha256(path))
                yield quarantine_row(item, digest[0])
            else:
                yield extract_article(item, (number, item_number), seen_at)


def extract_records(
    records: Iterable[tuple[int, Mapping[str, Any], str]], *, seen_at: datetime
) -> Iterator[Extracted | Row]:
    """Articles from table rows (``(input number, record, origin)``) with the JSON Lines keys:
    ``text`` and optionally ``id``, ``url``, ``title``, ``published_at``, ``lang`` …"""
    for item_number, (number, record, origin) in enumerate(records):
        item = read_record(dict(record), origin=origin)
        if isinstance(item, SourceError):
            yield quarantine_row(item, None)
        else:
            yield extract_article(item, (number, item_number), seen_at)


def number_revisions(extracted: Iterable[Extracted]) -> Iterator[tuple[str, Row]]:
    """``(table, row)`` for every version of one article id, in input order: the first is
    revision 1, each later one with different content the next revision, and a repeat of the
    content just before it is dropped — what ingesting the inputs in order would store."""
    revision = 0
    last_hash: str | None = None
    for item in sorted(extracted, key=lambda item: item.order):
        if item.content_hash == last_hash:
            continue
        revision += 1
        last_hash = item.content_hash
        for table, rows in item.rows.items():
            for row in rows:
                yield table, {**row, "revision": revision} if revision != 1 else row
