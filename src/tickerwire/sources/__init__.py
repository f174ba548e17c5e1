"""Readers: files, folders, globs and raw bytes → ``Article`` records or ``SourceError``s.

``read_path`` and ``read_bytes`` never raise for a bad document: they yield a ``SourceError``
(``reason`` is a slug such as ``binary``, ``undecodable``, ``front_matter``, ``empty``,
``too_large``, ``truncated_feed``, ``bad_json``, ``missing_text``, ``too_deep``,
``reader_failed``; ``detail`` says how to fix it) so a batch goes on. Each reason is listed in
``tickerwire.errors.QUARANTINE_REASONS``. The format is detected from the content (``detect.detect_format``); see
``docs/formats.md`` for what each reader produces.
"""

from __future__ import annotations

import dataclasses
import glob
import importlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from tickerwire.errors import InvalidInputError, SourceError
from tickerwire.fullwidth import to_halfwidth
from tickerwire.model import Article
from tickerwire.sources.detect import FORMATS, detect_format
from tickerwire.sources.jsonl import read_jsonl
from tickerwire.sources.plaintext import read_text
from tickerwire.sources.published import with_publication_date
from tickerwire.sources.text import decode_bytes, detect_lang, detect_script

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "decode_bytes",
    "detect_format",
    "detect_lang",
    "detect_script",
    "expand_inputs",
    "read_bytes",
    "read_path",
    "to_halfwidth",
]

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

Reader = Callable[..., Iterator[Article | SourceError]]


def _imported_on_use(module: str, name: str) -> Reader:
    """The reader ``name`` of ``tickerwire.sources.<module>``, imported when a document of its
    format is first read: PyYAML (markdown), trafilatura and lxml (html) and feedparser (rss)
    cost a command's start-up only when it reads such a document."""

    def read(text: str, *, origin: str) -> Iterator[Article | SourceError]:
        reader: Reader = getattr(importlib.import_module(f"tickerwire.sources.{module}"), name)
        return reader(text, origin=origin)

    read.__name__ = read.__qualname__ = name
    return read


_READERS: dict[str, Reader] = {
    "markdown": _imported_on_use("markdown", "read_markdown"),
    "text": read_text,
    "html": _imported_on_use("html", "read_html"),
    "rss": _imported_on_use("feed", "read_feed"),
    "jsonl": read_jsonl,
}
_GLOB_CHARS = frozenset("*?[")
_SKIPPED_NAMES = frozenset({"readme", "readme.md", "readme.markdown", "readme.txt"})
# Price files (``tickerwire prices import``) often sit beside the news, as in ``examples/``:
# a folder walk leaves them out; named on their own they are read like any file.
_PRICE_SUFFIXES = frozenset({".csv", ".parquet", ".pq"})


def read_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | SourceError]:
    """Articles read from one file (many for feeds and JSONL), errors yielded, never raised.

    The size is checked before the file is read, so a huge file costs nothing.
    """
    # A file name with bytes that are not UTF-8 is shown with \x escapes, never as surrogates.
    origin = os.fsencode(path).decode("utf-8", "backslashreplace")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield _too_large(origin, size, max_bytes)
            return
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        yield SourceError(
            origin, "unreadable", f"{exc.strerror or exc}; check the path and its permissions"
        )
        return
    yield from read_bytes(data, origin=origin, filename=path.name, max_bytes=max_bytes)


def read_bytes(
    data: bytes,
    *,
    origin: str,
    filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article | SourceError]:
    """Articles read from raw bytes (stdin, an upload); ``origin`` names them in errors."""
    if len(data) > max_bytes:
        yield _too_large(origin, len(data), max_bytes)
        return
    if not data.strip():
        yield SourceError(origin, "empty", "the input is empty; pass a file with an article")
        return
    try:
        decoded = decode_bytes(data, origin=origin)
    except SourceError as exc:
        yield exc
        return
    text = decoded.text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    fmt = detect_format(text, filename)
    logger.debug("%s: %s, %s", origin, fmt, decoded.encoding)
    warning = None
    if decoded.replaced:
        warning = (
            f"{decoded.replaced} undecodable byte sequence(s) replaced by U+FFFD "
            f"(read as {decoded.encoding})"
        )
        logger.warning("%s: %s", origin, warning)
    items = _guarded(_READERS[fmt](text, origin=origin), origin, fmt)
    for item in items:
        if isinstance(item, Article):
            item = with_publication_date(item, filename=filename)
        if warning and isinstance(item, Article):
            item = dataclasses.replace(item, meta={**item.meta, "decode_warning": warning})
        yield item


def _guarded(
    items: Iterator[Article | SourceError], origin: str, fmt: str
) -> Iterator[Article | SourceError]:
    """The reader's items; an unexpected failure becomes this document's ``reader_failed``
    quarantine reason instead of ending the caller's batch."""
    try:
        yield from items
    except Exception as exc:  # a reader bug on one document must not stop a batch
        logger.exception("%s reader failed on %s", fmt, origin)
        yield SourceError(
            origin,
            "reader_failed",
            f"the {fmt} reader failed ({type(exc).__name__}: {str(exc)[:200]}); "
            "the document is kept in the quarantine, report it with the file",
        )


def _too_large(origin: str, size: int, max_bytes: int) -> SourceError:
    return SourceError(
        origin,
        "too_large",
        f"{size / 1048576:.1f} MB is over the {max_bytes / 1048576:.1f} MB limit; split the file "
        "or raise the limit (TICKERWIRE_MAX_FILE_BYTES)",
    )


def expand_inputs(inputs: Sequence[str]) -> Iterator[Path]:
    """Files named by ``inputs``: files as given, folders walked recursively in sorted order
    and globs expanded (both skip hidden files and README files; folders also skip price files,
``.csv`` and ``.parquet``); each file once.

    Every input is checked before anything is yielded: a missing path (or a glob matching
    nothing) raises ``InvalidInputError`` naming it.
    """
    groups = [_expand_one(item) for item in inputs]
    return _unique(path for group in groups for path in group)


def _expand_one(item: str) -> list[Path]:
    path = Path(item).expanduser()
    if path.is_file():
        return [path]
    if path.is_dir():
        return _walk(path)
    if _GLOB_CHARS & set(item):
        matches = sorted(glob.glob(str(path), recursive=True))
        if not matches:
            raise InvalidInputError(f"{item}: no file matches this pattern; check the pattern")
        kept = (m for m in matches if Path(m).name.lower() not in _SKIPPED_NAMES)
        return [p for m in kept for p in _expand_one(m)]
    raise InvalidInputError(f"{item}: no such file or folder; check the path")


def _walk(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if (path.name.lower() in _SKIPPED_NAMES or path.suffix.lower() in _PRICE_SUFFIXES
                or not path.is_file()):
            continue
        found.append(path)
    return found


def _unique(paths: Iterator[Path]) -> Iterator[Path]:
    seen: set[Path] = set()
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            yield path
