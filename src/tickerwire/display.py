"""How the brief writes numbers: as the sources do (HK$84.10, 1.52%, HK$309.2 billion).

Every function formats one stored value; none computes a new number. Signs are carried by words
("up", "down"), so percentages and points are printed without them.
"""

from __future__ import annotations

_SYMBOLS = {"HKD": "HK$", "USD": "US$"}
_QUALIFIERS = {"over": "more than ", "under": "less than ", "about": "about "}


def trimmed(value: float, *, max_decimals: int = 3, min_decimals: int = 0) -> str:
    """``value`` with thousands separators and no trailing zeros beyond ``min_decimals``."""
    text = f"{value:,.{max_decimals}f}"
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(min_decimals, "0")
        text = f"{whole}.{frac}" if frac else whole
    return text


def qualifier_words(qualifier: str) -> str:
    return _QUALIFIERS.get(qualifier, "")


def pct(value: float, qualifier: str = "exact") -> str:
    return f"{qualifier_words(qualifier)}{trimmed(abs(value))}%"


def points(value: float) -> str:
    return f"{trimmed(abs(value), max_decimals=2, min_decimals=2)} points"


def level(value: float) -> str:
    return trimmed(value, max_decimals=2, min_decimals=2)


def currency_prefix(currency: str | None) -> str:
    if currency is None:
        return ""
    return _SYMBOLS.get(currency, f"{currency} ")


def price(value: float, currency: str | None) -> str:
    return f"{currency_prefix(currency)}{trimmed(value, max_decimals=3, min_decimals=2)}"


def money(value: float, currency: str | None, value_max: float | None = None) -> str:
    """HK$309.2 billion; a range as US$500 million–600 million."""
    unit, scale = _scale(max(abs(value), abs(value_max or 0.0)))
    text = f"{currency_prefix(currency)}{trimmed(value / scale)}"
    if value_max is not None and value_max != value:
        text += f"–{trimmed(value_max / scale)}"
    return f"{text} {unit}".rstrip()


def _scale(value: float) -> tuple[str, float]:
    for unit, scale in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if value >= scale:
            return unit, scale
    return "", 1.0


def direction(value: float | None) -> str:
    if value is None or value == 0:
        return "unchanged"
    return "up" if value > 0 else "down"
