"""Hong Kong time and the day / instant parsers every boundary shares."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tickerwire.errors import InvalidInputError
from tickerwire.timeutil import (
    EARLIEST,
    HONG_KONG,
    LATEST,
    InvalidTimeError,
    clamp,
    parse_day,
    parse_instant,
)

HKT = timedelta(hours=8)


def test_hong_kong_is_utc_plus_eight_without_daylight_saving() -> None:
    for month in (1, 7):
        assert datetime(2025, month, 1, tzinfo=HONG_KONG).utcoffset() == HKT


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025-10-24", date(2025, 10, 24)), (" 2025-10-24 ", date(2025, 10, 24)),
     ("2024-02-29", date(2024, 2, 29)), (None, None), ("", None), ("   ", None)],
)
def test_parse_day(text: str | None, expected: date | None) -> None:
    assert parse_day(text, "--since") == expected


@pytest.mark.parametrize("text", ["2025-02-30", "24/10/2025", "2025年10月24日", "yesterday"])
def test_unreadable_day_names_the_option(text: str) -> None:
    with pytest.raises(InvalidTimeError) as caught:
        parse_day(text, "--since")
    assert isinstance(caught.value, InvalidInputError)  # the CLI prints it as a usage error
    assert caught.value.name == "--since" and caught.value.value == text
    assert str(caught.value).startswith(f"--since {text!r} is not a date")
    assert "YYYY-MM-DD" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a day is its last instant, Hong Kong time
        ("2025-10-24", datetime(2025, 10, 24, 23, 59, 59, 999999, tzinfo=HONG_KONG)),
        # naive = Hong Kong time; Z = UTC; offsets kept
        ("2025-10-24T16:10", datetime(2025, 10, 24, 16, 10, tzinfo=HONG_KONG)),
        ("2025-10-24T08:10:00Z", datetime(2025, 10, 24, 8, 10, tzinfo=UTC)),
        ("2025-10-24 16:10:00+08:00", datetime(2025, 10, 24, 8, 10, tzinfo=UTC)),
        (None, None),
        ("", None),
    ],
)
def test_parse_instant(text: str | None, expected: datetime | None) -> None:
    assert parse_instant(text, "as_of") == expected


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("9999-12-31T23:59:59-12:00", LATEST),  # past year 9999 in UTC
        ("9999-12-31T23:59:59.999999-14:00", LATEST),
        ("9999-12-31", LATEST),  # its end in Hong Kong is still in range, but past LATEST
        ("0001-01-01T00:00:00+14:00", EARLIEST),  # before year 1 in UTC
        ("0001-01-01", EARLIEST),
        ("0001-01-01T00:00:00Z", EARLIEST),
    ],
)
def test_instants_past_the_calendar_are_clamped(text: str, bound: datetime) -> None:
    instant = parse_instant(text, "as_of")
    assert instant == bound
    assert instant is not None
    # every conversion a query makes stays in range
    instant.astimezone(HONG_KONG).date()
    instant.astimezone(UTC) + timedelta(days=1)
    instant.astimezone(UTC) - timedelta(days=1)


def test_clamp_keeps_ordinary_instants_and_their_zone() -> None:
    moment = datetime(2025, 10, 24, 16, 10, tzinfo=HONG_KONG)
    assert clamp(moment) is moment


@pytest.mark.parametrize("text", ["yesterday", "2025-13-45", "10000-01-01", "2025-10-24T25:00"])
def test_unreadable_instant_names_the_parameter(text: str) -> None:
    with pytest.raises(InvalidTimeError) as caught:
        parse_instant(text, "--as-of")
    assert str(caught.value).startswith(f"--as-of {text!r} is not a date or time")
    assert caught.value.name == "--as-of"
