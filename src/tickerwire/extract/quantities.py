"""Quantities: percentages, money, points and plain numbers, with qualifiers and scale.

One compiled pattern scans the whole matching text; each hit becomes a ``Quantity`` with its
span. Dates, years, clock times, phone numbers, lot sizes and share counts are not amounts.

The patterns here use the standard library's ``re`` (they need nothing from ``regex``, and ``re``
scans the plain-text stretches between numbers about twice as fast); a hit's groups are read by
name only where needed and an unscaled number is read without decimal arithmetic.

Work is only done where a quantity can be: the scanner tries the pattern only at characters that
can begin one (a sign, a digit, 半 … 九 before 成, the first letter of a currency prefix), which one
character-class search finds, and the qualifier before a figure ("more than", 逾) is only looked
for when one of its words stands in the look-back, which one Aho-Corasick pass per text tells.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from tickerwire.extract.pipeline import Doc
from tickerwire.extract.prefilter import LiteralHits, LiteralPrefilter
from tickerwire.refdata.rules import load_rules

# ASCII digits only: \d also matches digits of other scripts (𐵂, ٣) that float()
# cannot read; full-width digits are already folded to ASCII in the matching text.
_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
# No market figure comes near this (world equity is ~1e14 USD); a longer digit run is not a number.
MAX_PLAUSIBLE = 1e15
_SCALE_EN = r"(?:trillion|billion|million|thousand|tn|bn|mn|mln|[bBmMkK](?![a-zA-Z])|T(?![a-zA-Z]))"
_SCALE_ZH = r"(?:万亿|萬億|亿|億|万|萬|千)"
_CUR_PRE_WORDS = ("HK$", "HKD", "US$", "USD", "RMB", "CNY", "CNH", "S$", "NT$", "A$", "¥", "￥", "$")
_CUR_PRE = "(?:" + "|".join(re.escape(word) for word in _CUR_PRE_WORDS) + ")"
_CUR_POST_ZH = r"(?:港元|港币|港幣|美元|人民币|人民幣|元人民币|元人民幣|亿元|億元|万元|萬元|元)"
_CUR_POST_EN = r"(?:Hong Kong dollars|HK dollars|US dollars|yuan|renminbi|patacas|dollars|HKD|USD|RMB|CNY|MOP)"
_PCT = r"(?:%|％| ?percent\b| ?per cent\b| ?pct\b|个百分点|個百分點| ?percentage points?\b)"
_SIGNS = "+-−"
_CHENG_DIGITS_ZH = "半一两兩二三四五六七八九"
_CHENG = rf"(?:(?P<cheng_num>[0-9]+(?:\.[0-9]+)?|{'|'.join(_CHENG_DIGITS_ZH)})成)"

_QUANTITY_PARTS = [
    rf"(?P<sign>[{re.escape(_SIGNS)}])?",
    r"(?:",
    rf"{_CHENG}|",
    rf"(?P<cur_pre>{_CUR_PRE})\s?(?P<sign2>[\-−])?(?P<num_a>{_NUM})(?:\s?(?P<scale_a>{_SCALE_EN}|{_SCALE_ZH}))?",
    rf"(?:\s?(?P<cur_tail>{_CUR_POST_ZH}))?",
    rf"|(?P<num_b>{_NUM})\s?(?:",
    rf"(?P<pct>{_PCT})",
    rf"|(?P<scale_b>{_SCALE_ZH})?(?P<cur_zh>{_CUR_POST_ZH})",
    rf"|(?P<scale_c>{_SCALE_EN})?\s?(?P<cur_en>{_CUR_POST_EN})\b",
    rf"|(?P<scale_s>{_SCALE_ZH})?(?P<shares>shares?\b|股(?!价|價|份|东|東|市|票|民|通))",
    rf"|(?P<scale_d>{_SCALE_ZH}|{_SCALE_EN}(?=\s|$|[,.;)]))",
    r"|(?P<points>points?\b|pts\b|点|點)",
    r")?",
    r")",
]
QUANTITY = re.compile("".join(_QUANTITY_PARTS))
# Where a QUANTITY match can begin: a digit, a one-character currency sign, a sign before what
# can follow one (a digit, a Chinese digit, a currency prefix: not the hyphen of "A-shares"), a
# Chinese digit before 成 (not the 三 of 三季度), or the first letter of a currency prefix where
# the whole prefix stands ("HK$", not the H of "Hang Seng"). The scanner tries QUANTITY only
# there. The pattern begins with a character class, which re searches without trying anything at
# the other characters; the rest is checked in the same call (a look-behind at the character,
# then what must follow it).
_PREFIX_WORDS = [w for w in _CUR_PRE_WORDS if len(w) > 1]
_ONE_CHAR_CURRENCIES = "".join(w for w in _CUR_PRE_WORDS if len(w) == 1)
_AFTER_SIGN = "0123456789" + _CHENG_DIGITS_ZH + "".join(sorted({w[0] for w in _CUR_PRE_WORDS}))
_LEAD_CHARS = "".join(sorted({*_SIGNS, *"0123456789", *_CHENG_DIGITS_ZH, *_ONE_CHAR_CURRENCIES}))
QUANTITY_START = re.compile(
    "[" + re.escape(_LEAD_CHARS + "".join(sorted({w[0] for w in _PREFIX_WORDS}))) + "]"
    + "(?:(?<=[" + re.escape("0123456789" + _ONE_CHAR_CURRENCIES) + "])"
    + "|(?<=[" + re.escape(_SIGNS) + "])(?=[" + re.escape(_AFTER_SIGN) + "])"
    + "|(?<=[" + re.escape(_CHENG_DIGITS_ZH) + "])(?=成)"
    + "".join(f"|(?<={re.escape(w[0])}){re.escape(w[1:])}" for w in _PREFIX_WORDS)
    + ")"
)

_SCALE_VALUES = {
    "trillion": 1e12,
    "tn": 1e12,
    "t": 1e12,
    "万亿": 1e12,
    "萬億": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "thousand": 1e3,
    "k": 1e3,
    "千": 1e3,
    "亿": 1e8,
    "億": 1e8,
    "万": 1e4,
    "萬": 1e4,
}
# Floats, as every other percentage (四成 is 40.0, like "40%"; the compiled module stores floats).
_CHENG_DIGITS: dict[str, float] = {
    "半": 0.5,
    "一": 1.0,
    "两": 2.0,
    "兩": 2.0,
    "二": 2.0,
    "三": 3.0,
    "四": 4.0,
    "五": 5.0,
    "六": 6.0,
    "七": 7.0,
    "八": 8.0,
    "九": 9.0,
}

_words = load_rules().alternation
_QUAL_BEFORE = re.compile(
    rf"(?:(?<![A-Za-z])(?P<over>{_words('more_than', 'en')})"
    rf"|(?P<over_zh>{_words('more_than', 'zh')})"
    rf"|(?<![A-Za-z])(?P<about>{_words('about', 'en')})"
    rf"|(?P<about_zh>{_words('about', 'zh')})"
    rf"|(?<![A-Za-z])(?P<under>{_words('up_to', 'en')})|(?P<under_zh>{_words('up_to', 'zh')}))"
    r"\s*$",
    re.IGNORECASE,
)
_QUAL_AFTER = ("以上", "多")
"""What makes a figure a minimum when it follows it, after any spaces ("5%以上", "300多")."""
QUALIFIER_WINDOW = 14
"""Look-back from a figure for its qualifier ("more than", "approximately", 逾, 不足)."""
_QUALIFIER_FILTER = LiteralPrefilter([_QUAL_BEFORE], shared=True)


@dataclass(frozen=True, slots=True, init=False)
class Quantity:
    """A number in the text. ``unit`` is pct | pp | money | points | number | shares.

    ``__init__`` is written out (``init=False``) so that the compiled module makes a quantity
    natively: a dataclass's generated ``__init__`` is Python code even there (see
    docs/extract.md#compiled-modules-mypyc)."""

    unit: str
    value: float
    start: int
    end: int
    currency: str | None  # HKD | CNY | USD | None (money without a stated currency)
    qualifier: str
    signed: bool  # the text carries an explicit + or - sign
    scaled: bool  # a scale word (billion, 亿 …) was attached

    def __init__(
        self,
        unit: str,
        value: float,
        start: int,
        end: int,
        currency: str | None = None,
        qualifier: str = "exact",
        signed: bool = False,
        scaled: bool = False,
    ) -> None:
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "qualifier", qualifier)
        object.__setattr__(self, "signed", signed)
        object.__setattr__(self, "scaled", scaled)


_SCALE_EXPONENTS = {10.0**n: n for n in (3, 4, 6, 8, 9, 12)}
"""Every scale is a power of ten: its exponent."""
_EXACT_DIGITS = 28
"""Digits a decimal product keeps (``decimal``'s default precision): a shorter number is shifted exactly."""


def _times(num: str, scale: float) -> float:
    """``num`` × ``scale`` in decimal, so 4.1亿 is 410000000 and not 409999999.99999994."""
    if scale == 1.0:
        return _to_float(num)  # the same correctly rounded float, without decimal arithmetic
    digits = num.replace(",", "")
    exponent = _SCALE_EXPONENTS.get(scale)
    if exponent is not None and len(digits) <= _EXACT_DIGITS:
        # The decimal product of a power of ten is the number with its point moved: float() reads
        # "4.1e8" correctly rounded, as it reads the exact product, without decimal arithmetic.
        return float(f"{digits}e{exponent}")
    return float(Decimal(digits) * Decimal(repr(scale)))


def _to_float(num: str) -> float:
    return float(num.replace(",", ""))


def _currency(pre: str | None, post: str | None, default_yuan: str) -> str | None:
    token = (pre or post or "").strip()
    if not token:
        return None
    if token in {"HK$", "HKD", "港元", "港币", "港幣", "Hong Kong dollars", "HK dollars"}:
        return "HKD"
    if token in {"US$", "USD", "美元", "US dollars"}:
        return "USD"
    if token in {"RMB", "CNY", "CNH", "人民币", "人民幣", "元人民币", "元人民幣", "yuan", "renminbi", "¥", "￥"}:
        return "CNY"
    if token == "$" or token == "dollars":
        return "USD"
    if token in {"patacas", "MOP", "澳门元", "澳門元"}:
        return "MOP"
    if token in {"S$"}:
        return "SGD"
    if token in {"NT$"}:
        return "TWD"
    if token in {"A$"}:
        return "AUD"
    if token in {"元", "亿元", "億元", "万元", "萬元"}:
        return default_yuan
    return None


def _scale(*candidates: str | None) -> float:
    for c in candidates:
        if c:
            key = c if c in _SCALE_VALUES else c.lower()
            return _SCALE_VALUES.get(key, 1.0)
    return 1.0


def scan_quantities(text: str, *, default_yuan: str = "HKD") -> list[Quantity]:
    """Every quantity in ``text`` (the matching text of a Doc), in order."""
    out: list[Quantity] = []
    qualifiers = qualifier_hits(text)
    for m in matches_where(QUANTITY, QUANTITY_START, text):
        q = _build(m, text, default_yuan, qualifiers)
        if q is not None and math.isfinite(q.value) and abs(q.value) <= MAX_PLAUSIBLE:
            out.append(q)
    return out


def matches_where(pattern: re.Pattern[str], starts: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds, trying ``pattern`` only at the characters ``starts``
    matches (one of which begins every match of ``pattern``; no match of it may be empty)."""
    out: list[re.Match[str]] = []
    find, match = starts.search, pattern.match
    pos = 0
    while (candidate := find(text, pos)) is not None:
        at = candidate.start()
        m = match(text, at)
        if m is None:
            pos = at + 1
        else:
            out.append(m)
            pos = m.end()
    return out


def qualifier_hits(text: str) -> LiteralHits:
    """Where the qualifier words of ``text`` stand (one pass; ``_make_quantity`` reads it)."""
    return _QUALIFIER_FILTER.scan(text)


def _build(m: re.Match[str], text: str, default_yuan: str, qualifiers: LiteralHits) -> Quantity | None:
    """The quantity of a QUANTITY match. Its branch is read from the last group it closed
    (``lastgroup``: the unit's group, or the number's when no unit follows), so that a hit reads
    only the groups its branch needs."""
    start, end = m.span()
    last = m.lastgroup
    # A sign is the first character: nothing else of the pattern can begin with one.
    signed = text[start] in _SIGNS
    negative = signed and text[start] != "+"
    if signed and start > 0 and text[start - 1].isalnum():
        signed = negative = False  # "2024-25", "A-1": a hyphen inside a token is not a sign
        start += 1
    if last == "cheng_num":
        raw = m.group("cheng_num")
        base = _CHENG_DIGITS.get(raw)
        value = (base if base is not None else float(raw)) * 10
        return _make_quantity(text, "pct", value, start, end, None, negative, signed, False, qualifiers)
    if last == "num_a" or last == "scale_a" or last == "cur_tail":
        g = m.group
        cur_pre, cur_tail, scale_a = g("cur_pre"), g("cur_tail"), g("scale_a")
        value = _times(g("num_a"), _scale(scale_a, _tail_scale(cur_tail)))
        cur = _currency(cur_pre, None, default_yuan)
        if cur_pre in {"¥", "￥"} and cur_tail:
            cur = _currency(None, cur_tail, default_yuan) or cur
        negative = negative or g("sign2") is not None
        return _make_quantity(text, "money", value, start, end, cur, negative, signed, bool(scale_a), qualifiers)
    num = m.group("num_b")
    if num is None:
        return None
    num_start = m.start() + 1 if text[m.start()] in _SIGNS else m.start()
    if _is_not_an_amount(text, num_start, num, last in _UNIT_GROUPS):
        return None
    if last == "pct":
        pct = m.group("pct")
        unit = "pp" if ("点" in pct or "點" in pct or "point" in pct) else "pct"
        return _make_quantity(text, unit, _to_float(num), start, end, None, negative, signed, False, qualifiers)
    if last == "cur_zh":
        cur_word, scale_b = m.group("cur_zh"), m.group("scale_b")
        tail = _tail_scale(cur_word)
        value = _times(num, _scale(scale_b, tail))
        scaled = bool(scale_b or tail)
        cur = _currency(None, cur_word, default_yuan)
        return _make_quantity(text, "money", value, start, end, cur, negative, signed, scaled, qualifiers)
    if last == "cur_en":
        scale_c = m.group("scale_c")
        value = _times(num, _scale(scale_c))
        cur = _currency(None, m.group("cur_en"), default_yuan)
        return _make_quantity(text, "money", value, start, end, cur, negative, signed, bool(scale_c), qualifiers)
    if last == "points":
        return _make_quantity(text, "points", _to_float(num), start, end, None, negative, signed, False, qualifiers)
    if last == "shares":
        return Quantity("shares", _to_float(num), start, end)
    if last == "scale_d":
        value = _times(num, _scale(m.group("scale_d")))
        return _make_quantity(text, "number", value, start, end, None, negative, signed, True, qualifiers)
    return _make_quantity(text, "number", _to_float(num), start, end, None, negative, signed, False, qualifiers)


def _tail_scale(word: str | None) -> str | None:
    if not word:
        return None
    for key in ("万亿", "萬億", "亿", "億", "万", "萬"):
        if word.startswith(key):
            return key
    return None


_DATE_AFTER = re.compile(r"^(?:年|月|日|号|號|時|时|分|秒|:\d|/\d|\.\d+\.\d|am\b|pm\b|a\.m\.|p\.m\.)")
_DATE_BEFORE = re.compile(r"(?:\d[/:-]|Q|H|FY|第|No\.\s?|#)$")
# The characters a match of ``_DATE_AFTER`` begins with and one of ``_DATE_BEFORE`` ends with (or
# whitespace, or the newline ``$`` may stand before): most figures have neither beside them, and
# this is read without a regular-expression call (tests/extract/test_quantities.py checks the sets).
DATE_AFTER_FIRST = frozenset("年月日号號時时分秒:/.ap")
DATE_BEFORE_LAST = frozenset("/:-QHY第.#")
DATE_BEFORE_WIDTH = 5
"""Longest text a ``_DATE_BEFORE`` match spans, with the newline ``$`` may stand before ("No. \\n")."""
_MONTHS = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s*(?:\d{1,2},?\s*)?$")
_MONTH_INITIALS = frozenset("JFMASOND")
"""The capitals ``_MONTHS`` (case-sensitive) begins with: a look-back without one holds no month."""


_UNIT_GROUPS = frozenset({"pct", "cur_zh", "cur_en", "points", "scale_d"})
"""The last groups a QUANTITY match closes when a unit follows its number (a scale alone included;
a share count is not a unit here)."""


def _is_not_an_amount(text: str, start: int, num: str, has_unit: bool) -> bool:
    """Years, dates, times, phone numbers and codes in parentheses are not quantities (``num``
    stands at ``start``; ``has_unit``: a unit or scale follows it)."""
    end = start + len(num)
    if text[end : end + 1] in DATE_AFTER_FIRST and _DATE_AFTER.match(text[end : end + 6]):
        return True
    before = text[max(0, start - 12) : start]
    last = before[-1:]
    # After whitespace a date prefix can only end the look-back as "No. " or before a final newline.
    if (last in DATE_BEFORE_LAST or last == "\n" or (last.isspace() and before[-2:-1] == ".")) and _DATE_BEFORE.search(
        before, max(0, len(before) - DATE_BEFORE_WIDTH)
    ):
        return True
    if not has_unit and "," not in num and "." not in num:
        if len(num) == 4 and 1900 <= int(num) <= 2100:
            return True  # a year
        if not _MONTH_INITIALS.isdisjoint(before) and _MONTHS.search(before):
            return True
        if before.endswith("(") and text.startswith((")", ".HK", " HK"), end):
            return True  # a stock code such as (0981)
        if len(num) >= 5 and num.startswith("0"):
            return True  # a code
        if len(num) >= 7:
            return True  # phone numbers, ids
    return False


def _qualified(text: str, q: Quantity, negative: bool, signed: bool, qualifiers: LiteralHits) -> Quantity:
    """``q`` with its qualifier read from the words around it, its sign applied and ``signed`` set."""
    return _make_quantity(text, q.unit, q.value, q.start, q.end, q.currency, negative, signed, q.scaled, qualifiers)


def _qualifier_before(text: str, look_from: int, start: int, qualifiers: LiteralHits) -> re.Match[str] | None:
    """What ``_QUAL_BEFORE.search(text[look_from:start])`` finds. A match begins where one of its
    leading words does, so the pattern is tried only at the words that stand inside the look-back
    (none, for most figures), in order: the first match is the search's."""
    if qualifiers.always:
        return _QUAL_BEFORE.search(text[look_from:start])
    starts, ends = qualifiers.starts, qualifiers.ends
    i = bisect.bisect_left(starts, look_from)
    window: str | None = None
    while i < len(starts) and starts[i] < start:
        if ends[i] <= start:
            if window is None:
                window = text[look_from:start]
            m = _QUAL_BEFORE.match(window, starts[i] - look_from)
            if m is not None:
                return m
        i += 1
    return None


def _make_quantity(
    text: str,
    unit: str,
    value: float,
    start: int,
    end: int,
    currency: str | None,
    negative: bool,
    signed: bool,
    scaled: bool,
    qualifiers: LiteralHits,
) -> Quantity:
    qualifier = "exact"
    m = _qualifier_before(text, max(0, start - QUALIFIER_WINDOW), start, qualifiers)
    if m:
        if m.group("over") or m.group("over_zh"):
            qualifier = "over"
        elif m.group("about") or m.group("about_zh"):
            qualifier = "about"
        else:
            qualifier = "under"
    elif text[end : end + 3].lstrip().startswith(_QUAL_AFTER):
        qualifier = "over"
    return Quantity(unit, -value if negative else value, start, end, currency, qualifier, signed, scaled)


def yuan_currency(market: str) -> str:
    """A bare 元 is HKD in Hong Kong market text and CNY in mainland market text."""
    return "CNY" if market == "CN" else "HKD"


class QuantityScanner:
    """Finds quantities; the fact extractor attaches them to subjects."""

    name = "quantities"
    reads = ("text", "market")
    adds = ("quantities",)

    def __call__(self, doc: Doc) -> None:
        doc.quantities = scan_quantities(doc.text, default_yuan=yuan_currency(doc.market))
