"""Publication times: metadata values and dates stated in prose.

Every datetime leaving this module is timezone-aware. A naive time or a bare date is Hong Kong
time (DESIGN.md); nothing is invented when no date is stated.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

from tickerwire.timeutil import HONG_KONG

PROSE_WINDOW = 600
# A publication time outside these years is a typo or junk (9999-12-31, 0001-01-01): it is not
# used, so it can never overflow a conversion to UTC or Hong Kong time downstream.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
_DEFAULT_A = datetime(1900, 1, 1)
_DEFAULT_B = datetime(1904, 2, 2)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_PROSE_DATE = re.compile(
    rf"(?P<md_m>\b{_MONTH})\.?\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<md_y>(?:19|20)\d\d)\b"
    rf"|\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dm_m>{_MONTH})\.?,?\s+(?P<dm_y>(?:19|20)\d\d)\b"
    r"|(?P<zh_y>(?:19|20)\d\d)\s*年\s*(?P<zh_m>\d{1,2})\s*月\s*(?P<zh_d>\d{1,2})\s*[日号號]"
    r"|(?<![\d.])(?P<iso_y>(?:19|20)\d\d)(?P<sep>[-/])(?P<iso_m>\d{1,2})(?P=sep)(?P<iso_d>\d{1,2})"
    r"(?![\d])",
    re.IGNORECASE,
)


def as_hong_kong_if_naive(value: datetime) -> datetime:
    """Attach Hong Kong time to a naive datetime; leave an aware one alone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=HONG_KONG)


def parse_datetime(value: object) -> datetime | None:
    """Read a metadata time (ISO 8601, RFC 822, ``date``, ``datetime``, epoch seconds).

    Returns None when ``value`` is empty, not a time, or outside ``EARLIEST_YEAR`` …
    ``LATEST_YEAR``; never raises for bad input.
    """
    parsed = _parse_value(value)
    if parsed is None or not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        return None
    try:
        parsed.astimezone(UTC)  # an offset like +23:59 must not push the instant out of range
    except (OverflowError, ValueError):
        return None
    return parsed


def _parse_value(value: object) -> datetime | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return as_hong_kong_if_naive(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=HONG_KONG)
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, time.struct_time):
        try:
            return datetime(*value[:6], tzinfo=UTC)
        except (ValueError, OverflowError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    return _parse_string(value.strip())


def _parse_string(value: str) -> datetime | None:
    try:
        return as_hong_kong_if_naive(datetime.fromisoformat(value))
    except ValueError:
        pass
    from dateutil import parser as date_parser  # only for what ISO 8601 does not read (45 ms)

    try:
        first = date_parser.parse(value, default=_DEFAULT_A)
        second = date_parser.parse(value, default=_DEFAULT_B)
    except (ValueError, OverflowError, ArithmeticError, TypeError):
        # dateutil raises decimal.InvalidOperation (an ArithmeticError) on some digit runs
        return prose_date(value)
    # Differing results mean the string lacked a year, month or day: do not invent them.
    if first.date() != second.date():
        return None
    return as_hong_kong_if_naive(first)


def prose_date(text: str, *, window: int = PROSE_WINDOW) -> datetime | None:
    """The first full calendar date stated in the first ``window`` characters, at HK midnight.

    Understands "October 24, 2025", "Friday, Oct. 24th 2025", "24 October 2025",
    "2025年10月24日" and "2025-10-24" / "2025/10/24". Impossible dates are skipped.
    """
    for _, found in prose_dates(text, window=window):
        return datetime(found.year, found.month, found.day, tzinfo=HONG_KONG)
    return None


def prose_dates(text: str, *, window: int | None = None) -> Iterator[tuple[re.Match[str], date]]:
    """Every full calendar date stated in ``text`` (or its first ``window`` characters), with
    its match; impossible dates are skipped."""
    end = len(text) if window is None else min(len(text), window)
    for m in _PROSE_DATE.finditer(text, 0, end):
        found = _match_to_date(m)
        if found is not None:
            yield m, found


def _match_to_date(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    if g["md_y"]:
        y, mo, d = g["md_y"], _MONTHS[g["md_m"].lower()], g["md_d"]
    elif g["dm_y"]:
        y, mo, d = g["dm_y"], _MONTHS[g["dm_m"].lower()], g["dm_d"]
    elif g["zh_y"]:
        y, mo, d = g["zh_y"], int(g["zh_m"]), g["zh_d"]
    else:
        y, mo, d = g["iso_y"], int(g["iso_m"]), g["iso_d"]
    try:
        return date(int(y), mo, int(d))
    except ValueError:
        return None
