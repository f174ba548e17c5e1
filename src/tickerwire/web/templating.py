"""The Jinja2 environment of the dashboard: autoescaped templates and display filters."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from tickerwire import display, taxonomy


def _signed(value: float | None) -> str:
    return "" if value is None else f"{value:+,.2f}"


def _pct(value: float | None, qualifier: str = "exact") -> str:
    return "" if value is None else display.signed_pct(value, qualifier)


def _number(value: float | None) -> str:
    return "" if value is None else display.level(value)


def _price(value: float | None, currency: str | None = None) -> str:
    return "" if value is None else display.price(value, currency)


def _money(value: float | None, currency: str | None = None) -> str:
    return "" if value is None else display.money(value, currency, compact=True)


def _direction(value: float | None) -> str:
    """A CSS class: ``up``, ``down`` or ``flat``."""
    if value is None or value == 0:
        return "flat"
    return "up" if value > 0 else "down"


def _http_url(url: Any) -> str | None:
    """``url`` when it is an http(s) link, else ``None`` (never a ``javascript:`` href)."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    return text if text.lower().startswith(("http://", "https://")) else None


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
        price=_price,
        direction=_direction,
        when=display.hk_time,
        published=display.hk_time_zoned,
        fact_value=display.fact_value,
        event_details=display.event_details,
        http_url=_http_url,
        label=taxonomy.label,
        session_words=display.session_words,
        verdict_mark=display.verdict_mark,
    )
    return env


def templates() -> Jinja2Templates:
    return Jinja2Templates(env=environment())
