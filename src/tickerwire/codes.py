"""Security codes in any common written form → canonical codes.

Canonical forms (DESIGN.md): ``00981.HK`` (5 digits), ``688981.SH``, ``000001.SZ``, ``830799.BJ``,
``BABA.US``, ``C6L.SG``, ``6723.JP``, ``2330.TW``, ``HSBA.UK``. This module is pure: it knows the
shapes of codes, not which codes exist (that is the security master's job).
"""

from __future__ import annotations

import re

from tickerwire.fullwidth import to_halfwidth

# Market words people put before or after a code, mapped to the canonical suffix.
MARKET_ALIASES: dict[str, str] = {
    "HK": "HK",
    "HKG": "HK",
    "HKEX": "HK",
    "SEHK": "HK",
    "HKSE": "HK",
    "HKEx": "HK",
    "SH": "SH",
    "SS": "SH",
    "SHA": "SH",
    "SHH": "SH",
    "SSE": "SH",
    "SHSE": "SH",
    "SZ": "SZ",
    "SHE": "SZ",
    "SZA": "SZ",
    "SHZ": "SZ",
    "SZSE": "SZ",
    "BJ": "BJ",
    "BSE": "BJ",
    "BJSE": "BJ",
    "CN": "CN",  # longbridge: an A-share, exchange decided by the code's prefix
    "US": "US",
    "NYSE": "US",
    "NASDAQ": "US",
    "NASDAQGS": "US",
    "NASDAQGM": "US",
    "NYSEARCA": "US",
    "AMEX": "US",
    "N": "US",
    "O": "US",
    "OQ": "US",
    "SG": "SG",
    "SGX": "SG",
    "SI": "SG",
    "SES": "SG",
    "JP": "JP",
    "T": "JP",
    "TYO": "JP",
    "TSE": "JP",
    "TW": "TW",
    "TWSE": "TW",
    "TPE": "TW",
    "UK": "UK",
    "L": "UK",
    "LN": "UK",
    "LSE": "UK",
    "LON": "UK",
    "CH": "CH",
    "SW": "CH",
    "SIX": "CH",
    "KS": "KS",
    "KRX": "KS",
    "DE": "DE",
    "F": "DE",
    "XETRA": "DE",
}

_NUMERIC_MARKETS = {"HK", "SH", "SZ", "BJ", "CN", "JP", "TW", "KS", "KQ"}


def a_share_exchange(code: str) -> str | None:
    """Exchange suffix of a 6-digit mainland code from its prefix (SH, SZ or BJ)."""
    if not re.fullmatch(r"\d{6}", code):
        return None
    if code.startswith(("92", "43", "83", "87", "88")) or code[0] == "8":
        return "BJ"
    if code[0] in "569":
        return "SH"
    if code[0] in "0123":
        return "SZ"
    return None


def canonical(number_or_symbol: str, market: str) -> str | None:
    """Join a bare code and a market word into the canonical code, or None if they cannot fit."""
    suffix = MARKET_ALIASES.get(market.strip().upper()) or MARKET_ALIASES.get(market.strip())
    if suffix is None:
        return None
    sym = number_or_symbol.strip().upper()
    if suffix == "HK":
        if not re.fullmatch(r"\d{1,5}", sym):
            return None
        return f"{int(sym):05d}.HK" if int(sym) > 0 else None
    if suffix in {"SH", "SZ", "BJ", "CN"}:
        if not re.fullmatch(r"\d{6}", sym):
            return None
        exch = a_share_exchange(sym)
        if suffix == "CN":
            return f"{sym}.{exch}" if exch else None
        return f"{sym}.{suffix}"
    if suffix in _NUMERIC_MARKETS:
        return f"{sym}.{suffix}" if re.fullmatch(r"\d{4,6}", sym) else None
    if not re.fullmatch(r"[A-Z][A-Z0-9]{0,5}(?:[.-][A-Z])?", sym):
        return None
    return f"{sym.replace('-', '.')}.{suffix}"


_SUFFIXED = re.compile(r"^\(?\$?(?P<sym>[A-Za-z0-9]{1,6}(?:[.-][A-Za-z])?)[.\s:](?P<mkt>[A-Za-z]{1,8})\)?$")
_PREFIXED = re.compile(r"^\(?(?P<mkt>[A-Za-z]{1,8})\s*[:.：]?\s*(?P<sym>[A-Za-z0-9]{1,6}(?:[.-][A-Za-z])?)\)?$")


def normalize_code(text: str, *, default_market: str | None = None) -> str | None:
    """Canonical code for ``text`` or None when it is not a code.

    >>> normalize_code("981 HK"), normalize_code("SH603986"), normalize_code("NYSE: BABA")
    ('00981.HK', '603986.SH', 'BABA.US')

    A bare number is read as Hong Kong when it has 5 digits (or ``default_market`` says so) and
    as an A-share when it has 6; a bare ``$TICKER`` is a US listing.
    """
    s = text.strip().replace("\u3000", " ")
    s = to_halfwidth(s)
    if not s:
        return None
    if s.startswith("(") and s.endswith(")"):
        s = s[1:-1].strip()
        if re.fullmatch(r"\d{1,5}", s):
            return canonical(s, "HK")
    if s.startswith("$") and re.fullmatch(r"\$[A-Za-z]{1,5}", s):
        return f"{s[1:].upper()}.US"
    m = _SUFFIXED.match(s)
    if m and (m.group("mkt").upper() in MARKET_ALIASES):
        mkt = m.group("mkt").upper()
        sym = m.group("sym")
        # "981 HK" but not "HK 981" handled below; avoid reading "SH603986" here.
        code = canonical(sym, mkt)
        if code:
            return code
    m = _PREFIXED.match(s)
    if m and m.group("mkt").upper() in MARKET_ALIASES:
        code = canonical(m.group("sym"), m.group("mkt"))
        if code:
            return code
    if re.fullmatch(r"\d{5}", s):
        return canonical(s, "HK")
    if re.fullmatch(r"\d{6}", s):
        return canonical(s, "CN")
    if default_market and re.fullmatch(r"[A-Za-z0-9]{1,6}", s):
        return canonical(s, default_market)
    return None

