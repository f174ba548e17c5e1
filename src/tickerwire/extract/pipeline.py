"""The extraction pipeline: ordered components over one article.

Each component is a small object with a ``name``, the ``Doc`` fields it ``reads`` and the ones it
``adds``; it is built once (automata, compiled patterns) and then called on every article. A
component that raises on one article is recorded in ``Extraction.errors`` and the others go on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tickerwire.fullwidth import to_halfwidth
from tickerwire.model import (
    PIPELINE_VERSION,
    Article,
    Event,
    Extraction,
    Fact,
    IndexMention,
    Mention,
    Relevance,
    Sentiment,
)

if TYPE_CHECKING:
    from tickerwire.extract.gazetteer import Span
    from tickerwire.extract.quantities import Quantity

log = logging.getLogger(__name__)


def matching_text(text: str) -> str:
    """``text`` with full-width ASCII folded to half-width, one character for one character."""
    return to_halfwidth(text)


@dataclass
class Doc:
    """Working state of one article while the components run over it."""

    article: Article
    text: str  # matching text: same length as article.text, full-width folded
    lang: str
    mentions: list[Mention] = field(default_factory=list)
    indices: list[IndexMention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    sentiment: Sentiment = field(default_factory=Sentiment)
    relevance: list[Relevance] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    unlinked_codes: list[tuple[str, int, int]] = field(default_factory=list)  # codes the master lacks (LVS.US)
    market: str = "HK"  # HK | CN: which market the article is about, from its cues
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_article(cls, article: Article) -> Doc:
        text = article.text
        lang = article.lang or ("zh" if _cjk_ratio(text) > 0.15 else "en")
        folded = matching_text(text)
        return cls(article=article, text=folded, lang=lang, market=article_market(folded))


_HK_MARKET = re.compile(r"港股|恒指|恒生|港元|港币|港幣|Hang Seng|HK\$|HKD|Hong Kong|\.HK\b|HKEX|港交所|\(\d{4,5}\)")
_CN_MARKET = re.compile(
    r"A股|沪指|滬指|上证|上證|深成|创业板|創業板|科创|科創|沪深|滬深|人民币|人民幣|A-shares?|Shanghai Composite"
    r"|Shenzhen Component|ChiNext|CSI 300|STAR 50"
)


def article_market(text: str) -> str:
    """ "CN" when the article is about the mainland market, else "HK" (decides listings and bare 元)."""
    sample = text[:3000]
    return "CN" if len(_CN_MARKET.findall(sample)) > len(_HK_MARKET.findall(sample)) else "HK"


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _cjk_ratio(text: str) -> float:
    sample = text[:2000]
    return len(_HAN.findall(sample)) / len(sample) if sample else 0.0


class Component(Protocol):
    """A pipeline step: ``name``, the ``Doc`` fields it ``reads`` and those it ``adds``."""

    @property
    def name(self) -> str: ...

    @property
    def reads(self) -> tuple[str, ...]: ...

    @property
    def adds(self) -> tuple[str, ...]: ...

    def __call__(self, doc: Doc) -> None: ...


class Pipeline:
    """Runs components in order; turns one ``Article`` into one ``Extraction``."""

    def __init__(self, components: Sequence[Component], *, version: str = PIPELINE_VERSION) -> None:
        self.components = tuple(components)
        self.version = version

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.components)

    def __call__(self, article: Article) -> Extraction:
        doc = Doc.from_article(article)
        for component in self.components:
            try:
                component(doc)
            except Exception as exc:  # one component failing on one article must not stop a batch
                log.warning("component %s failed on %s: %s", component.name, article.origin, exc)
                doc.errors.append(f"{component.name}: {type(exc).__name__}: {exc}")
        return Extraction(
            article=article,
            mentions=tuple(sorted(doc.mentions, key=lambda m: (m.start, m.end))),
            indices=tuple(sorted(doc.indices, key=lambda i: (i.start, i.end))),
            facts=tuple(sorted(doc.facts, key=lambda f: (f.start, f.end))),
            events=tuple(doc.events),
            sentiment=doc.sentiment,
            relevance=tuple(doc.relevance),
            errors=tuple(doc.errors),
            pipeline_version=self.version,
        )
