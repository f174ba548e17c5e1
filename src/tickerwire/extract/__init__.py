"""Extraction: one ``Article`` in, one ``Extraction`` out, no database needed."""

from __future__ import annotations

from functools import lru_cache

from tickerwire.extract.pipeline import Component, Doc, Pipeline


@lru_cache(maxsize=1)
def build_pipeline() -> Pipeline:
    """The default pipeline, built once per process (automata and patterns compiled here)."""
    from tickerwire.extract.components import default_components

    return Pipeline(default_components())


__all__ = ["Component", "Doc", "Pipeline", "build_pipeline"]
