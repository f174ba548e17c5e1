"""Publication times from metadata values and from prose."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tickerwire.fullwidth import to_halfwidth
from tickerwire.sources.dates import HONG_KONG, parse_datetime, prose_date

HK_MIDNIGHT = datetime(2025, 10, 24, tzinfo=HONG_KONG)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Friday, October 24, 2025, stocks rose.", HK_MIDNIGHT),
        ("Published Oct. 24th, 2025 at noon", HK_MIDNIGHT),
        ("Hong Kong, 24 October 2025 - shares fell", HK_MIDNIGHT),
        ("2025年10月24日，沪指收涨。", HK_MIDNIGHT),
        (to_halfwidth("２０２５年１０月２４日"), HK_MIDNIGHT),
        ("Data as of 2025-10-24, compiled later.", HK_MIDNIGHT),
        ("Data as of 2025/10/24.", HK_MIDNIGHT),
        ("February 30, 2025 was misprinted; the real date was 2025-10-24.", HK_MIDNIGHT),
        ("Shares rose on Friday; the index closed at 26,160.", None),
        ("October 2025 was a strong month.", None),
        ("Version 1.2025-10-24", None),
    ],
)
def test_prose_date(text: str, expected: datetime | None) -> None:
    assert prose_date(text) == expected


def test_prose_date_takes_the_first_date() -> None:
    assert prose_date("On 2025-10-24 the board met; results due November 3, 2025.") == HK_MIDNIGHT


def test_prose_date_only_looks_near_the_top() -> None:
    assert prose_date("x" * 700 + " October 24, 2025") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-24T08:30:00Z", datetime(2025, 10, 24, 8, 30, tzinfo=UTC)),
        ("2025-10-24 16:30", datetime(2025, 10, 24, 16, 30, tzinfo=HONG_KONG)),
        ("2025-10-24", HK_MIDNIGHT),
        ("Fri, 24 Oct 2025 08:30:00 GMT", datetime(2025, 10, 24, 8, 30, tzinfo=UTC)),
        (date(2025, 10, 24), HK_MIDNIGHT),
        (datetime(2025, 10, 24, 9, 0), datetime(2025, 10, 24, 9, 0, tzinfo=HONG_KONG)),
        (1761294600, datetime(2025, 10, 24, 8, 30, tzinfo=UTC)),
        ("Friday", None),
        ("soon", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_datetime(value: object, expected: datetime | None) -> None:
    result = parse_datetime(value)
    assert result == expected
    if result is not None:
        assert result.tzinfo is not None
