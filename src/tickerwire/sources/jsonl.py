"""JSON Lines: one article per line, ``{"text": ...}`` plus optional metadata.

Keys read: ``text`` (required, a non-empty string), ``id``, ``url``, ``title``, ``published_at``
(ISO 8601, RFC 822 or epoch seconds), ``lang`` (``en``/``zh``, or a locale such as ``zh-HK``),
``source``, ``locale``, ``author``, ``description``; other keys go to ``Article.meta``.
``Article.text`` is the given text with only the length-preserving half-width mapping applied, so
offsets also point into the caller's own copy. A line that is not a JSON object, or has no text,
yields a SourceError for ``path:LINE`` and the other lines still yield.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from tickerwire.errors import SourceError
from tickerwire.model import Article
from tickerwire.sources.dates import parse_datetime
from tickerwire.sources.fields import (
    bounded_metadata,
    clean_str,
    domain_of,
    headline,
    lang_and_locale,
)

logger = logging.getLogger(__name__)

_KNOWN_KEYS = frozenset(
    {
        "text",
        "id",
        "url",
        "title",
        "published_at",
        "lang",
        "source",
        "locale",
        "author",
        "description",
    }
)


def read_jsonl(text: str, *, origin: str) -> Iterator[Article | SourceError]:
    """One Article or SourceError per non-blank line."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield _line_article(line, f"{origin}:{number}")


def _line_article(line: str, origin: str) -> Article | SourceError:
    try:
        parsed = json.loads(line)
    except ValueError as exc:
        return SourceError(
            origin, "bad_json", f"the line is not valid JSON ({exc}); fix or drop the line"
        )
    except RecursionError:
        return SourceError(
            origin, "too_deep", "the line nests arrays or objects too deeply to be an article"
        )
    if not isinstance(parsed, dict):
        return SourceError(
            origin, "bad_json", f"the line is a JSON {type(parsed).__name__}, not an object"
        )
    return read_record(parsed, origin=origin)


def read_record(parsed: dict[str, Any], *, origin: str) -> Article | SourceError:
    """The Article of one record with the keys above (a JSON Lines line, a Parquet row)."""
    try:
        record = bounded_metadata(parsed, origin=origin, what="record")
    except SourceError as exc:
        return exc
    assert isinstance(record, dict)
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        return SourceError(
            origin, "missing_text", 'the line has no non-empty string "text"; every line needs one'
        )
    return _article(record, body, origin)


def _article(record: dict[str, Any], body: str, origin: str) -> Article:
    raw_time = record.get("published_at")
    published = parse_datetime(raw_time)
    meta = {k: v for k, v in record.items() if k not in _KNOWN_KEYS}
    if raw_time not in (None, "") and published is None:
        logger.warning("%s: unreadable published_at %r ignored", origin, raw_time)
        meta["unreadable_published_at"] = raw_time
    lang, locale = lang_and_locale(body, record.get("locale") or record.get("lang"))
    title = clean_str(record.get("title"))
    url = clean_str(record.get("url"))
    return Article(
        text=body,
        title=title or headline(body),
        published_at=published,
        lang=lang,
        source=clean_str(record.get("source")) or domain_of(url),
        url=url,
        source_id=clean_str(record.get("id")),
        locale=locale,
        format="jsonl",
        origin=origin,
        description=clean_str(record.get("description")),
        author=clean_str(record.get("author")),
        meta=meta,
    )
