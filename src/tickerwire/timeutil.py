"""Hong Kong time and the day / instant parsing every boundary (CLI, API, dashboard) shares.

A naive time or a bare date is Hong Kong time (DESIGN.md). The parsers raise
:class:`InvalidTimeError`, which each boundary turns into its own message: the CLI names the
option (``--as-of``), the API the query parameter (``as_of``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tickerwire.errors import InvalidInputError


def _hong_kong() -> tzinfo:
    """Asia/Hong_Kong, or a fixed +08:00 where no tz database is installed (no DST since 1979)."""
    try:
        return ZoneInfo("Asia/Hong_Kong")
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=8), "HKT")


HONG_KONG: Final[tzinfo] = _hong_kong()

# The instants any query may be asked about. Python's datetime stops at years 1 and 9999; one
# day of margin on each side keeps every conversion (to UTC, to Hong Kong, to the next day)
# inside that range, so ``as_of=9999-12-31T23:59:59-12:00`` means "everything seen so far" and
# ``as_of=0001-01-01T00:00:00+14:00`` "nothing seen yet" instead of an overflow.
EARLIEST: Final = datetime(1, 1, 2, tzinfo=UTC)
LATEST: Final = datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)

DAY_EXAMPLE: Final = "2025-10-24"
INSTANT_EXAMPLE: Final = "2025-10-24T16:10:00+08:00"


class InvalidTimeError(InvalidInputError):
    """A day or time argument that cannot be read; ``name`` is the option or parameter."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        self.name = name
        self.value = value
        self.expected = expected
        super().__init__(f"{name} {value!r} is not {expected}")


def parse_day(value: str | None, name: str) -> date | None:
    """``YYYY-MM-DD`` → date; ``None`` or blank → ``None``."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidTimeError(name, value, f"a date: use YYYY-MM-DD, e.g. {DAY_EXAMPLE}") from None


def parse_instant(value: str | None, name: str) -> datetime | None:
    """A day (its last instant, Hong Kong time) or an ISO 8601 time → an aware instant.

    Naive times are Hong Kong time; ``Z`` is UTC. Instants beyond what the calendar can hold are
    clamped to :data:`EARLIEST` / :data:`LATEST`, which select nothing / everything.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if len(text) == len(DAY_EXAMPLE):
        day = _day_or_none(text)
        if day is not None:
            return clamp(datetime.combine(day, time.max, tzinfo=HONG_KONG))
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidTimeError(
            name, value, f"a date or time: use YYYY-MM-DD or {INSTANT_EXAMPLE}"
        ) from None
    return clamp(instant if instant.tzinfo else instant.replace(tzinfo=HONG_KONG))


def clamp(instant: datetime) -> datetime:
    """``instant`` (an aware time) unchanged, or :data:`EARLIEST` / :data:`LATEST` when outside."""
    try:
        utc = instant.astimezone(UTC)
    except OverflowError:
        # Only an instant within a day of year 1 or year 9999 overflows: its side decides.
        return LATEST if instant.year > 1 else EARLIEST
    if utc < EARLIEST:
        return EARLIEST
    if utc > LATEST:
        return LATEST
    return instant


def shifted(moment: datetime, delta: timedelta) -> datetime:
    """``moment + delta``, kept between :data:`EARLIEST` and :data:`LATEST`."""
    if delta >= timedelta(0):
        return clamp(moment + delta) if moment <= LATEST - delta else LATEST
    return clamp(moment + delta) if moment >= EARLIEST - delta else EARLIEST


def _day_or_none(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None
