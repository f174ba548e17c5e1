from __future__ import annotations

import pytest

from tickerwire.extract import Pipeline, build_pipeline
from tickerwire.model import Article, Extraction


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return build_pipeline()


@pytest.fixture(scope="session")
def extract(pipeline: Pipeline):  # type: ignore[no-untyped-def]
    def run(text: str, **kw: object) -> Extraction:
        return pipeline(Article(text=text, **kw))  # type: ignore[arg-type]

    return run
