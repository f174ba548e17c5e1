"""How an IPO sentence reads: which stages it reports as done, on what day, and about whom.

``reported_stages`` finds the stage words of a sentence (English, 简体, 繁體) that report a step
as done: words announcing what is still to come or hedged ("will debut", "could go to a
hearing", 将于…挂牌) do not count, and neither does a stage dated after the article's own day
("11月6日挂牌" in a 3 November article). A stage with a stated earlier date ("于10月9日递交")
carries that date. The stage and hedge words are the rule tables' ``ipo_*`` word lists.

``sentence_subject`` picks the company a sentence is about: the first company named before the
stage word that is not introduced by a preposition or a comparison ("following GigaDevice",
"向港交所", "on HKEX") and is not one of several companies listed together ("CATL, Hengrui and
Sany have listed …" is market colour).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tickerwire.extract.anchors import Anchored, AnchorHits
from tickerwire.extract.prefilter import PatternSource
from tickerwire.refdata.rules import load_rules

# Checked in this order: the first stage found is the most advanced one a sentence reports. The
# words are the rule tables' ``ipo_<stage>`` lists (refdata/data/rules/{en,zh}.yaml).
STAGE_ORDER = ("listed", "priced", "bookbuilding", "hearing", "withdrawn", "lapsed", "filed")
_RULES = load_rules()
STAGE_WORDS: tuple[tuple[str, PatternSource], ...] = tuple(
    (stage, PatternSource(_RULES.alternation(f"ipo_{stage}"), re.I)) for stage in STAGE_ORDER
)
# Words before a stage word (same clause) that announce it or hedge it.
_NOT_DONE_WORDS = f"(?:{_RULES.alternation('ipo_not_done')})"
_NOT_DONE = PatternSource(_NOT_DONE_WORDS + r"[^,;，；。:：]{0,20}$", re.I)
_HEDGED = PatternSource(_NOT_DONE_WORDS, re.I)
# Clause breaks: punctuation, and a space between Chinese words (headlines use spaces so).
_CLAUSE_BREAK = re.compile(r"[,;，；。:：]|(?<=[\u3400-\u9fff\d%])\s+(?=[\u3400-\u9fff])")
_DATE_REACH = 30  # how far from a stage word a stated day may be
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS_ZH = "一二三四五六日"
_MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?P<{}>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_STATED_DAY = re.compile(
    r"(?<![\d.])(?P<zm>\d{1,2})\s*月\s*(?P<zd>\d{1,2})\s*[日号號]"
    rf"|\b{_MONTH.format('em')}\s+(?P<ed>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|\b(?P<fd>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.format('fm')}"
    r"|\b(?P<ew>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|[周週星期]+(?P<zw>[一二三四五六日天])"
    r"|(?P<today>\btoday\b|今日|今天|今早|今晚)|(?P<yesterday>\byesterday\b|昨日|昨天|昨晚)|(?P<tomorrow>\btomorrow\b|明日|明天|明早|明晚)",
    re.I,
)
# The stage words, then the hedge words and the hedge before a stage word, tried only where one of
# their leading literals starts (anchors.py): one pass of an automaton over a sentence finds them.
# Each is compiled the first time it is searched.
# Every match of _STATED_DAY holds one of these: a month name starting a word, "day" (a weekday,
# "today", "yesterday"), "tomorrow", or one of the Chinese words.
_DAY_WORDS = PatternSource(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|day|tomorrow|月|[周週星期]|[今明][日天早晚]|昨[日天晚]", re.I
)
_ANCHORED = Anchored([*(words for _, words in STAGE_WORDS), _HEDGED, _NOT_DONE, _DAY_WORDS])
_HEDGED_AT = len(STAGE_WORDS)
_NOT_DONE_AT = _HEDGED_AT + 1
_DAY_WORDS_AT = _HEDGED_AT + 2
# What may stand just before a company named as something other than the subject.
_NOT_SUBJECT_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?:after|following|follows|followed|like|unlike|than|with|behind|including"
    r"|such as|as|from|to|on|at|in|by|of|for|versus|vs\.?|besides|joins|joined|trails|say|says"
    r"|said)\s+(?:the\s+)?|向|在|于|於|与|與|和|及|同|较|較|如|像|包括|继|繼|跟随|跟隨|紧随|緊隨|对|對"
    r"|获|獲)$", re.I)
# What joins companies listed together as one subject.
_LISTED_TOGETHER = re.compile(r"^\s*(?:,|、|，|and|&|和|及|与|與|以及)\s*(?:the\s+)?$", re.I)


@dataclass(frozen=True, slots=True)
class StageWord:
    stage: str
    start: int  # offset in the sentence
    on: date | None  # the day the sentence says the stage happened, if it says


@dataclass(frozen=True, slots=True)
class Named:
    """A company named in a sentence: its key and where (offsets in the sentence)."""

    key: str
    start: int
    end: int


def scan_words(text: str) -> AnchorHits:
    """Where the stage and hedge words of a sentence can start: what the functions below take as
    ``hits`` (they scan ``text`` themselves without it)."""
    return _ANCHORED.scan(text)


def first_stage_word(text: str, hits: AnchorHits | None = None) -> int | None:
    """Where the first stage word of ``text`` is, whether reported as done or not."""
    hits = hits or _ANCHORED.scan(text)
    starts = [m.start() for n in range(len(STAGE_WORDS)) if (m := hits.search(n, text))]
    return min(starts, default=None)


def reported_stages(text: str, day: date | None, hits: AnchorHits | None = None) -> tuple[StageWord, ...]:
    """Stages ``text`` (published on ``day``) reports as done, most advanced first.

    Without a day (an undated article) a stage stated with a day ("on Thursday", 11月6日) cannot be
    told done from announced, so it does not count.
    """
    hits = hits or _ANCHORED.scan(text)
    found: list[StageWord] = []
    for n, (stage, _) in enumerate(STAGE_WORDS):
        for match in hits.finditer(n, text):
            clause = clause_of(text, match.start(), match.end())
            if hits.search(_NOT_DONE_AT, text[clause[0] : match.start()], offset=clause[0]):
                continue
            if day is None:
                if _day_words(text, match.start(), match.end(), clause, hits):
                    continue
                on = None
            else:
                on = stated_day(text, match.start(), match.end(), day, clause, hits)
                if on is not None and on > day:
                    continue
            found.append(StageWord(stage, match.start(), on))
            break
    return tuple(found)


def is_hedged(text: str, hits: AnchorHits | None = None) -> bool:
    """Whether ``text`` announces or hedges anything ("will", "could", 将, 拟 …)."""
    return (hits or _ANCHORED.scan(text)).search(_HEDGED_AT, text) is not None


def _day_words(
    text: str, start: int, end: int, clause: tuple[int, int] | None = None, hits: AnchorHits | None = None
) -> list[re.Match[str]]:
    """The words stating a day in the clause of ``text[start:end]`` (``clause`` and ``hits``, when
    the caller has them), within reach of it."""
    clause_start, clause_end = clause or clause_of(text, start, end)
    if hits is not None and hits.search(_DAY_WORDS_AT, text, clause_start, clause_end) is None:
        return []  # no day word in the clause: no stated day
    return [match for match in _STATED_DAY.finditer(text, clause_start, clause_end)
            if abs(start - match.end() if match.end() <= start else match.start() - end) <= _DATE_REACH]


def stated_day(
    text: str, start: int, end: int, day: date, clause: tuple[int, int] | None = None, hits: AnchorHits | None = None
) -> date | None:
    """The day stated in the clause of ``text[start:end]`` (``clause`` and ``hits``, when the
    caller has them) nearest to it, read against ``day``."""
    best: tuple[int, date] | None = None
    for match in _day_words(text, start, end, clause, hits):
        on = _day_of(match, day)
        distance = start - match.end() if match.end() <= start else match.start() - end
        if on is None:
            continue
        if best is None or abs(distance) < best[0]:
            best = (abs(distance), on)
    return None if best is None else best[1]


def clause_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of ``text`` holding ``text[start:end]``, as offsets."""
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    after = _CLAUSE_BREAK.search(text, end)
    return clause_start, after.start() if after else len(text)


def _day_of(match: re.Match[str], day: date) -> date | None:
    g = match.groupdict()
    if g["today"]:
        return day
    if g["yesterday"]:
        return day - timedelta(days=1)
    if g["tomorrow"]:
        return day + timedelta(days=1)
    weekday = g["ew"] or g["zw"]
    if weekday:
        # a weekday means the one of the week the article was published in
        index = (_WEEKDAYS_EN.index(weekday.lower()) if g["ew"]
                 else 6 if weekday == "天" else _WEEKDAYS_ZH.index(weekday))
        return day + timedelta(days=index - day.weekday())
    if g["zm"]:
        month, dom = int(g["zm"]), int(g["zd"])
    elif g["em"]:
        month, dom = _MONTHS_EN.index(g["em"].lower()[:3]) + 1, int(g["ed"])
    else:
        month, dom = _MONTHS_EN.index(g["fm"].lower()[:3]) + 1, int(g["fd"])
    for year in (day.year, day.year - 1, day.year + 1):
        try:
            on = date(year, month, dom)
        except ValueError:
            return None
        if abs((on - day).days) <= 183:
            return on
    return None


def sentence_subject(text: str, named: Sequence[Named], at: int | None = None) -> str | None:
    """The key of the company ``text`` is about; with ``at``, the subject of the words there.

    The subject of the words at ``at`` is named before them in their clause, or, when that
    clause names no company, is the subject of the sentence. None when no company stands as the
    subject, or when several are listed together.
    """
    if at is None:
        return _first_subject(text, named, 0, len(text))
    clause_start, _ = clause_of(text, at, at)
    if any(clause_start <= n.start < at for n in named):
        return _first_subject(text, named, clause_start, at)
    return _first_subject(text, named, 0, at)


def _first_subject(text: str, named: Sequence[Named], start: int, end: int) -> str | None:
    ordered = sorted((n for n in named if start <= n.start < end), key=lambda n: n.start)
    for i, first in enumerate(ordered):
        if _NOT_SUBJECT_BEFORE.search(text[max(start, first.start - 14): first.start]):
            continue
        others = [n for n in ordered[i + 1:] if n.key != first.key]
        last_same = max((n.end for n in ordered[i:] if n.key == first.key
                         and (not others or n.start < others[0].start)), default=first.end)
        if others and _LISTED_TOGETHER.match(_without_brackets(text[last_same: others[0].start])):
            return None
        return first.key
    return None


def _without_brackets(words: str) -> str:
    return re.sub(r"\s*[(（][^)）]*[)）]\s*", "", words)
