"""``latest_news``: the newest articles for the dashboard's home page, undated ones last."""

from __future__ import annotations

from datetime import date, datetime

from tickerwire.insights.reader import StoreReader
from tickerwire.store.rows import ArticleSummary

_EVERY_DATED = date(1900, 1, 1)  # a ``since`` every publication date passes: dated articles only
_PAGE = 100


def latest_news(
    store: StoreReader, *, limit: int = 10, as_of: datetime | None = None
) -> tuple[ArticleSummary, ...]:
    """Up to ``limit`` articles, newest publication first; articles without a publication date
    come after every dated one (newest ingested first), never ranked by their ingest time."""
    dated = store.search(None, since=_EVERY_DATED, limit=limit, as_of=as_of)
    undated: list[ArticleSummary] = []
    offset = 0
    while len(dated) + len(undated) < limit:
        page = store.search(None, limit=_PAGE, offset=offset, as_of=as_of)
        undated += [hit for hit in page if hit.published_at is None]
        if len(page) < _PAGE:
            break
        offset += _PAGE
    return (*dated, *undated[: limit - len(dated)])
