"""The period a move refers to (its horizon) and the market day every fact refers to.

A percentage is only comparable with another over the same period: "up 95% this year" is not
that day's move, and "opened 7% higher" is not the close. Each ``price_move`` and
``index_level`` fact gets a ``horizon``:

``close``, ``intraday`` ("at one point", "as much as", 盤中, 一度, "was trading"), ``open``
(高開, "opened"), ``midday`` (半日, 午收, "at the midday break"), ``ytd`` (年初至今, "this year"),
``week``, ``month``, ``year`` (全年, "in 2025"), ``multi_day`` (連升3日, "in five sessions"),
``since_listing`` (a debut against the offer price), ``52w``.

Cues are read in the clause that holds the number (from the previous clause break to the next
one), nearest first; with none, a move is the day's close (the annotation rule of the
evaluation sets). Every fact also gets the ``day`` it is about: the article's day, unless its
sentence names another one (周四（11月13日）, "on Thursday", "yesterday", 昨日, "last Friday",
"on 9 Oct"), resolved against the article's day with weekends skipped for "yesterday". An
undated article's facts have no day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Final

from tickerwire.extract import records
from tickerwire.extract.anchors import Anchored, AnchorHits
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.prefilter import PatternSource, required_literals
from tickerwire.extract.sentences import sentence_of
from tickerwire.model import Fact
from tickerwire.refdata.calendars import calendar_for
from tickerwire.refdata.rules import load_rules
from tickerwire.taxonomy import MOVE_KINDS
from tickerwire.timeutil import HONG_KONG

HORIZONS = (
    "close", "intraday", "open", "midday", "ytd", "week", "month", "year", "multi_day",
    "since_listing", "52w",
)
CLAUSE_WINDOW = 90
"""How far before a number a horizon cue may stand (characters, within its sentence)."""
AFTER_WINDOW = 40
"""How far after a number a horizon cue may stand ("rose 3% this year", "升3%，年內累升")."""

_RULES = load_rules()
_words = _RULES.alternation
# Cue tables: (horizon, pattern), one word list per horizon in the rule data (horizon_ytd, ...).
# Longer periods come first so that "so far this year" wins over the "closed" of the same clause
# ("closed up 2%, taking its gain this year to 95%").
_CUE_ORDER = ("since_listing", "52w", "ytd", "year", "month", "week", "multi_day", "midday", "open", "intraday", "close")
_CUES: tuple[tuple[str, str], ...] = tuple((horizon, _words(f"horizon_{horizon}")) for horizon in _CUE_ORDER)
# "…亦錄得60.7%升幅", "also gained": the same period as the move before.
_ALSO = re.compile(_words("also"), re.IGNORECASE)
# "累漲23%", "a cumulative 12%": a move over several sessions.
_CUMULATIVE = re.compile(_words("cumulative"), re.IGNORECASE)
_ALSO_WORDS: Final = required_literals(_ALSO)
_CUMULATIVE_WORDS: Final = required_literals(_CUMULATIVE)
_PERIODS = frozenset({"ytd", "year", "month", "week", "multi_day", "since_listing", "52w"})
_CUE_RES = tuple((horizon, PatternSource(pattern, re.IGNORECASE)) for horizon, pattern in _CUES)  # compiled by _ANCHORED
_PRIORITY = {h: i for i, (h, _) in enumerate(_CUES)}
_CLAUSE_START_EN = f"{_words('clause_contrast', 'en')}|{_words('clause_and', 'en')}"
# Every branch begins with a literal character, so re skips through the text to those characters in C
# (a leading character class would have it try every position).
_CLAUSE_BREAK = re.compile(
    rf";|；|。|!|\?|！|？|, (?:{_CLAUSE_START_EN})\b|，(?:{_words('clause_contrast', 'zh')}|{_words('clause_and', 'zh')})"
)
_AFTER_BREAK = re.compile(
    rf"[;；。!?！？,，%％]|per ?cent|\b(?:{_CLAUSE_START_EN})\b"
    r"|\s+(?=[\u4e00-\u9fff])"  # a space before a Chinese phrase (headlines separate them so)
)
_PERCENT = re.compile(r"\d(?:[\d,.]*\d)?\s*(?:%|％|per ?cent|percent)", re.IGNORECASE)
# A report of a new listing's first day of trading (not any "first day": 节后首日 is not a debut).
_DEBUT = _words("debut")
_DEBUT_RE = re.compile(_DEBUT, re.IGNORECASE)
SESSION_WINDOW = 600
"""How much of the top of an article (headline and first paragraph) says which session it reports."""
_SESSION_CUES = tuple(
    (horizon, PatternSource(pattern, re.IGNORECASE))
    for horizon, pattern in (
        ("since_listing", _DEBUT),
        ("close", _words("session_close")),
        ("midday", _words("session_midday")),
        ("intraday", _words("session_intraday")),
    )
)

_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_MONTHS_EN = {
    m: i for i, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1)
    for m in names
}
_MONTH_EN = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY_EXPRESSIONS = (  # the branches of _DAY_EXPR, each a word list entry of its own (anchors.py)
    r"(?P<zh_md>(?P<zm>\d{1,2})\s*月\s*(?P<zd>\d{1,2})\s*[日号號])",
    r"(?P<en_dm>\b(?P<ed>\d{1,2})(?:st|nd|rd|th)?\s+(?P<em>" + _MONTH_EN + r")\b\.?(?!\s*,?\s*\d{4}))",
    r"(?P<en_md>\b(?P<em2>" + _MONTH_EN + r")\.?\s+(?P<ed2>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{4}|\d))",
    r"(?P<last>\blast\s+(?P<lw>monday|tuesday|wednesday|thursday|friday))",
    r"(?P<on>\b(?:on\s+)?(?P<ow>monday|tuesday|wednesday|thursday|friday)\b)",
    r"(?P<zh_w>(?:上)?(?:周|週|星期|禮拜|礼拜)(?P<zw>[一二三四五六日天]))",
    r"(?P<yday>\byesterday\b|昨日|昨天|前一交易日|\b(?:the )?previous (?:session|trading day)\b)",
    r"(?P<today>\btoday\b|今日|今天|本交易日)",
)
_DAY_EXPR = PatternSource("|".join(_DAY_EXPRESSIONS), re.IGNORECASE)

# Every match of _DAY_EXPR holds one of these: a month name as a word of its own, "day" (a weekday,
# "today", "yesterday"), "previous" (session), or one of the Chinese words.
_DAY_WORDS = PatternSource(
    rf"\b{_MONTH_EN}\b|day|previous|月|周|週|星期|禮拜|礼拜|昨日|昨天|前一交易日|今日|今天|本交易日", re.IGNORECASE
)
# The horizon cues, the session cues and the day words, tried only where one of their leading
# literals starts (anchors.py): one pass of an automaton over the article finds those places. Each
# is compiled the first time it is searched.
_ANCHORED = Anchored(
    [*(pattern for _, pattern in _CUE_RES), *(pattern for _, pattern in _SESSION_CUES), _DAY_WORDS, _DAY_EXPR],
    entries=[
        *(_RULES.word_list(f"horizon_{horizon}") for horizon in _CUE_ORDER), *(None for _ in _SESSION_CUES), None,
        _DAY_EXPRESSIONS,
    ],
    shared=True,
)
_SESSION_FROM = len(_CUE_RES)
_CUE_INDICES = frozenset(range(_SESSION_FROM))
_DAY_WORDS_AT = _SESSION_FROM + len(_SESSION_CUES)
_DAY_EXPR_AT = _DAY_WORDS_AT + 1


class Timeframes:
    """Sets ``horizon`` on moves and ``day`` on every fact (``Doc.facts``)."""

    name = "timeframes"
    reads = ("text", "facts", "sentences", "mentions", "article.published_at")
    adds = ("facts",)

    def __call__(self, doc: Doc) -> None:
        if not doc.facts:
            return
        published = doc.article.published_at
        article_day = None if published is None else published.astimezone(HONG_KONG).date()
        hits = _ANCHORED.scan(doc.text)
        default = session_of(doc.text, published, hits=hits)
        debuts = _debut_listings(doc) if default == "since_listing" else frozenset()
        facts = []
        previous: str | None = None  # the horizon of the last move, for "also" and cumulative moves
        days: dict[tuple[int, int], list[tuple[int, int, date]]] = {}  # by sentence: the days it names
        sentence = (0, 0)
        for fact in doc.facts:
            if not sentence[0] <= fact.start < sentence[1]:  # facts come in text order: most share the one before's
                sentence = sentence_of(doc.sentences, fact.start)
            horizon = _horizon(doc.text, sentence, fact, default, debuts, previous, hits)
            if fact.kind == "price_move":
                previous = horizon
            day = None
            if article_day is not None:
                if sentence not in days:  # a sentence without a day word names no day
                    words = doc.text[sentence[0] : sentence[1]]
                    named = hits.search(_DAY_WORDS_AT, words, offset=sentence[0])
                    days[sentence] = named_days(words, article_day, hits, sentence[0]) if named else []
                day = nearest_day(days[sentence], fact.start - sentence[0], article_day)
            facts.append(fact if horizon == fact.horizon and day == fact.day else records.dated(fact, horizon, day))
        doc.facts = facts


def _debut_listings(doc: Doc) -> frozenset[str]:
    """The listings a debut report is about: those named in a sentence that speaks of a debut."""
    found = set()
    for mention in doc.mentions:
        start, end = sentence_of(doc.sentences, mention.start)
        if _DEBUT_RE.search(doc.text, start, end):
            found.add(mention.listing)
    return frozenset(found)


def _horizon(
    text: str,
    sentence: tuple[int, int],
    fact: Fact,
    default: str,
    debuts: frozenset[str],
    previous: str | None,
    hits: AnchorHits,
) -> str | None:
    """The horizon of a move or level (None for other facts): its clause's cue, the period of the
    move before it, else the article's session (``default``)."""
    if fact.kind not in MOVE_KINDS:
        return None
    # A debut report's session default is the close for everything but the new listing.
    own_default = "close" if default == "since_listing" and fact.subject not in debuts else default
    horizon = cue_horizon(text, sentence, fact.start, fact.end, hits=hits)
    if horizon is None and fact.kind == "price_move":
        horizon = _carried_period(fact.text, previous)
    horizon = horizon or own_default
    if default == "since_listing" and horizon == "close" and fact.subject in debuts and _is_listing(fact):
        horizon = "since_listing"  # on its debut, a listing's close is its return on the offer price
    return horizon


def _is_listing(fact: Fact) -> bool:
    return fact.kind == "price_move" and fact.subject is not None and "." in fact.subject


def session_of(text: str, published: datetime | None, *, hits: AnchorHits | None = None) -> str:
    """The session a report was written in, for moves that name none: what its headline and
    opening say (a debut → since_listing, 港股收評 → close, 午市 → midday, 現價/盤中 → intraday),
    else the clock time it was published at (during trading hours → intraday, in the lunch break
    → midday), else close. ``hits`` is ``_ANCHORED.scan(text)`` when the caller has it."""
    top = text[:SESSION_WINDOW]
    hits = hits or _ANCHORED.scan(top)
    for n, (horizon, _) in enumerate(_SESSION_CUES, start=_SESSION_FROM):
        if hits.search(n, top):
            return horizon
    if published is not None and (published.hour, published.minute) != (0, 0):
        clock = published.astimezone(HONG_KONG).time()
        if time(12, 0) <= clock < time(13, 0):
            return "midday"
        if time(9, 30) <= clock < time(16, 0):
            return "intraday"
    return "close"


def _carried_period(evidence: str, previous: str | None) -> str | None:
    """A move with no cue of its own: "HSBC rose 61% this year, and Hang Seng Bank also gained 60%"
    and "科指累漲23%" after a sentence about the whole year take the period of the move before
    them; a cumulative move with none to take is a multi-day one."""
    cumulative = _may_hold(_CUMULATIVE_WORDS, evidence) and _CUMULATIVE.search(evidence) is not None
    if previous in _PERIODS and (cumulative or (_may_hold(_ALSO_WORDS, evidence) and _ALSO.search(evidence))):
        return previous  # "also" is only read after a move over a period
    return "multi_day" if cumulative else None


def _may_hold(words: tuple[str, ...] | None, text: str) -> bool:
    """False when ``text`` cannot hold a match of a case-insensitive pattern whose every match holds
    one of ``words`` (its ``required_literals``; None: unknown). Only ASCII text is read so (a
    match in it is ASCII, equal to a word up to ASCII case); any other text says True."""
    if words is None or not text.isascii():
        return True
    lower = text.lower()
    return any(word in lower for word in words)


def horizon_of(text: str, sentence: tuple[int, int], start: int, end: int, *, default: str = "close") -> str:
    """The horizon of the move at ``start:end`` (a span ending with its number): the cue of its
    clause — a period (ytd, week …) anywhere in it, else the nearest session word — else
    ``default``."""
    return cue_horizon(text, sentence, start, end) or default


def cue_horizon(
    text: str, sentence: tuple[int, int], start: int, end: int, *, hits: AnchorHits | None = None
) -> str | None:
    """The horizon the clause of the move at ``start:end`` names, or None when it names none.
    ``hits`` is ``_ANCHORED.scan(text)`` when the caller has it."""
    hits = hits or _ANCHORED.scan(text)
    before_from, before, after = clause_windows(text, sentence, start, end)
    found: list[tuple[int, int, str]] = []  # (distance, priority, horizon)
    for n in hits.present(before_from, end) & _CUE_INDICES:
        matches = hits.finditer(n, before, offset=before_from)
        if matches:  # the nearest is the last: the matches do not overlap
            horizon = _CUE_RES[n][0]
            found.append((len(before) - matches[-1].end(), _PRIORITY[horizon], horizon))
    if after:  # the nearest cue after the number is a cue's first match there
        for n in hits.present(end, end + len(after)) & _CUE_INDICES:
            first = hits.search(n, after, offset=end)
            if first is not None:
                horizon = _CUE_RES[n][0]
                found.append((first.start() + 1, _PRIORITY[horizon], horizon))
    return nearest_cue(found)


def clause_windows(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, str, str]:
    """Where the move at ``start:end`` has its cues: the clause before it, from the last clause
    break or earlier percentage (its start in ``text`` and its text, up to ``end``), and the text
    after the number up to the next break."""
    s_start, s_end = sentence if sentence[0] < sentence[1] else (max(0, start - CLAUSE_WINDOW), end)
    before_from = max(s_start, start - CLAUSE_WINDOW)
    # A cue before an earlier percentage belongs to that one ("上市首日涨18%，国企指数涨2%").
    earlier = percents_in(text, before_from, start)
    if earlier:
        before_from = earlier[-1].end()
    before = text[before_from:end]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before_from += breaks[-1].end()
        before = before[breaks[-1].end() :]
    after = text[end : min(s_end, end + AFTER_WINDOW)]
    cut = _AFTER_BREAK.search(after)
    if cut:
        after = after[: cut.start()]
    return before_from, before, after


def nearest_cue(found: list[tuple[int, int, str]]) -> str | None:
    """The horizon of the cues ``found`` (distance, priority, horizon): a period's anywhere in
    the clause before a session word's, else the nearest; None when there is none."""
    if not found:
        return None
    periods = [f for f in found if _PRIORITY[f[2]] < _PRIORITY["midday"]]
    return min(periods or found)[2]


def percents_in(text: str, start: int, end: int) -> list[re.Match[str]]:
    """``_PERCENT``'s matches in ``text[start:end]``. Each holds %, ％ or "cent" (in any case), so a
    window without one, most of them, is not searched."""
    if text.find("%", start, end) < 0 and text.find("％", start, end) < 0 and "cent" not in text[start:end].lower():
        return []
    return list(_PERCENT.finditer(text, start, end))


def fact_day(sentence: str, pos: int, article_day: date | None) -> date | None:
    """The day a fact at ``pos`` of ``sentence`` is about: the nearest day the sentence names,
    resolved against ``article_day``; else the article's day. None when the article is undated."""
    if article_day is None:
        return None
    return nearest_day(named_days(sentence, article_day), pos, article_day)


def named_days(
    sentence: str, article_day: date, hits: AnchorHits | None = None, offset: int = 0
) -> list[tuple[int, int, date]]:
    """The days ``sentence`` names (周四, "yesterday", 11月13日 …) as (start, end, day), resolved
    against ``article_day``: read once per sentence, whatever the number of facts in it. ``hits``
    is ``_ANCHORED.scan`` of the text the sentence starts at ``offset`` in, when the caller has it."""
    found = []
    for m in (hits or _ANCHORED.scan(sentence)).finditer(_DAY_EXPR_AT, sentence, offset=offset if hits else 0):
        day = _resolve(m, article_day)
        if day is not None:
            found.append((m.start(), m.end(), day))
    return found


def nearest_day(named: list[tuple[int, int, date]], pos: int, article_day: date) -> date:
    """The day of ``named`` nearest to ``pos`` (the first of equally near ones), else ``article_day``."""
    best: tuple[int, date] | None = None
    for start, end, day in named:
        distance = abs(start - pos) if start >= pos else pos - end
        if best is None or distance < best[0]:
            best = (distance, day)
    return article_day if best is None else best[1]


def _resolve(m: re.Match[str], article_day: date) -> date | None:
    g = m.groupdict()
    if g["zh_md"]:
        return _month_day(article_day, int(g["zm"]), int(g["zd"]))
    if g["en_dm"]:
        return _month_day(article_day, _MONTHS_EN[g["em"].lower().rstrip(".")], int(g["ed"]))
    if g["en_md"]:
        return _month_day(article_day, _MONTHS_EN[g["em2"].lower().rstrip(".")], int(g["ed2"]))
    if g["last"]:
        return _weekday_before(article_day, _WEEKDAYS_EN.index(g["lw"].lower()), strictly=True)
    if g["on"]:
        return _weekday_before(article_day, _WEEKDAYS_EN.index(g["ow"].lower()), strictly=False)
    if g["zh_w"]:
        strictly = m.group(0).startswith("上")
        return _weekday_before(article_day, _WEEKDAY_ZH[g["zw"]], strictly=strictly)
    if g["yday"]:
        return previous_trading_day(article_day)
    return article_day


def _month_day(article_day: date, month: int, day: int) -> date | None:
    """That month and day in the article's year, or the year before when it would lie ahead."""
    for year in (article_day.year, article_day.year - 1):
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if found <= article_day + timedelta(days=1):
            return found
    return None


def _weekday_before(article_day: date, weekday: int, *, strictly: bool) -> date:
    back = (article_day.weekday() - weekday) % 7
    if strictly and back == 0:
        back = 7
    return article_day - timedelta(days=back)


def previous_trading_day(day: date) -> date:
    """The Hong Kong trading day before ``day``: weekends and HKEX holidays skipped
    (refdata/calendars.py), so "yesterday" on the first day after a holiday is the last session."""
    return calendar_for("HSI").previous(day)
