"""``SourceRef``: the article words a number or event was read from.

Every number an insight shows carries one or more of these, so a reader can open the article and
find the exact words (``quote`` is ``text[start:end]`` of the article's stored text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tickerwire.insights.records import Record
from tickerwire.store.rows import RowContext


@dataclass(frozen=True, slots=True)
class SourceRef(Record):
    article_id: str
    title: str | None
    source: str | None
    url: str | None
    published_at: datetime | None
    quote: str
    start: int
    end: int


def source_ref(row: RowContext, quote: str, start: int, end: int) -> SourceRef:
    """A reference to ``quote`` at ``start:end`` in the article a fact/event/mention row is from."""
    return SourceRef(
        article_id=row.article_id,
        title=row.title,
        source=row.source,
        url=row.url,
        published_at=row.published_at,
        quote=quote,
        start=start,
        end=end,
    )


def instant_key(moment: datetime | None) -> float:
    """Sort key for an optional instant: unknown times sort first."""
    return float("-inf") if moment is None else moment.timestamp()


def unique_refs(refs: list[SourceRef] | tuple[SourceRef, ...]) -> tuple[SourceRef, ...]:
    """``refs`` without repeats, in first-seen order."""
    seen: set[tuple[str, int, int]] = set()
    out: list[SourceRef] = []
    for ref in refs:
        key = (ref.article_id, ref.start, ref.end)
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return tuple(out)
