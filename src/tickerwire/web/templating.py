"""The Jinja2 environment of the dashboard: autoescaped templates and display filters."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from tickerwire.api.params import HONG_KONG


def _signed(value: float | None, digits: int = 2, suffix: str = "") -> str:
    if value is None:
        return ""
    return f"{value:+,.{digits}f}{suffix}"


def _pct(value: float | None, qualifier: str = "exact") -> str:
    if value is None:
        return ""
    prefix = {"over": ">", "under": "<", "about": "~"}.get(qualifier, "")
    return f"{prefix}{value:+.2f}%"


def _number(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _money(value: float | None, currency: str | None = None) -> str:
    if value is None:
        return ""
    for scale, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if abs(value) >= scale:
            text = f"{value / scale:,.2f}{suffix}"
            break
    else:
        text = f"{value:,.0f}"
    return f"{currency} {text}" if currency else text


def _direction(value: float | None) -> str:
    if value is None or value == 0:
        return "flat"
    return "up" if value > 0 else "down"


def _when(value: Any) -> str:
    """An instant as Hong Kong time, ``YYYY-MM-DD HH:MM``; a date as ``YYYY-MM-DD``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=HONG_KONG)
        return moment.astimezone(HONG_KONG).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_MONEY_KINDS = frozenset(
    {"turnover", "southbound_net_inflow", "northbound_net_inflow", "ipo_raise", "market_cap",
     "net_profit", "revenue"}
)
_PRICE_KINDS = frozenset({"target_price", "close_price", "week52_high", "week52_low"})


def fact_value(fact: Any) -> str:
    """The number a fact (or reading) states, formatted for its kind."""
    kind = getattr(fact, "kind", None)
    qualifier = getattr(fact, "qualifier", "exact") or "exact"
    pct = getattr(fact, "pct", None)
    value = getattr(fact, "value", None)
    price = getattr(fact, "price", None)
    currency = getattr(fact, "currency", None)
    points = getattr(fact, "points", None)
    parts: list[str] = []
    if kind in _MONEY_KINDS:
        parts.append(_money(value, currency))
        value_max = getattr(fact, "value_max", None)
        if value_max is not None:
            parts[-1] += f" – {_money(value_max, currency)}"
    elif kind in _PRICE_KINDS:
        parts.append(f"{currency or ''} {_number(value)}".strip())
    elif kind == "pe_ratio":
        parts.append(f"{_number(value)}x")
    elif value is not None:
        parts.append(_number(value))
    if pct is not None:
        parts.append(_pct(pct, qualifier))
    if points is not None:
        parts.append(f"{points:+,.2f} pts")
    if price is not None and not (kind in _PRICE_KINDS and price == value):
        parts.append(f"at {currency or ''} {_number(price)}".replace("  ", " "))
    return " ".join(p for p in parts if p)


def _http_url(url: Any) -> str | None:
    """``url`` when it is an http(s) link, else ``None`` (never a ``javascript:`` href)."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def _kind_label(kind: str | None) -> str:
    return (kind or "").replace("_", " ")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tickerwire.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        signed=_signed,
        pct=_pct,
        number=_number,
        money=_money,
        direction=_direction,
        when=_when,
        fact_value=fact_value,
        http_url=_http_url,
        label=_kind_label,
    )
    return env


def templates() -> Jinja2Templates:
    return Jinja2Templates(env=environment())
