"""Extraction: one ``Article`` in, one ``Extraction`` out, no database needed."""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tickerwire.extract.native import use_fresh_extensions

# Before any module here is imported: compiled modules only if built from the sources on disk (native.py).
use_fresh_extensions(Path(__file__).parent)

if TYPE_CHECKING:
    from tickerwire.extract.pipeline import Component, Doc, Pipeline


def __getattr__(name: str) -> Any:
    """``Component``, ``Doc`` and ``Pipeline``, imported when first read: a module that only
    needs one component's word lists (``insights.ipos``) does not load the pipeline."""
    if name not in ("Component", "Doc", "Pipeline"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("tickerwire.extract.pipeline"), name)
    globals()[name] = value
    return value


@lru_cache(maxsize=1)
def build_pipeline() -> Pipeline:
    """The default pipeline, built once per process (automata and patterns compiled here)."""
    from tickerwire.extract.components import default_components
    from tickerwire.extract.pipeline import Pipeline
    from tickerwire.extract.prefilter import save_literals

    pipeline = Pipeline(default_components())
    save_literals()  # every component's patterns are read by now
    return pipeline


__all__ = ["Component", "Doc", "Pipeline", "build_pipeline"]
