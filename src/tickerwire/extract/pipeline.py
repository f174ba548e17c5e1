"""The extraction pipeline: ordered components over one article.

Each component is a small object with a ``name``, the ``Doc`` fields it ``reads`` and the ones it
``adds``; it is built once (automata, compiled patterns) and then called on every article. A
component that raises on one article is recorded in ``Extraction.errors`` and the others go on.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol, TypeVar

from tickerwire.errors import PipelineError
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
from tickerwire.refdata.rules import load_rules

if TYPE_CHECKING:
    from tickerwire.extract.gazetteer import Span
    from tickerwire.extract.quantities import Quantity

log = logging.getLogger(__name__)


_Spanned = TypeVar("_Spanned", Mention, IndexMention, Fact, Event)


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


_HK_MARKET = re.compile(load_rules().alternation("article_market_hk"))
_CN_MARKET = re.compile(load_rules().alternation("article_market_cn"))


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


# Bounds on one article: extraction reads at most MAX_CHARS characters, and once the components
# run so far took TIME_LIMIT seconds of this thread's CPU time (not wall-clock time, so a busy
# machine does not cut articles short) the rest are skipped. Both are recorded in
# ``Extraction.errors`` (``text_limit: …``, ``time_limit: …``), never silent.
MAX_CHARS = 500_000
TIME_LIMIT = 20.0


INITIAL_FIELDS = frozenset({"article", "text", "lang", "market"})
"""The ``Doc`` fields set before any component runs (``Doc.from_article``)."""


def check_components(components: Sequence[Component]) -> None:
    """Raise ``PipelineError`` unless every field a component reads is a ``Doc`` field that is
    set before it runs (initially, or added by an earlier component) and every field it adds is
    a ``Doc`` field. ``"article.text"`` reads the ``article`` field."""
    fields = {f.name for f in dataclasses.fields(Doc)}
    available = set(INITIAL_FIELDS)
    for component in components:
        for read in component.reads:
            name = read.split(".", 1)[0]
            if name not in fields:
                raise PipelineError(f"component {component.name!r} reads {read!r}, which is not a Doc field")
            if name not in available:
                raise PipelineError(
                    f"component {component.name!r} reads {read!r} before any component adds it; "
                    "put the component that adds it earlier"
                )
        for added in component.adds:
            if added not in fields:
                raise PipelineError(f"component {component.name!r} adds {added!r}, which is not a Doc field")
        available.update(component.adds)


class Pipeline:
    """Runs components in order; turns one ``Article`` into one ``Extraction``.

    A component that raises is recorded in ``Extraction.errors`` and the next one runs; a span
    whose offsets do not point at its words in the article is dropped and recorded the same way.
    """

    def __init__(
        self,
        components: Sequence[Component],
        *,
        version: str = PIPELINE_VERSION,
        max_chars: int = MAX_CHARS,
        time_limit: float = TIME_LIMIT,
        clock: Callable[[], float] = time.thread_time,
    ) -> None:
        self.components = tuple(components)
        check_components(self.components)
        self.version = version
        self.max_chars = max_chars
        self.time_limit = time_limit
        self.clock = clock

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.components)

    def __call__(self, article: Article) -> Extraction:
        doc = Doc.from_article(article)
        if len(doc.text) > self.max_chars:
            doc.text = doc.text[: self.max_chars]
            doc.errors.append(
                f"text_limit: only the first {self.max_chars:,} of {len(article.text):,} "
                "characters were extracted; split the document to extract the rest"
            )
        self._run_components(doc)
        text = article.text
        return Extraction(
            article=article,
            mentions=_as_written(_valid(doc, doc.mentions), text),
            indices=_as_written(_valid(doc, doc.indices), text),
            facts=_as_written(_valid(doc, doc.facts), text),
            events=_as_written(_valid(doc, doc.events, ordered=False), text),
            sentiment=doc.sentiment,
            relevance=tuple(doc.relevance),
            errors=tuple(doc.errors),
            pipeline_version=self.version,
        )


    def _run_components(self, doc: Doc) -> None:
        started = self.clock()
        for n, component in enumerate(self.components):
            try:
                component(doc)
            except Exception as exc:  # one component failing on one article must not stop a batch
                log.warning("component %s failed on %s: %s", component.name, doc.article.origin, exc)
                doc.errors.append(f"{component.name}: {type(exc).__name__}: {exc}")
            elapsed = self.clock() - started
            if elapsed > self.time_limit and n + 1 < len(self.components):
                skipped = self.names[n + 1 :]
                log.warning("extraction of %s stopped after %.1f s", doc.article.origin, elapsed)
                doc.errors.append(
                    f"time_limit: stopped after {component.name} ({elapsed:.1f} s, limit "
                    f"{self.time_limit:g} s); not run: {', '.join(skipped)}"
                )
                return


def _valid(doc: Doc, spans: Sequence[_Spanned], *, ordered: bool = True) -> list[_Spanned]:
    """``spans`` whose offsets lie inside the extracted text (sorted by offset when
    ``ordered``); any other is dropped and recorded in ``doc.errors``."""
    size = len(doc.text)
    kept = [s for s in spans if 0 <= s.start <= s.end <= size]
    for bad in (s for s in spans if not 0 <= s.start <= s.end <= size):
        doc.errors.append(
            f"offsets: dropped a {type(bad).__name__.lower()} at {bad.start}..{bad.end} "
            f"outside the text (0..{size})"
        )
    return sorted(kept, key=lambda s: (s.start, s.end)) if ordered else kept


def _as_written(spans: Sequence[_Spanned], text: str) -> tuple[_Spanned, ...]:
    """``spans`` with their ``text`` taken from the article as written (``text[start:end]``).

    Components match on the folded copy; offsets are the same in both, so the words a span
    reports keep their original full-width punctuation and digits.
    """
    return tuple(
        span if span.text == text[span.start : span.end]
        else replace(span, text=text[span.start : span.end])  # type: ignore[arg-type]
        for span in spans
    )
