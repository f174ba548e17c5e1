"""What each alert rule kind looks for in a newly stored article: one condition per kind.

A condition is built once from its rule (security names resolved to every listing of their
issuer, index names to index ids) and then called with each new article; it returns the
``Match``es that make the rule fire, each quoting the words it rests on.

Two kinds read what other features store: ``contradicted_claim`` asks a ``ClaimChecks`` for the
article's claims that prices contradict, ``first_report`` asks a ``StoryLeads`` whether the
article is the first report of its story. Both are protocols: ``Signals`` carries the
implementations; the engine reads the store's verdicts and stories (``live/signals.py``) unless
it is given others. With the stand-ins (``Signals()``) those rules never fire, and the engine says
so once in the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from tickerwire.errors import InvalidInputError, NotFoundError
from tickerwire.insights.issuers import resolve_issuer, security_master
from tickerwire.insights.reader import StoreReader
from tickerwire.live.rules import (
    AlertRule,
    ContradictedClaimRule,
    EventRule,
    FirstReportRule,
    IpoStageRule,
    MoveRule,
    SentimentRule,
    WatchlistRule,
)
from tickerwire.store.rows import StoredArticle


@dataclass(frozen=True, slots=True)
class Match:
    """Why a rule fired: a reason in words, the securities concerned and the quoted text."""

    reason: str
    subjects: tuple[str, ...] = ()
    quote: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class ContradictedClaim:
    """A number the article states that prices contradict."""

    subject: str | None
    text: str
    start: int
    end: int
    actual: str  # what the prices say, in words ("closed -1.2%")


@dataclass(frozen=True, slots=True)
class StoryLead:
    """The article is the first report of a story."""

    story_id: str
    title: str | None
    subjects: tuple[str, ...] = ()


class ClaimChecks(Protocol):
    """Claim verification as the alert rules read it."""

    available: bool

    def contradicted(self, article: StoredArticle) -> Sequence[ContradictedClaim]: ...


class StoryLeads(Protocol):
    """Story clustering as the alert rules read it."""

    available: bool

    def first_report(self, article: StoredArticle) -> StoryLead | None: ...


class NoClaimChecks:
    """Stands in until claim verification is stored: nothing is ever contradicted."""

    available = False

    def contradicted(self, article: StoredArticle) -> Sequence[ContradictedClaim]:
        return ()


class NoStoryLeads:
    """Stands in until stories are stored: no article is known to lead a story."""

    available = False

    def first_report(self, article: StoredArticle) -> StoryLead | None:
        return None


@dataclass(frozen=True, slots=True)
class Signals:
    claims: ClaimChecks = field(default_factory=NoClaimChecks)
    stories: StoryLeads = field(default_factory=NoStoryLeads)


@dataclass(frozen=True, slots=True)
class AlertContext:
    """One new article (with its extraction) and what conditions may look up about it."""

    article: StoredArticle
    store: StoreReader
    signals: Signals


Condition = Callable[[AlertContext], list[Match]]


def build_condition(rule: AlertRule) -> Condition:
    """The condition of ``rule``; ``InvalidInputError`` for a security or index it cannot find."""
    if isinstance(rule, WatchlistRule):
        return _watchlist(rule)
    if isinstance(rule, MoveRule):
        return _move(rule)
    if isinstance(rule, EventRule):
        return _event(rule)
    if isinstance(rule, SentimentRule):
        return _sentiment(rule)
    if isinstance(rule, IpoStageRule):
        return _ipo_stage(rule)
    if isinstance(rule, ContradictedClaimRule):
        return _contradicted(rule)
    return _first_report(rule)


def needs(rule: AlertRule) -> str | None:
    """The feature a rule's kind waits for, when it reads data another feature stores."""
    if isinstance(rule, ContradictedClaimRule):
        return "claims"
    if isinstance(rule, FirstReportRule):
        return "stories"
    return None


def issuer_codes(securities: Iterable[str], rule_id: str) -> frozenset[str]:
    """Every listing code (and issuer id) of the issuers ``securities`` name."""
    codes: set[str] = set()
    for text in securities:
        try:
            codes.update(resolve_issuer(text).codes)
        except NotFoundError as exc:
            raise InvalidInputError(f"rule {rule_id!r}: {exc}") from exc
        except InvalidInputError as exc:
            raise InvalidInputError(f"rule {rule_id!r}: {exc}") from exc
    return frozenset(codes)


def index_ids(indices: Iterable[str], rule_id: str) -> frozenset[str]:
    master = security_master()
    found = set()
    for text in indices:
        info = master.resolve_index(text)
        if info is None:
            raise InvalidInputError(
                f"rule {rule_id!r}: {text!r} is not a known index; use an id such as HSI, "
                "HSTECH or CSI300")
        found.add(info.id)
    return frozenset(found)


def _in_scope(codes: frozenset[str], subjects: Iterable[str | None]) -> bool:
    return not codes or any(subject in codes for subject in subjects)


def _watchlist(rule: WatchlistRule) -> Condition:
    codes = issuer_codes(rule.securities, rule.id)

    def condition(ctx: AlertContext) -> list[Match]:
        extraction = ctx.article.extraction
        matches: dict[str, Match] = {}
        for m in extraction.mentions if extraction else ():
            if m.issuer in codes or m.listing in codes:
                matches.setdefault(m.issuer, Match(f"mentions {m.name} ({m.listing})",
                                                   (m.listing,), m.text, m.start, m.end))
        return list(matches.values())

    return condition


def _move(rule: MoveRule) -> Condition:
    codes = issuer_codes(rule.securities, rule.id) | index_ids(rule.indices, rule.id)
    horizons = frozenset(rule.horizons)

    def condition(ctx: AlertContext) -> list[Match]:
        extraction = ctx.article.extraction
        found = []
        for fact in extraction.facts if extraction else ():
            if fact.kind != "price_move" or fact.pct is None or fact.subject is None:
                continue
            if fact.qualifier == "under" or abs(fact.pct) < rule.min_pct:
                continue
            if (rule.direction == "up" and fact.pct < 0) or (rule.direction == "down" and fact.pct > 0):
                continue
            if (horizons and fact.horizon not in horizons) or not _in_scope(codes, [fact.subject]):
                continue
            found.append(Match(f"{fact.subject} moved {fact.pct:+.2f}% (threshold "
                               f"{rule.min_pct:g}%)", (fact.subject,), fact.text, fact.start,
                               fact.end))
        return found

    return condition


def _event(rule: EventRule) -> Condition:
    codes = issuer_codes(rule.securities, rule.id)
    types = frozenset(rule.types)

    def condition(ctx: AlertContext) -> list[Match]:
        extraction = ctx.article.extraction
        return [
            Match(f"{event.type.replace('_', ' ')} event", event.subjects, event.text,
                  event.start, event.end)
            for event in (extraction.events if extraction else ())
            if event.type in types and _in_scope(codes, event.subjects)
        ]

    return condition


def _sentiment(rule: SentimentRule) -> Condition:
    if rule.below is None and rule.above is None:
        raise InvalidInputError(f"rule {rule.id!r}: give a bound, below or above (-1 to 1)")
    codes = issuer_codes(rule.securities, rule.id)

    def crossed(score: float) -> str | None:
        if rule.below is not None and score < rule.below:
            return f"below {rule.below:g}"
        if rule.above is not None and score > rule.above:
            return f"above {rule.above:g}"
        return None

    def condition(ctx: AlertContext) -> list[Match]:
        extraction = ctx.article.extraction
        if extraction is None:
            return []
        sentiment = extraction.sentiment
        if not codes:
            bound = crossed(sentiment.score)
            return [Match(f"article tone {sentiment.score:+.2f} ({bound})")] if bound else []
        found = []
        for code, score in sorted(sentiment.by_subject.items()):
            bound = crossed(score) if code in codes else None
            if bound:
                words = sentiment.evidence.get(code, ())
                first = words[0] if words else None
                found.append(Match(f"tone of {code} {score:+.2f} ({bound})", (code,),
                                   first.text if first else None, first.start if first else None,
                                   first.end if first else None))
        return found

    return condition


def _ipo_stage(rule: IpoStageRule) -> Condition:
    from tickerwire.insights.ipos import ipos

    codes = issuer_codes(rule.securities, rule.id)
    stages = frozenset(rule.stages)

    def condition(ctx: AlertContext) -> list[Match]:
        article = ctx.article
        extraction = article.extraction
        if extraction is None or not any(
            e.type in ("ipo", "listing_application") for e in extraction.events
        ):
            return []
        seen = article.revision_seen_at
        before = {_ipo_key(e.issuer, e.company): e.stage
                  for e in ipos(ctx.store, as_of=seen - timedelta(microseconds=1))}
        found = []
        for entry in ipos(ctx.store, as_of=seen):
            if not any(event.source.article_id == article.id for event in entry.events):
                continue
            was = before.get(_ipo_key(entry.issuer, entry.company))
            if entry.stage == "planned" or entry.stage == was:
                continue
            if (stages and entry.stage not in stages) or not _in_scope(
                    codes, (entry.issuer, *entry.listings)):
                continue
            quote = next(e.source for e in entry.events if e.source.article_id == article.id)
            found.append(Match(f"{entry.company}: IPO {entry.stage}"
                               + (f" (was {was})" if was else " (first report)"),
                               entry.listings, quote.quote, quote.start, quote.end))
        return found

    return condition


def _ipo_key(issuer: str | None, company: str) -> str:
    return issuer or "name:" + company.casefold()


def _contradicted(rule: ContradictedClaimRule) -> Condition:
    codes = issuer_codes(rule.securities, rule.id)

    def condition(ctx: AlertContext) -> list[Match]:
        return [
            Match(f"contradicted: {claim.text!r}; prices say {claim.actual}",
                  (claim.subject,) if claim.subject else (), claim.text, claim.start, claim.end)
            for claim in ctx.signals.claims.contradicted(ctx.article)
            if _in_scope(codes, [claim.subject])
        ]

    return condition


def _first_report(rule: FirstReportRule) -> Condition:
    codes = issuer_codes(rule.securities, rule.id)

    def condition(ctx: AlertContext) -> list[Match]:
        lead = ctx.signals.stories.first_report(ctx.article)
        if lead is None or not _in_scope(codes, lead.subjects):
            return []
        return [Match(f"first report of story {lead.story_id}"
                      + (f" ({lead.title})" if lead.title else ""), lead.subjects)]

    return condition
