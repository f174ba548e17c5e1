"""Extraction: one ``Article`` in, one ``Extraction`` out, no database needed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from tickerwire.extract.native import use_fresh_extensions

# Before any module here is imported: compiled modules only if built from the sources on disk (native.py).
use_fresh_extensions(Path(__file__).parent)

from tickerwire.extract.pipeline import Component, Doc, Pipeline  # noqa: E402


@lru_cache(maxsize=1)
def build_pipeline() -> Pipeline:
    """The default pipeline, built once per process (automata and patterns compiled here)."""
    from tickerwire.extract.components import default_components

    return Pipeline(default_components())


__all__ = ["Component", "Doc", "Pipeline", "build_pipeline"]
