"""Money amounts: turnover, Stock Connect flows, IPO raises, market value, profit, revenue, targets.

An amount takes the kind of the nearest keyword before it (or just after: "HK$4.2 billion of its
shares traded"); comparatives, conversions in brackets, per-share prices and other kinds of money
(capex, subscriptions) make no fact. List items take their header's kind ("Top net sales:").
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import regex

from tickerwire.extract import lexicon as lx
from tickerwire.extract import records
from tickerwire.extract.clauses import (
    LIST_SEPARATOR,
    UP_GROUPS,
    Sentence,
    State,
    direction,
    line_of,
    looks_like_level,
    range_between,
)
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.prefilter import backwards
from tickerwire.extract.quantities import Quantity, yuan_currency
from tickerwire.refdata.rules import load_rules
from tickerwire.taxonomy import COMPANY_AMOUNT_KINDS

# Character windows the amount rules read around an amount (named so they are tuned in one place).
FLOW_LOOKBACK = 60
"""Look-back for an outflow word ("net selling", 淨賣出) before a flow amount that has no keyword."""
FROM_WINDOW = 12
"""Look-back for "from" / 由 before "from HK$62 to HK$80" (the first amount is the old value)."""
CONVERSION_WINDOW = 40
"""Look-back for an open bracket before "(US$1.18 billion)", a conversion of the amount before it."""
EPS_WINDOW = 20
"""Text after an amount still read for "per share" / 每股 (a per-share figure is not the profit)."""
LOSS_WINDOW = 30
"""Look-back for "loss" / 亏损 that makes a net profit amount negative."""
EVIDENCE_SPAN_LIMIT = 120
"""A keyword farther than this before the amount is left out of the fact's evidence span."""
MARKET_WORD_WINDOW = 12
"""Look-back from a turnover keyword for "the market's" / 大市 (market turnover, not the stock's)."""
CN_MARKET_WINDOW = 16
"""Look-back from a turnover keyword for 两市 / "the two exchanges" (the mainland market)."""
BARE_AMOUNT_WINDOW = 12
"""Farthest a turnover or flow keyword may stand before a 亿 figure with no currency ("成交额达到87.3亿")."""
MIN_AGGREGATE = 100_000
"""Smallest turnover, flow, raise, value, profit or revenue read as one: smaller figures are prices."""
POINTS_DIRECTION_WINDOW = 16
"""Look-back for a direction word before "up 212 points, or 0.8%" in an index wrap."""
KEYWORD_LOOKBACK = 250
"""Farthest an amount keyword ("turnover", 成交額) may stand before the amount it names."""
KEYWORD_AFTER_WINDOW = 14
"""Farthest a keyword may stand after its amount ("HK$4.2 billion of its shares traded")."""
SUBJECT_WINDOW = 30
"""An amount this close after a name is that name's (a company figure always is); farther, the nearest subject's."""
POINTS_AFTER_WINDOW = 12
"""How far after an index level its move in points may stand ("25,000, down 212 points")."""
_RULES = load_rules()
_I = regex.IGNORECASE
_words = _RULES.alternation
_THE_COMPANY = regex.compile(
    rf"(?<![A-Za-z])(?:the|its) (?:{_words('company_noun', 'en')})(?![A-Za-z])|{_words('company_noun', 'zh')}", _I
)
_OPEN_PAREN_END = regex.compile(rf"[(（]\s*(?:{_words('approximately')})?\s*$", _I)
_IN_OF = regex.compile(r"\s*(?:in|of|share|stock|的)?\s*$")
_LIST_JOIN = regex.compile(r"\s*(?:和|及|与|與|、|,|，)\s*")
# The nearest keyword before an amount gives its kind; "other" amounts make no fact.
_AMOUNT_KEYWORDS: tuple[tuple[str, regex.Pattern[str]], ...] = tuple(
    (kind, regex.compile(_words(words), _I))
    for kind, words in (
        ("other", "amount_other"),
        ("target_price", "target_price_keyword"),
        ("southbound_net_inflow", "southbound"),
        ("flow", "amount_flow"),  # net buying/selling: southbound or northbound by what the article is about
        ("northbound_net_inflow", "northbound"),
        ("turnover", "amount_turnover"),
        ("ipo_raise", "amount_ipo_raise"),
        ("market_cap", "amount_market_cap"),
        ("net_profit", "amount_net_profit"),
        ("revenue", "amount_revenue"),
    )
)
_PLACEMENT = regex.compile(_RULES.whole_words("placement"), _I)
_FORECAST = regex.compile(_words("forecast"), _I)
_IPO_CONTEXT = regex.compile(rf"(?<![A-Za-z])(?:{_words('ipo_context', 'en')})|{_words('ipo_context', 'zh')}", _I)
# "its US$5.4 billion Hong Kong listing", "a $5 billion-plus offering": the amount an IPO raised.
# Kinds whose keyword may follow the amount ("HK$4.2 billion of its shares traded", "4.9億元的淨買入").
_AFTER_KINDS = {"turnover", "flow", "southbound_net_inflow", "northbound_net_inflow", "other", "ipo_raise", "target_price"}
# "营收和净利润", "777億元(人民幣,下同)和59億元": two keywords, then two amounts, in the same order.
_PAIR_JOIN = regex.compile(
    r"\s*(?:[(（][^()（）]{0,12}[)）])?\s*[,，]?\s*(?:和|及|与|與|and|&)\s*", regex.IGNORECASE
)
_BARE_SCALED_KINDS = {"turnover", "flow", "southbound_net_inflow", "northbound_net_inflow"}
_RAISE_AFTER = regex.compile(
    rf"(?:-plus)?\s+(?:(?:{_words('raise_qualifier')})\s+)?(?:{_words('offering')})(?![A-Za-z])", _I
)
_SKIP_BEFORE_AMOUNT = regex.compile(rf"(?:{_words('earlier_value')})\s*$", _I)
_CHANGED_TO = regex.compile(
    r"\s*(?:(?:up|down)?\s*to|(?:大幅|大)?(?:上[调調]|下[调調]|[调調][高低]|提高|降低|升|降|增|减|減|削|砍|[削砍]減|[削砍]减)?(?:至|到))\s*$",
    regex.IGNORECASE,
)
_FROM_AFTER = regex.compile(rf"\s*,?\s*(?:{_words('from_word')})\s*$", _I)
_FROM_BEFORE = regex.compile(
    rf"(?:(?<![A-Za-z])(?:{_words('from_word', 'en')})|{_words('from_word', 'zh')})\s*(?:a |an )?(?:loss of |profit of )?$",
    _I,
)
# A clause that compares ("far higher than last year's …", 较上一交易日缩量约…) states no amount of its own.
_COMPARED = regex.compile(_RULES.whole_words("comparison"), _I)
_CLAUSE_BREAKS = ",，;；:："
"""The characters that end a clause."""


def _clause_start(text: str, lo: int, pos: int) -> int:
    """Where the clause of ``pos`` begins: after the last clause break in ``text[lo:pos]``, else ``lo``."""
    last = -1
    for ch in _CLAUSE_BREAKS:
        at = text.rfind(ch, lo, pos)
        if at > last:
            last = at
    return last + 1 if last >= 0 else lo


_EPS = regex.compile(_words("per_share"), _I)
_OUTFLOW = regex.compile(_words("outflow"), _I)
_INFLOW = regex.compile(_words("inflow"), _I)
_MARKET_WORDS = regex.compile(_words("market_words"), _I)
_IN_THE_STOCK = regex.compile(r"\w+\s+(?:in|of) (?:the|its) (?:stock|shares)\b", regex.IGNORECASE)
_CN_MARKET_WORDS = regex.compile(_words("mainland_market"), _I)
_HK_MARKET = regex.compile(_words("hong_kong_market"), _I)
_RESPECTIVELY = regex.compile(_words("respectively"), _I)

def _flows_out(text: str, kw_pos: int | None, q: Quantity) -> bool:
    """The last flow word before the amount decides: 'net outflow' / 淨賣出 vs 'net purchases' / 淨流入."""
    start = kw_pos if kw_pos is not None else max(0, q.start - FLOW_LOOKBACK)
    outs = [m.end() for m in _OUTFLOW.finditer(text, start, q.start)]
    ins = [m.end() for m in _INFLOW.finditer(text, start, q.start)]
    return bool(outs) and (not ins or max(outs) > max(ins))


WINDOW_PATTERNS = [
    *(pattern for _, pattern in _AMOUNT_KEYWORDS),
    _COMPARED,
    _OPEN_PAREN_END,
    _RESPECTIVELY,
    _SKIP_BEFORE_AMOUNT,
]
"""The patterns the amount rules search through ``State.words``."""
# Whether a look-back ends with "from", "(" or "last year's": searched from its end (only that one does is read).
_FROM_BEFORE_BACK, _OPEN_PAREN_END_BACK = backwards(_FROM_BEFORE), backwards(_OPEN_PAREN_END)
_SKIP_BEFORE_AMOUNT_BACK = backwards(_SKIP_BEFORE_AMOUNT)
_LOSS = regex.compile(rf"(?<![A-Za-z])(?:{_words('loss', 'en')})|{_words('loss', 'zh')}", _I)
_LIST_ITEM = regex.compile(r"^\s*(?:\d{1,2}[).、]|[•·\-*]|[（(]\d{1,2}[)）])")


class AmountFinder:
    def __init__(self, doc: Doc, sent: Sentence, previous: list[Sentence], state: State) -> None:
        self.doc, self.text, self.sent, self.previous, self.state = doc, doc.text, sent, previous, state
        self._hits: list[tuple[int, int, str]] | None = None
        self._previous: dict[int, float] = {}  # start of a new value → the old one ("from HK$62 to HK$80")
        self._kind_from: dict[int, Quantity] = {}  # start of a listed amount → the amount that has the keyword

    def run(self) -> None:
        self._levels_without_pct()
        qs = self.sent.quantities
        for i, q in enumerate(qs):
            if q.start in self.state.consumed:
                continue
            nxt = qs[i + 1] if i + 1 < len(qs) else None
            joined = nxt is not None and nxt.unit == "money" and range_between(self.text, q, nxt)
            changed = nxt is not None and nxt.unit == "money" and _CHANGED_TO.match(self.text, q.end, nxt.start)
            if (joined or changed) and _FROM_BEFORE_BACK.search(
                self.text, max(self.sent.start, q.start - FROM_WINDOW), q.start
            ):
                if nxt is not None and q.unit == "money":
                    self._previous[nxt.start] = q.value
                continue  # "from HK$80 to HK$95", 由430元上調至480元: the old value; the new one follows
            if self._bare_scaled(q):
                q = replace(q, unit="money", currency=yuan_currency(self.doc.market))
            elif (listed := self._listed_before(q)) is not None:
                self._kind_from[q.start] = listed  # "4.9億和1.7億元的淨買入": the keyword of the list
                q = replace(q, unit="money", currency=listed.currency)
            ranged = q.unit == "number" and nxt is not None and nxt.unit == "money"
            if ranged and joined and nxt is not None:
                merged = Quantity("money", abs(q.value), q.start, nxt.end, nxt.currency, q.qualifier)
                self.state.consumed.add(nxt.start)
                self._amount(merged, abs(nxt.value), i)
                continue
            if q.unit != "money":
                continue
            value_max = None
            if joined and nxt is not None:
                value_max = abs(nxt.value)
                self.state.consumed.add(nxt.start)
            self._amount(q, value_max, i)

    def _listed_before(self, q: Quantity) -> Quantity | None:
        """'4.9億和1.7億元', '12.6亿、5.3亿和4.1亿港元': a 亿 figure listed before an amount shares its
        currency and keyword; returns that amount."""
        qs = self.sent.quantities
        i = next((n for n, o in enumerate(qs) if o.start == q.start), len(qs))
        while q.unit == "number" and q.scaled and i + 1 < len(qs):
            nxt = qs[i + 1]
            if not _LIST_JOIN.fullmatch(self.text, q.end, nxt.start):
                return None
            if nxt.unit == "money":
                return nxt if nxt.scaled else None
            q, i = nxt, i + 1
        return None

    def _bare_scaled(self, q: Quantity) -> bool:
        """'成交额达到87.3亿', '淨買入98億': a 亿 figure right after a money keyword is money."""
        if q.unit != "number" or not q.scaled or self.text[q.end - 1] not in "亿億万萬":
            return False
        kind, kw_pos = self._kind(q)
        return kind in _BARE_SCALED_KINDS and kw_pos is not None and q.start - kw_pos <= BARE_AMOUNT_WINDOW

    def _amount(self, q: Quantity, value_max: float | None, i: int) -> None:
        text = self.text
        before_from = max(self.sent.start, q.start - CONVERSION_WINDOW)
        before = text[before_from : q.start]
        words = self.state.words
        if (
            words[_OPEN_PAREN_END].may_match(before_from, q.start)
            and _OPEN_PAREN_END_BACK.search(before)
            and i > 0
            and self.sent.quantities[i - 1].unit == "money"
        ):
            return  # "(US$1.18 billion)": a conversion of the amount before it
        if (
            words[_SKIP_BEFORE_AMOUNT].may_match(before_from, q.start) and _SKIP_BEFORE_AMOUNT_BACK.search(before)
        ) or words[_COMPARED].search(_clause_start(text, self.sent.start, q.start), q.start):
            return
        kind, kw_pos = self._kind(self._kind_from.get(q.start, q))
        line = line_of(text, q.start)
        if kind is None and _LIST_ITEM.match(text[self.sent.start : q.start]):
            inherited = self.state.last_kind_by_line.get(line)
            if inherited:
                kind, kw_pos = inherited, self.sent.start
            else:
                kind, kw_pos = self._list_header_kind()
        if kind == "flow":
            kind = self.state.flow_kind(text)
        if kind == "ipo_raise" and _PLACEMENT.search(text, self.sent.start, self.sent.end):
            kind = None  # a placement of new shares is not an IPO
        if kind in {"net_profit", "revenue"} and _FORECAST.search(
            text, _clause_start(text, self.sent.start, q.start), q.start
        ):
            kind = None  # "预计公司2026年净利润将达到840亿元": a forecast, not a result
        context_from = self.previous[-2:][0].start if self.previous else self.sent.start
        if kind == "ipo_raise" and (not _IPO_CONTEXT.search(text, context_from, self.sent.end) or abs(q.value) < 1e6):
            kind = None  # "raises its target to HK$93" or a per-share price is not money raised
        if kind is None or kind == "other":
            return
        if kind != "target_price" and abs(q.value) < MIN_AGGREGATE:
            return  # "changed hands at HK$262 each": a price, not an aggregate of money
        self.state.last_kind_by_line[line] = kind
        clause = text[self.sent.start : q.end + EPS_WINDOW]
        if kind == "net_profit" and _EPS.search(clause):
            return
        value = q.value
        if kind in {"southbound_net_inflow", "northbound_net_inflow"} and _flows_out(text, kw_pos, q):
            value = -abs(value)
        if kind == "net_profit" and _LOSS.search(text[max(self.sent.start, q.start - LOSS_WINDOW) : q.start]):
            value = -abs(value)
        subject = self._subject(q, kind, kw_pos)
        start = min(kw_pos, q.start) if kw_pos is not None and q.start - kw_pos < EVIDENCE_SPAN_LIMIT else q.start
        self.state.consumed.add(q.start)
        self.doc.facts.append(
            records.fact(
                kind,
                subject,
                value=value,
                currency=q.currency,
                qualifier=q.qualifier,
                text=self.doc.article.text[start : q.end],
                start=start,
                end=q.end,
                value_max=value_max,
                previous=self._previous.get(q.start, self._old_value_after(q)),
            )
        )

    def _old_value_after(self, q: Quantity) -> float | None:
        """'to HK$120 from HK$135': the old value stated after the new one."""
        nxt = next((o for o in self.sent.quantities if o.start >= q.end), None)
        if nxt is not None and nxt.unit == "money" and _FROM_AFTER.match(self.text, q.end, nxt.start):
            return nxt.value
        return None

    def _keyword_hits(self) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every amount keyword in the sentence, found once per sentence."""
        if self._hits is None:
            lo, hi = self.sent.start, self.sent.end
            self._hits = sorted(
                (m.start(), m.end(), kind)
                for kind, pattern in _AMOUNT_KEYWORDS
                for m in self.state.words[pattern].finditer(lo, hi)
            )
        return self._hits

    def _kind(self, q: Quantity) -> tuple[str | None, int | None]:
        """The kind of the nearest keyword before the amount (within 250 characters) or just after it;
        between two at the same distance the longer wins (經營虧損 over 虧損)."""
        text = self.text
        if q.scaled and _RAISE_AFTER.match(text, q.end):
            return "ipo_raise", q.start
        best: tuple[int, int, str, int] | None = None
        for start, end, kind in self._keyword_hits():
            if end <= q.start and q.start - start <= KEYWORD_LOOKBACK:
                dist = q.start - end
            elif start >= q.end and start - q.end <= KEYWORD_AFTER_WINDOW and self._keyword_after(q, start, kind):
                dist = start - q.end
            else:
                continue
            if best is None or (dist, start - end) < best[:2]:
                best = (dist, start - end, kind, start)
        if best is None:
            return None, None
        paired = self._paired_kind(q, best[3])
        if paired is not None:
            return paired
        return best[2], best[3]

    def _keyword_after(self, q: Quantity, start: int, kind: str) -> bool:
        """'HK$4.2 billion of its shares traded', '4.9億元的淨買入', 'RMB20.6 billion in revenue' (but
        '3億美元虧損', a loss on something, is not the net result)."""
        m = _IN_OF.match(self.text, q.end, start)
        return bool(m) and (kind in _AFTER_KINDS or m.group().strip().lower() in {"in", "of"})

    def _paired_kind(self, q: Quantity, kw_start: int) -> tuple[str, int] | None:
        """'營收和淨利潤分別為777億元和59億元', 'revenue and net profit of X and Y': the first amount
        takes the first keyword."""
        text = self.text
        first = next(
            (h for h in self._keyword_hits() if h[1] <= kw_start and _PAIR_JOIN.fullmatch(text, h[1], kw_start)), None
        )
        if first is None:
            return None
        money = [o for o in self.sent.quantities if o.unit == "money" and o.start >= kw_start]
        for a, b in pairwise(money):
            if a is q and _PAIR_JOIN.fullmatch(text, a.end, b.start):
                return first[2], first[0]
        return None

    def _subject(self, q: Quantity, kind: str, kw_pos: int | None) -> str | None:
        text = self.text
        respective = self._respective(q)
        if respective:
            return respective
        prev = [
            s for s in self.sent.subjects if s.end <= q.start and not s.is_index and not s.broker and not s.modifier
        ]
        if prev:
            last = prev[-1]
            between = text[last.end : q.start]
            nearest = max((o for o in self.sent.subjects if o.end <= q.start), key=lambda o: o.end)
            if kind in COMPANY_AMOUNT_KINDS or len(between) <= SUBJECT_WINDOW:
                return last.code
            market_word = kw_pos is not None and _MARKET_WORDS.search(
                text, max(self.sent.start, kw_pos - MARKET_WORD_WINDOW), kw_pos
            )
            if kind == "turnover" and nearest is last and not market_word:
                return last.code  # "…跌4.9%,報46.26港元,成交額約118億港元": the stock's own turnover
        if kind in COMPANY_AMOUNT_KINDS:
            if _THE_COMPANY.search(text, self.sent.start, q.start):
                return self.state.primary  # "the company reported revenue of …": what the article is about
            for sent in reversed(self.previous[-3:]):
                for s in reversed(sent.subjects):
                    if not s.is_index and not s.broker and not s.modifier:
                        return s.code
            return self.state.headline  # only brokers and venues nearby: the company in the headline
        if kind == "turnover" and kw_pos is not None:
            if _IN_THE_STOCK.match(text, kw_pos, q.start):
                return self.state.primary  # "Turnover in the stock was HK$3.1 billion"
            if _CN_MARKET_WORDS.search(text, max(self.sent.start, kw_pos - CN_MARKET_WINDOW), q.start):
                return "CN"  # 两市成交额, "turnover on the two exchanges"
        if kind in {"turnover", "southbound_net_inflow", "northbound_net_inflow"}:
            if kind == "northbound_net_inflow":
                return "CN"
            return "HK" if kind != "turnover" or self.doc.market == "HK" else "CN"
        return None

    def _list_header_kind(self) -> tuple[str | None, int | None]:
        """'Top net sales:' then '- Tencent (700): HK$1.58 billion': items take the header's kind."""
        text = self.text
        for sent in reversed(self.previous[-8:]):
            if _LIST_ITEM.match(text[sent.start : sent.end]):
                continue
            if not text[sent.start : sent.end].rstrip().endswith((":", "：")):
                return None, None
            hits = [
                (m.end(), k, m.start())
                for k, pattern in _AMOUNT_KEYWORDS
                for m in self.state.words[pattern].finditer(sent.start, sent.end)
            ]
            if not hits:
                return None, None
            _, kind, start = max(hits)
            return (self.state.flow_kind(text) if kind == "flow" else kind), start
        return None, None

    def _respective(self, q: Quantity) -> str | None:
        """'A、B和C居前,分别约为12.6亿、5.3亿和4.1亿港元': the n-th amount belongs to the n-th name."""
        text = self.text
        said = self.state.words[_RESPECTIVELY].finditer(self.sent.start, q.start)
        if not said:
            return None
        word = said[-1]
        names = [s for s in self.sent.subjects if s.end <= word.start() and not s.is_index]
        members = names[-1:]
        for cand in reversed(names[:-1]):
            if not LIST_SEPARATOR.match(text[cand.end : members[0].start]):
                break
            members.insert(0, cand)
        # the amounts listed right after the word: "4.9億和1.7億元", "12.6亿、5.3亿和4.1亿港元"
        qs = [o for o in self.sent.quantities if o.start >= word.end()]
        listed: list[Quantity] = []
        for o in qs:
            if not (o.unit == "money" or self._listed_before(o) or self._bare_scaled(o)):
                continue
            if listed and not _LIST_JOIN.fullmatch(text, listed[-1].end, o.start):
                break
            listed.append(o)
        starts = [o.start for o in listed]
        if len(members) < 2 or len(starts) != len(members) or q.start not in starts:
            return None
        return members[starts.index(q.start)].code

    def _levels_without_pct(self) -> None:
        """'收報25854點，升219點' or '高見22650點': levels stated without a percentage."""
        text = self.text
        for q in self.sent.quantities:
            if q.start in self.state.consumed or not looks_like_level(
                text, q, self.state.words, minimum=100 if q.unit == "points" else 1000
            ):
                continue
            subject = self._index_subject(q)
            if subject is None:
                continue
            points = None
            for other in self.sent.quantities:
                if other.unit == "points" and 0 < other.start - q.end <= POINTS_AFTER_WINDOW and other.start not in self.state.consumed:
                    sign = direction(text, q.end, other.start)
                    if sign:
                        points = abs(other.value) * sign
                        self.state.consumed.add(other.start)
                        break
            if points is None:
                m = lx.DIRECTION.search(text, max(self.sent.start, q.start - POINTS_DIRECTION_WINDOW), q.start)
                prior = [o for o in self.sent.quantities if o.unit == "points" and 0 < q.start - o.end <= 3]
                if m and prior and prior[-1].start not in self.state.consumed:
                    points = abs(prior[-1].value) * (1 if m.lastgroup in UP_GROUPS else -1)
            self.state.consumed.add(q.start)
            self.doc.facts.append(
                records.fact(
                    "index_level",
                    subject,
                    value=abs(q.value),
                    points=points,
                    text=self.doc.article.text[q.start : q.end],
                    start=q.start,
                    end=q.end,
                )
            )

    def _index_subject(self, q: Quantity) -> str | None:
        prev = [s for s in self.sent.subjects if s.end <= q.start and not s.modifier]
        if prev:
            return prev[-1].code if prev[-1].is_index else None
        if self.doc.market == "HK" and _HK_MARKET.search(self.text, self.sent.start, q.start):
            return "HSI"  # 港股收市報25630點: a Hong Kong wrap quotes the Hang Seng Index
        for sent in reversed(self.previous[-3:]):
            if any(not s.is_index for s in sent.subjects):
                return None
            idx = [s for s in sent.subjects if s.is_index and not s.modifier]
            if idx:
                return idx[-1].code
        return None
