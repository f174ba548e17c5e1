"""Plain-text market reports and pre-extracted newspaper text.

The first non-empty line is the headline; there is no metadata, so the publication date is left
to ``sources.published`` (a dateline at the top, or the file name), and a date the prose reports
is never taken for it. Furniture lines (photo captions, copyright,
newsletter plugs, "More on this" boxes) are dropped; ``Article.text`` is the cleaned text.
"""

from __future__ import annotations

from collections.abc import Iterator

from tickerwire.errors import SourceError
from tickerwire.model import Article
from tickerwire.sources.boilerplate import drop_furniture
from tickerwire.sources.fields import headline, lang_and_locale


def read_text(text: str, *, origin: str) -> Iterator[Article | SourceError]:
    """One Article (or an ``empty`` SourceError) for a plain-text document."""
    body = clean_plain_text(text)
    if not body:
        yield SourceError(origin, "empty", "the file has no text; add the article or remove it")
        return
    lang, locale = lang_and_locale(body)
    yield Article(
        text=body,
        title=headline(body),
        lang=lang,
        locale=locale,
        format="text",
        origin=origin,
    )


def clean_plain_text(text: str) -> str:
    """Furniture-free text with trailing spaces and outer blank lines removed."""
    lines = [line.rstrip() for line in drop_furniture(text).split("\n")]
    return "\n".join(lines).strip("\n")
