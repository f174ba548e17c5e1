"""Facts: each quantity attached to its subject inside its clause.

Percentages with a direction word become ``price_move``s of the nearest subject before them (a
listing or an index), or of every member of an explicit list ("A and B both fell 6%"); points
and levels after "to"/"at"/收報 become ``index_level``s; money amounts take their kind from the
nearest keyword (turnover, southbound, raise, market value, net profit, revenue, target price).
When the subject is unclear the fact's subject is None: never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import regex

from tickerwire.extract import lexicon as lx
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.quantities import Quantity, scan_quantities, yuan_currency
from tickerwire.extract.securities import cued_group, listing_group, listing_in
from tickerwire.model import Fact


@dataclass
class Subject:
    code: str  # listing code or index id
    start: int
    end: int
    is_index: bool
    issuer: str | None = None
    listings: tuple[str, ...] = ()
    broker: bool = False
    modifier: bool = False  # "科指成分股", "HSTECH ETF": names something else


@dataclass
class _Sentence:
    start: int
    end: int
    subjects: list[Subject] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)


_LEVEL_INTRO = regex.compile(
    r"(?:(?<![A-Za-z])(?:to|at|closing at|closed at|ended at|finished at|settled at|a record|record of|hit|reached)"
    r"|報|报|收報|收报|收於|收于|見|见|至|收市報|收市报|收盤報|收盘报)\s*(?:a\s+)?(?:record\s+)?(?:high of\s+)?$",
    regex.IGNORECASE,
)
_NOT_LEVEL_AFTER = regex.compile(
    r"^\s*(?:-?point)?\s*(?:mark|level|threshold|barrier|关口|關口|大关|大關|水平)", regex.IGNORECASE
)
_PRICE_INTRO = regex.compile(
    r"(?:(?<![A-Za-z])(?:to|at|closing at|closed at|ended at|finished at|hit|reached|trading at)"
    r"|報|报|收報|收报|收於|收于|至|收)\s*(?:a\s+)?(?:record\s+|new\s+high\s+of\s+|high of\s+)?$",
    regex.IGNORECASE,
)
_CONNECTOR = regex.compile(r"^\s*(?:,|，)?\s*(?:and|和|及|与|與|、|,|，)?\s*(?:逾|超|近|约|約)?\s*$")
_LIST_SEPARATOR = regex.compile(
    r"^(?:-[A-Z]{1,2})?\s*(?:,|，|、|和|及|与|與|and|&|as well as|, and)\s*$", regex.IGNORECASE
)
_RANGE_JOIN = regex.compile(r"^\s*(?:至|到|-|–|~|to|and)\s*(?:近|约|約|逾)?\s*$", regex.IGNORECASE)
_RANGE_LEAD = regex.compile(r"(?:between|from|介乎|介于|介於|由)\s*$", regex.IGNORECASE)
_BARE_YUAN = regex.compile(r"[\d,.]+\s?元")  # a bare 元 price is in the listing's own currency
_NAME_AFTER_FIRST_WORD = regex.compile(
    r"(?i:shares|stock) (?:of|in) (?!Hong Kong|Shanghai|Shenzhen|New York|the\b|its\b|their\b)[A-Z]"
)
_TO_AMOUNT = regex.compile(r"\s*(?:to|at|至|达|達|为|為)\s*$", regex.IGNORECASE)
_AND = regex.compile(r"(?<![A-Za-z])and(?![A-Za-z])", regex.IGNORECASE)
_UNKNOWN_NAME_SHARES = regex.compile(
    r"\s*(?!(?:The|Its|Their|These|Those|Both|Shares|Stocks?|Hong Kong|Mainland|China|Chinese|A|H)\b)"
    r"[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3}\s+(?:shares|stock)\b"
)
_THE_COMPANY = regex.compile(
    r"(?<![A-Za-z])(?:the|its) (?:company|firm|group|chipmaker|lender|insurer|carmaker|developer|miner|operator|bank)"
    r"(?![A-Za-z])|该公司|該公司|公司|集团|集團",
    regex.IGNORECASE,
)
_CJK_AND = regex.compile(r"[和及与與]")
_LEADING_OR = regex.compile(r"^[\s,，]*(?:or\s+)?")
_RISE_AFTER = regex.compile(r"^\s*(?:以上)?的?(?:涨幅|漲幅|升幅)")
_FALL_AFTER = regex.compile(r"^\s*(?:以上)?的?跌幅")
_OPEN_PAREN_END = regex.compile(r"\(\s*$")
_IN_OF = regex.compile(r"\s*(?:in|of)?\s*$")
_POINTS_BEFORE_PCT = regex.compile(r"^\s*[,，]?\s*(?:or|或)?\s*[,，(（]?\s*$", regex.IGNORECASE)
_POINTS_CHANGE_LEAD = regex.compile(r"(?:or|,|，|或)\s*$", regex.IGNORECASE)

_AMOUNT_KEYWORDS: tuple[tuple[str, regex.Pattern[str]], ...] = (
    # Amounts of other kinds: when one of these is the nearest keyword, no fact is made.
    (
        "other",
        regex.compile(
            r"capex|capital expenditure|capital spending|operating (?:profit|loss|income)|segment (?:profit|loss)"
            r"|經營虧損|经营亏损|經營溢利|经营利润|經營利潤|分部(?:虧損|亏损|溢利|利润)|subscri(?:ption|bed)|margin financing|margin loans?|offer price"
            r"|offering price|per share|EPS|dividends?|contracts? (?:worth|valued|value)|orders? (?:worth|valued|value)"
            r"|deal (?:worth|valued|value)|资本开支|資本開支|资本支出|資本支出|认购|認購|孖展|融资余额|融資餘額|发售价|發售價"
            r"|招股价|招股價|每股|股息|派息|定单|订单|訂單|合同|合约|合約",
            regex.IGNORECASE,
        ),
    ),
    (
        "target_price",
        regex.compile(r"target price|price target|(?<![A-Za-z])target(?![A-Za-z])|目标价|目標價", regex.IGNORECASE),
    ),
    (
        "southbound_net_inflow",
        regex.compile(
            r"southbound|south-bound|mainland (?:investors|buying|funds|money)|via Stock Connect|南向|南下|港股通|北水",
            regex.IGNORECASE,
        ),
    ),
    (
        "flow",  # net buying/selling: southbound or northbound by what the article is about
        regex.compile(
            r"net (?:buy|buying|bought|purchases?|sales|selling|sold|inflows?|outflows?)|net (?:buyers?|sellers?)"
            r"|净买入|淨買入|净卖出|淨賣出|净流入|淨流入|净流出|淨流出|净沽|淨沽",
            regex.IGNORECASE,
        ),
    ),
    ("northbound_net_inflow", regex.compile(r"northbound|north-bound|北向|沪股通|滬股通|深股通", regex.IGNORECASE)),
    (
        "turnover",
        regex.compile(
            r"turnover|trading volumes?|traded value|trading value|value traded|(?:of (?:its |the )?shares )?traded"
            r"|(?:worth of (?:its |the )?shares )?chang(?:ed|ing) hands|成交额|成交額|成交金额|成交金額"
            r"|成交(?!價|价|量|股)",
            regex.IGNORECASE,
        ),
    ),
    (
        "ipo_raise",
        regex.compile(
            r"(?<![A-Za-z])rais(?:e|ed|es|ing)\b|proceeds|集资|集資|募资|募資|募集|招股|IPO size", regex.IGNORECASE
        ),
    ),
    ("market_cap", regex.compile(r"market (?:value|cap|capitali[sz]ation)|市值", regex.IGNORECASE)),
    (
        "net_profit",
        regex.compile(
            r"net (?:profit|income|loss|earnings)|profit attributable|attributable profit|纯利|純利|净利|淨利|亏损|虧損"
            r"|股东应占溢利|股東應佔溢利|归母净利|歸母淨利",
            regex.IGNORECASE,
        ),
    ),
    (
        "revenue",
        regex.compile(r"revenues?|(?<![A-Za-z])sales(?![A-Za-z])|营收|營收|收入|营业额|營業額", regex.IGNORECASE),
    ),
)
# Capitalised words after an earlier move: "…, while search-engine operator Baidu rose 1.8%".
_OTHER_NAME = regex.compile(
    r"(?:,|;|while|whereas|and)\s+(?:(?:[a-z-]+\s+){0,3}[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,5}"
    r"|(?:the\s+)?(?:[a-z-]+\s+){0,3}(?:gauge|index|benchmark|sector|stocks|market))"
    rf"\s+(?:shares\s+)?(?:{lx.UP_EN}|{lx.DOWN_EN})(?![A-Za-z])"
)
_IPO_CONTEXT = regex.compile(
    r"(?<![A-Za-z])(?:IPO|initial public offering|listing|float|offering|share sale|placement|debut|flotation)"
    r"|上市|招股|集资|集資|募资|募資|新股",
    regex.IGNORECASE,
)
_COMPANY_KINDS = {"target_price", "market_cap", "net_profit", "revenue"}
_SKIP_BEFORE_AMOUNT = regex.compile(
    r"(?:(?<![A-Za-z])from(?: a loss of| a profit of)?|versus(?: \w+)? (?:estimates?|expectations?)(?: of)?"
    r"|vs\.?|compared with|expectations? of|estimates? of|consensus(?: of)?|forecasts? of|previous(?:ly)?|prior"
    r"|较|較|预期|預期|上年同期|去年同期)\s*$",
    regex.IGNORECASE,
)
_FROM_BEFORE = regex.compile(r"(?:(?<![A-Za-z])from|由|从|從)\s*(?:a |an )?(?:loss of |profit of )?$", regex.IGNORECASE)
# A clause that compares ("far higher than last year's …", 较上一交易日缩量约…) states no amount of its own.
_COMPARED = regex.compile(
    r"(?<![A-Za-z])(?:than|compared with|compared to|versus|vs\.?)(?![A-Za-z])|较|較|高於|高于|低於|低于|多於|多于|少於|少于"
    r"|去年同期|上年同期|同比(?:增加|减少)",
    regex.IGNORECASE,
)
_CLAUSE_BREAK = regex.compile(r"[,，;；:：]")


def _clause_start(text: str, lo: int, pos: int) -> int:
    ends = [m.end() for m in _CLAUSE_BREAK.finditer(text, lo, pos)]
    return ends[-1] if ends else lo


_EPS = regex.compile(r"EPS|per share|每股", regex.IGNORECASE)
_OUTFLOW = regex.compile(r"outflow|net sell|net sold|net sales|净卖出|淨賣出|净流出|淨流出|净沽|淨沽", regex.IGNORECASE)
_INFLOW = regex.compile(
    r"inflows?|net (?:buy|bought|buying|purchases?)|bought|净买入|淨買入|净流入|淨流入|买入|買入|增持", regex.IGNORECASE
)
_MARKET_WORDS = regex.compile(
    r"market|main board|Hong Kong stocks|total|大市|全日|主板|港股|两市|兩市|沪深|滬深|全市场|全市場", regex.IGNORECASE
)
# Brokers named with a target price are its author, not its subject.
_SOUTHBOUND_CONTEXT = regex.compile(
    r"southbound|south-bound|南向|南下|港股通|北水|mainland investors|Stock Connect", regex.IGNORECASE
)
_NORTHBOUND_CONTEXT = regex.compile(
    r"northbound|north-bound|北向|沪股通|滬股通|深股通|foreign investors", regex.IGNORECASE
)
_RESPECTIVELY = regex.compile(r"分别|分別|respectively|each of them", regex.IGNORECASE)
_BROKERS = frozenset(
    {
        "GS.US",
        "MS.US",
        "JPM.US",
        "C.US",
        "BAC.US",
        "UBSG.CH",
        "JEF.US",
        "8604.JP",
        "8601.JP",
        "8411.JP",
        "MQG.AU",
        "DBK.DE",
        "BARC.UK",
        "03908.HK",
        "06030.HK",
        "06881.HK",
        "06837.HK",
        "06886.HK",
        "02611.HK",
        "01776.HK",
        "06099.HK",
        "03958.HK",
        "06066.HK",
        "01375.HK",
        "06178.HK",
        "06806.HK",
    }
)


def _flows_out(text: str, kw_pos: int | None, q: Quantity) -> bool:
    """The last flow word before the amount decides: 'net outflow' / 淨賣出 vs 'net purchases' / 淨流入."""
    start = kw_pos if kw_pos is not None else max(0, q.start - 60)
    outs = [m.end() for m in _OUTFLOW.finditer(text, start, q.start)]
    ins = [m.end() for m in _INFLOW.finditer(text, start, q.start)]
    return bool(outs) and (not ins or max(outs) > max(ins))


_LOSS = regex.compile(r"(?<![A-Za-z])loss|亏损|虧損|蚀|蝕", regex.IGNORECASE)
_LIST_ITEM = regex.compile(r"^\s*(?:\d{1,2}[).、]|[•·\-*]|[（(]\d{1,2}[)）])")
_WEEK52 = regex.compile(
    r"52[- ]week (?P<dir>high|low)|52周(?P<zh>新高|新低|高位|低位)|52週(?P<zh2>新高|新低)", regex.IGNORECASE
)
_PE = regex.compile(
    r"(?:P/E|PE|price[- ]to[- ]earnings|市盈率)(?: ratio)?\s*(?:of|at|is|was|为|為|約|约)?\s*(?P<v>\d+(?:\.\d+)?)\s*(?:times|x|倍)",
    regex.IGNORECASE,
)


class FactExtractor:
    """Attaches quantities to subjects and emits ``Fact``s."""

    name = "facts"
    reads = ("text", "sentences", "mentions", "indices")
    adds = ("facts", "quantities")

    def __call__(self, doc: Doc) -> None:
        if not doc.quantities:
            doc.quantities = scan_quantities(doc.text, default_yuan=yuan_currency(doc.market))
        sentences = self._sentences(doc)
        primary, in_headline = _primary_listing(doc)
        state = _State(primary=primary, headline=primary if in_headline else None)
        for i, sent in enumerate(sentences):
            _MoveFinder(doc, sent, sentences[:i], state).run()
            _AmountFinder(doc, sent, sentences[:i], state).run()
            _extra_ratios(doc, sent)

    def _sentences(self, doc: Doc) -> list[_Sentence]:
        spans = doc.sentences or [(0, len(doc.text))]
        out = [_Sentence(s, e) for s, e in spans]
        subjects = _subjects(doc)
        si = 0
        for sent in out:
            sent.subjects = [s for s in subjects if sent.start <= s.start < sent.end]
        for q in doc.quantities:
            while si < len(out) and q.start >= out[si].end:
                si += 1
            if si < len(out) and out[si].start <= q.start:
                out[si].quantities.append(q)
        return out


@dataclass
class _State:
    primary: str | None = None  # the listing the article is mainly about
    headline: str | None = None  # the listing named first in the headline, if any
    consumed: set[int] = field(default_factory=set)  # quantity starts already used
    last_kind_by_line: dict[int, str] = field(default_factory=dict)
    _flow: str | None = None
    _flow_known: bool = False

    def flow_kind(self, text: str) -> str | None:
        """southbound/northbound_net_inflow for 'net buying' words, from what the article is about."""
        if not self._flow_known:
            south = len(_SOUTHBOUND_CONTEXT.findall(text))
            north = len(_NORTHBOUND_CONTEXT.findall(text))
            if south or north:
                self._flow = "southbound_net_inflow" if south >= north else "northbound_net_inflow"
            self._flow_known = True
        return self._flow


def _subjects(doc: Doc) -> list[Subject]:
    text = doc.text
    out: list[Subject] = []
    for m in doc.mentions:
        if out and not out[-1].is_index and out[-1].issuer == m.issuer and 0 <= m.start - out[-1].end <= 3:
            out[-1].end = m.end + 1 if text[m.end : m.end + 1] in (")", "）") else m.end
            # "SMIC (00981.HK)": one subject, the code's listing
            out[-1].code = m.listing
            continue
        out.append(
            Subject(
                m.listing,
                m.start,
                m.end,
                False,
                m.issuer,
                m.listings,
                broker=m.role == "broker",
                modifier=m.role == "venue",
            )
        )
    for ix in doc.indices:
        modifier = bool(lx.CONSTITUENT_AFTER.match(text[ix.end : ix.end + 12]))
        out.append(Subject(ix.index, ix.start, ix.end, True, modifier=modifier))
    out.sort(key=lambda s: s.start)
    return out


def _primary_listing(doc: Doc) -> tuple[str | None, bool]:
    """The company in the headline (True), else the one named most (brokers and venues excluded)."""
    named = [m for m in doc.mentions if m.role is None]
    if not named:
        return None, False
    first_line = doc.text.find("\n")
    in_title = [m for m in named if first_line > 0 and m.start < first_line]
    if in_title:
        return in_title[0].listing, True
    counts: dict[str, int] = {}
    for m in named:
        counts[m.listing] = counts.get(m.listing, 0) + 1
    return max(counts, key=lambda code: counts[code]), False


def _direction(text: str, start: int, end: int) -> int:
    """+1 / -1 from the last direction word in ``text[start:end]``, 0 if none."""
    sign = 0
    for m in lx.DIRECTION.finditer(text, start, end):
        sign = 1 if (m.group("up") or m.group("up_zh")) else -1
    return sign


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos)


class _MoveFinder:
    def __init__(self, doc: Doc, sent: _Sentence, previous: list[_Sentence], state: _State) -> None:
        self.doc, self.text, self.sent, self.previous, self.state = doc, doc.text, sent, previous, state

    def run(self) -> None:
        qs = self.sent.quantities
        i = 0
        while i < len(qs):
            q = qs[i]
            if q.unit != "pct" or q.start in self.state.consumed:
                i += 1
                continue
            nxt = qs[i + 1] if i + 1 < len(qs) else None
            if nxt and nxt.unit == "pct" and self._is_range(q, nxt):
                self.state.consumed.update({q.start, nxt.start})
                i += 2
                continue
            i += self._move(q, qs[i + 1 :])

    def _is_range(self, q: Quantity, nxt: Quantity) -> bool:
        """'1% to 3%', 升逾18%至近22%, 'between 1% and 3%' (but not 'rose 13% and 16%')."""
        between = self.text[q.end : nxt.start]
        if not _RANGE_JOIN.match(between) or _CJK_AND.search(between):
            return False
        if _AND.search(between):
            return bool(_RANGE_LEAD.search(self.text[max(0, q.start - 20) : q.start]))
        return True

    def _move(self, q: Quantity, rest: list[Quantity]) -> int:
        """Emit the move(s) of ``q``; return how many quantities were used."""
        text = self.text
        after = text[q.end : q.end + 25]
        if lx.SHARE_OF.match(after) or lx.NOT_A_MOVE_AFTER.match(after):
            return 1
        prev = [s for s in self.sent.subjects if s.end <= q.start and not s.modifier and not s.broker]
        subject_end = prev[-1].end if prev else max(self.sent.start, q.start - 60)
        # Direction words belong to the nearest number: start after the last quantity before this one.
        earlier = [
            o.end
            for o in self.sent.quantities
            if subject_end <= o.end <= q.start and o.start != q.start and o.unit in {"pct", "money"}
        ]
        lead_start = max([subject_end, *earlier])
        sign = _direction(text, lead_start, q.start)
        if sign == 0 or not lx.DIRECTION.search(text, max(lead_start, q.start - 40), q.start):
            m = lx.DIRECTION.match(_LEADING_OR.sub("", after))
            if m:
                sign = 1 if (m.group("up") or m.group("up_zh")) else -1
            elif _RISE_AFTER.match(after):
                sign = 1
            elif _FALL_AFTER.match(after):
                sign = -1
        if sign == 0 and not q.signed:
            return 1
        dirs = list(lx.DIRECTION.finditer(text, lead_start, q.start))
        metric_from = max(lead_start, (dirs[-1].start() if dirs else q.start) - 25)
        if lx.METRIC.search(text, metric_from, q.start) or lx.METRIC.match(after.lstrip()):
            return 1
        if any(
            o.unit == "money" and o.scaled
            for o in self.sent.quantities
            if subject_end <= o.start < q.start or _TO_AMOUNT.match(text, q.end, o.start)
        ):
            return 1  # "reported revenue of US$2.38 billion, up 9.9%": a metric, not the share price
        value = q.value if q.signed else abs(q.value) * (sign or 1)
        targets = self._targets(q, prev)
        # "A and B rose 13% and 16%": one value each, respectively.
        used = 1
        values = [value]
        j = 0
        while (
            j < len(rest)
            and rest[j].unit == "pct"
            and _CONNECTOR.match(text[(rest[j - 1] if j else q).end : rest[j].start])
        ):
            values.append(abs(rest[j].value) * (1 if value >= 0 else -1))
            j += 1
        if len(values) > 1 and len(values) == len(targets):
            for t, v, qq in zip(targets, values, [q, *rest[:j]], strict=True):
                self._emit(t, v, qq, qq)
            used = len(values)
            return used
        if not targets:
            if lx.STOCK_REFERENCE.search(text[self.sent.start : q.start]):
                self._emit(None, value, q, q)
            return 1
        for t in targets:
            self._emit(t, value, q, q)
        return used

    def _targets(self, q: Quantity, prev: list[Subject]) -> list[Subject]:
        text = self.text
        if prev:
            last = prev[-1]
            between = text[last.end : q.start]
            if last.is_index and lx.OWN_STOCK.search(between):
                stocks = [s for s in prev if not s.is_index]
                if not stocks:
                    return []
                last = stocks[-1]
                between = text[last.end : q.start]
            if lx.SECTOR_BETWEEN.search(between) and not lx.OWN_STOCK.search(between):
                return []
            if len(between) > (250 if lx.OWN_STOCK.search(between) else 160):
                return []
            if _OTHER_NAME.search(text, last.end, q.start):
                return []  # another, unrecognised name is the one that moved
            members = [last]
            for cand in reversed(prev[:-1]):
                if _LIST_SEPARATOR.match(text[cand.end : members[0].start]) and cand.is_index == last.is_index:
                    members.insert(0, cand)
                else:
                    break
            if len(members) == 1 and len(prev) >= 2 and lx.BOTH.search(between):
                members = prev[-2:]
            if not last.is_index and lx.AH_BOTH.search(text[last.start : q.start]):
                return [
                    Subject(code, last.start, last.end, False, last.issuer, last.listings) for code in _a_and_h(last)
                ]
            return [_by_class(m, text[m.end : q.start]) for m in members]
        return [_by_class(s, text[self.sent.start : q.start]) for s in self._carried(q)]

    def _carried(self, q: Quantity) -> list[Subject]:
        """No subject in the sentence: 'Shares are 3.7% lower' refers back to the last company."""
        text = self.text
        head = text[self.sent.start : q.start]
        wants_index = bool(lx.INDEX_REFERENCE.search(head))
        wants_stock = bool(lx.STOCK_REFERENCE.search(head) or lx.CLASS_REFERENCE.match(head))
        if _NAME_AFTER_FIRST_WORD.search(head) or _UNKNOWN_NAME_SHARES.match(head):
            return []  # "Shares of Sunwoda rose": a company we do not know, not the last one we did
        if not (wants_index or wants_stock):
            return []
        line = _line_of(text, self.sent.start)
        for sent in reversed(self.previous[-4:]):
            for s in reversed(sent.subjects):
                if s.modifier or s.broker or s.is_index != wants_index:
                    continue
                if wants_index or _line_of(text, s.start) >= line - 2:
                    return [s]
        return []

    def _emit(self, subject: Subject | None, pct: float, q: Quantity, q_end: Quantity) -> None:
        text = self.text
        self.state.consumed.add(q.start)
        price = currency = points = None
        end = q_end.end
        for other in self.sent.quantities:
            if other.start < q.end or other.start - q.end > 40 or other.start in self.state.consumed:
                continue
            gap = text[q.end : other.start]
            if (
                other.unit == "money"
                and not other.scaled
                and not subject_is_index(subject)
                and _PRICE_INTRO.search(gap)
            ):
                price, currency, end = abs(other.value), other.currency, other.end
                if subject and _BARE_YUAN.fullmatch(text, other.start, other.end):
                    currency = "CNY" if listing_group(subject.code) == "A" else "HKD"
                self.state.consumed.add(other.start)
                break
            if other.unit in {"pct", "money"}:
                break
        if subject_is_index(subject):
            near = self._points_near(q)
            points = None if near is None else (-near if pct < 0 else near)
        start = (
            subject.start if subject and subject.start >= self.sent.start and q.start - subject.start < 200 else q.start
        )
        fact = Fact(
            kind="price_move",
            subject=subject.code if subject else None,
            pct=round(pct, 4),
            points=points,
            price=price,
            currency=currency,
            qualifier=q.qualifier,
            text=self.doc.article.text[start:end],
            start=start,
            end=end,
        )
        self.doc.facts.append(fact)
        if subject and subject_is_index(subject):
            self._index_level(subject, fact, q)
        elif subject and price is not None and lx.CLOSE_WORDS.search(text[self.sent.start : end]):
            self.doc.facts.append(
                Fact(
                    "close_price",
                    subject.code,
                    value=price,
                    pct=fact.pct,
                    price=price,
                    currency=currency,
                    text=fact.text,
                    start=fact.start,
                    end=fact.end,
                )
            )

    def _points_near(self, q: Quantity) -> float | None:
        text = self.text
        for other in self.sent.quantities:
            if other.unit != "points" or abs(other.start - q.start) > 40:
                continue
            if other.start > q.end and _POINTS_CHANGE_LEAD.search(text[q.end : other.start]):
                return abs(other.value)
            if other.end <= q.start and _POINTS_BEFORE_PCT.match(text[other.end : q.start]):
                return abs(other.value)
        return None

    def _index_level(self, subject: Subject, move: Fact, q: Quantity) -> None:
        level = _level_after(self.text, self.sent, q, self.state)
        if level is None:
            return
        points = move.points
        start = move.start
        self.doc.facts.append(
            Fact(
                "index_level",
                subject.code,
                value=level.value,
                pct=move.pct,
                points=points,
                qualifier="exact",
                text=self.doc.article.text[start : max(level.end, move.end)],
                start=start,
                end=max(level.end, move.end),
            )
        )


def _by_class(subject: Subject, clause: str) -> Subject:
    """'中芯国际港股…跌2.4%' is the Hong Kong line; 'A股跌1.8%' the mainland one."""
    if subject.is_index or len(subject.listings) < 2:
        return subject
    group = cued_group(clause, {listing_group(c) for c in subject.listings})
    code = listing_in(subject.listings, group) if group else None
    return replace(subject, code=code) if code and code != subject.code else subject


def subject_is_index(subject: Subject | None) -> bool:
    return bool(subject and subject.is_index)


def _level_after(text: str, sent: _Sentence, q: Quantity, state: _State) -> Quantity | None:
    for other in sent.quantities:
        if other.start <= q.start or other.start - q.end > 60 or other.start in state.consumed:
            continue
        if _looks_like_level(text, other, minimum=100):
            state.consumed.add(other.start)
            return other
        if other.unit == "pct":
            break
    return None


def _looks_like_level(text: str, q: Quantity, *, minimum: float) -> bool:
    """A number after "to"/"at"/收報 that is not a round threshold ("the 27,000 mark")."""
    return (
        q.unit in {"points", "number"}
        and abs(q.value) >= minimum
        and q.qualifier == "exact"
        and bool(_LEVEL_INTRO.search(text[max(0, q.start - 20) : q.start]))
        and not _NOT_LEVEL_AFTER.match(text[q.end : q.end + 12])
    )


def _a_and_h(subject: Subject) -> list[str]:
    out = []
    for code in subject.listings:
        if code.endswith(".HK") or code.endswith((".SH", ".SZ", ".BJ")):
            out.append(code)
    return out or [subject.code]


class _AmountFinder:
    def __init__(self, doc: Doc, sent: _Sentence, previous: list[_Sentence], state: _State) -> None:
        self.doc, self.text, self.sent, self.previous, self.state = doc, doc.text, sent, previous, state
        self._hits: list[tuple[int, int, str]] | None = None

    def run(self) -> None:
        self._levels_without_pct()
        qs = self.sent.quantities
        for i, q in enumerate(qs):
            if q.start in self.state.consumed:
                continue
            nxt = qs[i + 1] if i + 1 < len(qs) else None
            joined = nxt is not None and nxt.unit == "money" and _RANGE_JOIN.match(self.text[q.end : nxt.start])
            if joined and _FROM_BEFORE.search(self.text, max(self.sent.start, q.start - 12), q.start):
                continue  # "from HK$80 to HK$95", 由430元上調至480元: the old value; the new one follows
            ranged = q.unit == "number" and nxt is not None and nxt.unit == "money"
            if ranged and joined and nxt is not None:
                merged = Quantity("money", q.value, q.start, nxt.end, nxt.currency, q.qualifier)
                self.state.consumed.add(nxt.start)
                self._amount(merged, nxt.value, i)
                continue
            if q.unit != "money":
                continue
            value_max = None
            if joined and nxt is not None:
                value_max = nxt.value
                self.state.consumed.add(nxt.start)
            self._amount(q, value_max, i)

    def _amount(self, q: Quantity, value_max: float | None, i: int) -> None:
        text = self.text
        before = text[max(self.sent.start, q.start - 40) : q.start]
        if _OPEN_PAREN_END.search(before) and i > 0 and self.sent.quantities[i - 1].unit == "money":
            return  # "(US$1.18 billion)": a conversion of the amount before it
        if _SKIP_BEFORE_AMOUNT.search(before) or _COMPARED.search(
            text, _clause_start(text, self.sent.start, q.start), q.start
        ):
            return
        kind, kw_pos = self._kind(q)
        line = _line_of(text, q.start)
        if kind is None and _LIST_ITEM.match(text[self.sent.start : q.start]):
            inherited = self.state.last_kind_by_line.get(line)
            if inherited:
                kind, kw_pos = inherited, self.sent.start
            else:
                kind, kw_pos = self._list_header_kind()
        if kind == "flow":
            kind = self.state.flow_kind(text)
        if kind == "ipo_raise" and (
            not _IPO_CONTEXT.search(text, self.sent.start, self.sent.end) or abs(q.value) < 1e6
        ):
            kind = None  # "raises its target to HK$93" or a per-share price is not money raised
        if kind is None or kind == "other":
            return
        self.state.last_kind_by_line[line] = kind
        clause = text[self.sent.start : q.end + 20]
        if kind == "net_profit" and _EPS.search(clause):
            return
        value = q.value
        if kind in {"southbound_net_inflow", "northbound_net_inflow"} and _flows_out(text, kw_pos, q):
            value = -abs(value)
        if kind == "net_profit" and _LOSS.search(text[max(self.sent.start, q.start - 30) : q.start]):
            value = -abs(value)
        subject = self._subject(q, kind, kw_pos)
        start = min(kw_pos, q.start) if kw_pos is not None and q.start - kw_pos < 120 else q.start
        self.state.consumed.add(q.start)
        self.doc.facts.append(
            Fact(
                kind,
                subject,
                value=value,
                currency=q.currency,
                qualifier=q.qualifier,
                text=self.doc.article.text[start : q.end],
                start=start,
                end=q.end,
                value_max=value_max,
            )
        )

    def _keyword_hits(self) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every amount keyword in the sentence, found once per sentence."""
        if self._hits is None:
            text, lo, hi = self.text, self.sent.start, self.sent.end
            self._hits = sorted(
                (m.start(), m.end(), kind) for kind, pattern in _AMOUNT_KEYWORDS for m in pattern.finditer(text, lo, hi)
            )
        return self._hits

    def _kind(self, q: Quantity) -> tuple[str | None, int | None]:
        """The kind of the nearest keyword before the amount (within 250 characters) or just after it;
        between two at the same distance the longer wins (經營虧損 over 虧損)."""
        text = self.text
        best: tuple[int, int, str, int] | None = None
        for start, end, kind in self._keyword_hits():
            if end <= q.start and q.start - start <= 250:
                dist = q.start - end
            elif start >= q.end and start - q.end <= 14 and _IN_OF.match(text, q.end, start):
                dist = start - q.end
            else:
                continue
            if best is None or (dist, start - end) < best[:2]:
                best = (dist, start - end, kind, start)
        if best is None:
            return None, None
        return best[2], best[3]

    def _subject(self, q: Quantity, kind: str, kw_pos: int | None) -> str | None:
        text = self.text
        respective = self._respective(q)
        if respective:
            return respective
        prev = [
            s for s in self.sent.subjects if s.end <= q.start and not s.is_index and not s.broker and not s.modifier
        ]
        if kind == "target_price":
            prev = [p for p in prev if p.issuer not in _BROKERS] or prev
        if prev:
            last = prev[-1]
            between = text[last.end : q.start]
            nearest = max((o for o in self.sent.subjects if o.end <= q.start), key=lambda o: o.end)
            if kind in _COMPANY_KINDS or len(between) <= 30:
                return last.code
            if kind == "turnover" and nearest is last and not _MARKET_WORDS.search(between):
                return last.code  # "…跌4.9%,報46.26港元,成交額約118億港元": the stock's own turnover
        if kind in _COMPANY_KINDS:
            if _THE_COMPANY.search(text, self.sent.start, q.start):
                return self.state.primary  # "the company reported revenue of …": what the article is about
            for sent in reversed(self.previous[-3:]):
                for s in reversed(sent.subjects):
                    if not s.is_index and not s.broker and not s.modifier:
                        return s.code
            return self.state.headline  # only brokers and venues nearby: the company in the headline
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
                (m.end(), k, m.start()) for k, p in _AMOUNT_KEYWORDS for m in p.finditer(text, sent.start, sent.end)
            ]
            if not hits:
                return None, None
            _, kind, start = max(hits)
            return (self.state.flow_kind(text) if kind == "flow" else kind), start
        return None, None

    def _respective(self, q: Quantity) -> str | None:
        """'A、B和C居前,分别约为12.6亿、5.3亿和4.1亿港元': the n-th amount belongs to the n-th name."""
        text = self.text
        word = _RESPECTIVELY.search(text, self.sent.start, q.start)
        if not word:
            return None
        names = [s for s in self.sent.subjects if s.end <= word.start() and not s.is_index]
        members = names[-1:]
        for cand in reversed(names[:-1]):
            if not _LIST_SEPARATOR.match(text[cand.end : members[0].start]):
                break
            members.insert(0, cand)
        amounts = [o for o in self.sent.quantities if o.unit == "money" and o.start >= word.end()]
        if len(members) < 2 or len(amounts) != len(members) or q not in amounts:
            return None
        return members[amounts.index(q)].code

    def _levels_without_pct(self) -> None:
        """'收報25854點，升219點' or '高見22650點': levels stated without a percentage."""
        text = self.text
        for q in self.sent.quantities:
            if q.start in self.state.consumed or not _looks_like_level(
                text, q, minimum=100 if q.unit == "points" else 1000
            ):
                continue
            subject = self._index_subject(q)
            if subject is None:
                continue
            points = None
            for other in self.sent.quantities:
                if other.unit == "points" and 0 < other.start - q.end <= 12 and other.start not in self.state.consumed:
                    sign = _direction(text, q.end, other.start)
                    if sign:
                        points = abs(other.value) * sign
                        self.state.consumed.add(other.start)
                        break
            if points is None:
                m = lx.DIRECTION.search(text, max(self.sent.start, q.start - 16), q.start)
                prior = [o for o in self.sent.quantities if o.unit == "points" and 0 < q.start - o.end <= 3]
                if m and prior and prior[-1].start not in self.state.consumed:
                    points = abs(prior[-1].value) * (1 if (m.group("up") or m.group("up_zh")) else -1)
            self.state.consumed.add(q.start)
            self.doc.facts.append(
                Fact(
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
        for sent in reversed(self.previous[-3:]):
            if any(not s.is_index for s in sent.subjects):
                return None
            idx = [s for s in sent.subjects if s.is_index and not s.modifier]
            if idx:
                return idx[-1].code
        return None


def _extra_ratios(doc: Doc, sent: _Sentence) -> None:
    """52-week highs/lows and P/E ratios of the sentence's company."""
    text = doc.text
    chunk = text[sent.start : sent.end]
    company = next((s for s in sent.subjects if not s.is_index and not s.broker), None)
    if company is None:
        return
    for m in _PE.finditer(chunk):
        s, e = sent.start + m.start(), sent.start + m.end()
        doc.facts.append(
            Fact("pe_ratio", company.code, value=float(m.group("v")), text=doc.article.text[s:e], start=s, end=e)
        )
    m = _WEEK52.search(chunk)
    if m:
        kind = (
            "week52_high"
            if (m.group("dir") or "").lower() == "high" or "高" in (m.group("zh") or m.group("zh2") or "")
            else "week52_low"
        )
        price = next((q for q in sent.quantities if q.unit == "money"), None)
        if price is not None:
            s, e = min(sent.start + m.start(), price.start), max(sent.start + m.end(), price.end)
            doc.facts.append(
                Fact(
                    kind,
                    company.code,
                    value=abs(price.value),
                    price=abs(price.value),
                    currency=price.currency,
                    text=doc.article.text[s:e],
                    start=s,
                    end=e,
                )
            )
