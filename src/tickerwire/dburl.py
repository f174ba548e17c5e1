"""Database URLs: which ``--db`` values name a PostgreSQL database, and how to show them."""

from __future__ import annotations

import re

SCHEMES = ("postgresql://", "postgres://")


def is_database_url(target: object) -> bool:
    """True for a PostgreSQL URL (``postgresql://…`` or ``postgres://…``)."""
    return isinstance(target, str) and target.startswith(SCHEMES)


def redact(url: str) -> str:
    """``url`` without its password, for messages, logs and pages."""
    # The password runs to the last "@" before the path (a "/" in it must be %-encoded).
    return re.sub(r"^(\w+://[^:/@]*):[^/]*@", r"\1:***@", url)
