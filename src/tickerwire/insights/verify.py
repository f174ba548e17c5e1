"""How right the news is: verdict counts and each publisher's record (``tickerwire verify``).

Counts the verdicts of the checked facts of visible extractions whose day lies in the period
(docs/prices.md). A publisher's record is over its *checkable* numbers: the ones a bar could
decide (confirmed, contradicted or wrong day); unverifiable ones are counted apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from tickerwire.insights.reader import StoreReader
from tickerwire.insights.records import Record
from tickerwire.insights.refs import SourceRef, source_ref
from tickerwire.model import CHECKED_KINDS, VERDICTS
from tickerwire.store.rows import FactRow

CHECKABLE = ("confirmed", "contradicted", "wrong_day")
UNCHECKED = "unchecked"  # a fact stored before its store had verdicts: run `tickerwire verify`
UNKNOWN_SOURCE = "(no source)"


@dataclass(frozen=True, slots=True)
class SourceRecord(Record):
    """One publisher's checkable numbers and the share of each verdict among them."""

    source: str
    checkable: int
    confirmed: int
    contradicted: int
    wrong_day: int
    unverifiable: int
    confirmed_share: float | None
    contradicted_share: float | None
    wrong_day_share: float | None


@dataclass(frozen=True, slots=True)
class CheckedNumber(Record):
    """A number the market disagrees with: what was stated, what the bar says, and where."""

    kind: str
    subject: str | None
    day: date | None
    verdict: str
    field: str | None
    stated: float | None
    actual: float | None
    difference: float | None
    matched_day: date | None
    ref: SourceRef


@dataclass(frozen=True, slots=True)
class VerificationReport(Record):
    since: date | None
    until: date | None
    facts: int
    counts: dict[str, int]  # every verdict, plus "unchecked"
    reasons: dict[str, int]  # why numbers are unverifiable
    sources: tuple[SourceRecord, ...]  # most checkable numbers first
    disputed: tuple[CheckedNumber, ...]  # contradicted and wrong-day numbers, by day


def verification_report(
    store: StoreReader,
    *,
    since: date | None = None,
    until: date | None = None,
    as_of: datetime | None = None,
) -> VerificationReport:
    rows = store.fact_rows(kinds=CHECKED_KINDS, since=since, until=until, as_of=as_of)
    counts: Counter[str] = Counter({verdict: 0 for verdict in (*VERDICTS, UNCHECKED)})
    reasons: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    disputed: list[CheckedNumber] = []
    for row in rows:
        check = row.verification
        verdict = check.verdict if check else UNCHECKED
        counts[verdict] += 1
        if check and check.verdict == "unverifiable" and check.reason:
            reasons[check.reason] += 1
        by_source[row.source or UNKNOWN_SOURCE][verdict] += 1
        if check and check.verdict in ("contradicted", "wrong_day"):
            disputed.append(_checked(row))
    return VerificationReport(
        since=since, until=until, facts=len(rows), counts=dict(counts),
        reasons=dict(reasons.most_common()),
        sources=tuple(sorted((_record(name, c) for name, c in by_source.items()),
                             key=lambda r: (-r.checkable, r.source))),
        disputed=tuple(disputed),
    )


def _record(source: str, counts: Counter[str]) -> SourceRecord:
    checkable = sum(counts[v] for v in CHECKABLE)

    def share(verdict: str) -> float | None:
        return round(counts[verdict] / checkable, 4) if checkable else None

    return SourceRecord(
        source=source, checkable=checkable, confirmed=counts["confirmed"],
        contradicted=counts["contradicted"], wrong_day=counts["wrong_day"],
        unverifiable=counts["unverifiable"] + counts[UNCHECKED],
        confirmed_share=share("confirmed"), contradicted_share=share("contradicted"),
        wrong_day_share=share("wrong_day"),
    )


def _checked(row: FactRow) -> CheckedNumber:
    check = row.verification
    assert check is not None
    return CheckedNumber(
        kind=row.kind, subject=row.subject, day=row.day, verdict=check.verdict, field=check.field,
        stated=check.stated, actual=check.actual, difference=check.difference,
        matched_day=check.day if check.verdict == "wrong_day" else None,
        ref=source_ref(row, row.text, row.start, row.end),
    )


__all__ = ["CheckedNumber", "SourceRecord", "VerificationReport", "verification_report"]
