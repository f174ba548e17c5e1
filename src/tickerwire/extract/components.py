"""The ordered list of default components (pinned by a test)."""

from __future__ import annotations

from tickerwire.extract.pipeline import Component


def default_components() -> list[Component]:
    return []
