"""The ordered list of default components (pinned by a test)."""

from __future__ import annotations

from tickerwire.extract.events import EventTagger
from tickerwire.extract.facts import FactExtractor
from tickerwire.extract.gazetteer import Gazetteer, GazetteerIndex
from tickerwire.extract.ipo_details import IpoDetails
from tickerwire.extract.pipeline import Component
from tickerwire.extract.quantities import QuantityScanner
from tickerwire.extract.securities import RelevanceScorer, SecurityLinker
from tickerwire.extract.sentences import SentenceSplitter
from tickerwire.extract.sentiment import SentimentScorer
from tickerwire.extract.timeframes import Timeframes
from tickerwire.refdata.master import SecurityMaster, load_master


def default_components(master: SecurityMaster | None = None) -> list[Component]:
    """sentences → gazetteer → securities → quantities → facts → timeframes → events → ipo_details →
    relevance → sentiment."""
    master = master or load_master()
    return [
        SentenceSplitter(),
        Gazetteer(GazetteerIndex(master)),
        SecurityLinker(master),
        QuantityScanner(),
        FactExtractor(),
        Timeframes(),
        EventTagger(),
        IpoDetails(),
        RelevanceScorer(master),
        SentimentScorer(),
    ]
