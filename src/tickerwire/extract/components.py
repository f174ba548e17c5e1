"""The ordered list of default components (pinned by a test)."""

from __future__ import annotations

from tickerwire.extract.pipeline import Component
from tickerwire.extract.sentences import SentenceSplitter


def default_components() -> list[Component]:
    return [SentenceSplitter()]
