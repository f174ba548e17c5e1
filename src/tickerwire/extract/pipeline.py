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
from operator import attrgetter
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
    mainland = len(_CN_MARKET.findall(sample))
    return "CN" if mainland and mainland > len(_HK_MARKET.findall(sample)) else "HK"


# Bytes that are not the high byte of a UTF-16 code unit in U+4E00..U+9FFF (the CJK unified ideographs).
_NOT_HAN_HIGH_BYTES = bytes(b for b in range(256) if not 0x4E <= b <= 0x9F)


def _cjk_ratio(text: str) -> float:
    """The share of CJK unified ideographs (U+4E00..U+9FFF) among the first 2,000 characters.

    Counted on the text's UTF-16 code units, whose high byte alone says whether one is such an
    ideograph (surrogates, D8..DF, never are): two C-level passes instead of a Python string
    per ideograph."""
    sample = text[:2000]
    if not sample or sample.isascii():
        return 0.0
    high_bytes = sample.encode("utf-16-le", "surrogatepass")[1::2]
    return len(high_bytes.translate(None, _NOT_HAN_HIGH_BYTES)) / len(sample)


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
    The time limit is read on ``clock`` (this thread's CPU time); ``wall``, a clock that never
    runs slower than it (None: none), saves reading ``clock`` until ``wall`` has passed the limit.
    """

    def __init__(
        self,
        components: Sequence[Component],
        *,
        version: str = PIPELINE_VERSION,
        max_chars: int = MAX_CHARS,
        time_limit: float = TIME_LIMIT,
        clock: Callable[[], float] = time.thread_time,
        wall: Callable[[], float] | None = time.monotonic,
    ) -> None:
        self.components = tuple(components)
        check_components(self.components)
        self.version = version
        self.max_chars = max_chars
        self.time_limit = time_limit
        self.clock = clock
        # The thread's CPU time (a system call, a few microseconds) cannot have passed the limit
        # before the wall clock (far cheaper to read) has: it is read only after that.
        self.wall = wall

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
        return Extraction(
            article=article,
            mentions=_finished(doc, doc.mentions),
            indices=_finished(doc, doc.indices),
            facts=_finished(doc, doc.facts),
            events=_finished(doc, doc.events, ordered=False),
            sentiment=doc.sentiment,
            relevance=tuple(doc.relevance),
            errors=tuple(doc.errors),
            pipeline_version=self.version,
        )


    def _run_components(self, doc: Doc) -> None:
        started = self.clock()
        wall = self.wall
        wall_started = wall() if wall is not None else 0.0
        for n, component in enumerate(self.components):
            try:
                component(doc)
            except Exception as exc:  # one component failing on one article must not stop a batch
                log.warning("component %s failed on %s: %s", component.name, doc.article.origin, exc)
                doc.errors.append(f"{component.name}: {type(exc).__name__}: {exc}")
            if wall is not None and wall() - wall_started <= self.time_limit:
                continue
            elapsed = self.clock() - started
            if elapsed > self.time_limit and n + 1 < len(self.components):
                skipped = self.names[n + 1 :]
                log.warning("extraction of %s stopped after %.1f s", doc.article.origin, elapsed)
                doc.errors.append(
                    f"time_limit: stopped after {component.name} ({elapsed:.1f} s, limit "
                    f"{self.time_limit:g} s); not run: {', '.join(skipped)}"
                )
                return


_by_offsets = attrgetter("start", "end")


def _finished(doc: Doc, spans: Sequence[_Spanned], *, ordered: bool = True) -> tuple[_Spanned, ...]:
    """``spans`` as the extraction reports them, in one pass: a span whose offsets lie outside the
    extracted text is dropped and recorded in ``doc.errors``; every other span's ``text`` is the
    article's words as written (``article.text[start:end]``: components match on the folded copy,
    whose offsets are the same, so a span keeps its original full-width punctuation and digits);
    sorted by offset when ``ordered``."""
    size = len(doc.text)
    written = doc.article.text
    kept: list[_Spanned] = []
    for span in spans:
        start, end = span.start, span.end
        if not 0 <= start <= end <= size:
            doc.errors.append(
                f"offsets: dropped a {type(span).__name__.lower()} at {start}..{end} outside the text (0..{size})"
            )
        elif span.text == written[start:end]:
            kept.append(span)
        else:
            kept.append(replace(span, text=written[start:end]))  # type: ignore[arg-type]
    if ordered:
        kept.sort(key=_by_offsets)
    return tuple(kept)
