"""Events: the DESIGN taxonomy, tagged per sentence with its evidence span and subjects.

Move events come from the facts (a stock move → ``price_move``, an index move → ``index_move``);
the others from keyword patterns in English, simplified and traditional Chinese that report the
news itself (an upgrade, a filing, a policy step), not words that merely appear near it.
"""

from __future__ import annotations

import re as regex  # stdlib re: these patterns need nothing more, and it is faster here

import ahocorasick

from tickerwire.extract import lexicon as lx
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.sentences import sentence_of
from tickerwire.model import Event
from tickerwire.refdata.rules import load_rules

_I = regex.IGNORECASE
_TABLES = load_rules()
_RULES = _TABLES.events
# One table (refdata/data/rules/*.yaml) gives each type its patterns and cues; the cues are
# lower-case literals that every pattern match's sentence holds, so one Aho-Corasick pass finds
# them and a pattern only runs on the sentences that hold its type's cues.
EVENT_PATTERNS: tuple[tuple[str, regex.Pattern[str]], ...] = tuple(
    (etype, regex.compile(rule.pattern, _I)) for etype, rule in _RULES.items() if rule.patterns
)
EVENT_CUES: dict[str, tuple[str, ...]] = {etype: rule.cues for etype, rule in _RULES.items()}
SECTOR_MOVE_WINDOW = 40
"""How far after a sector word ("chip stocks", 内房股) its move verb may stand for a sector_move."""
_SECTOR = regex.compile(
    r"(?<![A-Za-z])(?:chip|semiconductor|tech(?:nology)?|internet|property|developer|bank(?:ing)?|insurance|gold|coal"
    r"|oil|energy|pharmaceutical|pharma|biotech|healthcare|consumer|catering|auto(?:mobile)?|EV|carmaker|solar"
    r"|brokerage|securities|metal|steel|airline|casino|gaming|education|telecom|utility|utilities)"
    r" (?:stocks|shares|sector|names|counters|plays)(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:chipmakers|chip makers|chip designers|carmakers|automakers|EV makers|developers|insurers|lenders"
    r"|miners|gold miners|brokerages|casino operators|airlines|tech giants|internet giants|solar makers)(?![A-Za-z])"
    r"|(?:半导体|半導體|晶片|芯片|科技|内房|內房|地产|地產|银行|銀行|保险|保險|黄金|黃金|煤炭|石油|医药|醫藥|生物科技|汽车|汽車"
    r"|券商|金属|金屬|钢铁|鋼鐵|航空|濠赌|濠賭|内银|內銀|资源|資源|消费|消費|餐饮|餐飲)(?:股|板块|板塊|类股|類股)",
    _I,
)
_SECTOR_MOVE = regex.compile(
    r"(?<![A-Za-z])(?:rose|rise|rallied|rally|surged|surge|jumped|gained|climbed|led (?:gains|declines|the market)|fell|fall"
    r"|dropped|slumped|slid|slide|plunged|plummeted|tumbled|declined|retreated|eased|shine|shone|outperformed|underperformed"
    r"|extended (?:gains|losses|their rally|their slide))(?![A-Za-z])"
    r"|急升|急跌|造好|向好|走强|走強|走弱|领涨|領漲|领跌|領跌|大涨|大漲|大跌|回落|下跌|上涨|上漲|涨势|漲勢|跌势|跌勢|急挫|抽升|普涨|普漲|普跌",
    _I,
)


def _cue_automaton() -> ahocorasick.Automaton:
    by_cue: dict[str, set[str]] = {}
    for etype, cues in EVENT_CUES.items():
        for cue in cues:
            by_cue.setdefault(cue, set()).add(etype)
    automaton = ahocorasick.Automaton()
    for cue, types in by_cue.items():
        automaton.add_word(cue, tuple(sorted(types)))
    automaton.make_automaton()
    return automaton


_WARNING = regex.compile(_TABLES.alternation("profit_warning"), _I)
_PROJECTING = regex.compile(_TABLES.alternation("projection"), _I)
_IPO_TRANCHE = regex.compile(
    r"international (?:placement|placing|offering|tranche)|over-?allotment|超額配售|超额配售|超額配股|超额配股", _I
)
_FUTURE = regex.compile(
    r"\b(?:will|is due to|are due to|ahead of|is expected to (?:report|announce|list|debut)|later this)\b"
    r"|將於|将于|將會|将会|即將|即将|將公布|将公布|將在|将在|明年|下周|下週|午後將|午后将",
    _I,
)


class EventTagger:
    """Tags events per sentence; evidence is the sentence, subjects its securities and indices."""

    name = "events"
    reads = ("text", "sentences", "mentions", "indices", "facts", "quantities", "article.text")
    adds = ("events",)

    def __init__(self) -> None:
        # one automaton for all cues, built once
        self.cues = _cue_automaton()
        self.patterns = dict(EVENT_PATTERNS)

    def __call__(self, doc: Doc) -> None:
        seen: set[tuple[str, int]] = set()
        spans = doc.sentences or [(0, len(doc.text))]
        text = doc.text
        candidates: set[tuple[str, tuple[int, int]]] = set()
        for end_idx, types in self.cues.iter(text.lower()):
            sentence = sentence_of(spans, end_idx)
            candidates.update((etype, sentence) for etype in types)
        for etype, (start, end) in sorted(candidates, key=lambda c: (c[1], c[0])):
            if (etype, start) in seen or end <= start:
                continue
            if etype == "sector_move":
                sector = _SECTOR.search(text, start, end)
                if not (
                    sector and _SECTOR_MOVE.search(text, sector.end(), min(end, sector.end() + SECTOR_MOVE_WINDOW))
                ):
                    continue
            elif not self.patterns[etype].search(text, start, end):
                continue
            if etype == "fund_flow" and not _has_amount(doc, start, end):
                continue  # a flow is news when the article states how much
            if etype == "earnings" and (_WARNING.search(text, start, end) or _PROJECTING.search(text, start, end)):
                continue  # a profit warning or a projection is guidance, not results
            if etype == "other" and _IPO_TRANCHE.search(text, start, end):
                continue  # an IPO's international placing or over-allotment is not a placement
            if etype in {"earnings", "ipo"} and _FUTURE.search(text, start, end):
                continue  # "will report results next week", 將於明年公布業績: not yet news
            self._add(doc, seen, etype, _subjects_in(doc, start, end), start, end)
        for m in doc.mentions:  # "摩通預期…", "Morgan Stanley expects …": a broker's view
            if m.role == "broker" and lx.BROKER_VIEW.match(text, m.end):
                s, e = sentence_of(spans, m.start)
                self._add(doc, seen, "analyst_rating", _subjects_in(doc, s, e), s, e)
        for fact in doc.facts:
            if fact.kind != "price_move" or fact.subject is None:
                continue
            is_index = "." not in fact.subject
            etype = "index_move" if is_index else "price_move"
            s, e = sentence_of(spans, fact.start)
            self._add(doc, seen, etype, (fact.subject,), s, e)

    @staticmethod
    def _add(doc: Doc, seen: set[tuple[str, int]], etype: str, subjects: tuple[str, ...], start: int, end: int) -> None:
        if (etype, start) in seen:
            return
        seen.add((etype, start))
        doc.events.append(Event(etype, subjects, doc.article.text[start:end], start, end))


_NOT_A_FLOW = frozenset({"turnover", "market_cap", "ipo_raise", "net_profit", "revenue", "target_price"})


def _has_amount(doc: Doc, start: int, end: int) -> bool:
    """A money amount in the span that is not another kind of figure (the market's turnover …)."""
    other = {f.end for f in doc.facts if f.kind in _NOT_A_FLOW and start <= f.end <= end}
    return any(q.unit == "money" and start <= q.start < end and q.end not in other for q in doc.quantities)


def _subjects_in(doc: Doc, start: int, end: int) -> tuple[str, ...]:
    codes = [m.listing for m in doc.mentions if start <= m.start < end and m.role != "venue"]
    codes += [i.index for i in doc.indices if start <= i.start < end]
    return tuple(dict.fromkeys(codes))
