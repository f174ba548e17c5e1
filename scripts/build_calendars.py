#!/usr/bin/env python
"""Build the packaged trading calendars from the ``exchange_calendars`` package.

Usage::

    python scripts/build_calendars.py [--out src/tickerwire/refdata/data/calendars.json]

Writes, for the Hong Kong (XHKG), Shanghai (XSHG, whose holidays Shenzhen and Beijing share)
and New York (XNYS) exchanges, the first and last day the package knows and every weekday on
which the exchange did not trade. tickerwire reads that small file at run time instead of
importing ``exchange_calendars`` (and pandas), which takes seconds to start. Needs the ``build``
extra. Output is sorted, so a rebuild with the same package version is byte-identical.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path

import exchange_calendars as xcals

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "tickerwire" / "refdata" / "data" / "calendars.json"
START = "2015-01-01"
CALENDARS = {
    "XHKG": "Hong Kong Exchanges and Clearing (HKEX)",
    "XSHG": "Shanghai Stock Exchange (Shenzhen and Beijing close on the same days)",
    "XNYS": "New York Stock Exchange",
}


def closed_weekdays(name: str) -> dict[str, object]:
    calendar = xcals.get_calendar(name, start=START)
    sessions = {ts.date() for ts in calendar.sessions}
    first = date.fromisoformat(START)
    last = calendar.last_session.date()
    holidays: list[str] = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in sessions:
            holidays.append(day.isoformat())
        elif day.weekday() >= 5 and day in sessions:
            raise SystemExit(f"{name} trades on the weekend day {day}: the file format cannot hold it")
        day += timedelta(days=1)
    return {"name": CALENDARS[name], "first": first.isoformat(), "last": last.isoformat(),
            "holidays": holidays}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    data = {
        "source": f"exchange_calendars {version('exchange_calendars')}",
        "calendars": {name: closed_weekdays(name) for name in sorted(CALENDARS)},
    }
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
