"""IPO details: what an ``ipo`` / ``listing_application`` event's sentence states about the deal.

For each IPO event the component adds ``attributes`` (only the keys the sentence supports):

* ``subject``: the listing the sentence is about (``sentence_subject``), or ``company``: the name
  the sentence starts with when it names no known issuer ("Acme Robotics filed …");
* ``stages``: the stages it reports as done for that company, most advanced first, each with the
  day ``on`` it states (ISO date) when it states one; ``stage``: the most advanced of them;
* ``hedged``: the sentence announces or hedges something ("will list", "could", 拟, 预计);
* ``offer_price`` (per share), or ``price_low``/``price_high`` for a marketed range, with
  ``currency``; a "priced" sentence that states only a range reports bookbuilding, not pricing;
* ``first_day_return``: the signed percentage of the company's debut move (a ``price_move``
  fact of horizon ``since_listing`` in the sentence).

``insights.ipos`` builds the IPO pipeline from these stored attributes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from tickerwire.extract import records
from tickerwire.extract.anchors import Anchored, AnchorHits
from tickerwire.extract.ipo_words import (
    Named,
    StageWord,
    first_stage_word,
    is_hedged,
    reported_stages,
    scan_words,
    sentence_subject,
)
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.prefilter import PatternSource
from tickerwire.extract.quantities import Quantity, scan_quantities, yuan_currency
from tickerwire.model import Event, Fact, Mention
from tickerwire.refdata.rules import load_rules
from tickerwire.taxonomy import event_types
from tickerwire.taxonomy import ipo_stage_rank as stage_rank
from tickerwire.timeutil import HONG_KONG

IPO_EVENT_TYPES = frozenset(event_types("ipo"))
PRICE_WINDOW = 24
"""How far after an offer-price word ("offer price of", 发售价) its price per share may start."""
MAX_SHARE_PRICE = 10_000.0
"""A larger amount after an offer-price word is proceeds, not a price per share."""

_RULES = load_rules()
_OFFER_PRICE = PatternSource(_RULES.alternation("ipo_offer_price"), re.I)
_RANGE_TOP = PatternSource(_RULES.alternation("ipo_range_top"), re.I)
_RANGE_BOTTOM = PatternSource(_RULES.alternation("ipo_range_bottom"), re.I)
PRICE_BEFORE_GAP = 2
"""How far before an offer-price word a price may end ("the HK$162.00 offer price")."""
# The price words, tried only where one of their leading literals starts (anchors.py), each
# compiled the first time it is.
_PRICE_WORDS = Anchored([_OFFER_PRICE, _RANGE_TOP, _RANGE_BOTTOM])
_OFFER_AT, _TOP_AT, _BOTTOM_AT = range(3)
_RANGE_TAIL = re.compile(
    r"\s*(?:-|–|—|~|～|to|and|至|到)\s*(?:HK\$|US\$|RMB|¥|￥)?\s*(?P<high>\d+(?:\.\d+)?)", re.I)
_NAME_WORD = re.compile(r"^(?:[A-Z0-9][\w.&'-]*|of|and|&|de|the)$")
_NOT_NAMES = re.compile(
    r"^(?:The company|The firm|The group|The shares|The H shares|It|Its|This|That|These|Other"
    r"|Bankers|Analysts|Investors|Traders|Shares)\b", re.I)
_ZH_COMPANY = re.compile(
    r"(?:公司|集团|集團|控股|科技|股份|银行|銀行|医药|醫藥|证券|證券|能源|电子|電子"
    r"|半导体|半導體|创新|創新|汽车|汽車|重工|智能|生物|国际|國際)$"
)
_NAME_EN = re.compile(
    r"^\s*(?:The\s+)?(?P<name>[A-Z][^,;:]{1,70}?)(?:\s*\([^)]*\))?\s*,?\s+(?:has |have |had |will |"
    r"is |was |on \w+ |formally |officially )*(?:filed|submitted|refiled|lodged|passed|priced|"
    r"debuted|made|began|started|launched|plans|planned|seeks|sought|raised|withdrew|set|listed)\b"
)
_NAME_ZH = re.compile(
    r"^\s*(?P<name>[^，,。；;：:\s]{2,30}?)(?:已|于|於|今日|昨日|正式|周[一二三四五六日]|週[一二三四五六日])*"
    r"(?:递交|遞交|提交|通过|通過|定价|定價|挂牌|掛牌|撤回|首日|登陆|登陸|招股)"
)


class IpoDetails:
    """Adds the stages, stated days, hedging and prices of each IPO event (``attributes``)."""

    name = "ipo_details"
    reads = ("text", "events", "mentions", "facts", "market", "article.published_at")
    adds = ("events",)

    def __call__(self, doc: Doc) -> None:
        published = doc.article.published_at
        day = None if published is None else published.astimezone(HONG_KONG).date()
        default_yuan = yuan_currency(doc.market)
        doc.events = [
            _with_attributes(event, ipo_attributes(
                doc.text[event.start:event.end], event.type, _named(event, doc.mentions), day,
                subjects=[code for code in event.subjects if "." in code], default_yuan=default_yuan,
                debut_moves=_debut_moves(event, doc.facts)))
            if event.type in IPO_EVENT_TYPES else event
            for event in doc.events
        ]


def _with_attributes(event: Event, attributes: dict[str, Any]) -> Event:
    return records.event(event.type, event.subjects, event.text, event.start, event.end, attributes)


def _named(event: Event, mentions: Sequence[Mention]) -> list[Named]:
    """The event's subject companies where its sentence names them (offsets in the sentence);
    the key is ``issuer listing`` so that an issuer's A and H listings are one company."""
    return [Named(f"{m.issuer} {m.listing}", m.start - event.start, m.end - event.start)
            for m in mentions
            if m.listing in event.subjects and m.role != "venue"
            and event.start <= m.start and m.end <= event.end]


def _debut_moves(event: Event, facts: Sequence[Fact]) -> list[tuple[str | None, float]]:
    """(subject, pct) of the debut moves stated in the event's sentence."""
    return [(f.subject, f.pct) for f in facts
            if f.kind == "price_move" and f.pct is not None and f.horizon == "since_listing"
            and event.start <= f.start < event.end]


def ipo_attributes(
    sentence: str,
    etype: str,
    named: Sequence[Named],
    day: date | None,
    *,
    subjects: Sequence[str] = (),
    default_yuan: str = "HKD",
    debut_moves: Sequence[tuple[str | None, float]] = (),
) -> dict[str, Any]:
    """What an IPO sentence states (see the module docstring); ``named`` are its companies, keyed
    ``"issuer listing"``, ``subjects`` the event's listings (one of them is the subject when the
    sentence names none of them) and ``day`` the article's Hong Kong day (None when undated)."""
    hits = scan_words(sentence)
    words = reported_stages(sentence, day, hits)
    if not named and len(subjects) == 1:
        named = [Named(f"{subjects[0]} {subjects[0]}", 0, 0)]
    key, stages = _subject_stages(sentence, named, words, hits)
    hedged = is_hedged(sentence, hits)
    out: dict[str, Any] = {}
    if key is not None:
        out["subject"] = key.split(" ", 1)[1]
    elif not named and (name := company_name(sentence)):
        out["company"] = name
    out.update(_prices(sentence, default_yuan))
    if "price_low" in out and "offer_price" not in out:
        stages = [w if w.stage != "priced" else StageWord("bookbuilding", w.start, w.on) for w in stages]
        stages = [w for i, w in enumerate(stages) if w.stage not in {s.stage for s in stages[:i]}]
    if not stages and etype == "listing_application" and not words and not hedged:
        stages = [StageWord("filed", 0, None)]  # "listing application" words alone: a filing
    stages.sort(key=lambda w: -stage_rank(w.stage))
    if stages:
        out["stage"] = stages[0].stage
        out["stages"] = [{"stage": w.stage, **({"on": w.on.isoformat()} if w.on else {})} for w in stages]
    out["hedged"] = hedged
    subject = out.get("subject")
    moves = [pct for code, pct in debut_moves if code in (subject, None)] if out.get("stage") == "listed" else []
    if moves:
        out["first_day_return"] = moves[0]
    return out


def _subject_stages(
    sentence: str, named: Sequence[Named], words: Sequence[StageWord], hits: AnchorHits
) -> tuple[str | None, list[StageWord]]:
    """The company the sentence is about and the stages it reports for it."""
    if not named:
        return None, list(words)
    keys = {n.key for n in named}
    if len({k.split(" ", 1)[0] for k in keys}) == 1 and len(keys) > 1:
        named = [Named(min(keys), n.start, n.end) for n in named]  # one issuer, several listings
    key = sentence_subject(sentence, named, first_stage_word(sentence, hits))
    if key is None:
        return None, []
    return key, [w for w in words if sentence_subject(sentence, named, w.start) == key]


def company_name(text: str) -> str | None:
    """The company an IPO sentence naming no known issuer is about, when it starts with a name."""
    match = _NAME_EN.match(text)
    if match:
        name = match.group("name").strip()
        words = name.split()
        if len(words) <= 8 and not _NOT_NAMES.match(name) and all(map(_NAME_WORD.match, words)):
            return name
        return None
    match = _NAME_ZH.match(text)
    if match and _ZH_COMPANY.search(match.group("name")):
        return match.group("name")
    return None


def _prices(sentence: str, default_yuan: str) -> dict[str, Any]:
    """The offer price per share, or the marketed range, stated next to an offer-price word; a
    range whose top or bottom the sentence says the price was set at gives that price."""
    hits = _PRICE_WORDS.scan(sentence)
    words = hits.finditer(_OFFER_AT, sentence)
    found = _stated_prices(sentence, words, default_yuan) if words else {}
    if "price_low" in found:
        if hits.search(_TOP_AT, sentence):
            found["offer_price"] = found["price_high"]
        elif hits.search(_BOTTOM_AT, sentence):
            found["offer_price"] = found["price_low"]
    return found


def _stated_prices(sentence: str, offer_words: list[re.Match[str]], default_yuan: str) -> dict[str, Any]:
    quantities = [q for q in scan_quantities(sentence, default_yuan=default_yuan)
                  if q.unit in ("money", "number") and not q.scaled and 0 < q.value < MAX_SHARE_PRICE]
    for word in offer_words:
        first = next((q for q in quantities if word.end() <= q.start <= word.end() + PRICE_WINDOW), None)
        if first is None:
            before = [q for q in quantities if q.unit == "money"
                      and word.start() - PRICE_BEFORE_GAP <= q.end <= word.start()]
            if before and before[-1].currency:
                return {"offer_price": before[-1].value, "currency": before[-1].currency}
            continue
        tail = _RANGE_TAIL.match(sentence, first.end)
        currency = _currency(first, quantities, tail.end() if tail else first.end)
        if currency is None:
            continue  # a bare number is a price only with a currency next to it
        if tail:
            high = float(tail.group("high"))
            if high > first.value:
                return {"price_low": first.value, "price_high": high, "currency": currency}
        if first.unit == "money":
            return {"offer_price": first.value, "currency": currency}
    return {}


def _currency(first: Quantity, quantities: Sequence[Quantity], end: int) -> str | None:
    """The currency of a price or range: its own, else that of a money amount ending the range."""
    if first.currency:
        return first.currency
    closing = [q for q in quantities if q.unit == "money" and first.end < q.start and q.end <= end + 4]
    return closing[0].currency if closing else None
