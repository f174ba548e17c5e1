"""Check one reported number against the market: the verdict rules of docs/prices.md.

A fact is checked when it is a close-horizon ``price_move``, an ``index_level``, a
``close_price`` or a ``turnover`` with a subject and a known day. Every number it states (the
percentage, the points, the price or level, the amount) is compared with the bar of that day,
within the precision the text gives it: "2.4%" stands for 2.35–2.45%, "HK$80" for 79.5–80.5,
"HK$231.5 billion" for 231.45–231.55 billion; "about" allows a whole unit of the last digit,
and "more than" / "less than" are thresholds ("more than 5%" needs a move beyond 5%).

All agree → ``confirmed``. They all agree with the previous or next trading day's bar instead →
``wrong_day`` (exact numbers only: a loose one fits a neighbour day by chance). Otherwise
``contradicted``, with the first number that disagrees. No subject, no day, another horizon, a
day the exchange is shut, no bar, or a bar without the figure → ``unverifiable`` with its
``reason``.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tickerwire.fullwidth import to_halfwidth
from tickerwire.model import CHECKED_KINDS, Extraction, Fact, PriceBar, Verification
from tickerwire.prices.returns import BarLookup, previous_close
from tickerwire.refdata.calendars import calendar_for

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SCALES = (1.0, 1e2, 1e3, 1e4, 1e6, 1e8, 1e9, 1e12)  # as written → plain units (万, 亿, billion …)
_SCALE_OF = {round(math.log10(scale)): scale for scale in _SCALES}
_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Claim:
    """One stated number: which bar figure it is about, its value and half its last digit."""

    field: str  # pct | points | price | value
    stated: float
    tolerance: float
    qualifier: str
    upper: float | None = None  # a stated range's upper end


def bar_lookup(bars: Iterable[PriceBar]) -> BarLookup:
    """A lookup over ``bars`` (the last bar given for a code and day wins)."""
    table = {(bar.code, bar.day): bar for bar in bars}

    def lookup(code: str, day: date) -> PriceBar | None:
        return table.get((code, day))

    return lookup


def with_verdicts(extraction: Extraction, bars: BarLookup) -> Extraction:
    """``extraction`` with every checked fact carrying its verdict (``extract --prices``)."""
    facts = tuple(dataclasses.replace(fact, verification=verify_fact(fact, bars))
                  for fact in extraction.facts)
    return dataclasses.replace(extraction, facts=facts)


def unverifiable(reason: str, day: date | None = None) -> Verification:
    return Verification("unverifiable", day=day, reason=reason)


def verify_fact(fact: Fact, bars: BarLookup) -> Verification | None:
    """The verdict on ``fact``; None for kinds that are never checked."""
    if fact.kind not in CHECKED_KINDS:
        return None
    if fact.subject is None:
        return unverifiable("no_subject")
    if fact.day is None:
        return unverifiable("undated")
    if fact.kind in ("price_move", "index_level") and fact.horizon not in (None, "close"):
        return unverifiable("horizon", fact.day)
    calendar = calendar_for(fact.subject)
    if not calendar.is_trading_day(fact.day):
        return unverifiable("not_trading_day", fact.day)
    claims = claims_of(fact)
    if not claims:
        return unverifiable("no_number", fact.day)
    found = _compare(claims, fact, fact.day, bars)
    if isinstance(found, str):
        return unverifiable(found, fact.day)
    if found.verdict == "confirmed" or fact.qualifier != "exact":
        return found  # a loose claim ("less than 2%") matching a neighbour day proves nothing
    for other in (calendar.previous(fact.day), calendar.next(fact.day)):
        elsewhere = _compare(claims, fact, other, bars)
        if isinstance(elsewhere, Verification) and elsewhere.verdict == "confirmed":
            return Verification("wrong_day", elsewhere.field, elsewhere.stated, elsewhere.actual,
                                elsewhere.difference, other)
    return found


def claims_of(fact: Fact) -> list[Claim]:
    """The numbers ``fact`` states that a bar can check, each with its stated precision."""
    claims: list[Claim] = []

    def add(field: str, stated: float | None, upper: float | None = None) -> None:
        if stated is not None and math.isfinite(stated):
            claims.append(Claim(field, stated, stated_tolerance(fact.text, stated), fact.qualifier,
                                upper))

    if fact.kind == "turnover":
        add("value", fact.value, fact.value_max)
        return claims
    if fact.kind in ("index_level", "close_price"):
        add("price", fact.value)
    elif fact.price is not None:
        add("price", fact.price)
    add("pct", fact.pct)
    add("points", fact.points)
    return claims


def stated_tolerance(text: str, value: float) -> float:
    """Half a unit of the last digit ``text`` writes ``value`` with ("2.4%" → 0.05,
    "HK$231.5 billion" → 0.05 billion, "2.69万亿" → 0.005万亿); from the value itself when the
    text does not spell it in digits (百分之三)."""
    target = abs(value)
    if target == 0:
        return 0.005
    for match in _NUMBER.finditer(to_halfwidth(text)):
        written = match.group().replace(",", "")
        number = float(written)
        if number == 0:
            continue
        ratio = target / number  # 1 when written as is, 1e8 for 亿, 1e9 for billion …
        scale = _SCALE_OF.get(round(math.log10(ratio))) if ratio > 0.5 else None
        if scale is not None and math.isclose(ratio, scale, rel_tol=1e-9):
            decimals = len(written.partition(".")[2])
            return 0.5 * 10.0 ** -decimals * scale
    decimals = len(repr(target).partition(".")[2].rstrip("0")) if "e" not in repr(target) else 0
    return 0.5 * 10.0 ** -decimals


def _compare(claims: list[Claim], fact: Fact, day: date, bars: BarLookup) -> Verification | str:
    """Every claim against the bar of ``day``: confirmed, contradicted (first disagreeing claim),
    or the reason none can be checked."""
    bar = bars(fact.subject or "", day)
    if bar is None:
        return "no_bar"
    if fact.currency and bar.currency and fact.currency != bar.currency and any(
            c.field in ("price", "value") for c in claims):
        return "currency"
    first: Verification | None = None
    for claim in claims:
        actual = _actual(claim.field, bar, fact.subject or "", day, bars)
        if actual is None:
            return "no_bar_value"
        checked = Verification(
            "confirmed" if _agrees(claim, actual) else "contradicted", claim.field, claim.stated,
            _rounded(actual), _rounded(actual - claim.stated), day)
        if checked.verdict == "contradicted":
            return checked
        first = first or checked
    assert first is not None
    return first


def _actual(field: str, bar: PriceBar, code: str, day: date, bars: BarLookup) -> float | None:
    if field == "value":
        return bar.turnover
    if field == "price":
        return bar.close
    previous = previous_close(bars, code, day)
    if previous is None or bar.close is None or previous == 0:
        return None
    if field == "points":
        return bar.close - previous
    return (bar.close / previous - 1.0) * 100.0


def _agrees(claim: Claim, actual: float) -> bool:
    tolerance = claim.tolerance + _EPSILON * max(1.0, abs(claim.stated))
    if claim.upper is not None:
        return claim.stated - tolerance <= actual <= claim.upper + tolerance
    if claim.qualifier == "about":
        return abs(actual - claim.stated) <= 2 * tolerance
    if claim.qualifier in ("over", "under"):  # a threshold: "more than 5%" is beyond 5 itself
        same_side = actual * claim.stated > 0 or claim.stated == 0
        slack = _EPSILON * max(1.0, abs(claim.stated))
        if claim.qualifier == "over":
            return same_side and abs(actual) >= abs(claim.stated) - slack
        return (same_side or actual == 0) and abs(actual) <= abs(claim.stated) + slack
    return abs(actual - claim.stated) <= tolerance


def _rounded(value: float) -> float:
    return round(value, 4) if abs(value) < 1e6 else round(value, 0)


__all__ = ["BarLookup", "Claim", "bar_lookup", "claims_of", "stated_tolerance", "unverifiable", "verify_fact",
           "with_verdicts"]
