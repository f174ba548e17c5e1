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
        ex = pipeline(Article(text=text, **kw))  # type: ignore[arg-type]
        assert ex.errors == (), ex.errors  # a component that fails is recorded, not raised: fail the test
        return ex

    return run
