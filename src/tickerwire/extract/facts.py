"""Facts: each quantity attached to its subject inside its clause.

Percentages with a direction word become ``price_move``s of the nearest subject before them (a
listing or an index), or of every member of an explicit list ("A and B both fell 6%"); points
and levels after "to"/"at"/收報 become ``index_level``s; money amounts take their kind from the
nearest keyword (turnover, southbound, raise, market value, net profit, revenue, target price).
When the subject is unclear the fact's subject is None: never a guess.
"""

from __future__ import annotations

import regex

from tickerwire.extract import amounts, clauses, records
from tickerwire.extract import lexicon as lx
from tickerwire.extract.amounts import AmountFinder
from tickerwire.extract.cjk_numerals import merge_quantities, scan_cjk_numerals
from tickerwire.extract.clauses import (
    LIST_SEPARATOR,
    RANGE_LEAD_WINDOW,
    UP_GROUPS,
    Sentence,
    State,
    Subject,
    WordIndex,
    build_sentences,
    line_of,
    looks_like_level,
    primary_listing,
    range_between,
    sign_of,
    subjects_of,
    word_index,
)
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.prefilter import LeadingCharacters, LiteralPrefilter, backwards
from tickerwire.extract.quantities import Quantity, yuan_currency
from tickerwire.extract.securities import cued_group, listing_group, listing_in
from tickerwire.model import Fact
from tickerwire.refdata.rules import load_rules

# Character windows the move rules read around a percentage (named so they are tuned in one place).
MOVE_AFTER_WINDOW = 25
"""Text after a figure read for what follows it: "of its shares", "a 3.4% gain", "higher"."""
SUBJECT_LOOKBACK = 60
"""Look-back from a figure for direction words when no subject stands before it in the sentence."""
DIRECTION_WINDOW = 40
"""How close before a figure a direction word must be to decide its sign ("rose 3%")."""
METRIC_WINDOW = 25
"""Look-back from the last direction word for a metric ("revenue rose 9%" is not a share move)."""
MOVE_NOUN_WINDOW = 80
"""How far after "a 2.2% rise in" the moving subject may be named ("…in the benchmark Hang Seng Index")."""
METRIC_AMOUNT_WINDOW = 40
"""Look-back from a money amount before the move for the metric it states ("revenue of US$2.38 billion")."""
SUBJECT_LIMIT = 160
"""Farthest a subject may stand before its move; farther, the figure is left without a subject."""
OWN_STOCK_SUBJECT_LIMIT = 250
"""The same limit when "its shares" / 該股 stands between them (the text still speaks of the subject)."""
PRICE_AFTER_WINDOW = 40
"""How far after a move its price or points may stand ("rose 2% to HK$80")."""
EVIDENCE_SUBJECT_LIMIT = 200
"""A subject closer than this before its figure starts the fact's evidence span."""
POINTS_WINDOW = 40
"""How far from an index's percentage move its move in points may stand ("up 212 points, or 0.8%")."""
LEVEL_AFTER_WINDOW = 60
"""How far after an index move its level may stand ("fell 1.2% to 25,000")."""
_RULES = load_rules()
_words = _RULES.alternation
_PRICE_INTRO = regex.compile(
    rf"(?:(?<![A-Za-z])(?:{_words('price_intro', 'en')})|{_words('price_intro', 'zh')})"
    r"\s*(?:a\s+)?(?:record\s+|new\s+high\s+of\s+|high of\s+)?$",
    regex.IGNORECASE,
)
_CONNECTOR = regex.compile(r"^\s*(?:,|，)?\s*(?:and|和|及|与|與|、|,|，)?\s*(?:逾|超|近|约|約)?\s*$")
LABEL_MAX_CHARS = 60
"""Longest line read as a label naming the security of the line below ("HK:00700.HK:Tencent")."""
_SENTENCE_END = regex.compile(r"[.!?。！？]$|[.!?。！？]\s")
# A sentence that starts with its verb: the label line above names the subject (compiled on first use,
# as _RATE_TO: both are large and only a label line or a rate range reaches them).
_SUBJECTLESS = lx.LazyPattern(
    rf"\s*(?:(?:{_words('subjectless_verb', 'en')})\b|(?:{lx.UP_EN}|{lx.DOWN_EN})\b"
    rf"|(?:{lx.UP_ZH}|{lx.DOWN_ZH}|{_words('subjectless_verb', 'zh')}))",
    regex.IGNORECASE,
)
# "This represents a 12.55% gain on its IPO price", "That took its gain this year to 95%": the move
# just reported, restated or carried to another period.
_THIS_MOVE = regex.compile(
    rf"\s*(?:This|That|It|which)\s+(?:{_words('restating_verb')})\b",
    regex.IGNORECASE,
)
_RATE_CHANGE = regex.compile(
    rf"(?:(?<![A-Za-z])(?:{_words('from_word', 'en')})|{_words('from_word', 'zh')})\s*$", regex.IGNORECASE
)
_RATE_TO = lx.LazyPattern(
    rf"\s*(?:(?:{lx.UP_EN}|{lx.DOWN_EN}|{lx.UP_ZH}|{lx.DOWN_ZH})\s*)?(?:to|至|到)\s*(?:近|约|約|逾)?\s*", regex.IGNORECASE
)
_BARE_YUAN = regex.compile(r"[\d,.]+\s?元")  # a bare 元 price is in the listing's own currency
_NAME_AFTER_FIRST_WORD = regex.compile(
    r"(?i:shares|stock) (?:of|in) (?!Hong Kong|Shanghai|Shenzhen|New York|the\b|its\b|their\b)[A-Z]"
)
_TO_AMOUNT = regex.compile(r"\s*(?:to|at|至|达|達|为|為)\s*$", regex.IGNORECASE)
_UNKNOWN_NAME_SHARES = regex.compile(
    rf"\s*(?!(?:{_words('not_a_name')})\b)"
    r"[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3}\s+(?:shares|stock)\b"
)
_LEADING_OR = regex.compile(r"^[\s,，]*(?:or\s+)?")
_RISE_AFTER = regex.compile(rf"^\s*(?:以上)?的?(?:{_words('move_noun_up', 'zh')})")
_FALL_AFTER = regex.compile(rf"^\s*(?:以上)?的?(?:{_words('move_noun_down', 'zh')})")
_POINTS_BEFORE_PCT = regex.compile(r"^\s*[,，]?\s*(?:or|或)?\s*[,，(（]?\s*$", regex.IGNORECASE)
_POINTS_CHANGE_LEAD = regex.compile(r"(?:or|,|，|或)\s*$", regex.IGNORECASE)
# Capitalised words after an earlier move: "…, while search-engine operator Baidu rose 1.8%".
_OTHER_NAME = regex.compile(
    r"(?:,|;|while|whereas|and)\s+(?:(?:(?!its\b|their\b)[a-z-]+\s+){0,3}[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,5}"
    r"|(?:the\s+)?(?:[a-z-]+\s+){0,3}(?:gauge|index|benchmark|sector|stocks|market))"
    rf"\s+(?:shares\s+)?(?:{lx.UP_EN}|{lx.DOWN_EN})(?![A-Za-z])"
)
_OTHER_NAME_LEADS = (",", ";", "while", "whereas", "and")
"""What every match of ``_OTHER_NAME`` begins with (it is case-sensitive)."""
# "marking a 3.4% gain", "reversed to a 0.6% gain": a move named by the noun after the figure
_ARTICLE_BEFORE = regex.compile(r"(?<![A-Za-z])an?\s+$", regex.IGNORECASE)
_A_MOVE_NOUN = regex.compile(
    rf"\s*(?:(?P<up>{_words('a_move_noun_up')})|(?P<down>{_words('move_noun_down', 'en')}))\b",
    regex.IGNORECASE,
)
# "截至发稿，跌6.72%": as of writing, the stock the article is about
_AS_OF_WRITING = regex.compile(rf"截至(?:{_words('as_of_writing')})")
# "The CSI 300 Index of onshore leading stocks climbed": what the index holds, not a sector move
_INDEX_OF = regex.compile(r"\s*(?:Index\s+)?of\s+(?:[\w-]+\s+){0,4}(?:stocks|shares|companies)\b", regex.IGNORECASE)
_ABOVE_AFTER = regex.compile(r"^\s*(?:higher than|above)\s+(?:the|its|their)\b", regex.IGNORECASE)
_BELOW_AFTER = regex.compile(r"^\s*(?:lower than|below)\s+(?:the|its|their)\b", regex.IGNORECASE)
_APPOSITIVE_OPEN = regex.compile(r"\s*,\s*(?:the|a|an|its)\s[^,]*$", regex.IGNORECASE)
_CURRENCY_GROUP = {"HKD": "H", "CNY": "A", "USD": "US"}
_WEEK52 = regex.compile(
    r"52[- ]week (?P<dir>high|low)|52周(?P<zh>新高|新低|高位|低位)|52週(?P<zh2>新高|新低)", regex.IGNORECASE
)
_PE = regex.compile(
    rf"(?:{_words('pe_ratio')})(?: ratio)?\s*(?:of|at|is|was|为|為|約|约)?\s*(?P<v>[0-9]+(?:\.[0-9]+)?)\s*(?:times|x|倍)",
    regex.IGNORECASE,
)


# Whether a look-back or a gap ends with "at", "from", "or" …: searched from its end (only that one does is read).
_PRICE_INTRO_BACK, _RATE_CHANGE_BACK = backwards(_PRICE_INTRO), backwards(_RATE_CHANGE)
_POINTS_CHANGE_LEAD_BACK = backwards(_POINTS_CHANGE_LEAD)

_DIGIT = regex.compile(r"[0-9]")
# The patterns the move, level and amount rules search in many windows of the article, through
# ``State.words``: one Aho-Corasick pass per article tells where each can begin. Patterns whose
# words are everywhere ("to", "at", a comma) are searched directly: indexing them costs more.
_WORD_PATTERNS = [
    *clauses.WINDOW_PATTERNS,
    *amounts.WINDOW_PATTERNS,
    lx.CLOSE_WORDS,
    lx.OWN_STOCK,
    lx.SECTOR_BETWEEN,
    lx.STOCK_REFERENCE,
    _PE,
    _WEEK52,
]
# What may follow a figure, checked by its first character before the pattern is tried (most
# figures are followed by none of these: "to", "，", "in").
_SHARE_OF_LEAD = LeadingCharacters(lx.SHARE_OF)
_NOT_A_MOVE_LEAD = LeadingCharacters(lx.NOT_A_MOVE_AFTER)
_MOVE_NOUN_LEAD = LeadingCharacters(lx.MOVE_NOUN_IN)
_RISE_LEAD, _ABOVE_LEAD = LeadingCharacters(_RISE_AFTER), LeadingCharacters(_ABOVE_AFTER)
_BELOW_LEAD, _FALL_LEAD = LeadingCharacters(_BELOW_AFTER), LeadingCharacters(_FALL_AFTER)
_DIRECTION_LEAD, _METRIC_LEAD = LeadingCharacters(lx.DIRECTION), LeadingCharacters(lx.METRIC)
_AMOUNT_UNITS = frozenset({"money", "number", "points"})
"""The units the amount and level rules read: a sentence of percentages (and share counts) has none."""
_WORD_FILTER = LiteralPrefilter(_WORD_PATTERNS, shared=True)


class FactExtractor:
    """Attaches quantities to subjects and emits ``Fact``s."""

    name = "facts"
    reads = ("text", "sentences", "mentions", "indices", "unlinked_codes", "market", "quantities", "article.text")
    adds = ("facts", "quantities")

    def __call__(self, doc: Doc) -> None:
        default_yuan = yuan_currency(doc.market)
        doc.quantities = merge_quantities(doc.quantities, scan_cjk_numerals(doc.text, default_yuan=default_yuan))
        sentences = build_sentences(doc)
        primary, in_headline = primary_listing(doc)
        words = word_index(_WORD_FILTER, _WORD_PATTERNS, doc.text)
        state = State(primary=primary, headline=primary if in_headline else None, words=words)
        for i, sent in enumerate(sentences):
            if sent.quantities:  # both finders only read the sentence's quantities
                previous = sentences[max(0, i - 8) : i]  # the finders look back 8 sentences at most
                units = {q.unit for q in sent.quantities}
                if "pct" in units:  # the moves are read from percentages
                    _MoveFinder(doc, sent, previous, state).run()
                if not units.isdisjoint(_AMOUNT_UNITS):
                    AmountFinder(doc, sent, previous, state).run()
            _extra_ratios(doc, sent, state.words)


class _MoveFinder:
    def __init__(self, doc: Doc, sent: Sentence, previous: list[Sentence], state: State) -> None:
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
        if _RATE_CHANGE_BACK.search(self.text, max(0, q.start - RANGE_LEAD_WINDOW), q.start) and _RATE_TO.fullmatch(
            between
        ):
            return True  # "毛利率從18.78%降至18.01%", "margin fell from 18.8% to 18.0%": a rate, twice
        return range_between(self.text, q, nxt)

    def _move(self, q: Quantity, rest: list[Quantity]) -> int:
        """Emit the move(s) of ``q``; return how many quantities were used."""
        text = self.text
        after = text[q.end : q.end + MOVE_AFTER_WINDOW]
        named_after = self._named_after(q)
        if named_after is not None:
            return named_after
        if (_SHARE_OF_LEAD.admits(after) and lx.SHARE_OF.match(after)) or (
            _NOT_A_MOVE_LEAD.admits(after) and lx.NOT_A_MOVE_AFTER.match(after)
        ):
            return 1
        prev = [s for s in self.sent.subjects if s.end <= q.start and not s.modifier and not s.broker]
        subject_end = prev[-1].end if prev else max(self.sent.start, q.start - SUBJECT_LOOKBACK)
        # Direction words belong to the nearest number: start after the last quantity before this one.
        earlier = [
            o.end
            for o in self.sent.quantities
            if subject_end <= o.end <= q.start and o.start != q.start and o.unit in {"pct", "money"}
        ]
        lead_start = max([subject_end, *earlier])
        words = self.state.words
        directions = words[lx.DIRECTION]
        dirs = directions.finditer(lead_start, q.start)
        sign = sign_of(dirs)
        # "a 3.4% gain": an article (an "a") ends in a space, right before the figure
        article_from = max(0, q.start - 4)
        noun = (
            _A_MOVE_NOUN.match(after)
            if q.start
            and text[q.start - 1].isspace()
            and ("a" in text[article_from : q.start] or "A" in text[article_from : q.start])
            and _ARTICLE_BEFORE.search(text, article_from, q.start)
            else None
        )
        near_from = max(lead_start, q.start - DIRECTION_WINDOW)
        if noun:  # "easing to HK$139.9, marking a 3.4% gain": the noun after the figure decides
            sign = 1 if noun.group("up") else -1
        # a direction word near the figure: the last one found before it, else a search (which may
        # find one inside an earlier, longer word)
        elif sign == 0 or not (dirs[-1].start() >= near_from or directions.search(near_from, q.start)):
            # what follows the figure, after spaces, commas and "or": "3%, up from", "2% or lower"
            word_at = _LEADING_OR.match(after).end()  # type: ignore[union-attr]  # it always matches
            m = lx.DIRECTION.match(after, word_at) if _DIRECTION_LEAD.admits(after, word_at) else None
            if m:
                sign = 1 if m.lastgroup in UP_GROUPS else -1
            elif (_RISE_LEAD.admits(after) and _RISE_AFTER.match(after)) or (
                _ABOVE_LEAD.admits(after) and _ABOVE_AFTER.match(after)
            ):
                sign = 1
            elif (_BELOW_LEAD.admits(after) and _BELOW_AFTER.match(after)) or (
                _FALL_LEAD.admits(after) and _FALL_AFTER.match(after)
            ):
                sign = -1
        if sign == 0 and not q.signed:
            return 1
        metric_from = max(lead_start, (dirs[-1].start() if dirs else q.start) - METRIC_WINDOW)
        metrics = words[lx.METRIC]
        metric = metrics.finditer(metric_from, q.start)
        stripped = after.lstrip()
        if (metric and not words[lx.STOCK_REFERENCE].search(metric[-1].end(), q.start)) or (
            _METRIC_LEAD.admits(stripped) and lx.METRIC.match(stripped)
        ):
            return 1  # "revenue rose 9%" (but "交付创新高，股价涨3.8%" is the share price)
        if _metric_amount_near(self.sent, text, subject_end, q, words):
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
            if words[lx.STOCK_REFERENCE].may_match(self.sent.start, q.start) and lx.STOCK_REFERENCE.search(
                text[self.sent.start : q.start]
            ):
                self._emit(None, value, q, q)
            return 1
        for t in targets:
            self._emit(t, value, q, q)
        return used

    def _named_after(self, q: Quantity) -> int | None:
        """'a 2.2% rise in the benchmark Hang Seng Index': the name after the noun moved (1 used)."""
        end = min(len(self.text), q.end + MOVE_NOUN_WINDOW)
        m = lx.MOVE_NOUN_IN.match(self.text, q.end, end) if _MOVE_NOUN_LEAD.admits(self.text, q.end, end) else None
        if m is None:
            return None
        subject = next((s for s in self.sent.subjects if s.start == m.end() and not s.modifier and not s.broker), None)
        if subject is None:
            return None
        value = abs(q.value) * (1 if m.group("up") else -1)
        self._emit(subject, value, q, q)
        return 1

    def _targets(self, q: Quantity, prev: list[Subject]) -> list[Subject]:
        text, words = self.text, self.state.words
        if prev:
            last = prev[-1]
            if (
                len(prev) >= 2
                and _APPOSITIVE_OPEN.match(text, prev[-2].end, last.start)
                and (text[last.end : q.start].lstrip().startswith((",", "，")))
            ):
                last = prev[-2]  # "Las Vegas Sands (LVS.US), the parent of Sands China, rose 1.2%"
            between = text[last.end : q.start]
            if last.is_index and words[lx.OWN_STOCK].may_match(last.end, q.start) and lx.OWN_STOCK.search(between):
                stocks = [s for s in prev if not s.is_index]
                if not stocks:
                    return []
                last = stocks[-1]
                between = text[last.end : q.start]
            own_stock = words[lx.OWN_STOCK].may_match(last.end, q.start) and bool(lx.OWN_STOCK.search(between))
            if words[lx.SECTOR_BETWEEN].may_match(last.end, q.start) and not own_stock:
                sector_words = (
                    between[_INDEX_OF.match(between).end() :] if last.is_index and _INDEX_OF.match(between) else between
                )
                if lx.SECTOR_BETWEEN.search(sector_words):
                    return []
            if len(between) > (OWN_STOCK_SUBJECT_LIMIT if own_stock else SUBJECT_LIMIT):
                return []
            if any(lead in between for lead in _OTHER_NAME_LEADS) and _OTHER_NAME.search(text, last.end, q.start):
                return []  # another, unrecognised name is the one that moved
            members = [last]
            for cand in reversed(prev[:-1]):
                if LIST_SEPARATOR.match(text[cand.end : members[0].start]) and cand.is_index == last.is_index:
                    members.insert(0, cand)
                else:
                    break
            if len(members) == 1 and len(prev) >= 2 and lx.BOTH.search(between):
                members = prev[-2:]
            span = text[last.start : q.start]
            if not last.is_index and _names_both_classes(span) and lx.AH_BOTH.search(span):
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
        wants_stock = bool(
            lx.STOCK_REFERENCE.search(head) or lx.CLASS_REFERENCE.match(head) or _AS_OF_WRITING.search(head)
        )
        if _NAME_AFTER_FIRST_WORD.search(head) or _UNKNOWN_NAME_SHARES.match(head):
            return []  # "Shares of Sunwoda rose": a company we do not know, not the last one we did
        line = line_of(text, self.sent.start)
        label = self._label_above(line)
        if label is not None and _SUBJECTLESS.match(head):
            return [label]  # "HK:00700.HK:Tencent" on its own line, then "Retreated 4.1% to …"
        wants_stock = wants_stock or bool(_THIS_MOVE.match(head))
        if not (wants_index or wants_stock):
            return []
        for sent in reversed(self.previous[-4:]):
            candidates = [
                s
                for s in sent.subjects
                if not (s.modifier or s.broker or s.is_index != wants_index)
                and (wants_index or line_of(text, s.start) >= line - 2)
            ]
            if candidates:
                # "A rose 10% after B's debut. The stock later closed up 3%": A, whose move it was.
                movers = self._movers_in(sent)
                return [next((s for s in reversed(candidates) if movers & {s.code, *s.listings}), candidates[-1])]
        if wants_stock and not wants_index and self.state.headline:
            # "The stock fell 6.1%" after a sentence naming only the placing agents: the headline company.
            subject = next((m for m in subjects_of(self.doc) if m.code == self.state.headline), None)
            return [subject] if subject else []
        return []

    def _movers_in(self, sent: Sentence) -> set[str]:
        """Codes whose price moves were read from ``sent``."""
        return {
            f.subject
            for f in self.doc.facts
            if f.kind == "price_move" and f.subject and sent.start <= f.start < sent.end
        }

    def _label_above(self, line: int) -> Subject | None:
        """The one listing of a label line right above this sentence's line ("HK:00700.HK:Tencent")."""
        text = self.text
        if self.sent.start and text[self.sent.start - 1] != "\n":
            return None
        for sent in reversed(self.previous[-2:]):
            if line_of(text, sent.start) != line - 1:
                continue
            chunk = text[sent.start : sent.end].strip()
            stocks = [s for s in sent.subjects if not (s.modifier or s.broker or s.is_index)]
            if (
                len(chunk) <= LABEL_MAX_CHARS
                and not _SENTENCE_END.search(chunk)
                and not any(q.unit in {"pct", "money", "points"} for q in sent.quantities)
                and len({s.issuer or s.code for s in stocks}) == 1
            ):
                return stocks[0]
        return None

    def _emit(self, subject: Subject | None, pct: float, q: Quantity, q_end: Quantity) -> None:
        text = self.text
        self.state.consumed.add(q.start)
        price = currency = points = None
        end = q_end.end
        for other in self.sent.quantities:
            if other.start < q.end or other.start - q.end > PRICE_AFTER_WINDOW or other.start in self.state.consumed:
                continue
            gap = text[q.end : other.start]
            if (
                other.unit == "money"
                and not other.scaled
                and not subject_is_index(subject)
                and _PRICE_INTRO_BACK.search(gap)
            ):
                price, currency, end = abs(other.value), other.currency, other.end
                if subject and _BARE_YUAN.fullmatch(text, other.start, other.end):
                    currency = "CNY" if listing_group(subject.code) == "A" else "HKD"
                elif subject and currency in _CURRENCY_GROUP:
                    # A price in HK$ is the Hong Kong line, in yuan the mainland one, in US$ the ADR.
                    code = listing_in(subject.listings, _CURRENCY_GROUP[currency])
                    if code and code != subject.code:
                        subject = subject.with_code(code)
                self.state.consumed.add(other.start)
                break
            if other.unit in {"pct", "money"}:
                break
        if subject_is_index(subject):
            near = self._points_near(q)
            points = None if near is None else (-near if pct < 0 else near)
        before = subject and self.sent.start <= subject.start < q.start and q.start - subject.start < EVIDENCE_SUBJECT_LIMIT
        start = subject.start if subject and before else q.start
        if subject and q.end <= subject.start < self.sent.end:  # the name follows: "a 2% rise in the Hang Seng"
            end = max(end, subject.end)
        fact = records.fact(
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
        elif (
            subject
            and price is not None
            and self.state.words[lx.CLOSE_WORDS].may_match(self.sent.start, end)
            and lx.CLOSE_WORDS.search(text[self.sent.start : end])
        ):
            self.doc.facts.append(
                records.fact(
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
            if other.unit != "points" or abs(other.start - q.start) > POINTS_WINDOW:
                continue
            if other.start > q.end and _POINTS_CHANGE_LEAD_BACK.search(text[q.end : other.start]):
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
            records.fact(
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
    return subject.with_code(code) if code and code != subject.code else subject


def _metric_amount_near(sent: Sentence, text: str, subject_end: int, q: Quantity, words: WordIndex) -> bool:
    """A scaled amount of a metric between the subject and the percentage, or right after it."""
    for o in sent.quantities:
        if o.unit != "money" or not o.scaled:
            continue
        if _TO_AMOUNT.match(text, q.end, o.start):
            return True
        if subject_end <= o.start < q.start:
            if words[lx.STOCK_REFERENCE].search(o.end, q.start):
                continue  # "…turnover of HK$5.26 billion, and its shares rose 0.9%"
            if words[lx.METRIC].search(max(subject_end, o.start - METRIC_AMOUNT_WINDOW), o.start):
                return True
    return False


def subject_is_index(subject: Subject | None) -> bool:
    return bool(subject and subject.is_index)


def _level_after(text: str, sent: Sentence, q: Quantity, state: State) -> Quantity | None:
    for other in sent.quantities:
        if other.start <= q.start or other.start - q.end > LEVEL_AFTER_WINDOW or other.start in state.consumed:
            continue
        if looks_like_level(text, other, state.words, minimum=100):
            state.consumed.add(other.start)
            return other
        if other.unit == "pct":
            break
    return None


_AH_JOINS = (" and h", "+h", "、h", "和h", "及h")
"""What joins the two share classes in every phrase naming both ("A and H shares", "A+H", A股及H股),
lower-cased: ``lx.AH_BOTH`` is searched only in a text holding one."""


def _names_both_classes(span: str) -> bool:
    """Whether ``lx.AH_BOTH`` can match in ``span`` (a text without one of ``_AH_JOINS`` holds none)."""
    lower = span.lower()
    return any(join in lower for join in _AH_JOINS)


def _a_and_h(subject: Subject) -> list[str]:
    out = []
    for code in subject.listings:
        if code.endswith(".HK") or code.endswith((".SH", ".SZ", ".BJ")):
            out.append(code)
    return out or [subject.code]


def _extra_ratios(doc: Doc, sent: Sentence, words: WordIndex) -> None:
    """52-week highs/lows and P/E ratios of the sentence's company."""
    pe, week52 = words[_PE].may_match(sent.start, sent.end), words[_WEEK52].may_match(sent.start, sent.end)
    if not (pe or week52):
        return  # neither word is in the sentence
    text = doc.text
    chunk = text[sent.start : sent.end]
    company = next((s for s in sent.subjects if not s.is_index and not s.broker), None)
    if company is None or not (sent.quantities or _DIGIT.search(text, sent.start, sent.end)):
        return  # a P/E needs a digit and a 52-week high or low a price
    for m in _PE.finditer(chunk) if pe else ():
        s, e = sent.start + m.start(), sent.start + m.end()
        doc.facts.append(
            records.fact("pe_ratio", company.code, value=float(m.group("v")), text=doc.article.text[s:e], start=s, end=e)
        )
    m = _WEEK52.search(chunk) if week52 else None
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
                records.fact(
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
