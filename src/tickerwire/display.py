"""How tickerwire shows numbers and times, for every renderer (CLI, dashboard, brief).

Every function formats one stored value; none computes a new number. Two registers:

* prose, as the sources write it (the brief): ``HK$84.10``, ``more than 5%``,
  ``HK$309.2 billion``; signs are carried by words ("up", "down");
* compact, for tables and labels: ``>+5.00%``, ``HK$309.2bn``, ``+12.50 pts``.

Times are shown in Hong Kong time; an article without a date is ``Undated``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from tickerwire.model import Verification
from tickerwire.taxonomy import FACT_KINDS
from tickerwire.timeutil import HONG_KONG

UNDATED: Final = "Undated"
ZONE: Final = "HKT"

_SYMBOLS: Final = {"HKD": "HK$", "USD": "US$"}
QUALIFIER_WORDS: Final = {"over": "more than ", "under": "less than ", "about": "about "}
QUALIFIER_MARKS: Final = {"over": ">", "under": "<", "about": "~"}
# (divisor, compact suffix, word), largest first.
_SCALES: Final = ((1e12, "tn", "trillion"), (1e9, "bn", "billion"), (1e6, "m", "million"))


# --- numbers --------------------------------------------------------------------------------


def trimmed(value: float, *, max_decimals: int = 3, min_decimals: int = 0) -> str:
    """``value`` with thousands separators and no trailing zeros beyond ``min_decimals``."""
    text = f"{value:,.{max_decimals}f}"
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(min_decimals, "0")
        text = f"{whole}.{frac}" if frac else whole
    return text


def qualifier_words(qualifier: str) -> str:
    """``more than `` / ``less than `` / ``about `` (with the space), or nothing for exact."""
    return QUALIFIER_WORDS.get(qualifier, "")


def qualifier_mark(qualifier: str) -> str:
    """``>`` / ``<`` / ``~``, or nothing for exact."""
    return QUALIFIER_MARKS.get(qualifier, "")


def pct(value: float, qualifier: str = "exact") -> str:
    """Prose: ``more than 5.2%`` (unsigned: the words around it say up or down)."""
    return f"{qualifier_words(qualifier)}{trimmed(abs(value))}%"


_SESSION_WORDS = {"midday": "at midday", "intraday": "intraday", "open": "at the open"}


def session_words(horizon: str | None) -> str:
    """How a board labels a move that is not the close ("at midday"); "" for the close."""
    if horizon in (None, "close"):
        return ""
    return _SESSION_WORDS.get(horizon, horizon.replace("_", " "))


def signed_pct(value: float, qualifier: str = "exact") -> str:
    """Compact: ``>+5.00%``, ``-3.60%``."""
    return f"{qualifier_mark(qualifier)}{value:+.2f}%"


def points(value: float) -> str:
    """Prose: ``123.45 points`` (unsigned)."""
    return f"{trimmed(abs(value), max_decimals=2, min_decimals=2)} points"


def signed_points(value: float) -> str:
    """Compact: ``+123.45 pts``."""
    return f"{value:+,.2f} pts"


def level(value: float) -> str:
    return trimmed(value, max_decimals=2, min_decimals=2)


def currency_prefix(currency: str | None) -> str:
    if currency is None:
        return ""
    return _SYMBOLS.get(currency, f"{currency} ")


def price(value: float, currency: str | None) -> str:
    return f"{currency_prefix(currency)}{trimmed(value, max_decimals=3, min_decimals=2)}"


def money(
    value: float, currency: str | None, value_max: float | None = None, *, compact: bool = False
) -> str:
    """``HK$309.2 billion`` (compact: ``HK$309.2bn``); a range as ``US$500–600 million``.

    A negative amount (a net outflow) keeps its sign: ``-HK$1.2 billion``.
    """
    top = max(abs(value), abs(value_max or 0.0))
    divisor, suffix, word = next((s for s in _SCALES if top >= s[0]), (1.0, "", ""))
    unit = suffix if compact else f" {word}" if word else ""
    sign = "-" if value < 0 else ""
    text = f"{sign}{currency_prefix(currency)}{trimmed(abs(value) / divisor)}"
    if value_max is not None and value_max != value:
        text += f"–{trimmed(value_max / divisor)}"
    return f"{text}{unit}"


def direction(value: float | None) -> str:
    if value is None or value == 0:
        return "unchanged"
    return "up" if value > 0 else "down"


def fact_value(fact: object) -> str:
    """The numbers a fact states, compactly and by its kind's display class (``taxonomy``):
    ``HK$118.61bn``, ``>-3.60%``, ``26,160.15 +123.45 pts``, ``HK$95.00`` (a price), ``12.5x``
    (a P/E); a changed figure with its old value: ``HK$80.00 (from HK$62.00)``.

    ``fact`` is anything with a fact's fields (a stored fact, a timeline fact, a reading, a
    market-board row); fields it lacks count as not stated.
    """
    kind = getattr(fact, "kind", None)
    qualifier = getattr(fact, "qualifier", None) or "exact"
    value: float | None = getattr(fact, "value", None)
    currency: str | None = getattr(fact, "currency", None)
    pct_value: float | None = getattr(fact, "pct", None)
    points_value: float | None = getattr(fact, "points", None)
    price_value: float | None = getattr(fact, "price", None)
    entry = FACT_KINDS.get(kind) if isinstance(kind, str) else None
    shown = entry.display if entry else "level"
    parts: list[str] = []
    if value is not None:
        parts.append(_by_display(shown, value, currency, getattr(fact, "value_max", None)))
        previous: float | None = getattr(fact, "previous", None)
        if previous is not None:
            parts[0] += f" (from {_by_display(shown, previous, currency, None)})"
    if pct_value is not None:
        parts.append(signed_pct(pct_value, qualifier))
    elif qualifier != "exact" and parts:
        parts[0] = qualifier_mark(qualifier) + parts[0]
    if points_value is not None:
        parts.append(signed_points(points_value))
    if price_value is not None and not (shown == "price" and price_value == value):
        parts.append(f"at {price(price_value, currency)}")
    return " ".join(parts)


# --- verdicts -------------------------------------------------------------------------------

VERDICT_MARKS: Final = {"confirmed": "✓", "contradicted": "✗", "wrong_day": "✗", "unverifiable": ""}
VERDICT_WORDS: Final = {"confirmed": "confirmed by the close", "contradicted": "contradicted",
                        "wrong_day": "wrong day", "unverifiable": "not checkable"}


def checked_figure(field: str | None, value: float, currency: str | None) -> str:
    """A verification's stated or actual figure, compactly: ``-4.10%``, ``+12.30 pts``,
    ``HK$79.20``, ``HK$231.5bn``."""
    if field == "pct":
        return signed_pct(value)
    if field == "points":
        return signed_points(value)
    if field == "value":
        return money(value, currency, compact=True)
    return price(value, currency) if currency else level(value)


def verdict_mark(check: Verification | None, currency: str | None = None) -> str:
    """``✓``; ``✗ actual -4.10%``; ``✗ wrong day: matches 2025-10-09``; "" when not checked or
    not checkable."""
    if check is None or not VERDICT_MARKS.get(check.verdict):
        return ""
    mark = VERDICT_MARKS[check.verdict]
    if check.verdict == "confirmed":
        return mark
    if check.verdict == "wrong_day" and check.day is not None:
        return f"{mark} wrong day: matches {check.day.isoformat()}"
    if check.actual is None:
        return mark
    return f"{mark} actual {checked_figure(check.field, check.actual, currency)}"
def _by_display(shown: str, value: float, currency: str | None, value_max: float | None) -> str:
    if shown == "price":
        return price(value, currency)
    if shown in ("amount", "market_amount"):
        return money(value, currency, value_max, compact=True)
    if shown == "ratio":
        return f"{trimmed(value, max_decimals=2)}x"
    return level(value)


def event_details(attributes: Mapping[str, Any]) -> str:
    """What an event's attributes state, compactly: ``listed 2025-11-06 · offer HK$162.00 ·
    first day +18.20%``, ``filed · hedged``; "" for an event without attributes."""
    parts: list[str] = []
    currency = attributes.get("currency")
    for stage in attributes.get("stages", ()):
        on = stage.get("on")
        parts.append(f"{stage['stage']} {on}" if on else str(stage["stage"]))
    if (offer := attributes.get("offer_price")) is not None:
        parts.append(f"offer {price(offer, currency)}")
    low, high = attributes.get("price_low"), attributes.get("price_high")
    if low is not None and high is not None:
        parts.append(f"range {price(low, currency)}–{price(high, None)}")
    if (first_day := attributes.get("first_day_return")) is not None:
        parts.append(f"first day {signed_pct(first_day)}")
    if attributes.get("hedged"):
        parts.append("hedged")
    return " · ".join(parts)


# --- times ----------------------------------------------------------------------------------


def hk_time(moment: datetime | date | str | None) -> str:
    """An instant as Hong Kong time ``YYYY-MM-DD HH:MM`` (naive = Hong Kong), a date as
    ``YYYY-MM-DD``, ``None`` as ``Undated``; ISO 8601 text is read first."""
    if moment is None or moment == "":
        return UNDATED
    if isinstance(moment, str):
        try:
            return hk_time(datetime.fromisoformat(moment))
        except ValueError:
            return moment
    if isinstance(moment, datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=HONG_KONG)
        return aware.astimezone(HONG_KONG).strftime("%Y-%m-%d %H:%M")
    return moment.isoformat()


def hk_time_zoned(moment: datetime | None) -> str:
    """``2025-10-24 16:30 HKT``, or ``Undated`` (no zone) for an article without a date."""
    return UNDATED if moment is None else f"{hk_time(moment)} {ZONE}"
