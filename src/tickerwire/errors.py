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


class RefdataError(TickerwireError):
    """The packaged reference data is missing or corrupt (reinstall, or run `make refdata`)."""


class StoreError(TickerwireError):
    """The database cannot be opened, migrated or written."""


class NotFoundError(TickerwireError):
    """A requested article, security or index does not exist."""

    exit_code = 2


class InvalidInputError(TickerwireError):
    """A user-supplied argument is malformed (bad date, unknown format …)."""

    exit_code = 2
