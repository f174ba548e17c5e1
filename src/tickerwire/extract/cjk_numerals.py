"""Chinese numerals in figures and percentages: 升百分之三, 大市成交额一千二百亿港元, 七成半.

The quantity scanner reads Arabic digits (and 成 with one digit); this adds the quantities written
in Chinese numerals, read with ``cn2an``, and merges them in: where the two overlap, the longer
span wins (七成半 = 75%, not the 七成 inside it).

Most text holds none: every match contains 百分之, 成半 or a currency word, so a text without one
is not scanned, and in one with them the pattern is only tried where a numeral or digit stands.
"""

from __future__ import annotations

import re

from tickerwire.extract.quantities import Quantity, _currency, _qualified, matches_where, qualifier_hits

_CN_DIGITS = "零〇一二两兩三四五六七八九"
_CN_NUMBER = rf"[{_CN_DIGITS}十百千](?:[{_CN_DIGITS}十百千万萬亿億]|[点點](?=[{_CN_DIGITS}]))*"
_PCT_NUMBER = rf"(?:[0-9]+(?:\.[0-9]+)?|{_CN_NUMBER})"
# 升百分之4至5: a range, read as two percentages joined by 至 (the move rules skip ranges)
_PERCENT = rf"百分之(?P<pct>{_PCT_NUMBER})(?:(?P<join>至|到|-|–)(?:百分之)?(?P<pct_max>{_PCT_NUMBER})(?![0-9]))?"
_CHENG_HALF = rf"(?P<cheng>[0-9]+|[{_CN_DIGITS}])成半"
_CURRENCY_WORDS = ("港元", "港币", "港幣", "美元", "人民币", "人民幣", "元人民币", "元人民幣", "元")
_MONEY = rf"(?P<money>{_CN_NUMBER})(?P<cur>{'|'.join(_CURRENCY_WORDS)})"
_CJK_QUANTITY = re.compile(f"{_PERCENT}|{_CHENG_HALF}|{_MONEY}")
_ANCHORS = ("百分之", "成半", *_CURRENCY_WORDS)
"""One of these stands in every match (the percent word, the half, the currency)."""
_START = re.compile(f"[0-9{_CN_DIGITS}十百千]")
"""The characters a match can begin with (百分之 begins with 百)."""
_HALF = "成半"
_START_NOT_DIGIT = re.compile(f"[{_CN_DIGITS}十百千]")
"""The same without the Arabic digits, which begin only ``[0-9]+成半``: what is tried in a text
without 成半 (most Chinese text has a digit every few characters and no 成半)."""
# A money figure in Chinese numerals has a unit character (九十八亿元); a lone digit before 元 is
# part of a word far more often than an amount (统一元朝).
_UNIT_CHARS = frozenset("十百千万萬亿億")
_TRADITIONAL = str.maketrans({"兩": "两", "萬": "万", "億": "亿", "點": "点"})
_SCALES = ("万", "亿")


def _number(raw: str) -> float | None:
    import cn2an  # imported on first use: it takes a quarter of a second to load

    try:
        return float(cn2an.cn2an(raw.translate(_TRADITIONAL), "smart"))
    except ValueError:
        return None  # not a well-formed numeral ("十百"): no quantity


def scan_cjk_numerals(text: str, *, default_yuan: str) -> list[Quantity]:
    """Quantities written in Chinese numerals, in text order."""
    out: list[Quantity] = []
    if not any(anchor in text for anchor in _ANCHORS):
        return out
    matches = matches_where(_CJK_QUANTITY, _START if _HALF in text else _START_NOT_DIGIT, text)
    if not matches:
        return out
    qualifiers = qualifier_hits(text)
    for m in matches:
        if m.group("pct"):
            value, top = _number(m.group("pct")), m.group("pct_max")
            end = m.start("join") if top else m.end()
            q = None if value is None else Quantity("pct", value, m.start(), end)
            top_value = _number(top) if top else None
            if q is not None and top_value is not None:
                out.append(_qualified(text, q, False, False, qualifiers))
                q = Quantity("pct", top_value, m.end("join"), m.end())
        elif m.group("cheng"):
            tenths = _number(m.group("cheng"))
            q = None if tenths is None else Quantity("pct", tenths * 10 + 5, m.start(), m.end())
        else:
            raw = m.group("money")
            value = _number(raw) if _UNIT_CHARS.intersection(raw) else None
            scaled = any(s in raw.translate(_TRADITIONAL) for s in _SCALES)
            currency = _currency(None, m.group("cur"), default_yuan)
            q = None if value is None else Quantity("money", value, m.start(), m.end(), currency, scaled=scaled)
        if q is not None:
            out.append(_qualified(text, q, False, False, qualifiers))
    return out


def merge_quantities(found: list[Quantity], extra: list[Quantity]) -> list[Quantity]:
    """``found`` plus ``extra`` in text order; an overlap keeps the longer span, then the one with a unit."""
    if not extra:
        return found
    kept = [q for q in found if not any(_overlaps(q, e) and _rank(e) > _rank(q) for e in extra)]
    kept += [e for e in extra if not any(_overlaps(q, e) for q in kept)]
    return sorted(kept, key=lambda q: q.start)


def _rank(q: Quantity) -> tuple[int, bool]:
    return q.end - q.start, q.unit != "number"


def _overlaps(a: Quantity, b: Quantity) -> bool:
    return a.start < b.end and b.start < a.end
