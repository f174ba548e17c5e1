"""Typed errors. Messages say what went wrong, where, and how to fix it."""

from __future__ import annotations


class TickerwireError(Exception):
    """Base class of every error tickerwire raises on purpose."""

    exit_code = 1


class SourceError(TickerwireError):
    """A document could not be read. ``reason`` is a short machine-readable slug."""

    def __init__(self, origin: str, reason: str, detail: str) -> None:
        self.origin = origin
        self.reason = reason
        self.detail = detail
        super().__init__(f"{origin}: {reason}: {detail}")


# Every ``reason`` a quarantined document can carry, and what it means. Readers raise the
# SourceError ones; the store raises the UnstorableArticleError ones (docs/formats.md lists both).
QUARANTINE_REASONS: dict[str, str] = {
    "unreadable": "the file could not be opened",
    "too_large": "over the size limit, or metadata that expands past its bound (YAML anchor bomb)",
    "empty": "no article text",
    "binary": "an image, archive or other non-text file",
    "undecodable": "not valid in any supported or declared character set",
    "front_matter": "YAML front matter that is unclosed, invalid, or refers to itself",
    "too_deep": "JSON or YAML nested deeper than an article record can be",
    "bad_json": "a JSON Lines line that is not a JSON object",
    "missing_text": "a JSON Lines record without a text field",
    "bad_html": "a page the HTML parser cannot read",
    "truncated_feed": "a feed cut off before its end (entries read before the cut are kept)",
    "reader_failed": "a reader failed unexpectedly on this document (a bug to report)",
    "worker_failed": "the ingest worker process reading it failed or was killed (see its detail)",
    "unstorable_time": "a time the store cannot represent",
    "unstorable_text": "text the database cannot encode (lone surrogates)",
    "unstorable_metadata": "metadata that cannot be serialised (circular, too deep)",
}


class RefdataError(TickerwireError):
    """The packaged reference data is missing or corrupt (reinstall, or run `make refdata`)."""


class PipelineError(TickerwireError):
    """The extraction components do not fit together (a field read before any step adds it)."""


class WorkerError(TickerwireError):
    """The worker processes of a parallel ingest could not start (nothing was written by them);
    the message says why. ``--workers 1`` ingests without them."""


class StoreError(TickerwireError):
    """The database cannot be opened, migrated or written."""


class UnstorableArticleError(StoreError):
    """One article holds a value the store cannot keep; that article is quarantined with
    ``reason`` (``unstorable_time``, ``unstorable_text``, ``unstorable_metadata``) and the batch
    goes on. The database itself is fine (other ``StoreError``s mean it is not)."""

    def __init__(self, origin: str, reason: str, detail: str) -> None:
        self.origin = origin
        self.reason = reason
        self.detail = detail
        super().__init__(f"{origin}: {reason}: {detail}")


class BatchError(TickerwireError):
    """A batch job or an exchange table cannot be used: pyspark or Java missing, a Parquet
    table unreadable or out of order. The message names the file or the missing piece."""


class NotFoundError(TickerwireError):
    """A requested article, security or index does not exist."""

    exit_code = 2


class InvalidInputError(TickerwireError):
    """A user-supplied argument is malformed (bad date, unknown format …)."""

    exit_code = 2


class PriceFileError(InvalidInputError):
    """Price files with rows that cannot be read; ``problems`` are ``file:line: what`` lines.

    Nothing of any file is imported when one row is bad, so a fixed file can be imported again."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:20]
        more = f"\n… and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        super().__init__(
            f"{len(problems)} bad price row{'s' if len(problems) != 1 else ''}; nothing was "
            "imported (fix the rows and run the import again):\n" + "\n".join(shown) + more)


class FetchError(TickerwireError):
    """Prices could not be downloaded (no network, the source refused, or its extra is not
    installed)."""
