"""Library objects → JSON values (``tickerwire.serialize.jsonable`` and insight records'
``to_dict``): what the CLI's ``--json`` and the API print."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum, IntEnum, StrEnum
from pathlib import Path
from typing import Any

import pytest

from tickerwire.insights.records import Record
from tickerwire.serialize import jsonable


class Verdict(StrEnum):
    confirmed = "confirmed"


class Rank(IntEnum):
    first = 1


class Colour(Enum):
    red = "red"


@dataclass(frozen=True, slots=True)
class Quote(Record):
    text: str
    start: int
    day: date | None = None


@dataclass(frozen=True, slots=True)
class Board(Record):
    day: date
    at: datetime
    quotes: tuple[Quote, ...]
    counts: dict[str, int] = field(default_factory=dict)
    verdict: str = Verdict.confirmed
    flags: list[bool] = field(default_factory=list)
    score: float | None = None


BOARD = Board(
    day=date(2025, 11, 7),
    at=datetime(2025, 11, 7, 8, 30, tzinfo=UTC),
    quotes=(Quote("中芯国际收跌2.4%", 3, date(2025, 11, 7)), Quote("SMIC fell 2.4%", 0)),
    counts={"00981.HK": 2},
    flags=[True, False],
    score=-0.25,
)
BOARD_JSON = {
    "day": "2025-11-07",
    "at": "2025-11-07T08:30:00+00:00",
    "quotes": [{"text": "中芯国际收跌2.4%", "start": 3, "day": "2025-11-07"},
               {"text": "SMIC fell 2.4%", "start": 0, "day": None}],
    "counts": {"00981.HK": 2},
    "verdict": "confirmed",
    "flags": [True, False],
    "score": -0.25,
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("港股", "港股"), (3, 3), (2.5, 2.5), (True, True), (None, None),
        (Verdict.confirmed, "confirmed"), (Rank.first, 1), (Colour.red, "red"),
        (date(2025, 10, 24), "2025-10-24"),
        (datetime(2025, 10, 24, 16, 0, tzinfo=UTC), "2025-10-24T16:00:00+00:00"),
        (Path("var/demo.db"), "var/demo.db"),
        ((1, "a", (2,)), [1, "a", [2]]),
        ([date(2025, 1, 2)], ["2025-01-02"]),
        (frozenset({"HK"}), ["HK"]),
        ({1: Verdict.confirmed, "d": [date(2025, 1, 2)]}, {"1": "confirmed", "d": ["2025-01-02"]}),
        (BOARD, BOARD_JSON),
        ([BOARD, {"nested": BOARD}], [BOARD_JSON, {"nested": BOARD_JSON}]),
    ],
)
def test_values_become_json(value: Any, expected: Any) -> None:
    shown = jsonable(value)
    assert shown == expected
    assert json.loads(json.dumps(shown, ensure_ascii=False)) == shown
    # exact types: an enum member is not passed through as the str or int it also is
    assert type(shown) is type(expected)


def test_a_record_gives_plain_json_itself() -> None:
    assert BOARD.to_dict() == BOARD_JSON
    assert Quote("x", 1).to_dict() == {"text": "x", "start": 1, "day": None}
    assert json.dumps(BOARD.to_dict()) == json.dumps(BOARD_JSON)  # field order kept
