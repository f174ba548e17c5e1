"""``article_view``: the article page of the API and dashboard.

``article_view`` gives one article with what was extracted from it, the spans to highlight in
its text, and the publisher's Related Stocks set against the securities the text names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tickerwire.errors import NotFoundError
from tickerwire.insights.issuers import issuer_for_code
from tickerwire.insights.reader import StoreReader
from tickerwire.insights.records import Record
from tickerwire.model import Event, Fact, IndexMention, Mention, Relevance, Sentiment
from tickerwire.store.rows import StoredArticle


@dataclass(frozen=True, slots=True)
class Highlight(Record):
    """A span of the article text to mark: a mention, index, fact or event."""

    start: int
    end: int
    kind: str  # mention | index | fact | event
    label: str  # listing code, index id, fact kind or event type


@dataclass(frozen=True, slots=True)
class RelatedStock(Record):
    """One issuer from the publisher's Related Stocks, the text, or both."""

    issuer: str
    name: str | None
    codes: tuple[str, ...]  # as the publisher listed them (empty when only found in the text)
    claimed: bool  # in the publisher's Related Stocks
    found: bool  # the text names it
    level: str | None  # headline | major | passing (how central it is to the text)


@dataclass(frozen=True, slots=True)
class ArticleView(Record):
    id: str
    revision: int
    revisions: int
    title: str | None
    source: str | None
    url: str | None
    lang: str | None
    format: str
    published_at: datetime | None
    published_date_hk: date | None
    date_source: str | None
    first_seen_at: datetime
    revision_seen_at: datetime
    extracted_at: datetime | None
    pipeline_version: str | None
    text: str
    mentions: tuple[Mention, ...]
    indices: tuple[IndexMention, ...]
    facts: tuple[Fact, ...]
    events: tuple[Event, ...]
    sentiment: Sentiment | None
    highlights: tuple[Highlight, ...]
    related: tuple[RelatedStock, ...]
    errors: tuple[str, ...]


def article_view(
    store: StoreReader, article_id: str, *, as_of: datetime | None = None
) -> ArticleView:
    """One article as of ``as_of`` with its extraction; ``NotFoundError`` when not visible."""
    stored = store.get_article(article_id, as_of=as_of)
    if stored is None:
        when = f" as of {as_of.isoformat()}" if as_of else ""
        raise NotFoundError(
            f"no article with id {article_id!r}{when}: find ids with a search first"
        )
    extraction = stored.extraction
    return ArticleView(
        id=stored.id,
        revision=stored.revision,
        revisions=stored.revisions,
        title=stored.title,
        source=stored.source,
        url=stored.url,
        lang=stored.lang,
        format=stored.format,
        published_at=stored.published_at,
        published_date_hk=stored.published_date_hk,
        date_source=stored.date_source,
        first_seen_at=stored.first_seen_at,
        revision_seen_at=stored.revision_seen_at,
        extracted_at=extraction.extracted_at if extraction else None,
        pipeline_version=extraction.pipeline_version if extraction else None,
        text=stored.text,
        mentions=extraction.mentions if extraction else (),
        indices=extraction.indices if extraction else (),
        facts=extraction.facts if extraction else (),
        events=extraction.events if extraction else (),
        sentiment=extraction.sentiment if extraction else None,
        highlights=highlights(stored),
        related=related_stocks(stored),
        errors=extraction.errors if extraction else (),
    )


def highlights(stored: StoredArticle) -> tuple[Highlight, ...]:
    """Spans to mark in the text, in text order (longer spans first where they start together)."""
    extraction = stored.extraction
    if extraction is None:
        return ()
    spans = [
        *(Highlight(m.start, m.end, "mention", m.listing) for m in extraction.mentions),
        *(Highlight(i.start, i.end, "index", i.index) for i in extraction.indices),
        *(Highlight(f.start, f.end, "fact", f.kind) for f in extraction.facts),
        *(Highlight(e.start, e.end, "event", e.type) for e in extraction.events),
    ]
    return tuple(sorted(spans, key=lambda h: (h.start, -h.end, h.kind)))


def related_stocks(stored: StoredArticle) -> tuple[RelatedStock, ...]:
    """The publisher's Related Stocks against the issuers the text names."""
    claimed_codes: Sequence[str] = stored.metadata.get("related_stocks", ())
    extraction = stored.extraction
    mentions = extraction.mentions if extraction else ()
    relevance = {r.issuer: r for r in (extraction.relevance if extraction else ())}
    by_issuer: dict[str, list[str]] = {}
    names: dict[str, str | None] = {}
    for code in claimed_codes:
        issuer = issuer_for_code(code)
        key = issuer.id if issuer else code
        by_issuer.setdefault(key, []).append(code)
        names[key] = issuer.name if issuer else None
    for mention in mentions:
        names.setdefault(mention.issuer, mention.name)
    found = {mention.issuer for mention in mentions}
    return tuple(
        _related(key, names.get(key), by_issuer.get(key, []), key in found, relevance.get(key))
        for key in dict.fromkeys([*by_issuer, *(m.issuer for m in mentions)])
    )


def _related(
    issuer: str, name: str | None, codes: Sequence[str], found: bool, relevance: Relevance | None
) -> RelatedStock:
    level = relevance.level if relevance and relevance.level != "none" else None
    return RelatedStock(issuer, name, tuple(codes), bool(codes), found, level)
