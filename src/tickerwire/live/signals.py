"""What ``contradicted_claim`` and ``first_report`` rules read from the store: the verdicts
claim verification stored with each fact (docs/prices.md) and the story each article joined
when it was stored (docs/stories.md).

A verdict is computed when the article is stored, from the price bars already imported: a claim
about a day whose prices arrive later is checked then (``tickerwire verify``), after the alert
engine has seen the article, and fires no alert.
"""

from __future__ import annotations

from collections.abc import Sequence

from tickerwire.live.conditions import ContradictedClaim, Signals, StoryLead
from tickerwire.model import Verification
from tickerwire.store import Store, StoredArticle


class StoredClaimChecks:
    """The article's facts whose stored verdict is ``contradicted``."""

    available = True

    def contradicted(self, article: StoredArticle) -> Sequence[ContradictedClaim]:
        facts = article.extraction.facts if article.extraction else ()
        return [
            ContradictedClaim(fact.subject, fact.text, fact.start, fact.end,
                              market_words(fact.verification))
            for fact in facts
            if fact.verification is not None and fact.verification.verdict == "contradicted"
        ]


class StoredStoryLeads:
    """The article opened its story (its membership's reason is ``first``)."""

    available = True

    def __init__(self, store: Store) -> None:
        self.store = store

    def first_report(self, article: StoredArticle) -> StoryLead | None:
        member = self.store.story_memberships([article.id]).get(article.id)
        if member is None or member.reason != "first":
            return None
        return StoryLead(member.story_id, article.title, member.subjects or _subjects(article))


def _subjects(article: StoredArticle) -> tuple[str, ...]:
    """The listings the article mentions and the subjects of its facts, in order of appearance."""
    extraction = article.extraction
    if extraction is None:
        return ()
    found = [m.listing for m in extraction.mentions] + [f.subject for f in extraction.facts if f.subject]
    return tuple(dict.fromkeys(found))


def stored_signals(store: Store) -> Signals:
    return Signals(claims=StoredClaimChecks(), stories=StoredStoryLeads(store))


def market_words(verification: Verification) -> str:
    """``the market says -1.2 (pct, 2025-10-24)``-style words for a contradicted number."""
    actual = "unknown" if verification.actual is None else f"{verification.actual:g}"
    where = ", ".join(str(x) for x in (verification.field, verification.day) if x)
    return f"{actual}" + (f" ({where})" if where else "")
